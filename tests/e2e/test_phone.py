"""Every page must work on a phone: at 375 px wide, nothing scrolls sideways."""

import re

import pytest

from tests.e2e.conftest import PHONE

PAGES = [
    "/",
    "/units/",
    "/units/16939/",  # phường Thái Hòa, with its history
    "/units/07213/?as_of=2025-06-30",  # phường Trần Phú, before the merger
    "/units/40/",  # tỉnh Nghệ An, with its long list of communes
]


@pytest.mark.parametrize("path", PAGES)
def test_page_fits_a_phone_screen(page_as, screenshot_dir, path):
    page = page_as("demo-bo", viewport=PHONE)
    response = page.goto(path)
    assert response.status == 200
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]"
    )
    scroll_width, body_width, inner_width = widths
    name = re.sub(r"[^a-z0-9]+", "-", path).strip("-") or "home"
    page.screenshot(path=screenshot_dir / f"phone-{name}.png", full_page=True)
    assert scroll_width <= inner_width, f"{path}: {scroll_width}px wide on a {inner_width}px screen"
    assert body_width <= inner_width, f"{path}: body {body_width}px wide on {inner_width}px"
