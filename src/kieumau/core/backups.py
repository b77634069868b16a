"""Backing up and restoring the database behind `kieumau backup PATH` / `kieumau restore PATH`.

- SQLite: SQLite's online backup API (`sqlite3.Connection.backup`), consistent while the server
  runs; the backup is itself an SQLite file.
- PostgreSQL: `pg_dump --format=custom` and `pg_restore --single-transaction`; the binaries are
  looked up in KIEUMAU_PG_BIN, then the newest /usr/lib/postgresql/*/bin (Debian keeps them
  there, off PATH), then PATH.

A backup is written under a temporary name and renamed when complete. A restore goes only into an
empty database (fresh `createdb`, or a SQLite file that does not exist yet), so it never mixes
rows with what is there. Evidence files (KIEUMAU_MEDIA_ROOT) are files: copy them alongside.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


def _database() -> dict:
    return connections["default"].settings_dict


def _vendor() -> str:
    return connections["default"].vendor


def backup(*, path: Path) -> str:
    """Write a backup of the default database to `path`; return "sqlite" or "postgresql"."""
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} exists already: choose a new file name")
    if not path.parent.is_dir():
        raise BackupError(f"folder {path.parent} does not exist")
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)
    vendor = _vendor()
    try:
        if vendor == "sqlite":
            _sqlite_copy(source=Path(_database()["NAME"]), target=partial)
        elif vendor == "postgresql":
            _run(
                _pg_binary("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={partial}",
            )
        else:
            raise BackupError(f"no backup for database vendor {vendor}")
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return vendor


def restore(*, path: Path) -> str:
    """Restore the backup at `path` into the default database, which must be empty."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} is not a file")
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    kind = (
        "sqlite"
        if head == SQLITE_MAGIC
        else "postgresql"
        if head.startswith(PG_CUSTOM_MAGIC)
        else None
    )
    if kind is None:
        raise BackupError(f"{path} is neither an SQLite backup nor a pg_dump custom-format file")
    vendor = _vendor()
    if kind != vendor:
        raise BackupError(
            f"{path} is a {kind} backup but KIEUMAU_DATABASE_URL names a {vendor} database; "
            "restore it into a database of the same kind"
        )
    connection = connections["default"]
    if connection.introspection.table_names():
        raise BackupError(
            f"database {_database()['NAME']} is not empty: restore into a fresh database "
            "(createdb, or a new SQLite file name) and point KIEUMAU_DATABASE_URL at it"
        )
    connection.close()
    if vendor == "sqlite":
        _check_sqlite_backup(path)
        _sqlite_copy(source=path, target=Path(_database()["NAME"]))
    else:
        _run(
            _pg_binary("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={_database()['NAME']}",
            str(path),
        )
    return vendor


def _sqlite_copy(*, source: Path, target: Path) -> None:
    source_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        target_db = sqlite3.connect(target)
        try:
            source_db.backup(target_db)
        finally:
            target_db.close()
    finally:
        source_db.close()


def _check_sqlite_backup(path: Path) -> None:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        (result,) = db.execute("PRAGMA integrity_check").fetchone()
        if result != "ok":
            raise BackupError(f"{path} is damaged: {result}")
        found = db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
        ).fetchone()
        if not found:
            raise BackupError(f"{path} is an SQLite file but not a kieumau database")
    finally:
        db.close()


def _pg_binary(name: str) -> str:
    folders = []
    if os.environ.get("KIEUMAU_PG_BIN"):
        folders.append(Path(os.environ["KIEUMAU_PG_BIN"]))
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    folders += versions
    for folder in folders:
        candidate = folder / name
        if os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(name)
    if found:
        return found
    raise BackupError(
        f"{name} not found: install PostgreSQL's client programs (postgresql-client) or set "
        "KIEUMAU_PG_BIN to the folder that holds them"
    )


def _run(binary: str, *args: str) -> None:
    database = _database()
    env = dict(os.environ)
    for key, setting in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if database.get(setting):
            env[key] = str(database[setting])
    result = subprocess.run([binary, *args], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(
            f"{Path(binary).name} failed ({result.returncode}): {result.stderr.strip()[-2000:]}"
        )
