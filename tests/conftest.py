"""Shared fixtures: the real tree loaded once per test database, and one user per role.

Like healthchecks' alice/bob/charlie, every permission test reads alike:
- `ministry`  (demo-bo)          sees everything;
- `nghean`    province officer of Nghệ An;
- `thainguyen` province officer of Thái Nguyên (which absorbed Bắc Kạn);
- `thaihoa`   commune officer of phường Thái Hòa (Hòa Hiếu + Quang Phong + Long Sơn);
- `inspector` of Nghệ An (reads, cannot change assessed data);
- `viewer`    of Thái Nguyên (read-only).
"""

import datetime as dt
import os
from types import SimpleNamespace

import pytest
from django.test import Client

IN_CI = os.environ.get("CI", "").lower() == "true"
TODAY = dt.date(2026, 11, 23)
BEFORE_MERGER = dt.date(2025, 6, 30)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the whole tree into the test database once: it is reference data, like a fixture."""
    from kieumau.orgunits.loader import load_tree
    from kieumau.orgunits.plan import build_plan

    with django_db_blocker.unblock():
        load_tree(plan=build_plan())


@pytest.fixture(autouse=True)
def _english_off(settings):
    settings.LANGUAGE_CODE = "vi"


def unit(code: str, as_of: dt.date = TODAY):
    from kieumau.orgunits import tree
    from kieumau.orgunits.models import OrgUnit

    return tree.unit_by_code(units=OrgUnit.objects.all(), code=code, as_of=as_of)


@pytest.fixture
def users(db):
    from kieumau.accounts.models import Role
    from kieumau.accounts.services import create_user

    def make(username, role, code):
        return create_user(username=username, password="secret-pass-123", role=role,
                           home_unit=unit(code))

    return SimpleNamespace(
        ministry=make("bo", Role.MINISTRY_ADMIN, "BCA"),
        nghean=make("nghean", Role.PROVINCE_OFFICER, "40"),
        thainguyen=make("thainguyen", Role.PROVINCE_OFFICER, "19"),
        thaihoa=make("thaihoa", Role.COMMUNE_OFFICER, "16939"),
        inspector=make("inspector", Role.INSPECTOR, "40"),
        viewer=make("viewer", Role.VIEWER, "19"),
    )


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def api_client_for(user) -> Client:
    """A client that authenticates to the API with a bearer token, as outside tools do."""
    from kieumau.accounts.services import issue_token

    client = Client()
    if user is not None:
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {issue_token(user=user)}"
    return client


# --- CI guards: the pass runs on the database it claims, and nothing is skipped under CI ---


def pytest_sessionstart(session):
    """`make test` exports KIEUMAU_EXPECT_DB_VENDOR per pass, so a PostgreSQL pass whose URL got
    lost cannot quietly run on SQLite; under CI the variable itself is required."""
    from django.db import connection

    expected = os.environ.get("KIEUMAU_EXPECT_DB_VENDOR", "")
    if not expected and IN_CI:
        raise pytest.UsageError("CI=true: run the suite through `make test` "
                                "(KIEUMAU_EXPECT_DB_VENDOR is not set)")
    if expected and connection.vendor != expected:
        raise pytest.UsageError(f"this pass should run on {expected} but the test database is "
                                f"{connection.vendor} (check KIEUMAU_DATABASE_URL)")


def pytest_sessionfinish(session, exitstatus):
    """Under CI a skipped or xfailed test fails the run; with KIEUMAU_MIN_TESTS=N (.ci/run sets
    it) a pass in which fewer than N tests passed fails too, so tests cannot quietly vanish."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or session.exitstatus != 0:
        return
    problems = []
    skipped = reporter.stats.get("skipped", [])
    if IN_CI and skipped:
        problems.append(f"CI=true: {len(skipped)} test(s) skipped; under CI every test must run "
                        "(install what they need in .ci/run)")
    xfailed = reporter.stats.get("xfailed", [])
    if IN_CI and xfailed:
        problems.append(f"CI=true: {len(xfailed)} test(s) marked xfail failed as expected; under "
                        "CI a known failure is a failure (fix it, or delete the test)")
    floor = os.environ.get("KIEUMAU_MIN_TESTS", "").strip()
    if floor:
        passed = len(reporter.stats.get("passed", []))
        if passed < int(floor):
            problems.append(f"KIEUMAU_MIN_TESTS={floor} but only {passed} test(s) passed: tests "
                            "went missing (or lower the floor in .ci/run on purpose)")
    for problem in problems:
        reporter.line("")
        reporter.write_sep("!", problem, red=True)
    if problems:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
