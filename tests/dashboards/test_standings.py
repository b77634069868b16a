"""The four standings, pinned case by case: every combination of the flags that decide them, as
the database computes them in the dashboard's query (`standings.case_sql`), on the page's reading
and the API's."""

import itertools

import pytest

from kieumau.assessments.models import Assessment, Recognition
from kieumau.dashboards import selectors
from kieumau.dashboards.standings import Standing
from tests.assessments.conftest import RECOGNITION
from tests.conftest import unit
from tests.dashboards.conftest import ROUND_DAY, thai_hoa

FLAGS = list(itertools.product([False, True], [False, True], [None, False, True]))


def expected(*, recognised: bool, locked: bool, qualifies: bool | None) -> Standing:
    if recognised:
        return Standing.RECOGNISED
    if locked and qualifies is True:
        return Standing.QUALIFIES
    return Standing.IN_PROGRESS


def standings_of_thai_hoa(users, assessment) -> set[Standing]:
    """Its standing on the page's reading (its row), and on the API's (the one standing whose
    count it adds to, every other commune of Nghệ An being not started)."""
    def card(detail):
        return selectors.scorecard(users.nghean, unit=unit("40", ROUND_DAY), as_of=ROUND_DAY,
                                   criteria_set=assessment.criteria_set, detail=detail)
    page, api = card(True), card(False)
    found = {row.standing for row in page.communes if row.pk == assessment.unit_id}
    counted = {Standing(name) for name, n in api.by_standing.items()
               if n and name != Standing.NOT_STARTED}
    assert api.by_standing[Standing.NOT_STARTED] == api.commune_count - 1
    return found | counted


def test_no_assessment_is_not_started(users, ward_set):
    for detail in (True, False):
        card = selectors.scorecard(users.nghean, unit=unit("40", ROUND_DAY), as_of=ROUND_DAY,
                                   criteria_set=ward_set, detail=detail)
        assert card.commune_count > 0
        assert card.by_standing == {"recognised": 0, "qualifies": 0, "in_progress": 0,
                                    "not_started": card.commune_count}


@pytest.mark.parametrize(("recognised", "locked", "qualifies"), FLAGS)
def test_each_combination_of_flags(users, ward_set, recognised, locked, qualifies):
    assessment = thai_hoa(users, ward_set)
    Assessment.objects.filter(pk=assessment.pk).update(is_locked=locked, qualifies=qualifies)
    if recognised:
        Recognition.objects.create(assessment=assessment, **RECOGNITION)
    assert standings_of_thai_hoa(users, assessment) == {
        expected(recognised=recognised, locked=locked, qualifies=qualifies)
    }


def test_the_combinations_reach_every_assessed_standing():
    reached = {expected(recognised=r, locked=lk, qualifies=q) for r, lk, q in FLAGS}
    assert reached == {Standing.RECOGNISED, Standing.QUALIFIES, Standing.IN_PROGRESS}
