"""What a new user tripped on, tried again as they would: on a phone, typing judgements and then
uploading evidence for another criterion keeps what was typed (with and without script); the
header leaves room for the page; the keyboard reaches the save button early; a refused form puts
focus on what went wrong; the assessment list shows its result column on a phone."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import PHONE
from tests.e2e.test_assessment_flow import PDF

TYPED = "Trụ sở đang được sửa, xong trong tháng 12."


def open_assessment(page, year: str) -> str:
    page.goto("/assessments/new/")
    page.fill("input[name=year]", year)
    with page.expect_navigation():
        page.get_by_role("button", name="Mở hồ sơ").click()
    expect(page.locator("main h1")).to_have_text("Công an phường Thái Hòa")
    return page.url


def type_judgements(page, text: str = TYPED) -> tuple[str, str]:
    """Judge the first manual criterion and write on it; return its row and another row's id."""
    rows = page.locator("tr[id^=criterion-]").filter(has=page.locator("select[name^=status-]"))
    first = rows.first
    first.locator("select[name^=status-]").select_option("not_met")
    first.locator("textarea").fill(text)
    other = page.locator("tr[id^=criterion-]").last
    return f"#{first.get_attribute('id')}", f"#{other.get_attribute('id')}"


def test_upload_keeps_unsaved_judgements_on_a_phone(page_as, tmp_path, screenshot_dir):
    evidence = tmp_path / "anh-tru-so.pdf"
    evidence.write_bytes(PDF)
    page = page_as("demo-thaihoa", viewport=PHONE)
    url = open_assessment(page, "2025")
    typed_row, upload_row = type_judgements(page)
    expect(page.locator("#unsaved")).to_be_visible()  # the page says something is not saved

    page.locator(upload_row).locator("input[type=file]").set_input_files(evidence)
    page.locator(upload_row).get_by_role("button", name="Tải lên").click()
    expect(page.locator(upload_row).locator(".evidence a").last).to_have_text("anh-tru-so.pdf")
    assert page.url == url  # no reload
    expect(page.locator(typed_row).locator("select[name^=status-]")).to_have_value("not_met")
    expect(page.locator(typed_row).locator("textarea")).to_have_value(TYPED)
    page.screenshot(path=screenshot_dir / "phone-upload-kept-typing.png")  # what a phone shows
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=screenshot_dir / "phone-assessment-top.png")

    with page.expect_navigation():
        page.get_by_role("button", name="Lưu đánh giá").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu đánh giá")
    page.goto(url)
    expect(page.locator(typed_row).locator("textarea")).to_have_value(TYPED)


def test_leaving_with_unsaved_judgements_warns(page_as):
    page = page_as("demo-thaihoa", viewport=PHONE)
    open_assessment(page, "2025")
    type_judgements(page)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="Đánh giá", exact=True).first.click()
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"]
    expect(page.locator("main h1")).to_have_text("Công an phường Thái Hòa")


def test_upload_without_script_keeps_unsaved_judgements(page_as, tmp_path):
    evidence = tmp_path / "bien-ban.pdf"
    evidence.write_bytes(PDF)
    page = page_as("demo-thaihoa", viewport=PHONE, javascript=False)
    url = open_assessment(page, "2025")
    typed = "Gõ khi trình duyệt tắt script."
    typed_row, upload_row = type_judgements(page, typed)
    page.locator(upload_row).locator("input[type=file]").set_input_files(evidence)
    with page.expect_navigation():
        page.locator(upload_row).get_by_role("button", name="Tải lên").click()
    assert page.url.split("#")[0] == url
    expect(page.locator(".messages")).to_contain_text("Đã tải lên minh chứng")
    expect(page.locator(upload_row).locator(".evidence a").last).to_have_text("bien-ban.pdf")
    expect(page.locator(typed_row).locator("select[name^=status-]")).to_have_value("not_met")
    expect(page.locator(typed_row).locator("textarea")).to_have_value(typed)
    expect(page.locator("#unsaved")).to_be_visible()


def test_deleting_evidence_asks_first(page_as, tmp_path):
    evidence = tmp_path / "xoa-thu.pdf"
    evidence.write_bytes(PDF)
    page = page_as("demo-thaihoa")
    url = open_assessment(page, "2025")
    row = page.locator("tr[id^=criterion-]").first
    row.locator("input[type=file]").set_input_files(evidence)
    row.get_by_role("button", name="Tải lên").click()
    expect(row.locator(".evidence a", has_text="xoa-thu.pdf")).to_have_count(1)
    with page.expect_navigation():
        row.get_by_role("button", name="Xóa xoa-thu.pdf").click()
    expect(page.locator("#confirm")).to_contain_text("Xóa tệp minh chứng “xoa-thu.pdf”")
    with page.expect_navigation():
        page.get_by_role("button", name="Không, quay lại").click()
    assert page.url.split("#")[0] == url
    row = page.locator("tr[id^=criterion-]").first
    expect(row.locator(".evidence a", has_text="xoa-thu.pdf")).to_have_count(1)
    with page.expect_navigation():
        row.get_by_role("button", name="Xóa xoa-thu.pdf").click()
    with page.expect_navigation():
        page.locator("#confirm").get_by_role("button", name="Xóa").click()
    expect(page.locator(".messages")).to_contain_text("Đã xóa minh chứng")
    expect(
        page.locator("tr[id^=criterion-]").first.locator(".evidence a", has_text="xoa-thu.pdf")
    ).to_have_count(0)


def test_keyboard_reaches_skip_link_first_and_save_early(page_as):
    page = page_as("demo-thaihoa")
    open_assessment(page, "2025")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Bỏ qua, đến nội dung chính")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Bỏ qua, đến nút lưu đánh giá")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Lưu đánh giá")
    # and the save button stays in view while the criteria scroll by
    page.locator("tr[id^=criterion-]").last.scroll_into_view_if_needed()
    expect(page.get_by_role("button", name="Lưu đánh giá")).to_be_in_viewport()


def test_refused_form_puts_focus_on_the_error(page_as):
    page = page_as("demo-nghean")
    page.goto("/assessments/new/")
    page.fill("input[name=year]", "1999")  # before any assessment round: refused
    page.locator("select[name=unit]").select_option(label="Công an phường Thái Hòa · Tỉnh Nghệ An")
    with page.expect_navigation():
        page.get_by_role("button", name="Mở hồ sơ").click()
    expect(page.locator("#error")).to_be_focused()


def test_sign_in_refused_puts_focus_on_the_error(anonymous_page):
    page = anonymous_page
    page.goto("/accounts/sign-in/")
    page.get_by_label("Tên đăng nhập").fill("demo-viewer")
    page.get_by_label("Mật khẩu").fill("wrong")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("alert")).to_be_focused()


def test_header_is_compact_on_a_phone(page_as, screenshot_dir):
    page = page_as("demo-thaihoa", viewport={"width": 390, "height": 844})
    for path in ("/", "/assessments/", "/indicators/"):
        page.goto(path)
        height = page.locator("header.topbar").bounding_box()["height"]
        assert height <= 90, f"{path}: the header takes {height:.0f} of 844 px"
    page.screenshot(path=screenshot_dir / "phone-header.png")


def test_assessment_list_shows_the_result_on_a_phone(page_as, screenshot_dir):
    page = page_as("demo-nghean", viewport=PHONE)
    page.goto("/assessments/")
    cells = page.locator("table.assessments tbody tr td:last-child")
    expect(cells.first).to_be_visible()
    box = cells.first.bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"], box
    expect(cells.first).to_have_text(re.compile(r"\S"))
    page.screenshot(path=screenshot_dir / "phone-assessment-list.png")
