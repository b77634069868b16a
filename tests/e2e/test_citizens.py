"""Residents on a cheap phone with JavaScript off: the poster's QR address leads to the survey,
an answer lands in the month's figures; a report is filed, handled late, counted late, and the
resident sees its status."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.conftest import PHONE

UNIT = "16939"  # phường Thái Hòa, the demo commune


@pytest.fixture
def no_script_phone(chromium, server_url):
    context = chromium.new_context(base_url=server_url, java_script_enabled=False,
                                   viewport=PHONE, locale="vi-VN",
                                   timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def fits_the_screen(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def answers_this_month(page) -> int:
    """The number of answers in this month's row of the officer's page (0 without a row)."""
    this_month = dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%m/%Y")
    page.goto(f"/citizens/{UNIT}/")
    row = page.locator("#satisfaction tbody tr", has_text=this_month)
    return int(row.locator("td").nth(1).inner_text()) if row.count() else 0


def test_the_poster_leads_to_a_survey_that_works_without_javascript(page_as, no_script_phone,
                                                                     screenshot_dir, server_url):
    officer = page_as("demo-thaihoa", viewport=PHONE)
    poster = officer.goto(f"/citizens/{UNIT}/poster.svg")
    assert poster.status == 200
    address = re.search(rf"{re.escape(server_url)}/s/{UNIT}/", poster.text())[0]
    before = answers_this_month(officer)

    page = no_script_phone
    assert page.goto(address).status == 200
    assert fits_the_screen(page)
    page.select_option("#procedure", "tam_tru")
    for aspect, level in (("access", "5"), ("procedure", "4"), ("officer", "5"),
                          ("result", "4"), ("feedback", "4")):
        page.check(f"input[name=score_{aspect}][value='{level}']")
    page.fill("#comment", "Cán bộ hướng dẫn tận tình")
    page.screenshot(path=screenshot_dir / "citizens-survey-phone.png", full_page=True)
    with page.expect_navigation():
        page.click("form.survey button[type=submit]")
    assert page.url.endswith(f"/s/{UNIT}/cam-on/")
    assert "Cảm ơn" in page.inner_text("h1")

    assert answers_this_month(officer) == before + 1
    this_month = dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%m/%Y")
    row = officer.locator("#satisfaction tbody tr", has_text=this_month).inner_text()
    assert "100" in row and "dưới 30 phiếu" in row  # one answer: rate shown, marked as few


def test_an_incomplete_answer_is_refused_with_a_message(no_script_phone):
    page = no_script_phone
    page.goto(f"/s/{UNIT}/")
    # The browser enforces `required`; post what a tampered form would send.
    page.goto(f"/s/{UNIT}/")
    token = page.get_attribute("input[name=token]", "value")
    csrf = page.get_attribute("input[name=csrfmiddlewaretoken]", "value")
    response = page.request.post(f"/s/{UNIT}/", form={
        "csrfmiddlewaretoken": csrf, "token": token, "procedure": "tam_tru",
        "score_access": "9"}, headers={"Referer": page.url})
    assert response.status == 400
    assert "Hãy chọn một mức từ 1 đến 5." in response.text()


def test_a_report_handled_late_is_counted_late_and_the_resident_sees_it(
        page_as, no_script_phone, kieumau_cli):
    page = no_script_phone
    page.goto(f"/p/{UNIT}/phan-anh/")
    assert fits_the_screen(page)
    page.select_option("#category", "trat-tu-cong-cong")
    page.fill("#description", "Hát karaoke quá 23 giờ tại tổ dân phố 5")
    page.fill("#address", "tổ dân phố 5, phường Thái Hòa, tỉnh Nghệ An")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    code = re.search(r"/t/([A-Z0-9]+)/", page.url)[1]
    assert "đã tiếp nhận" in page.inner_text("#status").lower()

    # The report came in on 5 August 2025 (7 days to handle): move it back in time.
    kieumau_cli("manage", "shell", "-c",
                "import datetime as dt; from django.utils import timezone; "
                "from kieumau.citizens.models import CitizenRequest, RequestEvent; "
                f"r = CitizenRequest.objects.filter(tracking_code='{code}'); "
                "at = timezone.make_aware(dt.datetime(2025, 8, 5, 9)); "
                "r.update(received_at=at, due_on=dt.date(2025, 8, 12)); "
                "RequestEvent.objects.filter(request__in=r).update(at=at)")

    officer = page_as("demo-thaihoa", viewport=PHONE)
    officer.goto(f"/citizens/{UNIT}/requests/?overdue=1")
    officer.click(f"text={code}")
    assert "quá hạn" in officer.inner_text("#status")
    officer.fill("#note", "Đã làm việc với hộ gia đình, cam kết không tái phạm")
    with officer.expect_navigation():
        officer.click("button[name=action][value=resolved]")
    assert "đã xử lý" in officer.inner_text("#status").lower()

    officer.goto(f"/citizens/{UNIT}/?from=2025-08&to=2025-08")
    cells = [c.strip() for c in officer.locator("#requests tbody tr").first.locator("td")
             .all_inner_texts()]
    assert cells[:4] == ["08/2025", "1", "0", "1"]  # received 1, on time 0, late 1

    page.goto(f"/t/{code}/")
    assert "đã xử lý" in page.inner_text("#status").lower()
    assert "cam kết không tái phạm" in page.inner_text("main")
    with page.expect_navigation():
        page.click("button[name=fixed][value=no]")
    assert "đang xử lý" in page.inner_text("#status").lower()
