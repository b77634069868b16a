"""Django's PostgreSQL backend, with health checks at most every few seconds per connection.

Django's CONN_HEALTH_CHECKS sends `SELECT 1` before the first query of every request that
reuses a connection: a round trip to a database that is busy answering the other workers, which
cost a survey answer as much as its own writes (bench_survey_load). Here a connection is
checked when it was last checked (or opened) more than `KIEUMAU_DB_HEALTH_CHECK_SECONDS` ago:
an idle connection, the kind a restart or a firewall drops unseen, is still checked before it
is used. A connection that breaks within those seconds fails one request, after which Django
closes it (as it does with no health checks at all) and the next request opens another."""

import time

from django.conf import settings
from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    checked_at = float("-inf")  # time.monotonic() of the last check (or of opening)

    def connect(self):
        super().connect()
        self.checked_at = time.monotonic()

    def close_if_health_check_failed(self):
        if self.connection is None or not self.health_check_enabled or self.health_check_done:
            return
        now = time.monotonic()
        if now - self.checked_at < settings.DB_HEALTH_CHECK_SECONDS:
            self.health_check_done = True
            return
        super().close_if_health_check_failed()
        self.checked_at = now
