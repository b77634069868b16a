import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kieumau.indicators.months import (
    add_months,
    month_end,
    month_label,
    months_between,
    months_in_period,
    parse_month,
)


def test_parse_month_accepts_iso_and_slash():
    assert parse_month("2024-03") == dt.date(2024, 3, 1)
    assert parse_month("03/2024") == dt.date(2024, 3, 1)


@pytest.mark.parametrize(
    "text", ["2024-13", "2024", "mười", "", "2024-03-01", "1999-12", "2101-01", "9999-12"]
)
def test_parse_month_refuses_other_text(text):
    with pytest.raises(ValueError):
        parse_month(text)


def test_parse_month_takes_the_first_and_last_years_of_the_bounds():
    assert parse_month("2000-01") == dt.date(2000, 1, 1)
    assert parse_month("2100-12") == dt.date(2100, 12, 1)


def test_month_end_knows_leap_years():
    assert month_end(dt.date(2024, 2, 1)) == dt.date(2024, 2, 29)
    assert month_end(dt.date(2025, 12, 1)) == dt.date(2025, 12, 31)


def test_police_year_takes_december_to_november():
    assert months_in_period(dt.date(2023, 11, 16), dt.date(2024, 11, 15)) == (
        dt.date(2023, 12, 1),
        dt.date(2024, 11, 1),
    )


def test_calendar_year_takes_january_to_december():
    assert months_in_period(dt.date(2024, 1, 1), dt.date(2024, 12, 31)) == (
        dt.date(2024, 1, 1),
        dt.date(2024, 12, 1),
    )


@given(
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)),
    st.integers(min_value=-600, max_value=600),
)
def test_add_months_round_trips(day, count):
    month = day.replace(day=1)
    assert add_months(add_months(month, count), -count) == month
    assert parse_month(month_label(month)) == month


def test_months_between_is_inclusive():
    months = list(months_between(dt.date(2024, 11, 1), dt.date(2025, 2, 1)))
    assert [month_label(m) for m in months] == ["2024-11", "2024-12", "2025-01", "2025-02"]
