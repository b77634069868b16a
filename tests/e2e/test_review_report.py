"""A province officer downloads the review report of Bắc Giang's plan 340/KH-CAT-XDPTBVANTQ as
.docx and as PDF, and a national export runs in the background and downloads only in scope.

Plan 340 was issued by old Bắc Giang province, which merged into Bắc Ninh: demo-bacninh sees it.
"""

import io
import subprocess

from docx import Document
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE

PLAN = "340/KH-CAT-XDPTBVANTQ"


def request_report(page, *, fmt: str):
    page.goto(f"/reports/?plan={PLAN}")
    page.select_option("select[name=subject]", "review")
    page.select_option("select[name=format]", fmt)
    with page.expect_navigation():
        page.get_by_role("button", name="Tạo tệp").click()
    expect(page.locator("#job-status")).to_contain_text("xong", timeout=60_000)
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải tệp").click()
    return download.value.path().read_bytes()


def document_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_a_province_officer_downloads_the_plan_report_as_word_and_pdf(page_as, tmp_path):
    page = page_as("demo-bacninh", viewport=PHONE)
    text = document_text(request_report(page, fmt="docx"))
    assert PLAN in text
    for pilot in ("Hợp Đức", "Đồi Ngô", "Trần Phú"):
        assert pilot in text
    assert "750.000.000 đ" in text
    assert "15 tập thể, 16 cá nhân" in text
    assert "Số đơn vị chưa đạt" in text  # the criteria table
    pdf = tmp_path / "bao-cao.pdf"
    pdf.write_bytes(request_report(page, fmt="pdf"))
    shown = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in shown
    assert "Độc lập - Tự do - Hạnh phúc" in shown


def test_a_national_export_shows_its_progress_and_downloads_only_in_scope(page_as):
    page = page_as("demo-bo")
    page.goto("/reports/?subject=indicator_values&unit=BCA&format=xlsx")
    page.select_option("select[name=format]", "xlsx")
    with page.expect_navigation():
        page.get_by_role("button", name="Tạo tệp").click()
    expect(page.locator("#job-status")).to_contain_text("xong", timeout=60_000)
    download_url = page.get_by_role("link", name="Tải tệp").get_attribute("href")
    other = page_as("demo-thaihoa")
    response = other.request.get(download_url)
    assert response.status == 404
