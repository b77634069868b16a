"""Signing in, as a person does it in the browser."""

from playwright.sync_api import expect


def test_sign_in_page_is_in_vietnamese(anonymous_page):
    page = anonymous_page
    page.goto("/accounts/sign-in/")
    assert page.get_attribute("html", "lang") == "vi"
    expect(page.locator("main h1")).to_have_text("Đăng nhập")
    expect(page.get_by_label("Tên đăng nhập")).to_be_visible()
    expect(page.get_by_label("Mật khẩu")).to_be_visible()
    expect(page.locator("main form button[type=submit]")).to_have_text("Đăng nhập")


def test_wrong_password_shows_the_error(anonymous_page):
    page = anonymous_page
    page.goto("/accounts/sign-in/")
    page.get_by_label("Tên đăng nhập").fill("demo-viewer")
    page.get_by_label("Mật khẩu").fill("not-the-password")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("alert")).to_have_text("Tên đăng nhập hoặc mật khẩu không đúng.")
    assert "/accounts/sign-in/" in page.url


def test_a_page_asked_for_before_signing_in_opens_after_it(anonymous_page):
    page = anonymous_page
    page.goto("/units/")
    assert "/accounts/sign-in/" in page.url
    page.get_by_label("Tên đăng nhập").fill("demo-thainguyen")
    page.get_by_label("Mật khẩu").fill("kieumau-demo")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main h1")).to_have_text("Cây tổ chức")


def test_commune_officer_sees_home_with_their_unit(page_as):
    page = page_as("demo-thaihoa")
    expect(page.locator("main h1")).to_contain_text("Xin chào")
    home_unit = page.locator("main .card a", has_text="Công an phường Thái Hòa")
    expect(home_unit).to_be_visible()
    expect(page.locator("header .who")).to_contain_text("demo-thaihoa")
