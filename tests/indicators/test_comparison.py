"""The Poisson comparison of counts: pure, no database."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kieumau.indicators.comparison import compare_counts

counts = st.integers(min_value=0, max_value=10**6)


def test_two_to_one_is_minus_fifty_percent_but_not_notable():
    result = compare_counts(current=1, previous=2)
    assert result.change == -1
    assert result.percent == Decimal("-50.0")
    assert not result.notable
    assert round(float(result.z), 2) == -0.83


def test_two_hundred_to_one_fifty_is_notable():
    result = compare_counts(current=150, previous=200)
    assert result.percent == Decimal("-25.0")
    assert result.notable
    assert result.z < -2


def test_percentage_is_none_when_previous_is_zero():
    result = compare_counts(current=3, previous=0)
    assert result.percent is None
    assert result.change == 3


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        compare_counts(current=-1, previous=2)


@given(counts, counts)
def test_z_is_antisymmetric(a, b):
    assert compare_counts(current=a, previous=b).z == -compare_counts(current=b, previous=a).z


@given(counts)
def test_z_is_zero_when_equal(a):
    result = compare_counts(current=a, previous=a)
    assert result.z == 0 and result.change == 0 and not result.notable


@given(counts, counts, counts)
def test_z_grows_with_current(previous, a, b):
    low, high = sorted((a, b))
    assert (
        compare_counts(current=low, previous=previous).z
        <= compare_counts(current=high, previous=previous).z
    )
    if low < high:
        assert (
            compare_counts(current=low, previous=previous).z
            < compare_counts(current=high, previous=previous).z
        )


@given(counts, counts)
def test_notable_means_z_at_least_two(a, b):
    result = compare_counts(current=a, previous=b)
    assert result.notable == (abs(result.z) >= 2)


@given(counts, counts)
def test_change_and_percent_agree(a, b):
    result = compare_counts(current=a, previous=b)
    assert result.change == a - b
    if b:
        assert abs(result.percent - Decimal(a - b) * 100 / b) <= Decimal("0.05")


@given(st.integers(min_value=1, max_value=50), st.integers(min_value=1, max_value=50))
def test_a_change_of_one_case_is_never_notable(a, b):
    # 1 → 2 is "+100%", and still noise.
    if abs(a - b) <= 1:
        assert not compare_counts(current=a, previous=b).notable
