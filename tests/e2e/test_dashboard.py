"""The dashboard in the browser: charts drawn under the product's CSP from the tables beside
them, the same numbers as the API, drill-down, a phone screen, and the print layout."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import PHONE

STANDINGS = ("recognised", "qualifies", "in_progress", "not_started")


def watch_console(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def open_dashboard_from_home(page):
    page.goto("/")
    page.locator("#home-standing a", has_text="Mở bảng điều hành").click()
    expect(page.locator("main h1")).to_contain_text("Bảng điều hành")


def test_province_officer_reads_the_dashboard_and_drills_down(page_as, screenshot_dir):
    page = page_as("demo-nghean")
    problems = watch_console(page)
    open_dashboard_from_home(page)
    expect(page.locator("html")).to_have_attribute("data-charts", re.compile(r"^[3-9]|\d\d"))
    expect(page.locator("#chart-trend")).to_be_visible()  # the trends load after the page
    for canvas in ("chart-standing", "chart-children", "chart-trend"):
        box = page.locator(f"#{canvas}").bounding_box()
        assert box and box["width"] > 100 and box["height"] > 100, canvas
    # The page, its chart table and the API give the same numbers.
    set_code = page.locator("select[name=set]").input_value()
    api = page.request.get(f"/api/orgunits/40/dashboard?set={set_code}").json()
    shown = [int(page.locator(f"#figure-{s}").inner_text()) for s in STANDINGS]
    table = [int(v) for v in page.locator('table[data-canvas="chart-standing"] td[data-value]')
             .evaluate_all("cells => cells.map(c => c.dataset.value)")]
    assert shown == table == [api["by_standing"][s] for s in STANDINGS]
    assert int(page.locator("#figure-communes").inner_text()) == api["communes"]
    page.screenshot(path=screenshot_dir / "dashboard-desktop.png", full_page=True)
    assert not [p for p in problems if "favicon" not in p], problems

    first_child = page.locator("#drill-down tbody th a").first
    name = first_child.inner_text()  # "Phường Cửa Lò": its police is "Công an phường Cửa Lò"
    first_child.click()
    expect(page.locator("main h1")).to_contain_text(name.split(" ", 1)[1])
    expect(page.locator("#figure-communes")).to_have_text("1")


def test_dashboard_fits_a_phone_and_draws_its_map(page_as, screenshot_dir):
    page = page_as("demo-nghean", viewport=PHONE)
    problems = watch_console(page)
    open_dashboard_from_home(page)
    expect(page.locator("html")).to_have_attribute("data-charts", re.compile(r"\d"))
    scroll_width, inner_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, f"{scroll_width}px wide on a {inner_width}px screen"
    expect(page.locator("svg.commune-map circle").first).to_be_attached()
    assert page.locator("svg.commune-map circle").count() == int(
        page.locator("#figure-communes").inner_text())
    page.screenshot(path=screenshot_dir / "dashboard-phone.png", full_page=True)
    assert not [p for p in problems if "favicon" not in p], problems


def test_dashboard_prints_without_the_controls(page_as, screenshot_dir):
    page = page_as("demo-bo")
    page.goto("/dashboards/40/")
    expect(page.locator("html")).to_have_attribute("data-charts", re.compile(r"\d"))
    page.emulate_media(media="print")
    expect(page.locator("header.topbar")).to_be_hidden()
    expect(page.locator("#dashboard-filters")).to_be_hidden()
    expect(page.locator("#by-standing table")).to_be_visible()
    box = page.locator("#by-standing table").bounding_box()
    assert box["x"] + box["width"] <= page.viewport_size["width"], "the table is cut off in print"
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    (screenshot_dir / "dashboard.pdf").write_bytes(pdf)
