"""Tests whose data must be committed for real: races between threads (each with its own
database connection) and processes killed mid-job see only what is committed.

`committed` opens the database without pytest-django's per-test transaction and, afterwards,
deletes every row added during the test (in every table, by primary key above the one noted at
the start), so the tree loaded once per session stays. pytest-django's transactional tests
would empty every table instead, the tree included. pytest-django creates the test database only
for a session that collected an ordinary database test: keep one beside committed tests.
"""

import threading
from collections.abc import Callable

import pytest
from django.apps import apps
from django.db import connection, connections, transaction
from django.db.models import Max


def _tables():
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _require_test_database()
        before = {}
        for model in _tables():
            if model._meta.pk.get_internal_type() in ("AutoField", "BigAutoField"):
                before[model] = ("max", model.objects.aggregate(top=Max("pk"))["top"] or 0)
            else:
                before[model] = ("set", set(model.objects.values_list("pk", flat=True)))
        try:
            yield
        finally:
            connections.close_all()  # threads' connections are closed by `race`
            with transaction.atomic():  # foreign keys are checked at commit: any order works
                for model, (kind, mark) in before.items():
                    rows = model.objects.all()
                    rows = rows.filter(pk__gt=mark) if kind == "max" else rows.exclude(pk__in=mark)
                    rows._raw_delete(connection.alias)


def _require_test_database() -> None:
    """pytest-django creates the test database only when some collected test asks for `db`:
    a module of committed tests keeps at least one ordinary database test beside them."""
    name = str(connection.settings_dict["NAME"])
    test_name = str((connection.settings_dict.get("TEST") or {}).get("NAME") or "")
    if not (name.startswith("test_") or (test_name and name == test_name)):
        pytest.fail(
            f"`committed` would write to {name!r}, not a test database: run these tests "
            "together with an ordinary database test (one in the same module is enough)"
        )


def race(*actions: Callable[[], object], timeout: float = 60) -> list:
    """Run each action in its own thread (its own connection), all released at once by a
    barrier; returns what each returned or raised, in order."""
    barrier = threading.Barrier(len(actions))
    outcomes: list = [None] * len(actions)

    def run(index: int, action) -> None:
        try:
            barrier.wait(timeout)
            outcomes[index] = action()
        except BaseException as error:  # noqa: BLE001 - the test looks at it
            outcomes[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, action)) for index, action in enumerate(actions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a racer is stuck"
    return outcomes


def vendor() -> str:
    return connection.vendor


def committed_users(prefix: str = "race"):
    """A commune officer of Thái Hòa and a province officer of Nghệ An, committed."""
    from types import SimpleNamespace

    from kieumau.accounts.models import Role
    from kieumau.accounts.services import create_user
    from tests.conftest import unit

    def make(name, role, code):
        return create_user(
            username=f"{prefix}-{name}",
            password="secret-pass-123",
            role=role,
            home_unit=unit(code),
        )

    return SimpleNamespace(
        thaihoa=make("thaihoa", Role.COMMUNE_OFFICER, "16939"),
        nghean=make("nghean", Role.PROVINCE_OFFICER, "40"),
        ministry=make("bo", Role.MINISTRY_ADMIN, "BCA"),
    )


class Pause:
    """Wrap a function so that each call, once done, waits up to `seconds` at a barrier of
    `parties`: two racers that both got this far go on together (the race the fix prevents);
    a racer alone (the other waits on a lock) goes on after `seconds`."""

    def __init__(self, function, *, parties: int = 2, seconds: float = 1.5) -> None:
        self.function, self.seconds = function, seconds
        self.barrier = threading.Barrier(parties)

    def __call__(self, *args, **kwargs):
        result = self.function(*args, **kwargs)
        try:
            self.barrier.wait(self.seconds)
        except threading.BrokenBarrierError:
            self.barrier.reset()
        return result
