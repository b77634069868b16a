"""Concurrent writers of values, for real: threads with their own connections (issue 6, hole 3).

A pause after the values are read lets two racers meet there when nothing holds them apart;
the fix holds the second at the unit's row lock (PostgreSQL) or at the write lock (SQLite).
"""

import datetime as dt
import threading

import pytest
from django.utils import timezone

from kieumau.core.models import AuditEvent
from kieumau.indicators import services
from kieumau.indicators.models import IndicatorValue, IndicatorValueChange
from kieumau.indicators.services import load_indicators
from tests.committed import Pause, committed_users, race
from tests.conftest import client_for, unit
from tests.indicators.conftest import OCTOBER, save, stored

NOVEMBER = dt.date(2026, 11, 1)


@pytest.fixture
def people(committed):
    load_indicators()
    return committed_users()


def test_an_approval_lock_cannot_slip_between_reading_and_writing(people, monkeypatch):
    """The import read the stored values, was delayed, and then wrote into months that an
    approval had locked in the meantime. Here the import, once it has read, waits (at most
    two seconds) for the approval to finish; the approval must instead wait for the import."""
    thai_hoa = unit("16939")
    save(people.thaihoa, thai_hoa, OCTOBER, toi_pham_ttxh=1, chay_no=1)
    has_read, approved = threading.Event(), threading.Event()
    read_locked_months = services._locked_months

    def read_then_linger(wanted):
        closed = read_locked_months(wanted)
        has_read.set()
        approved.wait(2)
        return closed

    monkeypatch.setattr(services, "_locked_months", read_then_linger)

    def import_values():
        return save(
            people.thaihoa, thai_hoa, OCTOBER, toi_pham_ttxh=5, chay_no=5, tin_bao_tiep_nhan=7
        )

    def approve():
        assert has_read.wait(10)
        try:
            return services.lock_values(
                unit_ids=[thai_hoa.pk],
                start=OCTOBER,
                end=dt.date(2026, 10, 31),
                actor=people.nghean,
            )
        finally:
            approved.set()

    saved, locked = race(import_values, approve)
    assert isinstance(locked, int), locked
    lock_event = AuditEvent.objects.get(action="indicators.values_locked")
    changes = IndicatorValueChange.objects.filter(value__unit=thai_hoa, value__month=OCTOBER)
    assert all(change.changed_at <= lock_event.at for change in changes)  # none after the lock
    assert set(
        IndicatorValue.objects.filter(unit=thai_hoa, month=OCTOBER).values_list("locked", flat=True)
    ) == {True}
    assert isinstance(saved, services.SaveResult), saved  # it came first, so it was written
    assert stored(thai_hoa, "toi_pham_ttxh", OCTOBER) == 5


def two_saves_of_one_revision(people, first: int, second: int):
    thai_hoa = unit("16939")
    row = save(people.thaihoa, thai_hoa, NOVEMBER, toi_pham_ttxh=1)
    assert row.created == 1
    indicator = IndicatorValue.objects.get(unit=thai_hoa, month=NOVEMBER).indicator

    def write(value):
        return services.set_values(
            actor=people.thaihoa,
            rows=[
                services.ValueInput(
                    thai_hoa, indicator, NOVEMBER, value, ref="toi_pham_ttxh", expected_revision=1
                )
            ],
            source="form",
        )

    return race(lambda: write(first), lambda: write(second))


def test_two_saves_of_one_revision_one_wins_one_is_told(people, monkeypatch):
    monkeypatch.setattr(services.timezone, "localdate", lambda: dt.date(2026, 11, 23))
    monkeypatch.setattr(services, "_locked_months", Pause(services._locked_months))
    outcomes = two_saves_of_one_revision(people, 2, 3)
    winners = [o for o in outcomes if isinstance(o, services.SaveResult)]
    losers = [o for o in outcomes if isinstance(o, services.ValuesConflict)]
    assert (len(winners), len(losers)) == (1, 1), outcomes
    value = IndicatorValue.objects.get(unit=unit("16939"), month=NOVEMBER)
    assert value.revision == 2
    assert value.value == (2 if outcomes[0] is winners[0] else 3)
    assert "đã được người khác cập nhật lúc" in losers[0].message


def test_two_month_forms_of_one_revision_one_is_refused_with_409(people, monkeypatch):
    monkeypatch.setattr(services, "_locked_months", Pause(services._locked_months))
    thai_hoa = unit("16939")
    save(people.thaihoa, thai_hoa, OCTOBER, toi_pham_ttxh=1)
    url = "/indicators/values/?unit=16939&month=2026-10"

    def post(value):
        return (
            client_for(people.thaihoa)
            .post(url, {"v_toi_pham_ttxh": str(value), "r_toi_pham_ttxh": "1"})
            .status_code
        )

    codes = race(lambda: post(2), lambda: post(3))
    assert sorted(codes) == [302, 409], codes
    assert IndicatorValue.objects.get(unit=thai_hoa, month=OCTOBER).revision == 2


def test_a_new_value_saved_twice_at_once_is_no_server_error(people, monkeypatch):
    """Both read "no value yet" (revision 0): before, the second insert broke the unique index."""
    monkeypatch.setattr(services, "_locked_months", Pause(services._locked_months))
    thai_hoa = unit("16939")
    url = "/indicators/values/?unit=16939&month=2026-10"

    def post(value):
        return (
            client_for(people.thaihoa)
            .post(url, {"v_chay_no": str(value), "r_chay_no": "0"})
            .status_code
        )

    codes = race(lambda: post(2), lambda: post(3))
    assert sorted(codes) == [302, 409], codes
    assert IndicatorValue.objects.filter(unit=thai_hoa, month=OCTOBER).count() == 1
    assert timezone.now()  # the clock still runs: nothing hung


def test_two_communes_saved_at_once_both_count_in_the_provinces_total(people, monkeypatch):
    """Two saves in one province meet just before they add to its monthly total (and the
    ministry's), both the first values of that month: neither addition may be lost."""
    from kieumau.indicators.models import MonthlyTotal
    from tests.indicators.test_totals import another_commune_of_nghe_an, summed_from_values

    monkeypatch.setattr(services, "_audit_save", Pause(services._audit_save))
    thai_hoa, other = unit("16939"), another_commune_of_nghe_an()
    outcomes = race(lambda: save(people.nghean, thai_hoa, OCTOBER, toi_pham_ttxh=3),
                    lambda: save(people.nghean, other, OCTOBER, toi_pham_ttxh=4))
    assert all(isinstance(outcome, services.SaveResult) for outcome in outcomes), outcomes
    total = MonthlyTotal.objects.get(unit=unit("40"), indicator__code="toi_pham_ttxh",
                                     month=OCTOBER)
    assert total.total == 7
    kept = {(u, i, m): t for u, i, m, t in MonthlyTotal.objects.exclude(total=0)
            .values_list("unit_id", "indicator_id", "month", "total")}
    assert kept == summed_from_values()


def test_api_answers_409_for_a_stale_revision(users, catalogue):
    """(Also an ordinary database test, so that running this module alone sets up the test
    database for the committed ones.)"""
    from tests.conftest import api_client_for

    thai_hoa = unit("16939")
    save(users.thaihoa, thai_hoa, OCTOBER, toi_pham_ttxh=1)
    save(users.nghean, thai_hoa, OCTOBER, toi_pham_ttxh=2)  # revision 2 now
    item = {"unit": "16939", "indicator": "toi_pham_ttxh", "month": "2026-10", "value": 3}
    response = api_client_for(users.thaihoa).put(
        "/api/indicators/values",
        {"values": [{**item, "revision": 1}]},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert "đã được người khác cập nhật lúc" in response.json()["detail"]
    assert stored(thai_hoa, "toi_pham_ttxh", OCTOBER) == 2
    response = api_client_for(users.thaihoa).put(
        "/api/indicators/values",
        {"values": [{**item, "revision": 2}]},
        content_type="application/json",
    )
    assert response.status_code == 200
