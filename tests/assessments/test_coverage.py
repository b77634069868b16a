"""How much of the period is behind a result: "1/12 tháng có số liệu", provisional until the
period is over, and an approval before the period ends warns and names the months still open.

The day looked at is fixed (02/12/2026, as the new user who tripped on it) by patching
`coverage.today`, so these tests do not depend on the machine's date.
"""

import datetime as dt
from decimal import Decimal

import pytest

from kieumau.assessments.coverage import approval_warning, coverage_for
from kieumau.core.models import AuditEvent
from tests.assessments.conftest import open_assessment, submitted
from tests.conftest import client_for, unit

DAY = dt.date(2026, 12, 2)
YEAR_2026 = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def enter(actor, target, month: dt.date, **values) -> None:
    from kieumau.indicators.models import Indicator
    from kieumau.indicators.services import ValueInput, set_values

    indicators = Indicator.objects.in_bulk(list(values), field_name="code")
    rows = [ValueInput(target, indicators[c], month, Decimal(v)) for c, v in values.items()]
    set_values(actor=actor, rows=rows, source="form")


@pytest.fixture
def on_day(monkeypatch):
    monkeypatch.setattr("kieumau.assessments.coverage.today", lambda: DAY)


@pytest.fixture
def year_2026(users, ward_set, on_day):
    """Phường Thái Hòa's calendar-year 2026 assessment with January's figures only."""
    ward = unit("16939")
    enter(users.thaihoa, ward, dt.date(2026, 1, 1), tin_bao_da_xu_ly=4)
    return open_assessment(users, ward_set, code="16939", year=2026)


def test_one_month_of_twelve_is_said_and_december_is_open(users, ward_set):
    ward = unit("16939")
    enter(users.thaihoa, ward, dt.date(2026, 1, 1), tin_bao_da_xu_ly=4)
    coverage = coverage_for(unit_ids=[ward.pk], start=YEAR_2026[0], end=YEAR_2026[1], on=DAY)
    assert (coverage.filled, coverage.total) == (1, 12)
    assert coverage.label == "1/12 tháng có số liệu"
    assert coverage.open == (dt.date(2026, 12, 1),)
    assert coverage.open_label == "12/2026"
    assert len(coverage.without_data) == 11 and not coverage.complete


def test_a_cleared_value_is_no_data(users, ward_set):
    ward = unit("16939")
    enter(users.thaihoa, ward, dt.date(2026, 3, 1), tin_bao_da_xu_ly=4)
    from kieumau.indicators.models import Indicator
    from kieumau.indicators.services import ValueInput, set_values

    indicator = Indicator.objects.get(code="tin_bao_da_xu_ly")
    set_values(
        actor=users.thaihoa,
        rows=[ValueInput(ward, indicator, dt.date(2026, 3, 1), None)],
        source="form",
    )
    coverage = coverage_for(unit_ids=[ward.pk], start=YEAR_2026[0], end=YEAR_2026[1], on=DAY)
    assert coverage.filled == 0


@pytest.mark.parametrize(
    ("on", "open_months"),
    [
        (dt.date(2026, 12, 31), "12/2026"),  # the last day: December is not over yet
        (dt.date(2027, 1, 1), ""),  # the day after: nothing is open
        (dt.date(2026, 11, 30), "11/2026, 12/2026"),
    ],
)
def test_a_month_is_open_until_its_last_day_has_passed(db, on, open_months):
    coverage = coverage_for(unit_ids=[], start=YEAR_2026[0], end=YEAR_2026[1], on=on)
    assert coverage.open_label == open_months
    assert (approval_warning(coverage) is None) == (open_months == "")


def test_a_mid_month_round_counts_the_months_whose_first_day_it_holds(db):
    coverage = coverage_for(
        unit_ids=[], start=dt.date(2025, 11, 16), end=dt.date(2026, 11, 15), on=DAY
    )
    assert coverage.months[0] == dt.date(2025, 12, 1) and coverage.total == 12
    assert coverage.open == () and coverage.label == "0/12 tháng có số liệu"


def test_the_assessment_page_says_how_many_months_have_data(year_2026, users):
    page = client_for(users.thaihoa).get(f"/assessments/{year_2026.pk}/").text
    assert "1/12 tháng có số liệu" in page
    assert "tạm tính" in page and "còn mở: 12/2026" in page


def test_approving_before_the_period_ends_warns_and_names_the_open_months(year_2026, users):
    submitted(year_2026, users)
    client = client_for(users.nghean)
    before = client.get(f"/assessments/{year_2026.pk}/").text
    assert 'id="open-months-approve"' in before
    assert "các tháng 12/2026 còn mở (1/12 tháng có số liệu)" in before
    asked = client.post(f"/assessments/{year_2026.pk}/step/",
                        {"action": "approve", "revision": year_2026.revision, "comment": ""})
    assert "các tháng 12/2026 còn mở" in asked.text  # the confirmation names them too
    response = client.post(
        f"/assessments/{year_2026.pk}/step/",
        {"action": "approve", "revision": year_2026.revision, "comment": "", "confirmed": "1"},
        follow=True,
    )
    year_2026.refresh_from_db()
    assert year_2026.stage == "approved"
    shown = [(m.level_tag, str(m)) for m in response.context["messages"]]
    assert shown[1][0] == "warning"
    assert "các tháng 12/2026 còn mở" in shown[1][1]
    assert "tạm tính" in response.text  # approved, but the period is not over
    event = AuditEvent.objects.filter(action="assessment.approve").latest("pk")
    assert event.detail["open_months"] == ["2026-12"]
    assert event.detail["months_with_data"] == "1/12"


def test_approving_after_the_period_ends_gives_no_warning(users, ward_set, monkeypatch):
    monkeypatch.setattr("kieumau.assessments.coverage.today", lambda: dt.date(2026, 1, 1))
    assessment = open_assessment(users, ward_set, code="16939", year=2025)
    submitted(assessment, users)
    response = client_for(users.nghean).post(
        f"/assessments/{assessment.pk}/step/",
        {"action": "approve", "revision": assessment.revision, "confirmed": "1"},
        follow=True,
    )
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    assert "còn mở" not in response.text
    event = AuditEvent.objects.filter(action="assessment.approve").latest("pk")
    assert "open_months" not in event.detail


def test_the_api_gives_the_months_with_data_and_those_still_open(year_2026, users):
    from tests.conftest import api_client_for

    body = api_client_for(users.thaihoa).get(f"/api/assessments/{year_2026.pk}").json()
    assert (body["months_with_data"], body["months_total"]) == (1, 12)
    assert body["open_months"] == ["2026-12"]
    assert body["provisional"] is True
