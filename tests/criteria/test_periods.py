"""Assessment periods: pure date arithmetic, with hypothesis properties."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kieumau.criteria.periods import (
    add_months,
    period_containing,
    period_ending_in,
    validate_start,
)


def test_commune_period_16_november_to_15_november():
    assert period_ending_in(2024, day=16, month=11, months=12) == (
        dt.date(2023, 11, 16),
        dt.date(2024, 11, 15),
    )


def test_residential_area_period_1_november_to_31_october():
    assert period_ending_in(2024, day=1, month=11, months=12) == (
        dt.date(2023, 11, 1),
        dt.date(2024, 10, 31),
    )


def test_calendar_year():
    assert period_ending_in(2024, day=1, month=1, months=12) == (
        dt.date(2024, 1, 1),
        dt.date(2024, 12, 31),
    )


def test_add_months_keeps_to_the_end_of_short_months():
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 3, 31), -13) == dt.date(2023, 2, 28)


def test_29_february_is_not_a_yearly_start():
    with pytest.raises(ValueError):
        validate_start(day=29, month=2, months=12)


def test_a_day_between_periods_belongs_to_none():
    assert period_containing(dt.date(2024, 8, 1), day=1, month=1, months=6) is None


starts = st.tuples(st.integers(1, 12), st.integers(1, 28), st.integers(1, 12))


@settings(max_examples=300, deadline=None)
@given(start=starts, year=st.integers(2001, 2099))
def test_the_period_ending_in_a_year_ends_in_it_and_lasts_its_months(start, year):
    month, day, months = start
    first, last = period_ending_in(year, day=day, month=month, months=months)
    assert last.year == year
    assert (first.day, first.month) == (day, month)
    assert add_months(first, months) == last + dt.timedelta(days=1)


@settings(max_examples=300, deadline=None)
@given(
    day=st.integers(1, 28),
    month=st.integers(1, 12),
    when=st.dates(dt.date(2001, 1, 1), dt.date(2099, 1, 1)),
)
def test_yearly_periods_cover_every_day_once(day, month, when):
    first, last = period_containing(when, day=day, month=month, months=12)
    assert first <= when <= last
    assert period_ending_in(last.year, day=day, month=month, months=12) == (first, last)
