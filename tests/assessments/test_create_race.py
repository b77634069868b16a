"""Two people opening one assessment at the same moment (issue 6, hole 3): before, both were
told 201 Created. Now one is, and the other gets the same assessment with 200."""

from kieumau.assessments import services
from kieumau.assessments.models import Assessment
from tests.assessments.conftest import open_assessment
from tests.committed import Pause, committed_users, race
from tests.conftest import api_client_for

BODY = {"unit": "16939", "criteria_set": "phuong-thu", "year": 2025}


def published_set(actor):
    from kieumau.criteria.services import create_set
    from kieumau.criteria.spec import CriterionSpec, SetSpec
    from kieumau.indicators.services import load_indicators

    load_indicators()
    spec = SetSpec(
        code="phuong-thu",
        year=2024,
        title="Phường thử nghiệm",
        applies_to_kinds=("phuong",),
        criteria=(CriterionSpec(code="TC 1", title="Có nghị quyết"),),
    )
    return create_set(actor=actor, spec=spec, status="published")


def test_two_creations_at_once_one_201_one_200(committed, monkeypatch):
    people = committed_users("open")
    published_set(people.ministry)
    monkeypatch.setattr(services, "find_existing", Pause(services.find_existing))
    clients = [api_client_for(people.thaihoa), api_client_for(people.nghean)]

    def create(client):
        response = client.post("/api/assessments", BODY, content_type="application/json")
        return response.status_code, response.json().get("id")

    outcomes = race(lambda: create(clients[0]), lambda: create(clients[1]))
    assert sorted(code for code, _id in outcomes) == [200, 201], outcomes
    assert outcomes[0][1] == outcomes[1][1]
    assert Assessment.objects.filter(set_code="phuong-thu").count() == 1


def test_open_assessment_says_whether_it_created(users, ward_set):
    """(Also an ordinary database test: running this module alone sets up the test database.)"""
    from tests.conftest import unit

    first = services.open_assessment(
        actor=users.thaihoa, unit=unit("16939"), criteria_set=ward_set, year=2025
    )
    again = services.open_assessment(
        actor=users.nghean, unit=unit("16939"), criteria_set=ward_set, year=2025
    )
    assert (first.created, again.created) == (True, False)
    assert first.assessment == again.assessment == open_assessment(users, ward_set)
