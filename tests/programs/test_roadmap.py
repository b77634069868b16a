"""The roadmap (target against actual per year) and the "duy trì bền vững" flag."""

import datetime as dt

import pytest

from kieumau.programs import selectors
from kieumau.programs.services import set_target
from tests.programs.conftest import official_result

AS_OF = dt.date(2026, 11, 23)


def by_year(rows):
    return {r.year: r for r in rows}


def test_actual_counts_enrolled_units_whose_official_result_qualifies(users, manual_set, plan):
    set_target(actor=users.nghean, plan=plan, year=2023, kind="count", value=2)
    official_result(users, manual_set, code="16939", year=2023, met=True)
    official_result(users, manual_set, code="16993", year=2023, met=False)
    rows = by_year(selectors.roadmap(users.nghean, plan=plan, as_of=AS_OF))
    assert (rows[2023].target, rows[2023].actual, rows[2023].reached) == (2, 1, False)


def test_a_unit_that_qualified_and_lost_a_criterion_is_flagged_and_no_longer_counts(
        users, manual_set, plan):
    official_result(users, manual_set, code="16939", year=2023, met=True)
    official_result(users, manual_set, code="16939", year=2024, met=False)
    rows = by_year(selectors.roadmap(users.nghean, plan=plan, as_of=AS_OF))
    assert (rows[2023].actual, rows[2024].actual) == (1, 0)
    progress = {p.unit.code: p for p in selectors.unit_progress(users.nghean, plan=plan,
                                                                 as_of=AS_OF)}
    assert progress["16939"].lost_year == 2024 and progress["16939"].first_qualified == 2023
    assert not progress["16993"].lost
    lost = selectors.lost_criteria(users.nghean, plan=plan, as_of=AS_OF)
    assert [(item.unit.code, item.qualified_year, item.lost_year, item.unmet_codes)
            for item in lost] == [("16939", 2023, 2024, ("TC 2",))]


def test_a_unit_that_keeps_qualifying_is_not_flagged(users, manual_set, plan):
    official_result(users, manual_set, code="16939", year=2023, met=True)
    official_result(users, manual_set, code="16939", year=2024, met=True)
    assert selectors.lost_criteria(users.nghean, plan=plan, as_of=AS_OF) == []
    assert by_year(selectors.roadmap(users.nghean, plan=plan, as_of=AS_OF))[2024].actual == 1


def test_lost_criteria_under_todays_ward_shows_its_old_wards(users, manual_set, plan):
    from tests.conftest import unit

    official_result(users, manual_set, code="16939", year=2023, met=True)
    official_result(users, manual_set, code="16939", year=2024, met=False)
    lost = selectors.lost_criteria(users.thaihoa, unit=unit("16939"), as_of=AS_OF)
    assert [item.unit.name for item in lost] == ["Phường Hoà Hiếu"]


def test_a_round_ending_after_as_of_does_not_count_yet(users, manual_set, plan):
    official_result(users, manual_set, code="16939", year=2023, met=True)
    rows = by_year(selectors.roadmap(users.nghean, plan=plan, as_of=dt.date(2023, 12, 30)))
    assert rows[2023].actual == 0
    rows = by_year(selectors.roadmap(users.nghean, plan=plan, as_of=dt.date(2023, 12, 31)))
    assert rows[2023].actual == 1


def test_years_not_begun_have_no_actual(users, plan):
    rows = by_year(selectors.roadmap(users.nghean, plan=plan, as_of=dt.date(2024, 6, 1)))
    assert rows[2024].actual == 0 and rows[2025].actual is None


def test_percent_target_is_resolved_against_enrolled_units(users, plan):
    set_target(actor=users.nghean, plan=plan, year=2025, kind="percent", value=100)
    set_target(actor=users.nghean, plan=plan, year=2024, kind="percent", value=51)
    rows = by_year(selectors.roadmap(users.nghean, plan=plan, as_of=AS_OF))
    assert (rows[2025].target, rows[2025].target_label) == (4, "100%")
    assert rows[2024].target == 3  # 51% of 4 is 2.04: rounds up


def test_roadmap_lists_each_year_and_the_units_due(users, plan):
    rows = selectors.roadmap(users.nghean, plan=plan, as_of=AS_OF)
    assert [r.year for r in rows] == [2023, 2024, 2025]
    assert [r.enrolled_due for r in rows] == [2, 2, 0]


def test_results_under_other_sets_do_not_count_when_the_program_names_its_sets(
        users, manual_set, plan):
    from kieumau.criteria.services import create_set
    from kieumau.criteria.spec import CriterionSpec, SetSpec
    from kieumau.programs.services import update_program

    create_set(actor=users.ministry, status="published", spec=SetSpec(
        code="phuong-khac", year=2022, title="Bộ khác", applies_to_kinds=("phuong",),
        criteria=(CriterionSpec(code="TC 1", title="Một tiêu chí"),)))
    official_result(users, manual_set, code="16939", year=2023, met=True)
    update_program(actor=users.nghean, program=plan.program, name=plan.program.name,
                   set_codes=["phuong-khac"])
    plan.program.refresh_from_db()
    assert by_year(selectors.roadmap(users.nghean, plan=plan, as_of=AS_OF))[2023].actual == 0


def test_roadmap_takes_a_fixed_number_of_queries(users, manual_set, plan,
                                                  django_assert_max_num_queries):
    official_result(users, manual_set, code="16939", year=2023, met=True)
    official_result(users, manual_set, code="16993", year=2023, met=True)
    with django_assert_max_num_queries(5):
        selectors.roadmap(users.nghean, plan=plan, as_of=AS_OF)


def test_plan_page_flag_and_lost_criteria_agree(users, manual_set, plan):
    from tests.conftest import client_for

    official_result(users, manual_set, code="16939", year=2023, met=True)
    official_result(users, manual_set, code="16939", year=2024, met=False)
    flagged = {p.unit.pk for p in selectors.unit_progress(users.nghean, plan=plan, as_of=AS_OF)
               if p.lost}
    listed = {item.unit.pk for item in selectors.lost_criteria(users.nghean, plan=plan,
                                                                as_of=AS_OF)}
    assert flagged == listed and len(listed) == 1
    page = client_for(users.nghean).get(f"/programs/plans/{plan.pk}/?as_of={AS_OF}")
    assert "đạt năm 2023, năm 2024 không còn đạt đủ tiêu chí (TC 2)" in page.text


@pytest.mark.parametrize("results, flagged", [
    ((True, False, True, False), [(2021, 2022)]),  # flagged once, for the first loss
    ((False, True), []),
    ((False, True, False), [(2022, 2023)]),  # a round missed before it first qualified is no loss
    ((False, False), []),
    ((True, True, False), [(2021, 2023)]),  # qualified since its first qualifying round
])
def test_the_first_round_missed_after_the_first_qualifying_one_is_the_loss(
        users, manual_set, plan, results, flagged):
    for year, met in enumerate(results, start=2021):  # the old ward 16939, before the reform
        official_result(users, manual_set, code="16939", year=year, met=met)
    lost = selectors.lost_criteria(users.nghean, plan=plan, as_of=AS_OF)
    assert [(item.qualified_year, item.lost_year) for item in lost] == flagged


def test_a_loss_counts_from_the_day_its_round_ends(users, manual_set, plan):
    official_result(users, manual_set, code="16939", year=2021, met=True)
    official_result(users, manual_set, code="16939", year=2022, met=False)
    assert selectors.lost_criteria(users.nghean, plan=plan, as_of=dt.date(2022, 12, 30)) == []
    (lost,) = selectors.lost_criteria(users.nghean, plan=plan, as_of=dt.date(2022, 12, 31))
    assert (lost.qualified_year, lost.lost_year) == (2021, 2022)
