"""Two registrations under one commune at the same moment (issue 6, hole 3): before, both took
the number 001 and the second failed on the unique code (a server error)."""

import datetime as dt

from kieumau.orgunits import services
from kieumau.orgunits.models import OrgUnit
from tests.committed import Pause, committed_users, race
from tests.conftest import unit

FROM = dt.date(2025, 8, 1)


def register(actor, name):
    return services.register_local_unit(
        actor=actor, parent=unit("16939"), name=name, kind="khu_dan_cu", valid_from=FROM
    )


def test_two_registrations_at_once_both_succeed_with_their_own_numbers(committed, monkeypatch):
    people = committed_users("register")
    monkeypatch.setattr(services, "_next_local_code", Pause(services._next_local_code))
    outcomes = race(
        lambda: register(people.thaihoa, "Khối 1"), lambda: register(people.nghean, "Khối 2")
    )
    assert all(isinstance(outcome, OrgUnit) for outcome in outcomes), outcomes
    assert sorted(outcome.code for outcome in outcomes) == ["16939-001", "16939-002"]
    assert OrgUnit.objects.filter(code__startswith="16939-").count() == 2


def test_numbers_follow_on_one_after_another(users):
    """(Also an ordinary database test: running this module alone sets up the test database.)"""
    first = register(users.thaihoa, "Khối 1")
    second = register(users.thaihoa, "Khối 2")
    assert (first.code, second.code) == ("16939-001", "16939-002")
