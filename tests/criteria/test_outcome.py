"""outcome.py is pure: examples from the sources, then properties checked with hypothesis."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kieumau.criteria.outcome import (
    CriterionResult,
    GradeBand,
    OutcomeRule,
    compute_outcome,
)

ALL = OutcomeRule(kind="all")
BANDS = (
    GradeBand(name="xuất sắc", min_points=Decimal(90)),
    GradeBand(name="khá", min_points=Decimal(70)),
    GradeBand(name="trung bình", min_points=Decimal(50)),
    GradeBand(name="yếu", min_points=Decimal(0), passing=False),
)
POINTS = OutcomeRule(kind="points", grade_bands=BANDS)
PROPERTY = settings(max_examples=300, deadline=None)


def results(**counts: int) -> list[CriterionResult]:
    return [CriterionResult(status=status) for status, n in counts.items() for _ in range(n)]


def scored(*pairs: tuple[str, int]) -> list[CriterionResult]:
    return [CriterionResult(status=s, max_points=Decimal(p)) for s, p in pairs]


def test_duc_xuan_21_of_22_is_not_recognised():
    outcome = compute_outcome(rule=ALL, results=results(met=21, not_met=1))
    assert (outcome.met, outcome.total, outcome.qualifies) == (21, 22, False)
    assert outcome.label == "21/22 tiêu chí — chưa đạt"


def test_all_met_is_recognised():
    outcome = compute_outcome(rule=ALL, results=results(met=20))
    assert outcome.qualifies is True
    assert outcome.label == "20/20 tiêu chí — đạt"


def test_all_with_open_criteria_is_undecided():
    outcome = compute_outcome(rule=ALL, results=results(met=18, no_data=1, manual=1))
    assert outcome.qualifies is None
    assert outcome.open == 2
    assert outcome.label == "18/20 tiêu chí — chưa xác định (2 tiêu chí chưa có kết quả)"


def test_all_fails_as_soon_as_one_is_not_met_even_with_open_ones():
    outcome = compute_outcome(rule=ALL, results=results(met=18, not_met=1, manual=1))
    assert outcome.qualifies is False


def test_28_of_34_against_a_threshold_of_30():
    rule = OutcomeRule(kind="at_least", min_met=30)
    outcome = compute_outcome(rule=rule, results=results(met=28, not_met=6))
    assert outcome.qualifies is False
    assert outcome.label == "28/34 tiêu chí (cần 30) — chưa đạt"
    assert compute_outcome(rule=rule, results=results(met=30, not_met=4)).qualifies is True
    assert (
        compute_outcome(rule=rule, results=results(met=28, manual=2, not_met=4)).qualifies is None
    )


def test_points_grade_with_label():
    outcome = compute_outcome(
        rule=POINTS, results=scored(("met", 40), ("met", 38), ("not_met", 22))
    )
    assert (outcome.grade, outcome.qualifies, outcome.points) == ("khá", True, Decimal(78))
    assert outcome.label == "xếp loại khá (78 điểm)"


def test_points_in_the_bottom_band_are_graded_but_not_recognised():
    outcome = compute_outcome(rule=POINTS, results=scored(("met", 40), ("not_met", 60)))
    assert (outcome.grade, outcome.qualifies) == ("yếu", False)
    assert outcome.label == "xếp loại yếu (40 điểm)"


def test_partial_points_from_a_manual_judgement():
    rule_results = [
        CriterionResult(status="met", max_points=Decimal(10), points=Decimal("7.5")),
        CriterionResult(status="met", max_points=Decimal(90)),
    ]
    outcome = compute_outcome(rule=POINTS, results=rule_results)
    assert outcome.points == Decimal("97.5")
    assert outcome.label == "xếp loại xuất sắc (97,5 điểm)"


def test_open_criteria_leave_the_grade_undecided_when_they_could_change_it():
    outcome = compute_outcome(
        rule=POINTS, results=scored(("met", 75), ("manual", 20), ("not_met", 5))
    )
    assert outcome.grade is None
    assert outcome.qualifies is True  # khá already, and points only grow
    assert outcome.label == "75 điểm, 1 tiêu chí chưa có kết quả, tạm xếp loại khá"


def test_open_criteria_that_cannot_change_the_band_leave_it_decided():
    outcome = compute_outcome(
        rule=POINTS, results=scored(("met", 72), ("no_data", 5), ("not_met", 23))
    )
    assert (outcome.grade, outcome.qualifies) == ("khá", True)


def test_too_few_points_even_if_everything_open_is_met():
    outcome = compute_outcome(
        rule=POINTS, results=scored(("met", 20), ("no_data", 20), ("not_met", 60))
    )
    assert (outcome.grade, outcome.qualifies) == ("yếu", False)


def test_outcome_rule_reads_a_criteria_set():
    class FakeSet:
        outcome_rule = "points"
        min_met = None
        grade_bands = [
            {"name": "khá", "min_points": 70},
            {"name": "yếu", "min_points": 0, "passing": False},
        ]

    rule = OutcomeRule.of(FakeSet())
    assert rule.grade_bands[1] == GradeBand(name="yếu", min_points=Decimal(0), passing=False)


def test_unknown_status_is_refused():
    with pytest.raises(ValueError):
        compute_outcome(rule=ALL, results=[CriterionResult(status="maybe")])


# --- properties -----------------------------------------------------------------------------------

statuses = st.sampled_from(["met", "not_met", "no_data", "manual"])
points = st.integers(min_value=0, max_value=40).map(Decimal)
criterion_results = st.lists(
    st.builds(CriterionResult, status=statuses, max_points=points), max_size=30
)
bands = st.lists(st.integers(min_value=0, max_value=300), min_size=1, max_size=5, unique=True).map(
    lambda thresholds: tuple(
        GradeBand(name=f"mức {t}", min_points=Decimal(t), passing=i > 0 or len(thresholds) == 1)
        for i, t in enumerate(sorted(thresholds))
    )
)
rules = st.one_of(
    st.just(ALL),
    st.integers(min_value=0, max_value=30).map(lambda n: OutcomeRule(kind="at_least", min_met=n)),
    bands.map(lambda b: OutcomeRule(kind="points", grade_bands=b)),
)


def settle(items: list[CriterionResult], decisions: list[bool]) -> list[CriterionResult]:
    """Every open criterion decided: met or not, in the order given."""
    settled, choices = [], iter(decisions)
    for r in items:
        if r.status in ("no_data", "manual"):
            r = CriterionResult(
                status="met" if next(choices, False) else "not_met", max_points=r.max_points
            )
        settled.append(r)
    return settled


@PROPERTY
@given(rule=rules, items=criterion_results)
def test_counts_add_up(rule, items):
    outcome = compute_outcome(rule=rule, results=items)
    assert outcome.total == len(items)
    assert outcome.met == sum(1 for r in items if r.status == "met")
    assert outcome.open == sum(1 for r in items if r.status in ("no_data", "manual"))


@PROPERTY
@given(rule=rules, items=criterion_results)
def test_without_open_criteria_the_outcome_is_decided(rule, items):
    decided = [r for r in items if r.status in ("met", "not_met")]
    assert compute_outcome(rule=rule, results=decided).qualifies is not None


@PROPERTY
@given(rule=rules, items=criterion_results, decisions=st.lists(st.booleans(), max_size=30))
def test_a_decided_outcome_survives_settling_the_open_criteria(rule, items, decisions):
    before = compute_outcome(rule=rule, results=items)
    after = compute_outcome(rule=rule, results=settle(items, decisions))
    if before.qualifies is not None:
        assert after.qualifies == before.qualifies
    if before.grade is not None:
        assert after.grade == before.grade


@PROPERTY
@given(rule=rules, items=criterion_results)
def test_an_undecided_outcome_can_still_go_either_way(rule, items):
    outcome = compute_outcome(rule=rule, results=items)
    if outcome.qualifies is None:
        best = compute_outcome(rule=rule, results=settle(items, [True] * len(items)))
        worst = compute_outcome(rule=rule, results=settle(items, [False] * len(items)))
        assert (best.qualifies, worst.qualifies) == (True, False)


@PROPERTY
@given(items=criterion_results)
def test_all_qualifies_exactly_when_every_criterion_is_met(items):
    outcome = compute_outcome(rule=ALL, results=items)
    assert (outcome.qualifies is True) == all(r.status == "met" for r in items)
    assert outcome.label.startswith(f"{outcome.met}/{outcome.total} tiêu chí — ")


@PROPERTY
@given(rule=bands.map(lambda b: OutcomeRule(kind="points", grade_bands=b)), items=criterion_results)
def test_more_points_never_lower_the_grade(rule, items):
    decided = [r for r in items if r.status in ("met", "not_met")]
    low = compute_outcome(rule=rule, results=decided)
    high = compute_outcome(
        rule=rule, results=[*decided, CriterionResult(status="met", points=Decimal(5))]
    )
    order = [b.name for b in sorted(rule.grade_bands, key=lambda b: b.min_points)]
    rank = {name: i for i, name in enumerate(order)}
    assert rank.get(high.grade, -1) >= rank.get(low.grade, -1)
    assert not (low.qualifies and not high.qualifies)
