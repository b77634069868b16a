"""The gap planner: enrolled units not yet qualifying, their unmet criteria and the distance to
each threshold, the most urgent first."""

import datetime as dt

from kieumau.dashboards import gaps
from tests.assessments.conftest import enter_value, judge
from tests.conftest import client_for, unit
from tests.dashboards.conftest import thai_hoa
from tests.programs.conftest import enrol, make_plan, make_program

AS_OF = dt.date(2026, 11, 23)


def other_ward(users):
    from kieumau.dashboards.selectors import dashboard

    card = dashboard(users.nghean, code="40", as_of=AS_OF, set_code="phuong-thu")
    return next(row.code for row in card.communes if row.code != "16939")


def a_plan(users, ward_set):
    program = make_program(users, codes=("phuong-thu",))
    plan = make_plan(users, program, day=dt.date(2026, 1, 15), end=dt.date(2027, 12, 31))
    enrol(users, plan, "16939", 2027)
    enrol(users, plan, other_ward(users), 2026)
    return plan


def test_unmet_criteria_come_with_their_distance(users, ward_set):
    plan = a_plan(users, ward_set)
    judge(thai_hoa(users, ward_set, year=2026), users.thaihoa, tc1="met", tc2="not_met")
    enter_value(users.thaihoa, unit("16939"), "tin_bao_da_xu_ly", dt.date(2026, 2, 1), 0)
    result = gaps.plan_gaps(users.nghean, plan=plan, as_of=AS_OF)
    row = next(r for r in result.units if r.unit.code == "16939")
    assert [(g.code, g.status) for g in row.unmet] == [("TC 2", "not_met"), ("TC 3", "not_met")]
    assert row.unmet[1].distance == "còn thiếu 1 tin"
    assert (row.met, row.total) == (1, 3)


def test_the_unit_due_first_comes_first(users, ward_set):
    plan = a_plan(users, ward_set)
    result = gaps.plan_gaps(users.nghean, plan=plan, as_of=AS_OF)
    assert [r.enrolment.target_year for r in result.units] == [2026, 2027]
    assert result.units[0].assessment is None  # evaluated live: no assessment yet


def test_a_qualifying_unit_is_not_listed(users, ward_set, reports_handled):
    from tests.assessments.conftest import approved

    plan = a_plan(users, ward_set)
    approved(thai_hoa(users, ward_set, year=2026), users)
    result = gaps.plan_gaps(users.nghean, plan=plan, as_of=dt.date(2026, 12, 31))
    assert "16939" not in [r.unit.code for r in result.units]
    assert result.qualifying == 1


def test_gap_page_lists_the_units_and_checks_scope(users, ward_set):
    plan = a_plan(users, ward_set)
    response = client_for(users.nghean).get(f"/dashboards/plans/{plan.pk}/gaps/?as_of=2026-11-23")
    assert response.status_code == 200
    assert response.text.count('class="card gap-unit"') == 2
    assert client_for(users.thainguyen).get(f"/dashboards/plans/{plan.pk}/gaps/").status_code == 404


def test_gap_page_queries_are_bounded(users, ward_set, django_assert_max_num_queries):
    plan = a_plan(users, ward_set)
    thai_hoa(users, ward_set, year=2026)
    client = client_for(users.nghean)
    with django_assert_max_num_queries(40):
        assert client.get(f"/dashboards/plans/{plan.pk}/gaps/").status_code == 200
