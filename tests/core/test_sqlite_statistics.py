"""The SQLite backend leaves the planner statistics of the tables a connection read when it
closes (`PRAGMA optimize`), and never makes closing wait for them. Each test opens its own
SQLite file, whatever database the suite runs on."""

import sqlite3
import threading

import pytest
from django.db.utils import ConnectionHandler


@pytest.fixture
def open_database(tmp_path, django_db_blocker):
    path = tmp_path / "planner.sqlite3"
    with sqlite3.connect(path) as setup:
        setup.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, kind INTEGER, note TEXT)")
        setup.execute("CREATE INDEX item_kind ON item (kind)")
        setup.executemany("INSERT INTO item (kind, note) VALUES (?, ?)",
                          [(n % 50, "x") for n in range(5000)])
    handler = ConnectionHandler({"default": {"ENGINE": "kieumau.core.sqlite3", "NAME": str(path),
                                             "OPTIONS": {"timeout": 120, "init_command": "PRAGMA journal_mode=WAL"}}})
    with django_db_blocker.unblock():  # this file only, not the suite's database
        yield path, handler["default"]
        handler.close_all()


def statistics(path) -> list[tuple]:
    with sqlite3.connect(path) as reader:
        found = reader.execute(
            "SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchall()
        return reader.execute("SELECT tbl, idx FROM sqlite_stat1").fetchall() if found else []


def test_a_closing_connection_leaves_statistics_of_what_it_read(open_database):
    path, connection = open_database
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM item WHERE kind = %s", [7])
        assert cursor.fetchone() == (100,)
    assert statistics(path) == []
    connection.close()
    assert statistics(path) == [("item", "item_kind")]


def test_closing_does_not_wait_for_a_writer(open_database):
    path, connection = open_database
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM item WHERE kind = %s", [7])
    writer = sqlite3.connect(path)
    writer.execute("BEGIN IMMEDIATE")  # holds the write lock
    try:
        # Queries on this connection wait up to 120 s for the lock (in WAL mode, as the
        # product runs); closing must not.
        connection.inc_thread_sharing()  # closed from another thread, so that this one can wait
        closing = threading.Thread(target=connection.close)
        closing.start()
        closing.join(30)
        assert not closing.is_alive(), "closing waited for the writer"
        assert connection.connection is None
    finally:
        connection.dec_thread_sharing()
        writer.rollback()
        writer.close()
    assert statistics(path) == []
