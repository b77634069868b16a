"""The dashboard's figures: communes by standing in a round, criteria unmet, units that lost one."""

import datetime as dt

import pytest

from kieumau.assessments.models import Assessment
from kieumau.assessments.standing import UnknownSet
from kieumau.dashboards import selectors
from tests.assessments.conftest import RECOGNITION, approved, judge, step
from tests.conftest import unit
from tests.dashboards.conftest import ROUND_DAY, thai_hoa, thai_hoa_lost_a_criterion


def card_of(user, code="40", as_of=ROUND_DAY, set_code="phuong-thu"):
    return selectors.dashboard(user, code=code, as_of=as_of, set_code=set_code)


def row_of(card, code="16939"):
    return next(row for row in card.communes if row.code == code)


def test_the_four_standings_partition_the_communes(users, ward_set):
    thai_hoa(users, ward_set)
    card = card_of(users.nghean)
    assert sum(card.by_standing.values()) == len(card.communes) == card.commune_count
    assert list(card.by_standing) == ["recognised", "qualifies", "in_progress", "not_started"]


def test_only_communes_of_the_kinds_the_set_applies_to(users, ward_set):
    card = card_of(users.nghean)
    assert card.communes and {row.kind for row in card.communes} == {"phuong"}


def test_a_ward_without_an_assessment_has_not_started(users, ward_set):
    assert row_of(card_of(users.nghean)).standing == "not_started"


def test_an_open_assessment_is_in_progress(users, ward_set):
    thai_hoa(users, ward_set)
    assert row_of(card_of(users.nghean)).standing == "in_progress"


def test_an_assessment_of_another_round_does_not_count(users, ward_set):
    thai_hoa(users, ward_set, year=2025)
    later = card_of(users.nghean, as_of=dt.date(2026, 6, 30))
    assert row_of(later).standing == "not_started"


def test_approval_shows_at_once(users, ward_set, reports_handled):
    assessment = thai_hoa(users, ward_set)
    before = card_of(users.nghean).by_standing["qualifies"]
    approved(assessment, users)
    after = card_of(users.nghean)
    assert after.by_standing["qualifies"] == before + 1
    assert row_of(after).standing == "qualifies"
    assert row_of(after).progress == "3/3"


def test_approved_without_meeting_every_criterion_stays_in_progress(users, ward_set):
    approved(thai_hoa(users, ward_set), users)  # no crime-report figures: TC 3 has no data
    assert row_of(card_of(users.nghean)).standing == "in_progress"


def test_recognition_makes_it_recognised(users, ward_set, reports_handled):
    assessment = approved(thai_hoa(users, ward_set), users)
    step(assessment, users.ministry, "recognise", **RECOGNITION)
    assert row_of(card_of(users.nghean)).standing == "recognised"


def test_criteria_most_often_unmet_count_communes(users, ward_set):
    assessment = thai_hoa(users, ward_set)
    judge(assessment, users.thaihoa, tc1="met", tc2="not_met")
    card = card_of(users.nghean)
    assert card.criteria[0].code == "TC 2" and card.criteria[0].unmet == 1
    assert {row.code: row.unmet for row in card.criteria} == {"TC 1": 0, "TC 2": 1, "TC 3": 0}


def test_a_commune_with_two_assessments_in_a_round_stands_by_the_later(users, ward_set):
    """A revision that moved the period can leave two assessments of one round: the commune is
    counted once, and by the later one (its standing and its unmet criteria), on the page's
    reading (a row per commune) and the API's (counts only)."""
    earlier = thai_hoa(users, ward_set)
    judge(earlier, users.thaihoa, tc1="met", tc2="not_met")
    later = Assessment.objects.get(pk=earlier.pk)
    later.pk = None
    later.period_start += dt.timedelta(days=1)
    later.is_locked, later.qualifies = True, True
    later.save()
    alone = selectors.scorecard(users.nghean, unit=unit("40", ROUND_DAY), as_of=ROUND_DAY,
                                criteria_set=earlier.criteria_set)
    ours = [row for row in alone.communes if row.pk == earlier.unit_id]
    assert [(row.assessment_id, row.standing) for row in ours] == [(later.pk, "qualifies")]
    for detail in (True, False):
        card = selectors.scorecard(users.nghean, unit=unit("40", ROUND_DAY), as_of=ROUND_DAY,
                                   criteria_set=earlier.criteria_set, detail=detail)
        assert card.by_standing["qualifies"] == 1
        assert card.by_standing["in_progress"] == 0
        assert card.commune_count == len(alone.communes)
        assert {row.code: row.unmet for row in card.criteria}["TC 2"] == 0


def test_a_ward_that_met_every_criterion_and_then_missed_one_has_lost_it(
    users, ward_set, reports_handled
):
    thai_hoa_lost_a_criterion(users, ward_set)
    card = card_of(users.nghean, as_of=dt.date(2026, 12, 31))
    lost = selectors.lost_criteria(users.nghean, card=card)
    assert [(item.unit.code, item.lost_year, item.unmet_codes) for item in lost] == [
        ("16939", 2026, ("TC 2",))
    ]


def test_the_lost_criteria_table_lists_what_the_dashboard_lists(
    users, ward_set, reports_handled, tmp_path
):
    import openpyxl

    from kieumau.reports import sheets
    from kieumau.reports.tables import write_xlsx

    thai_hoa_lost_a_criterion(users, ward_set)
    day = dt.date(2026, 12, 31)
    (lost,) = selectors.lost_criteria(users.nghean, card=card_of(users.nghean, as_of=day))
    params = sheets.Params(dt.date(2026, 1, 1), day, set_code="phuong-thu")
    write_xlsx(sheets.lost_criteria(users.nghean, unit("40", day), params), tmp_path / "l.xlsx")
    (row,) = list(openpyxl.load_workbook(tmp_path / "l.xlsx").active.iter_rows(min_row=2))
    assert [cell.value for cell in row] == [
        "16939", lost.unit.police_name, "phuong-thu", 2025, 2026, lost.met, lost.total, "TC 2"]
    assert row[3].number_format == row[4].number_format == "0"  # 2025, not 2,025
    other = sheets.lost_criteria(users.thainguyen, unit("19", day), params)
    assert list(other.rows) == []


def test_a_ward_never_met_loses_nothing(users, ward_set):
    approved(thai_hoa(users, ward_set, year=2026), users)  # TC 3 without data: never qualified
    card = card_of(users.nghean, as_of=dt.date(2026, 12, 31))
    assert selectors.lost_criteria(users.nghean, card=card) == []


def test_children_rows_add_up_to_the_province(users, ward_set):
    thai_hoa(users, ward_set)
    card = card_of(users.nghean)
    children = selectors.children_rows(users.nghean, card=card)
    assert sum(child.total for child in children) == len(card.communes)
    assert any(child.unit.code == "16939" for child in children)


def test_national_children_are_provinces(users, ward_set):
    card = card_of(users.ministry, code="BCA")
    children = selectors.children_rows(users.ministry, card=card)
    assert {child.unit.level for child in children} == {"province"}
    assert sum(child.total for child in children) == len(card.communes)


def test_a_commune_officer_sees_only_their_own_ward(users, ward_set):
    card = card_of(users.thaihoa, code="16939")
    assert [row.code for row in card.communes] == ["16939"]


def test_a_unit_out_of_scope_is_not_found(users, ward_set):
    from kieumau.accounts.scope import NotVisible

    with pytest.raises(NotVisible):
        card_of(users.thainguyen, code="16939")


def test_an_unknown_set_is_not_found(users, ward_set):
    with pytest.raises(UnknownSet):
        card_of(users.nghean, set_code="khong-co")


def test_the_set_most_assessed_is_the_default(users, ward_set):
    thai_hoa(users, ward_set)
    assert card_of(users.nghean, set_code=None).criteria_set.code == "phuong-thu"


def test_scorecard_queries_do_not_grow_with_communes(users, ward_set, django_assert_max_num_queries):
    thai_hoa(users, ward_set)
    criteria_set = selectors.version_for(set_code="phuong-thu", year=2025)
    for code in ("40", "BCA"):
        with django_assert_max_num_queries(6):
            card = selectors.scorecard(users.ministry, unit=unit(code, ROUND_DAY), as_of=ROUND_DAY,
                                       criteria_set=criteria_set)
        assert card.communes


def test_a_provinces_own_set_counts_the_communes_within_it_or_its_successor(users, ward_set):
    """A set owned by a province applies within it; one owned by a province the 2025 reform
    merged (old Bắc Kạn, 06) applies within the province it went to (Thái Nguyên, 19)."""
    from tests.conftest import BEFORE_MERGER

    def provinces_counted(owner):
        ward_set.owner = owner
        ward_set.save(update_fields=["owner"])
        card = card_of(users.ministry, code="BCA")
        return {row.path.split("/")[2] for row in card.communes}, card.commune_count

    national, everywhere = provinces_counted(None)
    assert {str(unit("40").pk), str(unit("19").pk)} <= national
    assert provinces_counted(unit("40")) == ({str(unit("40").pk)}, card_of(users.nghean).commune_count)
    assert provinces_counted(unit("06", BEFORE_MERGER))[0] == {str(unit("19").pk)}
    assert provinces_counted(unit("19"))[1] < everywhere


@pytest.mark.parametrize("who, code, owner", [
    ("ministry", "BCA", None), ("ministry", "BCA", "40"), ("nghean", "40", None),
    ("thainguyen", "19", None), ("thaihoa", "16939", None), ("nghean", "16939", "40"),
    ("nghean", "40", "19"),
])
def test_the_scorecards_communes_are_those_of_the_scoped_placements(users, ward_set, who, code,
                                                                     owner):
    """The scorecard's hand-written query and the ORM's `_commune_placements` (which picks the
    default set) are two spellings of one rule: the same communes, each once."""
    thai_hoa(users, ward_set)  # an assessment in the round, opened while the set is national
    if owner:
        ward_set.owner = unit(owner)
        ward_set.save(update_fields=["owner"])
    user, found = getattr(users, who), unit(code)
    placed = selectors._commune_placements(user, unit=found, as_of=ROUND_DAY,
                                           criteria_set=ward_set)
    card = selectors.scorecard(user, unit=found, as_of=ROUND_DAY, criteria_set=ward_set)
    counted = [row.pk for row in card.communes]
    assert sorted(counted) == sorted(placed.values_list("unit_id", flat=True))
    assert len(counted) == len(set(counted)) == card.commune_count
    assert bool(counted) == (owner != "19")  # Thái Nguyên's own set has no commune in Nghệ An
