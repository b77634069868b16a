"""The four standings, pinned case by case (no database)."""

from kieumau.dashboards.standings import Standing, standing_of


def test_no_assessment_is_not_started():
    assert standing_of(assessed=False) == Standing.NOT_STARTED


def test_an_open_assessment_is_in_progress():
    assert standing_of(assessed=True, locked=False, qualifies=True) == Standing.IN_PROGRESS


def test_approved_and_qualifying_qualifies():
    assert standing_of(assessed=True, locked=True, qualifies=True) == Standing.QUALIFIES


def test_approved_but_not_qualifying_is_in_progress():
    assert standing_of(assessed=True, locked=True, qualifies=False) == Standing.IN_PROGRESS
    assert standing_of(assessed=True, locked=True, qualifies=None) == Standing.IN_PROGRESS


def test_a_recognition_decision_makes_it_recognised():
    assert standing_of(assessed=True, recognised=True, locked=True, qualifies=True) == (
        Standing.RECOGNISED
    )

