"""A unit's standing under each set and its history, including that of the units it came from."""

import datetime as dt

import pytest

from kieumau.assessments import demo_standing, standing
from kieumau.assessments.models import Assessment
from tests.assessments.test_evaluation import catalogue, criteria_set  # noqa: F401
from tests.conftest import BEFORE_MERGER, TODAY, client_for, unit

pytestmark = pytest.mark.usefixtures("catalogue")


def duc_xuan_2023(users) -> Assessment:
    """The demo's 2023 round of old phường Đức Xuân, built through the services."""
    from kieumau.indicators.demo import set_demo_values

    ward = demo_standing.old_duc_xuan()
    for year in (2022, 2023):
        set_demo_values(
            unit=ward, month_values=demo_standing.month_values(year), actor=users.thainguyen
        )
    return demo_standing.assess(ward=ward, unit_actor=users.thainguyen, reviewer=users.thainguyen)


def model_ward_standing(standings):
    return next(s for s in standings if s.code == "phuong-kieu-mau")


# --- the demo round ------------------------------------------------------------------------------


def test_duc_xuan_2023_meets_21_of_22_with_the_seed_figures(users):
    assessment = duc_xuan_2023(users)
    assert (assessment.met_count, assessment.total_count) == (21, 22)
    assert assessment.stage == "approved" and assessment.is_locked
    assert assessment.outcome_label == "21/22 tiêu chí — chưa đạt"
    rows = {j.criterion.code: j for j in assessment.judgements.select_related("criterion")}
    assert rows["TC 4"].computed_status == "not_met"
    assert "Trụ sở Công an phường đang bố trí tạm" in rows["TC 4"].explanation
    assert rows["TC 17"].explanation.startswith("Đạt: 12 < 19")


def test_the_demo_round_is_loaded_once(users):
    first = duc_xuan_2023(users)
    assert duc_xuan_2023(users) == first
    assert Assessment.objects.filter(unit=first.unit).count() == 1


def test_demo_loader_runs_with_the_demo_accounts(db, catalogue):  # noqa: F811
    import io

    from kieumau.demo.data import ensure_demo_accounts

    ensure_demo_accounts(today=TODAY)
    out = io.StringIO()
    demo_standing.load_demo(stdout=out)
    demo_standing.load_demo(stdout=out)
    assert "21/22 tiêu chí" in out.getvalue()
    assert Assessment.objects.filter(unit=demo_standing.old_duc_xuan()).count() == 1


# --- standing and history ------------------------------------------------------------------------


def test_todays_duc_xuan_shows_the_old_wards_2023_result_in_its_history(users):
    old = duc_xuan_2023(users)
    today_ward = unit("01840")
    found = model_ward_standing(
        standing.unit_standing(users.thainguyen, unit=today_ward, as_of=TODAY)
    )
    assert [(row.assessment, row.former) for row in found.history] == [(old, True)]


def test_without_its_own_assessment_the_standing_is_a_provisional_live_evaluation(users):
    duc_xuan_2023(users)
    found = model_ward_standing(
        standing.unit_standing(users.thainguyen, unit=unit("01840"), as_of=TODAY)
    )
    current = found.current
    assert current.assessment is None and current.provisional
    assert current.criteria_set.version == "2024"
    assert (current.period_start, current.period_end) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 12, 31),
    )
    assert current.total == 20


def test_the_latest_own_assessment_is_the_standing_with_unmet_criteria_and_distances(users):
    assessment = duc_xuan_2023(users)
    found = model_ward_standing(
        standing.unit_standing(users.thainguyen, unit=assessment.unit, as_of=BEFORE_MERGER)
    )
    assert found.current.assessment == assessment
    assert not found.current.provisional
    assert (found.current.met, found.current.total) == (21, 22)
    assert [row.code for row in found.current.unmet] == ["TC 4"]
    assert found.history[0].former is False


def test_looking_back_before_the_assessment_shows_a_live_evaluation_of_that_year(users):
    assessment = duc_xuan_2023(users)
    found = model_ward_standing(
        standing.unit_standing(users.thainguyen, unit=assessment.unit, as_of=dt.date(2022, 6, 1))
    )
    assert found.current.assessment is None
    assert found.current.period_end == dt.date(2022, 12, 31)
    assert [row.assessment for row in found.history] == [assessment]


def test_history_is_scoped(users):
    duc_xuan_2023(users)
    found = standing.unit_standing(users.ministry, unit=unit("01840"), as_of=TODAY)
    assert model_ward_standing(found).history
    hidden = standing.unit_standing(users.nghean, unit=unit("01840"), as_of=TODAY)
    assert not model_ward_standing(hidden).history


def test_sets_that_apply_to_the_kind_are_listed(users):
    found = standing.unit_standing(users.nghean, unit=unit("16939"), as_of=TODAY)
    codes = [s.code for s in found]
    assert "phuong-kieu-mau" in codes
    assert "tt124-khu-dan-cu" not in codes


# --- pages ---------------------------------------------------------------------------------------


def test_unit_page_loads_the_standing_fragment(users):
    response = client_for(users.thainguyen).get("/units/01840/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'hx-get="/assessments/units/01840/standing/?as_of=' in body
    assert 'href="/assessments/units/01840/standing/?as_of=' in body


def test_fragment_shows_the_history_with_the_old_ward(users):
    duc_xuan_2023(users)
    response = client_for(users.thainguyen).get(
        "/assessments/units/01840/standing/?as_of=2026-11-23", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert "21/22 tiêu chí — chưa đạt" in body
    assert "đơn vị cũ, nay thuộc đơn vị này" in body
    assert "tạm tính" in body


def test_full_page_without_htmx(users):
    response = client_for(users.thainguyen).get("/assessments/units/01840/standing/")
    assert response.status_code == 200
    assert "<html" in response.content.decode()


def test_set_page_shows_every_criterion_with_distances(users):
    duc_xuan_2023(users)
    response = client_for(users.thainguyen).get(
        "/assessments/units/01840/standing/phuong-kieu-mau/?year=2023"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Công an phường Đức Xuân" in body and "21/22 tiêu chí" in body
    assert body.count('class="status-') == 22


def test_set_page_for_an_unknown_set_says_so(users):
    response = client_for(users.thainguyen).get(
        "/assessments/units/01840/standing/khong-co/?year=2023"
    )
    assert response.status_code == 404
    assert "Không có bộ tiêu chí “khong-co”." in response.content.decode()


def test_it_checks_scope(users):
    duc_xuan_2023(users)
    outsider = client_for(users.nghean)
    assert outsider.get("/assessments/units/01840/standing/").status_code == 404
    assert (
        outsider.get("/assessments/units/01840/standing/phuong-kieu-mau/?year=2023").status_code
        == 404
    )
