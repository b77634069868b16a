"""The bounds every input is held to, in one place; no Django.

Years, dates and months outside FIRST_YEAR..LAST_YEAR are refused wherever a person or a
program can type them (pages, API, uploads), so arithmetic on them (the month after, the end of
a period) never leaves what `datetime` and the databases can hold.
"""

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

FIRST_YEAR, LAST_YEAR = 2000, 2100
FIRST_DAY, LAST_DAY = dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31)

# A pattern for the published schema: what the server reads as a day (YYYY-MM-DD, years in range).
DAY_PATTERN = r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

# Lengths: the longest a code, a short text and a free text may be (model columns are no shorter).
MAX_CODE = 32
MAX_SET_CODE = 64
MAX_VERSION = 16
MAX_USERNAME = 150
MAX_PASSWORD = 1024
MAX_QUERY_TEXT = 200
MAX_PARAMETER = 4000  # the longest free text (a comment, an expression being checked)
MAX_OFFSET = 1_000_000
MAX_AUDIT_TEXT = 500


def year_in_range(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


def day_in_range(day: dt.date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


def parse_day(text: Any) -> dt.date:
    """YYYY-MM-DD within the bounds; ValueError otherwise (never a Unix time such as "0")."""
    if not isinstance(text, str) or not _DAY.fullmatch(text.strip()):
        raise ValueError(f"not a date (YYYY-MM-DD): {text!r}")
    day = dt.date.fromisoformat(text.strip())
    if not day_in_range(day):
        raise ValueError(f"date out of range: {text!r}")
    return day


def parse_year(text: str) -> int:
    """A year typed as digits within the bounds; ValueError otherwise."""
    text = (text or "").strip()
    if not text.isascii() or not text.isdigit() or not year_in_range(int(text[:5])):
        raise ValueError(f"not a year between {FIRST_YEAR} and {LAST_YEAR}: {text!r}")
    return int(text)


def nul_fields(value: Any, path: str = "") -> Iterator[str]:
    """The dotted paths of every string holding a NUL character in a parsed JSON value (keys too):
    PostgreSQL cannot store one, and no person types one."""
    if isinstance(value, str):
        if "\x00" in value:
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else str(key)
            if "\x00" in str(key):
                yield here
            else:
                yield from nul_fields(item, here)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from nul_fields(item, f"{path}.{index}" if path else str(index))


def clipped(text: str, limit: int = MAX_AUDIT_TEXT) -> str:
    """`text` cut to `limit` characters, marked when cut: for what we keep about what others sent."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
