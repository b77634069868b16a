"""`kieumau backup` / `kieumau restore`: the demo, backed up and restored into a fresh database,
has the same rows in every table (on the database of the pass: SQLite or PostgreSQL)."""

import json

import pytest

from tests.deploy.conftest import database_url_for

# Prints {table: [row count, digest of all rows in primary-key order]} for every table.
SNAPSHOT = """
import hashlib, json
from django.db import connection
out = {}
with connection.cursor() as cursor:
    for table in sorted(connection.introspection.table_names()):
        name = connection.ops.quote_name(table)
        cursor.execute(f"SELECT * FROM {name} ORDER BY 1")
        digest = hashlib.sha256()
        count = 0
        for row in cursor.fetchall():
            digest.update(repr(row).encode())
            count += 1
        out[table] = [count, digest.hexdigest()]
print("SNAPSHOT " + json.dumps(out))
"""


def snapshot(kieumau, env) -> dict:
    output = kieumau(env, "manage", "shell", "-c", SNAPSHOT).stdout
    return json.loads(output.split("SNAPSHOT ", 1)[1])


@pytest.fixture
def backup_file(demo_env, kieumau, tmp_path):
    path = tmp_path / "kieumau.backup"
    result = kieumau(demo_env, "backup", str(path))
    assert "backup written" in result.stdout
    return path


def test_a_restored_backup_of_the_demo_has_the_same_rows(demo_env, kieumau, backup_file, tmp_path):
    fresh = {**demo_env, "KIEUMAU_DATABASE_URL": database_url_for(demo_env, tmp_path, "restored")}
    kieumau(fresh, "restore", str(backup_file))
    before, after = snapshot(kieumau, demo_env), snapshot(kieumau, fresh)
    assert before == after
    assert before["orgunits_orgunit"][0] > 10_000  # the whole tree, not an empty shell
    assert before["assessments_assessment"][0] >= 5  # and the demo's assessments
    # The restored database is usable as it is: the demo accounts sign in.
    check = kieumau(
        fresh,
        "manage",
        "shell",
        "-c",
        "from django.contrib.auth import authenticate;"
        "print('signed in' if authenticate(username='demo-bo', password='kieumau-demo') else 'no')",
    )
    assert "signed in" in check.stdout


def test_restore_refuses_a_database_that_is_not_empty(demo_env, backup_file):
    import subprocess

    from tests.e2e.conftest import KIEUMAU

    result = subprocess.run(
        [str(KIEUMAU), "restore", str(backup_file)],
        env=demo_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "is not empty: restore into a fresh database" in result.stderr


def test_backup_refuses_to_overwrite_a_file(demo_env, backup_file):
    import subprocess

    from tests.e2e.conftest import KIEUMAU

    result = subprocess.run(
        [str(KIEUMAU), "backup", str(backup_file)],
        env=demo_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "exists already" in result.stderr
