"""`make` installs psycopg's C implementation (psycopg-c on the system's libpq, else
psycopg-binary): the pure-Python one, which plain `psycopg` falls back to, reads every row in
Python (bench_dashboard)."""

import psycopg


def test_psycopg_runs_its_c_implementation():
    assert psycopg.pq.__impl__ in {"c", "binary"}
