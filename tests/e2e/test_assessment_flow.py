"""The assessment round trip in a browser: the ward enters a month of indicators, opens its
assessment, judges, uploads evidence and submits; the province returns it with a comment; the
ward sees the comment and resubmits; the province approves, which locks the assessment and the
month's values.

Phường Thái Hòa exists only from 2025-07-01, so it is assessed for the round ending in 2026 under
the newest model-ward set for wards (version 2024, a calendar-year period: 01/01–31/12/2026).
"""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import PHONE

PDF = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
)
RETURN_COMMENT = "Bổ sung ảnh chụp trụ sở và bộ phận một cửa (TC 4)."


def enter_a_month(page) -> None:
    page.goto("/indicators/values/?unit=16939&month=2026-10")
    page.select_option("select[name=v_nghi_quyet_dang_uy]", "1")
    page.select_option("select[name=v_ke_hoach_ubnd]", "1")
    for code, value in (
        ("tin_bao_tiep_nhan", "3"),
        ("tin_bao_da_xu_ly", "3"),
        ("toi_pham_ttxh", "1"),
        ("vu_viec_nghiem_trong", "0"),
        ("can_bo_bi_ky_luat", "0"),
    ):
        page.fill(f"input[name=v_{code}]", value)
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu tất cả").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu")


def open_assessment(page) -> str:
    page.goto("/assessments/new/")
    # the ward's own unit, by name, and the set that applies to it are already chosen
    expect(page.locator("select[name=unit] option:checked")).to_have_text(
        "Công an phường Thái Hòa · Tỉnh Nghệ An"
    )
    expect(page.locator("select[name=criteria_set] option:checked")).to_contain_text(
        "— 2024 (phường)"
    )
    page.fill("input[name=year]", "2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Mở hồ sơ").click()
    expect(page.locator("main h1")).to_have_text("Công an phường Thái Hòa")
    assert re.search(r"/assessments/\d+/$", page.url), page.url
    return page.url


def self_assess(page, evidence_path) -> None:
    for select in page.locator("select[name^=status-]").all():
        select.select_option("met")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu đánh giá").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu đánh giá")
    needing = [
        link.get_attribute("href")
        for link in page.locator("#missing li", has_text="cần minh chứng").locator("a").all()
    ]
    assert needing, "the set asks for evidence on some criteria"
    for anchor in needing:
        row = page.locator(anchor)
        row.locator("input[type=file]").set_input_files(evidence_path)
        row.get_by_role("button", name="Tải lên").click()  # htmx: only the evidence cell changes
        expect(page.locator(anchor).locator(".evidence a")).to_have_text("nghi-quyet.pdf")
    expect(page.locator("#missing")).to_have_count(0)


def test_ward_submits_province_returns_then_approves(page_as, tmp_path, screenshot_dir):
    evidence = tmp_path / "nghi-quyet.pdf"
    evidence.write_bytes(PDF)

    ward = page_as("demo-thaihoa")
    enter_a_month(ward)
    url = open_assessment(ward)
    expect(ward.locator("#result")).to_have_text(re.compile(r"^\d+/20 tiêu chí$"))
    self_assess(ward, evidence)
    with ward.expect_navigation():
        ward.get_by_role("button", name="Gửi thẩm định").click()
    expect(ward.locator(".summary .stage")).to_have_text("Chờ thẩm định")
    expect(ward.get_by_role("button", name="Thẩm định đạt yêu cầu (khóa hồ sơ)")).to_have_count(0)

    province = page_as("demo-nghean")
    province.goto("/assessments/")
    expect(province.locator("#queue")).to_contain_text("Công an phường Thái Hòa")
    province.goto(url)
    province.locator("form.step-return textarea[name=comment]").fill(RETURN_COMMENT)
    with province.expect_navigation():
        province.get_by_role("button", name="Trả lại để bổ sung").click()
    expect(province.locator(".summary .stage")).to_have_text("Bị trả lại")

    ward.goto(url)
    expect(ward.locator("#last-comment")).to_contain_text(RETURN_COMMENT)
    with ward.expect_navigation():
        ward.get_by_role("button", name="Gửi lại thẩm định").click()
    expect(ward.locator(".summary .stage")).to_have_text("Chờ thẩm định")

    province.goto(url)
    with province.expect_navigation():
        province.get_by_role("button", name="Thẩm định đạt yêu cầu (khóa hồ sơ)").click()
    expect(province.locator("#confirm")).to_contain_text("sẽ bị khóa")  # asked first
    with province.expect_navigation():
        province.locator("#confirm").get_by_role("button", name="Thẩm định đạt yêu cầu").click()
    expect(province.locator(".summary .stage")).to_have_text("Đã thẩm định")
    expect(province.locator(".summary")).to_contain_text("Hồ sơ đã khóa")
    expect(province.locator("#result")).to_have_text(re.compile(r"^\d+/20 tiêu chí$"))
    expect(province.locator("#history li")).to_have_count(4)
    province.screenshot(path=screenshot_dir / "assessment-approved.png", full_page=True)

    ward.goto(url)
    expect(ward.locator(".summary")).to_contain_text("Hồ sơ đã khóa")
    expect(ward.locator("form.upload")).to_have_count(0)
    expect(ward.locator("#judgements")).to_have_count(0)
    ward.goto("/indicators/values/?unit=16939&month=2026-10")
    expect(ward.locator("main")).to_contain_text("đã khóa")


def test_assessment_page_fits_a_phone(page_as, screenshot_dir):
    page = page_as("demo-thaihoa", viewport=PHONE)
    page.goto("/assessments/?stage=returned")
    page.locator("table.assessments a").first.click()
    expect(page.locator("#last-comment")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width}px)"
    page.screenshot(path=screenshot_dir / "assessment-phone.png", full_page=True)
