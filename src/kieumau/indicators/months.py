"""Months as the first day of the month, and periods of whole months; no Django."""

import datetime as dt
import re
from collections.abc import Iterator

from kieumau.core import bounds

_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
_MONTH_SLASH = re.compile(r"^\s*(\d{1,2})/(\d{4})\s*$")


def parse_month(text: str) -> dt.date:
    """ "2024-03" (or "03/2024", as people type it) → date(2024, 3, 1); ValueError otherwise."""
    match = _MONTH.match(text or "")
    if match:
        year, month = int(match[1]), int(match[2])
    else:
        match = _MONTH_SLASH.match(text or "")
        if not match:
            raise ValueError(f"not a month (YYYY-MM): {text!r}")
        month, year = int(match[1]), int(match[2])
    if not 1 <= month <= 12 or not bounds.year_in_range(year):
        raise ValueError(f"not a month (YYYY-MM): {text!r}")
    return dt.date(year, month, 1)


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(month: dt.date) -> dt.date:
    """The last day of the month: codes in a month's data are resolved as of this day."""
    return add_months(first_of_month(month), 1) - dt.timedelta(days=1)


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    """Every month from `first` to `last`, both inclusive (first days of months)."""
    month = first_of_month(first)
    while month <= last:
        yield month
        month = add_months(month, 1)


def month_label(month: dt.date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def months_in_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date] | None:
    """The first and last month whose first day falls in start..end, or None when none does.

    Monthly police reports close mid-month, so a 16/11/2023–15/11/2024 period takes the twelve
    months Dec 2023 … Nov 2024, and a calendar year takes January … December.
    """
    first = start if start.day == 1 else add_months(first_of_month(start), 1)
    last = first_of_month(end)
    return (first, last) if first <= last else None
