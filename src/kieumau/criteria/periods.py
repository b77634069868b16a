"""Assessment periods of a criteria set: a yearly span that need not follow the calendar.

Thông tư 124/2021 assesses communes over 16/11–15/11 and residential areas over 01/11–31/10;
the model-ward round uses the calendar year. A period starts every year on the same day and
month and lasts a number of months. No Django import.
"""

import datetime as dt

MAX_MONTHS = 24


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months; a day past the end of the month falls on its last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def validate_start(*, day: int, month: int, months: int) -> None:
    """Raise ValueError unless the start exists every year (so not 29/02) and the length is sane."""
    if not 1 <= month <= 12:
        raise ValueError("month")
    if not 1 <= months <= MAX_MONTHS:
        raise ValueError("months")
    try:
        dt.date(2023, month, day)  # not a leap year: 29/02 is refused
    except ValueError:
        raise ValueError("day") from None


def period_starting(*, year: int, day: int, month: int, months: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, month, day)
    return start, add_months(start, months) - dt.timedelta(days=1)


def period_ending_in(year: int, *, day: int, month: int, months: int) -> tuple[dt.date, dt.date]:
    """The period (start, end, both inclusive) whose last day falls in `year`.

    Periods start once a year, so at most one ends in any year when they last up to 12 months;
    with longer periods the latest-starting one is taken.
    """
    for start_year in range(year, year - MAX_MONTHS // 12 - 2, -1):
        start, end = period_starting(year=start_year, day=day, month=month, months=months)
        if end.year == year:
            return start, end
        if end.year < year:
            break
    raise ValueError(f"no period ends in {year}")  # only for lengths that skip a year


def period_containing(
    when: dt.date, *, day: int, month: int, months: int
) -> tuple[dt.date, dt.date] | None:
    """The latest-starting period that contains `when`, or None when it falls between periods."""
    for start_year in (when.year, when.year - 1, when.year - 2):
        start, end = period_starting(year=start_year, day=day, month=month, months=months)
        if start <= when <= end:
            return start, end
    return None
