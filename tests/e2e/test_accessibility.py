"""The main pages at phone and desktop sizes, for a province and a ward officer and before
signing in. Nothing is asserted here by hand: the axe-core check that conftest.py runs on every
page fails the test on any WCAG 2.1 A/AA violation. Input borders must have 3:1 contrast
(WCAG 1.4.11, which axe does not measure), so that one is measured here."""

import pytest

from tests.e2e.conftest import PHONE

DESKTOP = {"width": 1280, "height": 900}
PAGES = {
    "demo-nghean": [
        "/",
        "/units/",
        "/units/?q=duc+xuan",
        "/units/40/",
        "/units/16939/",
        "/criteria/",
        "/criteria/phuong-kieu-mau/",
        "/indicators/",
        "/indicators/values/?unit=16939&month=2026-01",
        "/assessments/",
        "/assessments/new/",
        "/assessments/units/16939/standing/",
        "/no/such/page/",
    ],
    "demo-thaihoa": ["/", "/units/", "/units/16939/", "/assessments/", "/assessments/new/"],
}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("username", sorted(PAGES))
def test_main_pages_pass_axe(page_as, username, viewport):
    page = page_as(username, viewport=viewport)
    for path in PAGES[username]:
        page.goto(path)
        page.wait_for_load_state("networkidle")  # htmx parts (the unit's standing) swapped in


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_sign_in_page_passes_axe(anonymous_page, viewport):
    anonymous_page.set_viewport_size(viewport)
    anonymous_page.goto("/accounts/sign-in/")


def contrast(first: str, second: str) -> float:
    def luminance(css: str) -> float:
        parts = [int(x) / 255 for x in css[css.index("(") + 1 : css.index(")")].split(",")[:3]]
        linear = [p / 12.92 if p <= 0.03928 else ((p + 0.055) / 1.055) ** 2.4 for p in parts]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_input_borders_have_3_to_1_contrast(page_as):
    page = page_as("demo-nghean")
    page.goto("/units/")
    border, background = page.eval_on_selector(
        "input[type=search]",
        "e => [getComputedStyle(e).borderTopColor, getComputedStyle(document.body).backgroundColor]",
    )
    assert contrast(border, background) >= 3, (border, background)
