"""Small helpers shared by page views."""

import datetime as dt

from django.http import HttpRequest

from kieumau.core import bounds
from kieumau.core.dates import today


def as_of_from(request: HttpRequest) -> tuple[dt.date, str | None]:
    """The date asked for in ?as_of=, or today; a bad date is returned to be reported, not guessed."""
    raw = request.GET.get("as_of", "").strip()
    if not raw:
        return today(), None
    try:
        return bounds.parse_day(raw), None
    except ValueError:
        return today(), raw
