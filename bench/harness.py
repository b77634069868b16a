"""Helpers for benchmarks: databases to run on, Django set up on one of them, and timings.

A benchmark is a module `bench/bench_<name>.py` with a `run() -> None` that calls `timed(...)`.
`bench/run.py` runs each module in its own process on a freshly migrated database, once per
database (SQLite always; PostgreSQL when given), so modules cannot disturb one another. A module
that needs the organisation tree calls `ensure_tree()` first. Figures are printed, never asserted:
this machine's numbers are for comparing one change with the next, not thresholds.
"""

import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PROJECT_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = PROJECT_DIR / "var" / "bench"
POSTGRES_BENCH_DB = "kieumau_bench"


@dataclass(frozen=True)
class Database:
    name: str  # "sqlite" or "postgresql": printed before every figure
    url: str


def databases(*, postgres_url: str | None) -> Iterator[Database]:
    """SQLite (a scratch file under var/bench/), then PostgreSQL if a server URL is given."""
    yield Database("sqlite", f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}")
    if postgres_url:
        yield Database("postgresql", postgres_url)


def reset(database: Database) -> str:
    """Make the database empty; return the URL to use (PostgreSQL gets its own database)."""
    if database.name == "sqlite":
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        path = BENCH_DIR / "bench.sqlite3"
        for leftover in (
            path,
            path.with_name(path.name + "-wal"),
            path.with_name(path.name + "-shm"),
        ):
            leftover.unlink(missing_ok=True)
        return database.url
    import psycopg

    with psycopg.connect(database.url, dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{POSTGRES_BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{POSTGRES_BENCH_DB}"')
    return urlsplit(database.url)._replace(path=f"/{POSTGRES_BENCH_DB}").geturl()


def use_database(url: str) -> None:
    """Set Django up on `url` (the test settings, debug off so no query is logged) and migrate."""
    for path in (str(PROJECT_DIR), str(PROJECT_DIR / "src")):
        if path not in sys.path:
            sys.path.insert(0, path)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    os.environ["KIEUMAU_DATABASE_URL"] = url
    os.environ["KIEUMAU_DEBUG"] = "0"
    os.environ.setdefault("KIEUMAU_SECRET_KEY", "bench-only-secret")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def database_label() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    return f"{connection.vendor} {version}"


def ensure_tree() -> None:
    """Load the whole real tree unless it is there already."""
    from kieumau.orgunits.loader import load_tree
    from kieumau.orgunits.models import OrgUnit
    from kieumau.orgunits.plan import build_plan

    if not OrgUnit.objects.exists():
        load_tree(plan=build_plan())


def analyze() -> None:
    """Bring the planner's statistics to where a running server's are soon after a bulk load;
    until then the planner may think a 14,000-row table is empty. PostgreSQL: VACUUM (ANALYZE),
    as autovacuum does within a minute or so (statistics, and the visibility map that index-only
    scans read). SQLite: a sampled ANALYZE, as kieumau's connections do with PRAGMA optimize as
    they close (kieumau.core.sqlite3), which in a benchmark's one connection would come last."""
    from django.db import connection

    from kieumau.core.sqlite3.base import ANALYSIS_LIMIT

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM (ANALYZE)")
        else:
            cursor.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
            cursor.execute("ANALYZE")


def timed(
    label: str,
    fn: Callable[[], Any],
    *,
    repeat: int = 1,
    warmup: int = 0,
    describe: Callable[[Any], str] | None = None,
) -> Any:
    """Call `fn` `warmup` times untimed, then `repeat` times; print the median (and the spread
    when repeated). Returns what the last call returned."""
    for _ in range(warmup):
        fn()
    seconds = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        seconds.append(time.perf_counter() - started)
    line = f"  {label:<58} {_ms(statistics.median(seconds)):>10}"
    if repeat > 1:
        line += f"  median of {repeat} (min {_ms(min(seconds))}, max {_ms(max(seconds))})"
    if describe is not None:
        line += f"  → {describe(result)}"
    print(line, flush=True)
    return result


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"
