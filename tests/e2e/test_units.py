"""The tree browser and unit pages: search without diacritics, history across the 2025 merger,
and scope (a unit out of reach is a 404, like one that does not exist)."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import PHONE


def test_search_without_diacritics_finds_the_ward(page_as):
    page = page_as("demo-thainguyen")
    page.goto("/units/")
    page.get_by_role("searchbox").fill("duc xuan")
    # htmx swaps the results in place as one types, and records the search in the address bar.
    expect(page).to_have_url(re.compile(r"[?&]q=duc(\+|%20)xuan"))
    expect(page.locator("#results > ul.units > li > a")).to_have_text(["Công an phường Đức Xuân"])
    expect(page.locator("#result-count")).to_have_text(re.compile(r"^1 đơn vị tại ngày "))


def test_back_after_opening_a_search_result_shows_the_whole_page(page_as):
    page = page_as("demo-thainguyen", viewport=PHONE)
    page.goto("/units/")
    page.get_by_role("searchbox").fill("duc xuan")
    expect(page).to_have_url(re.compile(r"[?&]q=duc(\+|%20)xuan"))
    page.locator("#results > ul.units > li > a", has_text="Đức Xuân").first.click()
    expect(page.locator("main h1")).to_have_text("Công an phường Đức Xuân")
    page.go_back()
    expect(page).to_have_url(re.compile(r"/units/\?.*q=duc"))
    # the whole page: header, heading, search form and the results, not a bare fragment
    expect(page.locator("header.topbar")).to_be_visible()
    expect(page.locator("main h1")).to_have_text("Cây tổ chức")
    expect(page.get_by_role("searchbox")).to_be_visible()
    expect(page.locator("#results > ul.units > li > a")).to_have_text(["Công an phường Đức Xuân"])
    page.reload()  # and the browser's cache does not hand back the fragment either
    expect(page.locator("main h1")).to_have_text("Cây tổ chức")


def test_old_ward_page_shows_its_successor_and_links_to_it(page_as, screenshot_dir):
    page = page_as("demo-bo")
    page.goto("/units/07213/?as_of=2025-06-30")
    expect(page.locator("main h1")).to_have_text("Công an phường Trần Phú")
    successor = page.locator("#history a", has_text="Công an phường Bắc Giang")
    expect(successor).to_be_visible()
    page.screenshot(path=screenshot_dir / "unit-page.png", full_page=True)

    successor.click()
    expect(page.locator("main h1")).to_have_text("Công an phường Bắc Giang")
    assert "/units/07210/" in page.url
    expect(page.locator("#history a", has_text="Công an phường Trần Phú")).to_be_visible()


def test_unit_of_another_province_is_not_found(page_as):
    page = page_as("demo-nghean")
    response = page.goto("/units/01840/")  # phường Đức Xuân, Thái Nguyên
    assert response.status == 404
    assert "Đức Xuân" not in page.content()
    # the product's own page, in Vietnamese, even with debug on as in the demo
    expect(page.locator("main h1")).to_have_text("Không tìm thấy")
    expect(page.get_by_role("link", name="Về trang chủ")).to_be_visible()


def test_out_of_scope_and_absent_units_answer_alike(page_as):
    page = page_as("demo-nghean")
    hidden = page.goto("/units/01840/")
    assert hidden.status == 404
    absent = page.goto("/units/99999/")
    assert absent.status == 404
