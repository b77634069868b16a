"""A province officer, on a phone, creates a plan, enrols a ward, sets a target and records an
inspection with a recommendation; the ward's officer then sees the recommendation on their unit
page."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import PHONE

NUMBER = "200/KH-CAT-PV05"


def create_plan(page) -> str:
    page.goto("/programs/")
    with page.expect_navigation():
        page.get_by_role("link", name="Tạo kế hoạch").click()
    option = page.locator("select[name=program] option", has_text="(Nghệ An)")
    page.select_option("select[name=program]", option.first.get_attribute("value"))
    page.fill("input[name=number]", "KH200")
    page.fill("input[name=date]", "2026-02-01")
    page.fill("input[name=period_start]", "2026-02-01")
    page.fill("input[name=period_end]", "2027-12-31")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu kế hoạch").click()
    expect(page.locator("#plan-form .error")).to_contain_text("340/KH-CAT-XDPTBVANTQ")
    page.fill("input[name=number]", NUMBER)
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu kế hoạch").click()
    expect(page.locator("main h1")).to_have_text(f"Kế hoạch số {NUMBER}")
    assert re.search(r"/programs/plans/\d+/$", page.url), page.url
    return page.url


def enrol_and_target(page) -> None:
    form = page.locator("#enrol")
    form.locator("input[name=unit]").fill("16939")
    form.locator("input[name=target_year]").fill("2026")
    with page.expect_navigation():
        form.get_by_role("button", name="Thêm đơn vị").click()
    expect(page.locator("table.enrolments")).to_contain_text("Công an phường Thái Hòa")
    expect(page.locator("#units")).to_contain_text("Nghị quyết của Đảng ủy: 00/01")
    target = page.locator("#target")
    target.locator("input[name=year]").fill("2026")
    target.locator("input[name=value]").fill("1")
    with page.expect_navigation():
        target.get_by_role("button", name="Lưu chỉ tiêu").click()
    row = page.locator("table.roadmap tr[data-year='2026']")
    expect(row.locator("td").nth(1)).to_have_text("1")
    expect(row.locator("td").nth(2)).to_have_text("0")


def record_inspection(page) -> None:
    with page.expect_navigation():
        page.get_by_role("link", name="Ghi đoàn kiểm tra").click()
    expect(page.locator("input[name=owner_unit]")).to_have_value("40")
    page.fill("input[name=title]", "Khảo sát phường Thái Hòa")
    page.fill("input[name=date]", "2026-03-05")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()
    expect(page.locator("main h1")).to_have_text("Khảo sát phường Thái Hòa")
    page.locator("#visit summary").last.click()
    visit = page.locator("form[action$='/visits/']")
    visit.locator("input[name=unit]").fill("16939")
    visit.locator("textarea[name=difficulties]").fill("Thiếu máy tính cho bộ phận một cửa")
    with page.expect_navigation():
        visit.get_by_role("button", name="Thêm").click()
    expect(page.locator("#visit")).to_contain_text("Thiếu máy tính")
    page.locator("#recommendation summary").click()
    form = page.locator("form[action$='/recommendations/']")
    form.locator("input[name=unit]").fill("16939")
    form.locator("textarea[name=text]").fill("Trang bị 02 máy tính cho bộ phận một cửa")
    form.locator("input[name=due_on]").fill("2099-06-30")
    with page.expect_navigation():
        form.get_by_role("button", name="Thêm").click()
    expect(page.locator("table.recommendations")).to_contain_text("Trang bị 02 máy tính")


def test_province_plans_inspects_and_the_ward_sees_the_recommendation(page_as):
    officer = page_as("demo-nghean", viewport=PHONE)
    create_plan(officer)
    enrol_and_target(officer)
    record_inspection(officer)

    ward = page_as("demo-thaihoa", viewport=PHONE)
    ward.goto("/units/16939/")
    followup = ward.locator("#followup")
    expect(followup).to_contain_text("Trang bị 02 máy tính cho bộ phận một cửa")
    expect(followup).to_contain_text("30/06/2099")
    expect(ward.locator("#plans")).to_contain_text(NUMBER)


def test_demo_ward_officer_sees_an_overdue_recommendation(page_as):
    ward = page_as("demo-thaihoa")
    ward.goto("/units/16939/")
    expect(ward.locator("#followup .error").first).to_contain_text("quá hạn")


def test_old_bac_giang_plan_reads_with_its_money_and_merit(page_as):
    page = page_as("demo-bo")
    page.goto("/programs/")
    with page.expect_navigation():
        page.get_by_role("link", name="340/KH-CAT-XDPTBVANTQ").click()
    expect(page.locator("#budget")).to_contain_text("750.000.000 đ")
    expect(page.locator("#awards")).to_contain_text("15 tập thể, 16 cá nhân")
    expect(page.locator("table.enrolments")).to_contain_text("Công an phường Trần Phú")
