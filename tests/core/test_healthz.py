"""`/healthz`: the database answers, and how long the oldest waiting task has waited."""

import datetime as dt
from unittest import mock

from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


def waiting_task(*, minutes_ago: int, status: str = "READY") -> DBTaskResult:
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="kieumau.indicators.imports.run_import",
        backend_name="default",
        status=status,
    )
    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=timezone.now() - dt.timedelta(minutes=minutes_ago)
    )
    return task


def test_it_answers_without_sign_in(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "tasks_waiting": 0,
        "oldest_waiting_task_seconds": None,
    }
    assert "no-cache" in response["Cache-Control"]


def test_it_gives_the_age_of_the_oldest_waiting_task(db):
    waiting_task(minutes_ago=3)
    waiting_task(minutes_ago=10)
    waiting_task(minutes_ago=60, status="SUCCESSFUL")  # done: not waiting
    body = Client().get("/healthz").json()
    assert body["tasks_waiting"] == 2
    assert 600 <= body["oldest_waiting_task_seconds"] < 660


def test_it_answers_503_when_the_database_is_unreachable(db):
    with mock.patch.object(
        connection, "cursor", side_effect=OperationalError("connection refused")
    ):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}


def test_only_get_is_allowed(db):
    assert Client().post("/healthz").status_code == 405
