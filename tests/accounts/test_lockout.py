"""Lock-out counts failures per username and client address (issue 6, hole 5): a stranger's bad
passwords lock out only the stranger. Failures count while younger than the window, exactly."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

from kieumau.accounts import lockout
from kieumau.accounts.models import SignInFailure
from kieumau.core.http import client_address

STRANGER, USER = "203.0.113.9", "198.51.100.7"
T0 = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
WINDOW = dt.timedelta(minutes=15)
TICK = dt.timedelta(microseconds=1)


def sign_in(username, password, **meta):
    return Client(**meta).post("/accounts/sign-in/", {"username": username, "password": password})


def token(username, password, **meta):
    return Client(**meta).post("/api/auth/token", {"username": username, "password": password},
                               content_type="application/json")


def fail_at(moment, *, username="thaihoa", address=USER, times=1):
    SignInFailure.objects.bulk_create(
        SignInFailure(username=username, ip_address=address, at=moment) for _ in range(times))


def locked(now, *, username="thaihoa", address=USER):
    return lockout.locked_until(username=username, address=address, now=now)


# --- a stranger cannot lock out a user ----------------------------------------------------------

@override_settings(SIGN_IN_MAX_FAILURES=5)
def test_a_strangers_failures_do_not_lock_out_the_user_elsewhere(users):
    for _ in range(5):
        assert sign_in("thaihoa", "nope", REMOTE_ADDR=STRANGER).status_code == 401
    assert sign_in("thaihoa", "secret-pass-123", REMOTE_ADDR=STRANGER).status_code == 429
    assert sign_in("thaihoa", "secret-pass-123", REMOTE_ADDR=USER).status_code == 302


@override_settings(SIGN_IN_MAX_FAILURES=5)
def test_nor_through_the_api(users):
    for _ in range(5):
        assert token("bo", "nope", REMOTE_ADDR=STRANGER).status_code == 401
    assert token("bo", "secret-pass-123", REMOTE_ADDR=STRANGER).status_code == 429
    assert token("bo", "secret-pass-123", REMOTE_ADDR=USER).status_code == 200


@override_settings(SIGN_IN_MAX_FAILURES=2)
def test_pages_and_api_share_one_count(users):
    sign_in("thaihoa", "nope", REMOTE_ADDR=STRANGER)
    token("thaihoa", "nope", REMOTE_ADDR=STRANGER)
    assert token("thaihoa", "secret-pass-123", REMOTE_ADDR=STRANGER).status_code == 429
    assert sign_in("thaihoa", "secret-pass-123", REMOTE_ADDR=STRANGER).status_code == 429


@override_settings(SIGN_IN_MAX_FAILURES=2)
def test_the_username_counts_whatever_its_case(users):
    sign_in("ThaiHoa", "nope")
    sign_in("THAIHOA", "nope")
    assert sign_in("thaihoa", "secret-pass-123").status_code == 429


@override_settings(SIGN_IN_MAX_FAILURES=3)
def test_the_users_success_does_not_reset_the_strangers_count(users):
    for _ in range(2):
        sign_in("thaihoa", "nope", REMOTE_ADDR=STRANGER)
    assert sign_in("thaihoa", "secret-pass-123", REMOTE_ADDR=USER).status_code == 302
    sign_in("thaihoa", "nope", REMOTE_ADDR=STRANGER)
    assert sign_in("thaihoa", "secret-pass-123", REMOTE_ADDR=STRANGER).status_code == 429


# --- the window, exactly --------------------------------------------------------------------

@override_settings(SIGN_IN_MAX_FAILURES=3, SIGN_IN_LOCKOUT_MINUTES=15)
def test_failures_lock_until_exactly_one_window_after_the_oldest_that_counts(db):
    fail_at(T0)
    fail_at(T0 + dt.timedelta(minutes=5))
    fail_at(T0 + dt.timedelta(minutes=10))
    assert locked(T0 + WINDOW - TICK) == T0 + WINDOW
    assert locked(T0 + WINDOW) is None


@override_settings(SIGN_IN_MAX_FAILURES=3, SIGN_IN_LOCKOUT_MINUTES=15)
def test_failures_older_than_the_window_do_not_count(db):
    fail_at(T0 - WINDOW, times=10)  # exactly one window old at T0: no longer counts
    fail_at(T0, times=2)
    assert locked(T0) is None
    fail_at(T0 - WINDOW + TICK)  # one tick younger: counts
    assert locked(T0) == T0 + TICK


@override_settings(SIGN_IN_MAX_FAILURES=3)
def test_one_failure_short_of_the_limit_does_not_lock(db):
    fail_at(T0, times=2)
    assert locked(T0) is None
    fail_at(T0)
    assert locked(T0) == T0 + WINDOW


@override_settings(SIGN_IN_MAX_FAILURES=3)
def test_another_address_or_username_is_not_counted(db):
    fail_at(T0, times=3, address=STRANGER)
    fail_at(T0, times=3, username="nghean")
    assert locked(T0) is None
    assert locked(T0, address=STRANGER) == T0 + WINDOW


def test_rows_too_old_to_count_are_purged_whatever_the_name(db, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: T0)
    fail_at(T0 - WINDOW, username="khong-co-ai", address=STRANGER)
    fail_at(T0 - WINDOW + TICK, username="khong-co-ai-2", address=STRANGER)
    lockout.record_failure(username="ai-do", address=STRANGER)
    assert sorted(SignInFailure.objects.values_list("username", flat=True)) == [
        "ai-do", "khong-co-ai-2"]


# --- the client's address -----------------------------------------------------------------

def request_from(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@override_settings(TRUSTED_PROXY_HEADER="")
def test_without_a_trusted_proxy_the_forwarded_header_is_ignored():
    assert client_address(request_from("10.0.0.2", USER)) == "10.0.0.2"


@override_settings(TRUSTED_PROXY_HEADER="HTTP_X_FORWARDED_FOR")
def test_behind_the_proxy_the_address_it_appended_is_taken():
    # A client wrote the user's address into the header; the proxy appended the real one.
    assert client_address(request_from("10.0.0.2", f"{USER}, {STRANGER}")) == STRANGER
    assert client_address(request_from("10.0.0.2", STRANGER)) == STRANGER


@override_settings(TRUSTED_PROXY_HEADER="HTTP_X_FORWARDED_FOR")
def test_a_missing_or_garbled_header_falls_back_to_the_connection():
    assert client_address(request_from("10.0.0.2")) == "10.0.0.2"
    assert client_address(request_from("10.0.0.2", "not-an-address")) == "10.0.0.2"
    assert client_address(request_from("garbage")) is None


@override_settings(TRUSTED_PROXY_HEADER="HTTP_X_FORWARDED_FOR", SIGN_IN_MAX_FAILURES=3)
def test_behind_the_proxy_a_spoofed_header_cannot_lock_out_the_user(users):
    for _ in range(3):
        sign_in("thaihoa", "nope", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"{USER}, {STRANGER}")
    ok = sign_in("thaihoa", "secret-pass-123", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=USER)
    assert ok.status_code == 302


def test_the_setting_names_a_header(monkeypatch):
    from kieumau.settings import envheader

    monkeypatch.setenv("KIEUMAU_TRUSTED_PROXY", "X-Real-IP")
    assert envheader("KIEUMAU_TRUSTED_PROXY") == "HTTP_X_REAL_IP"
    monkeypatch.setenv("KIEUMAU_TRUSTED_PROXY", "")
    assert envheader("KIEUMAU_TRUSTED_PROXY") == ""
    monkeypatch.setenv("KIEUMAU_TRUSTED_PROXY", "X-Forwarded-For: 1.2.3.4")
    with pytest.raises(ImproperlyConfigured):
        envheader("KIEUMAU_TRUSTED_PROXY")
