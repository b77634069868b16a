"""Flood and repeat limits kept in the database, so every server process shares them.

Trade-off, stated plainly: a survey has no account, so nothing can tell two honest residents
behind one mobile carrier's address (CGNAT puts thousands behind one) from one person answering
twice. We therefore layer limits, each weak alone:

1. every form carries a signed token that expires (`FORM_TOKEN_MAX_AGE`) and is spent once
   (`UsedFormNonce`), so a captured POST cannot be replayed;
2. a per-unit budget per hour caps what one unit can receive however the requests are spread
   (the hard stop against floods; changing the URL cannot escape it, the unit is in the token);
3. a per-address budget per hour, generous because addresses are shared: only a keyed digest of
   the address (HMAC with the secret key, truncated) is stored, with the window, never the address;
4. a signed cookie says "this browser answered this unit this month" and refuses a second answer
   from it; clearing cookies beats it, which is why the budgets exist;
5. one-time codes on printed slips are the strong option where a unit wants it.

None of these rows is linked to an answer.
"""

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.db import connection
from django.utils import timezone

from kieumau.citizens.models import SubmitBudget, UsedFormNonce
from kieumau.core.sql import AFTER, Write, run_chain


def _window_start(now: dt.datetime, seconds: int) -> int:
    stamp = int(now.timestamp())
    return stamp - stamp % seconds


def budget_write(*, key: str, limit: int, window_seconds: int, now: dt.datetime) -> Write:
    """Spend one unit of the budget `key` for the current window: an upsert that increments only
    while under the limit (it returns no row when the budget is used up), atomic in every
    database, so two processes cannot both take the last. The row stays locked until the
    statement or transaction ends."""
    start = _window_start(now, window_seconds)
    window_end = dt.datetime.fromtimestamp(start + window_seconds, dt.UTC)
    table = connection.ops.quote_name(SubmitBudget._meta.db_table)
    return Write(
        # (a SELECT with a WHERE, not VALUES: a budget of 0 takes nothing, not even the first)
        f'INSERT INTO {table} ("key", "count", "window_end") SELECT %s, 1, %s '
        f'WHERE %s > 0 AND {AFTER} '
        f'ON CONFLICT ("key") DO UPDATE SET "count" = {table}."count" + 1 '
        f'WHERE {table}."count" < %s RETURNING 1',
        [f"{key}:{start}"[:96], connection.ops.adapt_datetimefield_value(window_end), limit,
         limit],
    )


def take(*, key: str, limit: int, window_seconds: int, now: dt.datetime | None = None) -> bool:
    """Spend one unit of the budget `key` for the current window; False when it is used up."""
    write = budget_write(key=key, limit=limit, window_seconds=window_seconds,
                         now=now or timezone.now())
    return run_chain([write]) == 1


def address_key(address: str) -> str:
    """A keyed, truncated digest of a client address: equal addresses collide, nobody can
    reverse it without the secret key."""
    mac = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256)
    return mac.hexdigest()[:24]


def nonce_write(*, token: str, expires_at: dt.datetime) -> Write:
    """Record a form token as spent; returns no row when it already was (no savepoint needed:
    both SQLite and PostgreSQL skip the duplicate)."""
    table = connection.ops.quote_name(UsedFormNonce._meta.db_table)
    return Write(
        f'INSERT INTO {table} ("digest", "expires_at") SELECT %s, %s WHERE {AFTER} '
        'ON CONFLICT ("digest") DO NOTHING RETURNING 1',
        [hashlib.sha256(token.encode()).hexdigest(),
         connection.ops.adapt_datetimefield_value(expires_at)],
    )


def forget_expired(*, now: dt.datetime | None = None) -> int:
    """Drop windows and nonces that can no longer matter."""
    now = now or timezone.now()
    removed, _ = SubmitBudget.objects.filter(window_end__lt=now - dt.timedelta(hours=1)).delete()
    spent, _ = UsedFormNonce.objects.filter(expires_at__lt=now).delete()
    return removed + spent
