"""Pages load their own stylesheet and scripts, and the strict CSP blocks nothing of ours."""

import pytest

PAGES = ["/", "/units/", "/units/07213/?as_of=2025-06-30"]
BRAND_RED = "rgb(139, 26, 26)"  # --brand in site.css


def watch(page) -> list[str]:
    """Errors the page shows in its console, failed requests and 4xx/5xx answers; the browser's
    own try at /favicon.ico (there is none) does not count."""
    problems = []

    def on_console(message):
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            problems.append(f"console: {message.text} ({message.location.get('url')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"script: {error}"))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} {r.failure}"))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status}: {r.url}"))
    return problems


def test_sign_in_page_is_styled(anonymous_page):
    problems = watch(anonymous_page)
    anonymous_page.goto("/accounts/sign-in/")
    background = anonymous_page.eval_on_selector(
        ".topbar", "element => getComputedStyle(element).backgroundColor"
    )
    assert background == BRAND_RED
    assert problems == []


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_without_errors(page_as, path):
    page = page_as("demo-bo")
    problems = watch(page)
    page.goto(path)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("() => typeof window.htmx") == "object"
    assert problems == []
