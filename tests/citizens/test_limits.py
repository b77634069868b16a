"""The flood budgets live in the database: two server processes share them exactly."""

import datetime as dt
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from kieumau.citizens import limits

KIEUMAU = Path(sys.executable).with_name("kieumau")
WORKER = textwrap.dedent("""
    import django, os, sys
    os.environ["DJANGO_SETTINGS_MODULE"] = "kieumau.settings"
    django.setup()
    from kieumau.citizens import limits
    sys.stdin.readline()  # both processes start spending together
    taken = sum(limits.take(key="flood-test", limit=40, window_seconds=3600) for _ in range(60))
    print(taken)
""")


@pytest.mark.parametrize("limit", [1, 3])
def test_a_budget_gives_exactly_its_limit(db, limit):
    now = timezone.now()
    taken = [limits.take(key="k", limit=limit, window_seconds=60, now=now) for _ in range(5)]
    assert taken == [True] * limit + [False] * (5 - limit)


def test_a_new_window_starts_afresh(db):
    now = dt.datetime(2026, 11, 23, 10, 0, 30, tzinfo=dt.UTC)
    assert limits.take(key="k", limit=1, window_seconds=60, now=now)
    assert not limits.take(key="k", limit=1, window_seconds=60, now=now + dt.timedelta(seconds=29))
    assert limits.take(key="k", limit=1, window_seconds=60, now=now + dt.timedelta(seconds=30))


def test_the_address_key_is_a_keyed_digest(settings):
    key = limits.address_key("203.0.113.7")
    assert "203" not in key and len(key) == 24
    assert key == limits.address_key("203.0.113.7") != limits.address_key("203.0.113.8")
    settings.SECRET_KEY = "another"
    assert limits.address_key("203.0.113.7") != key


def _database_for_processes(tmp_path) -> str:
    url = os.environ.get("KIEUMAU_DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        name = f"{urlsplit(url).path.strip('/') or 'kieumau'}_limits"
        with psycopg.connect(url, dbname="postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        return urlsplit(url)._replace(path=f"/{name}").geturl()
    return f"sqlite:///{tmp_path / 'limits.sqlite3'}"


def _drop(url: str) -> None:
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        with psycopg.connect(url, dbname="postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{urlsplit(url).path.strip("/")}" WITH (FORCE)')


@pytest.fixture
def shared_database(tmp_path):
    """A database of its own (SQLite file, or `<test database>_limits` on the PostgreSQL
    server, dropped afterwards) that two separate processes can open."""
    url = _database_for_processes(tmp_path)
    yield url
    _drop(url)


def test_two_processes_share_one_budget(tmp_path, shared_database):
    env = {key: value for key, value in os.environ.items() if not key.startswith("KIEUMAU_")}
    env.update(DJANGO_SETTINGS_MODULE="kieumau.settings", KIEUMAU_DEBUG="1",
               KIEUMAU_VAR_DIR=str(tmp_path), KIEUMAU_DATABASE_URL=shared_database)
    subprocess.run([str(KIEUMAU), "manage", "migrate", "citizens", "--noinput"], env=env,
                   check=True, capture_output=True, timeout=300)
    workers = [subprocess.Popen([sys.executable, "-c", WORKER], env=env, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [worker.communicate("go\n", timeout=120)[0] for worker in workers]
    taken = [int(output.strip().splitlines()[-1]) for output in outputs]
    assert sum(taken) == 40, taken
