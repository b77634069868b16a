"""Small helpers shared by page views."""

import datetime as dt

from django.http import HttpRequest

from kieumau.core.dates import today


def as_of_from(request: HttpRequest) -> tuple[dt.date, str | None]:
    """The date asked for in ?as_of=, or today; a bad date is returned to be reported, not guessed."""
    raw = request.GET.get("as_of", "").strip()
    if not raw:
        return today(), None
    try:
        return dt.date.fromisoformat(raw), None
    except ValueError:
        return today(), raw


def wants_fragment(request: HttpRequest) -> bool:
    """An htmx request that swaps part of the page, so the view answers with that part only.
    A history-restore request (Back to a URL htmx pushed, its snapshot gone) needs the whole page,
    as does any request without htmx."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request
