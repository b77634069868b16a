"""An import killed in the middle (kill -9) is found and marked failed; nothing it wrote stays
(issue 6, hole 10). The import runs in a real child process on the test database."""

import datetime as dt
import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from kieumau.core import jobs
from kieumau.indicators.models import ImportStatus, IndicatorImport, IndicatorValue
from kieumau.indicators.services import load_indicators
from kieumau.indicators.xlsx import SHEET
from tests.committed import committed_users
from tests.conftest import client_for, unit
from tests.indicators.conftest import workbook_bytes
from tests.indicators.test_xlsx import column, download

ROOT = Path(__file__).resolve().parents[2]

# The child imports for real; after the first rows are inserted (inside the import's one
# transaction) it says so and lingers, so that the kill lands in the middle of writing.
_IMPORT_THEN_LINGER = """
import sys, time
import django
django.setup()
from kieumau.indicators import bulk, imports

insert_rows = bulk.insert_rows

def insert_then_linger(*args, **kwargs):
    insert_rows(*args, **kwargs)
    print("writing", flush=True)
    time.sleep(300)

bulk.insert_rows = insert_then_linger
imports.run_import.call(import_id=int(sys.argv[1]))
"""


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def child_env(media_root) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kieumau.settings",
        "KIEUMAU_DEBUG": "1",
        "KIEUMAU_DATABASE_URL": database_url(),
        "KIEUMAU_MEDIA_ROOT": str(media_root),
    }


def filled_template(user) -> bytes:
    workbook = download(client_for(user))
    sheet = workbook[SHEET]
    for row in (3, 4, 5):
        sheet.cell(row=row, column=column(sheet, "toi_pham_ttxh")).value = row
        sheet.cell(row=row, column=column(sheet, "chay_no")).value = 1
    return workbook_bytes(workbook)


def test_import_killed_while_writing_is_marked_failed_and_wrote_nothing(committed, settings):
    load_indicators()
    people = committed_users("crash")
    record = IndicatorImport.objects.create(
        unit=people.thaihoa.home_unit,
        uploaded_by=people.thaihoa,
        original_name="chi-so.xlsx",
        file=ContentFile(filled_template(people.thaihoa), name="chi-so.xlsx"),
    )
    child = subprocess.Popen(
        [sys.executable, "-c", _IMPORT_THEN_LINGER, str(record.pk)],
        cwd=ROOT,
        env=child_env(settings.MEDIA_ROOT),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = child.stdout.readline()
        assert line.strip() == "writing", (line, child.stderr.read() if child.poll() else "")
        record.refresh_from_db()
        assert (record.status, record.percent_done) == (ImportStatus.WRITING, 99)
        assert record.worker.split(":")[1] == str(child.pid)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    assert child.returncode == -signal.SIGKILL

    assert jobs.recover_interrupted_jobs() == 1  # what a restart of the server or worker runs
    record.refresh_from_db()
    assert record.status == ImportStatus.FAILED
    assert record.errors == [{"row": None, "column": None, "message": jobs.interrupted_message()}]
    assert record.finished_at is not None
    assert not IndicatorValue.objects.filter(unit=unit("16939")).exists()
    assert jobs.recover_interrupted_jobs() == 0  # once


# --- the watchdog and the start-up hooks, without killing anything ------------------------------


def running_import(user, *, worker: str, heartbeat_at) -> IndicatorImport:
    return IndicatorImport.objects.create(
        unit=user.home_unit,
        uploaded_by=user,
        original_name="x.xlsx",
        file="indicator-imports/x.xlsx",
        status=ImportStatus.WRITING,
        worker=worker,
        heartbeat_at=heartbeat_at,
    )


def test_watchdog_takes_a_silent_job_on_another_host_for_dead(users, settings):
    settings.JOB_STALE_MINUTES = 30
    now = timezone.now()
    silent = running_import(
        users.thaihoa, worker="may-khac:4242:1", heartbeat_at=now - dt.timedelta(minutes=31)
    )
    recent = running_import(
        users.thaihoa, worker="may-khac:4243:1", heartbeat_at=now - dt.timedelta(minutes=29)
    )
    call_command("recover_jobs", stdout=io.StringIO())
    silent.refresh_from_db()
    recent.refresh_from_db()
    assert (silent.status, recent.status) == (ImportStatus.FAILED, ImportStatus.WRITING)


def test_a_live_process_on_this_host_is_left_alone(users):
    mine = running_import(
        users.thaihoa, worker=jobs.this_worker(), heartbeat_at=timezone.now() - dt.timedelta(days=1)
    )
    assert jobs.recover_interrupted_jobs() == 0
    mine.refresh_from_db()
    assert mine.status == ImportStatus.WRITING


def test_a_reused_pid_is_not_taken_for_the_job(users):
    host, pid, started = jobs.this_worker().split(":")
    impostor = running_import(
        users.thaihoa, worker=f"{host}:{pid}:{int(started or 0) - 1}", heartbeat_at=timezone.now()
    )
    assert jobs.recover_interrupted_jobs() == 1
    impostor.refresh_from_db()
    assert impostor.status == ImportStatus.FAILED


def test_serve_recovers_before_serving(users, monkeypatch, settings):
    from kieumau.core.management.commands import serve

    settings.DEBUG = True  # the development server (gunicorn, with debug off, is tests/deploy's)
    dead = running_import(users.thaihoa, worker="x:1:1", heartbeat_at=None)
    served = []

    def fake_call_command(name, *args, **kwargs):
        dead.refresh_from_db()
        served.append((name, dead.status))

    monkeypatch.setattr(serve, "call_command", fake_call_command)
    call_command("serve", "--port", "8999", stdout=io.StringIO())
    assert ("runserver", ImportStatus.FAILED) in served


def test_worker_recovers_before_working(users, monkeypatch):
    from kieumau.core.management.commands import worker

    dead = running_import(users.thaihoa, worker="x:1:1", heartbeat_at=None)
    started = []

    def fake_call_command(name, *args, **kwargs):
        dead.refresh_from_db()
        started.append((name, dead.status))

    monkeypatch.setattr(worker, "call_command", fake_call_command)
    call_command("worker", stdout=io.StringIO())
    assert started == [("db_worker", ImportStatus.FAILED)]


@pytest.mark.parametrize("status", [ImportStatus.PENDING, ImportStatus.DONE, ImportStatus.FAILED])
def test_jobs_not_running_are_left_alone(users, status):
    record = running_import(users.thaihoa, worker="x:1:1", heartbeat_at=None)
    IndicatorImport.objects.filter(pk=record.pk).update(status=status)
    assert jobs.recover_interrupted_jobs() == 0
