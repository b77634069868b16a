"""Small helpers shared by page views."""

import datetime as dt
import ipaddress

from django.conf import settings
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


def client_address(request: HttpRequest) -> str | None:
    """The address of whoever sent the request, for lock-out and the audit trail.

    REMOTE_ADDR, unless `KIEUMAU_TRUSTED_PROXY` names the header our reverse proxy writes the
    client's address into; then the last address of that header: the one the proxy itself saw
    and appended. Whatever a client wrote into the header comes before it and is ignored.
    """
    if settings.TRUSTED_PROXY_HEADER:
        forwarded = request.META.get(settings.TRUSTED_PROXY_HEADER, "").split(",")[-1].strip()
        if _is_address(forwarded):
            return forwarded
    remote = request.META.get("REMOTE_ADDR", "")
    return remote if _is_address(remote) else None


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
def wants_fragment(request: HttpRequest) -> bool:
    """An htmx request that swaps part of the page, so the view answers with that part only.
    A history-restore request (Back to a URL htmx pushed, its snapshot gone) needs the whole page,
    as does any request without htmx."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request
