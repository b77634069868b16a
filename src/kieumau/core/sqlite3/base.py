"""Django's SQLite backend, which leaves the query planner statistics of the tables it read.

SQLite plans from statistics that only ANALYZE gathers, and nothing in Django runs it: without
them a scoped read of the national dashboard took 60 ms instead of 5 (programs'
`lost_criteria`, bench_dashboard). SQLite's advice for applications is `PRAGMA optimize` before
a connection closes: it analyses only the tables whose queries on that connection would have
been planned better with statistics, and only when they changed much since; `analysis_limit`
bounds each index's analysis to a sample. It never makes closing wait: with another writer at
work it gives up at once, and the next connection to close tries again."""

from django.db.backends.sqlite3 import base

ANALYSIS_LIMIT = 1000  # rows sampled per index


class DatabaseWrapper(base.DatabaseWrapper):
    def _close(self):
        if self.connection is not None and not self.connection.in_transaction:
            try:
                self.connection.execute("PRAGMA busy_timeout = 0")
                self.connection.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
                self.connection.execute("PRAGMA optimize")
            except base.Database.Error:  # busy, read-only: the statistics can wait
                pass
        super()._close()
