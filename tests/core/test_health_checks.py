"""The PostgreSQL backend checks a reused connection at most every DB_HEALTH_CHECK_SECONDS:
pinned on both sides of the threshold, with the check itself (a round trip) counted."""

import pytest

from kieumau.core.postgresql import base


@pytest.fixture
def wrapper(monkeypatch, settings):
    settings.DB_HEALTH_CHECK_SECONDS = 5
    clock = {"now": 1000.0}
    monkeypatch.setattr(base.time, "monotonic", lambda: clock["now"])
    wrapper = base.DatabaseWrapper({
        "ENGINE": "kieumau.core.postgresql", "NAME": "unused", "USER": "", "PASSWORD": "",
        "HOST": "", "PORT": "", "OPTIONS": {}, "TIME_ZONE": None, "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True, "AUTOCOMMIT": True, "ATOMIC_REQUESTS": False, "TEST": {},
    })
    wrapper.connection = object()  # an open connection, as far as the check can tell
    wrapper.health_check_enabled = True
    wrapper.checks, wrapper.usable, wrapper.closed = 0, True, False

    def is_usable():
        wrapper.checks += 1
        return wrapper.usable

    def close():
        wrapper.closed = True
        wrapper.connection = None

    monkeypatch.setattr(wrapper, "is_usable", is_usable)
    monkeypatch.setattr(wrapper, "close", close)
    wrapper.clock = clock
    return wrapper


def a_new_request(wrapper, seconds_since_last_check: float):
    wrapper.checked_at = 1000.0 - seconds_since_last_check
    wrapper.health_check_done = False  # what Django does when a request starts
    wrapper.close_if_health_check_failed()


def test_a_connection_checked_just_under_the_threshold_ago_is_trusted(wrapper):
    a_new_request(wrapper, 4.999)
    assert wrapper.checks == 0 and wrapper.health_check_done and not wrapper.closed


def test_a_connection_checked_the_threshold_ago_is_checked_again(wrapper):
    a_new_request(wrapper, 5)
    assert wrapper.checks == 1 and wrapper.checked_at == 1000.0 and not wrapper.closed


def test_once_per_request_at_most(wrapper):
    a_new_request(wrapper, 60)
    wrapper.close_if_health_check_failed()  # the request's second query
    assert wrapper.checks == 1


def test_a_connection_that_fails_its_check_is_closed(wrapper):
    wrapper.usable = False
    a_new_request(wrapper, 60)
    assert wrapper.checks == 1 and wrapper.closed


def test_without_health_checks_nothing_is_checked(wrapper):
    wrapper.health_check_enabled = False
    a_new_request(wrapper, 60)
    assert wrapper.checks == 0


def test_postgresql_runs_through_this_backend(db):
    from django.db import connections

    wrapper = connections["default"]
    assert isinstance(wrapper, base.DatabaseWrapper) == (wrapper.vendor == "postgresql")
    if wrapper.vendor == "postgresql":
        fresh = connections.create_connection("default")
        try:
            fresh.ensure_connection()  # a connection just opened counts as just checked
            assert base.time.monotonic() - fresh.checked_at < 1
        finally:
            fresh.close()
