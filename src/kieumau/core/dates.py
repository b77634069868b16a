"""Dates and periods that need no database."""

import datetime as dt


def parse_date(value: str) -> dt.date:
    """Parse YYYY-MM-DD; raise ValueError with the offending text otherwise."""
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError(f"not a date (YYYY-MM-DD): {value!r}") from None


def today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def is_valid_on(*, valid_from: dt.date | None, valid_to: dt.date | None, day: dt.date) -> bool:
    """Intervals are closed: a unit with valid_to 2025-06-30 still exists on that day."""
    return (valid_from is None or valid_from <= day) and (valid_to is None or day <= valid_to)
