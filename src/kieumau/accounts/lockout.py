"""Lock-out after failed sign-ins, counted per username *and* client address, so a stranger's bad
passwords lock out only the stranger's own address, never the user signing in from elsewhere.

Kept in the database: every server process sees the same counts. A failure counts while it is
younger than the lock-out window (one exactly a window old no longer does); older rows are purged,
whatever the username (an unknown name leaves nothing behind for long).
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from kieumau.accounts.models import SignInFailure

USERNAME_KEY_LENGTH = SignInFailure._meta.get_field("username").max_length


def window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.SIGN_IN_LOCKOUT_MINUTES)


def _key(username: str) -> str:
    return username.lower()[:USERNAME_KEY_LENGTH]


def _counted(*, username: str, address: str | None, now: dt.datetime):
    return SignInFailure.objects.filter(
        username=_key(username), ip_address=address, at__gt=now - window()
    )


def locked_until(
    *, username: str, address: str | None, now: dt.datetime | None = None
) -> dt.datetime | None:
    """When signing in as `username` from `address` may be tried again, or None if it may now:
    the lock holds while `SIGN_IN_MAX_FAILURES` failures count, i.e. until the oldest of them
    is a window old."""
    now = now or timezone.now()
    latest = _counted(username=username, address=address, now=now).order_by("-at")
    times = list(latest.values_list("at", flat=True)[: settings.SIGN_IN_MAX_FAILURES])
    if len(times) < settings.SIGN_IN_MAX_FAILURES:
        return None
    return times[-1] + window()


def record_failure(*, username: str, address: str | None) -> None:
    """One more failure; rows too old to count are purged on the way. The caller owns the
    transaction."""
    now = timezone.now()
    SignInFailure.objects.filter(at__lte=now - window()).delete()
    SignInFailure.objects.create(username=_key(username), ip_address=address, at=now)


def clear(*, username: str, address: str | None) -> None:
    """A successful sign-in forgets this address's failures (and only those: an attacker's count
    elsewhere does not restart because the real user signed in)."""
    SignInFailure.objects.filter(username=_key(username), ip_address=address).delete()
