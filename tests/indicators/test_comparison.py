"""The Poisson comparison of counts: pure, no database.

Exact cases pin each figure; the properties use oracles that do not repeat the formula: for
perfect squares k² against m² the z-score is exactly 2(k − m), so the |z| ≥ 2 boundary is hit
exactly rather than approached.
"""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kieumau.indicators.comparison import compare_counts

counts = st.integers(min_value=0, max_value=10**6)
roots = st.integers(min_value=0, max_value=1000)


def test_two_to_one_is_minus_fifty_percent_but_not_notable():
    result = compare_counts(current=1, previous=2)
    assert result.change == -1
    assert result.percent == Decimal("-50.0")
    assert not result.notable
    assert round(float(result.z), 2) == -0.83
    assert result.direction == "down"


def test_two_hundred_to_one_fifty_is_notable():
    result = compare_counts(current=150, previous=200)
    assert (result.change, result.percent) == (-50, Decimal("-25.0"))
    assert result.notable
    assert round(float(result.z), 2) == -3.79


@pytest.mark.parametrize(
    ("current", "previous", "z"),
    [(4, 1, 2), (1, 4, -2), (16, 9, 2), (9, 16, -2), (1_000_000, 998_001, 2), (1, 0, 2)],
)
def test_a_z_of_exactly_two_is_notable(current, previous, z):
    result = compare_counts(current=current, previous=previous)
    assert result.z == z
    assert result.notable


@pytest.mark.parametrize(
    ("current", "previous"),
    [(Decimal("3.99"), 1), (1, Decimal("3.99")), (15, 9), (9, 15), (1_000_000, 998_002)],
)
def test_a_z_just_under_two_is_not_notable(current, previous):
    result = compare_counts(current=current, previous=previous)
    assert Decimal("1.7") < abs(result.z) < 2
    assert not result.notable


@pytest.mark.parametrize(
    ("current", "previous", "percent"),
    [(3, 2, "50.0"), (1, 3, "-66.7"), (2, 3, "-33.3"), (0, 7, "-100.0"), (10, 10, "0.0")],
)
def test_percentage_is_rounded_to_one_decimal(current, previous, percent):
    assert compare_counts(current=current, previous=previous).percent == Decimal(percent)


def test_percentage_is_none_when_previous_is_zero():
    result = compare_counts(current=3, previous=0)
    assert result.percent is None
    assert (result.change, result.direction) == (3, "up")


@pytest.mark.parametrize(
    ("current", "previous"), [(-1, 2), (2, -1), (Decimal("Infinity"), 1), (1, Decimal("Infinity"))]
)
def test_negative_and_infinite_counts_are_refused(current, previous):
    with pytest.raises(ValueError):
        compare_counts(current=current, previous=previous)


@given(roots, roots)
def test_perfect_squares_move_z_by_two_per_root(k, m):
    result = compare_counts(current=k * k, previous=m * m)
    assert result.z == 2 * (k - m)
    assert result.notable == (k != m)
    assert result.change == k * k - m * m


@given(counts, counts)
def test_z_is_antisymmetric(a, b):
    assert compare_counts(current=a, previous=b).z == -compare_counts(current=b, previous=a).z


@given(counts)
def test_no_change_is_never_notable(a):
    result = compare_counts(current=a, previous=a)
    assert (result.z, result.change, result.notable, result.direction) == (0, 0, False, "same")


@given(counts, st.integers(min_value=1, max_value=1000))
def test_z_grows_strictly_with_current(previous, step):
    low = compare_counts(current=previous, previous=previous).z
    high = compare_counts(current=previous + step, previous=previous).z
    assert low < high


@given(st.integers(min_value=1, max_value=10**6))
def test_a_change_of_one_case_is_never_notable(a):
    # 1 → 2 is "+100 %", and still noise; only 0 ↔ 1 (|z| = 2) is, so a starts at 1.
    assert not compare_counts(current=a + 1, previous=a).notable
    assert not compare_counts(current=a, previous=a + 1).notable
