"""The four standings, pinned case by case: every combination of the flags that decide them, as
the database computes them in the dashboard's query (`standings.in_sql`), on the page's reading
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
    found = set()
    for detail in (True, False):
        card = selectors.scorecard(users.nghean, unit=unit("40", ROUND_DAY), as_of=ROUND_DAY,
                                   criteria_set=assessment.criteria_set, detail=detail)
        found |= {row.standing for row in card.communes if row.pk == assessment.unit_id}
    return found


def test_no_assessment_is_not_started(users, ward_set):
    card = selectors.scorecard(users.nghean, unit=unit("40", ROUND_DAY), as_of=ROUND_DAY,
                               criteria_set=ward_set, detail=False)
    assert {row.standing for row in card.communes} == {Standing.NOT_STARTED}


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
