"""Each input that once answered a 500 now answers 422 (or 400) in JSON, naming the field."""

import json

import pytest
from django.test import Client

from tests.assessments.conftest import assessment, ward_set  # noqa: F401  (fixtures)
from tests.conftest import api_client_for


def call(client: Client, method: str, path: str, body=None, **extra):
    client.raise_request_exception = False
    if body is not None:
        extra.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, method)(path, **extra)


def fields(response) -> set:
    return {error["field"] for error in response.json()["errors"]}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("year=-1", "year"),
        ("year=10000", "year"),
        ("year=1e20", "year"),
        ("year=1999", "year"),
        ("year=2101", "year"),
        ("offset=99999999999999999999", "offset"),
        ("offset=1000001", "offset"),
        ("limit=501", "limit"),
        ("as_of=0", "as_of"),
        ("as_of=9999-12-31", "as_of"),
    ],
)
def test_assessment_list_refuses_out_of_range_numbers(users, query, field):
    response = call(api_client_for(users.nghean), "get", f"/api/assessments?{query}")
    assert response.status_code == 422
    assert field in fields(response)


def test_assessment_list_takes_the_edges_of_the_bounds(users):
    client = api_client_for(users.nghean)
    for query in ("year=2000", "year=2100", "offset=1000000", "limit=500", "as_of=2100-12-31"):
        response = call(client, "get", f"/api/assessments?{query}")
        assert response.status_code == 200, query
        assert response.json() == {"items": [], "count": 0}


def test_pages_of_the_list_come_from_ninjas_paginator(users, assessment):  # noqa: F811
    client = api_client_for(users.nghean)
    assert call(client, "get", "/api/assessments?limit=1").json()["count"] == 1
    assert call(client, "get", "/api/assessments?offset=1").json() == {"items": [], "count": 1}


@pytest.mark.parametrize("query", ["as_of=0", "as_of=9999-12-31", "as_of=1999-12-31",
                                   "offset=9223372036854775807"])
def test_unit_list_refuses_bad_dates_and_offsets(users, query):
    response = call(api_client_for(users.nghean), "get", f"/api/orgunits?{query}")
    assert response.status_code == 422
    assert query.split("=")[0] in fields(response)


@pytest.mark.parametrize("year", [1, 2, 1999, 2101, 2147483648, 99999999999999999999])
def test_create_refuses_years_out_of_range(users, ward_set, year):  # noqa: F811
    body = {"unit": "16939", "criteria_set": "phuong-thu", "year": year}
    response = call(api_client_for(users.nghean), "post", "/api/assessments", body)
    assert response.status_code == 422
    assert fields(response) == {"year"}


def test_the_service_refuses_a_year_out_of_range_too(users, ward_set):  # noqa: F811
    from kieumau.assessments.errors import AssessmentInputError
    from kieumau.assessments.services import create_assessment
    from tests.conftest import unit

    with pytest.raises(AssessmentInputError) as refused:
        create_assessment(actor=users.nghean, unit=unit("16939"), criteria_set=ward_set, year=2)
    assert refused.value.errors[0]["field"] == "year"


@pytest.mark.parametrize(("to", "status"), [("9999-12", 422), ("2101-01", 422), ("2100-12", 200)])
def test_values_refuse_months_out_of_range(users, to, status):
    response = call(api_client_for(users.nghean), "get", f"/api/indicators/values?unit=16939&to={to}")
    assert response.status_code == status


def test_standing_refuses_a_year_out_of_range(users):
    response = call(api_client_for(users.nghean), "get",
                    "/api/orgunits/16939/standing?set=phuong-kieu-mau&year=9999")
    assert response.status_code == 422
    assert fields(response) == {"year"}


def test_too_many_judgements_are_refused_before_any_is_read(users, assessment):  # noqa: F811
    body = {"revision": assessment.revision,
            "judgements": [{"criterion": "TC 1", "status": "met"}] * 50_000}
    response = call(api_client_for(users.thaihoa), "post",
                    f"/api/assessments/{assessment.pk}/judgements", body)
    assert response.status_code == 422
    assert fields(response) == {"judgements"}
    assert response.json()["errors"][0]["message"] == "Quá nhiều mục: tối đa 500."


def test_a_huge_username_is_refused_and_not_stored(db):
    from kieumau.accounts.models import SignInFailure
    from kieumau.core.models import AuditEvent

    response = call(Client(), "post", "/api/auth/token", {"username": "x" * 50_000, "password": "p"})
    assert response.status_code == 422
    assert fields(response) == {"username"}
    assert not SignInFailure.objects.exists()
    assert not AuditEvent.objects.exists()


def test_the_audit_trail_keeps_at_most_500_characters_of_what_others_typed(db):
    from kieumau.core import audit

    event = audit.record(actor=None, action="sign_in.failed",
                         detail={"username": "x" * 49_000, "tries": ["y" * 600], "n": 1})
    assert len(event.detail["username"]) == 500
    assert event.detail["username"].endswith("…")
    assert len(event.detail["tries"][0]) == 500
    assert event.detail["n"] == 1
    kept = "z" * 500
    assert audit.record(actor=None, action="x", detail={"u": kept}).detail["u"] == kept


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("get", "/api/orgunits?q=a%00b", None, "q"),
        ("get", "/api/orgunits/16%0039", None, "path"),
        ("post", "/api/assessments", {"unit": "169\x0039", "criteria_set": "x", "year": 2025},
         "unit"),
        ("post", "/api/auth/token", {"username": "a\x00b", "password": "p"}, "username"),
        ("put", "/api/indicators/values", {"values": [{"unit": "1"}], "note": "a\x00"}, "note"),
        ("put", "/api/indicators/values", {"values": [{"unit": "\x00"}]}, "values.0.unit"),
    ],
)
def test_a_nul_character_anywhere_is_a_422_naming_the_field(users, method, path, body, field):
    response = call(api_client_for(users.nghean), method, path, body)
    assert response.status_code == 422
    assert fields(response) == {field}
    assert response.json()["detail"] == "Không được chứa ký tự NUL (\\0)."


def test_a_multipart_request_without_a_boundary_is_a_400(users, assessment):  # noqa: F811
    client = api_client_for(users.thaihoa)
    client.raise_request_exception = False
    response = client.generic("POST", f"/api/assessments/{assessment.pk}/evidence",
                              b"--x\r\n", content_type="multipart/form-data")
    assert response.status_code == 400
    assert response.json()["detail"] == "Yêu cầu multipart thiếu boundary."


def test_a_note_longer_than_its_column_is_refused(users):
    body = {"values": [], "note": "n" * 301}
    response = call(api_client_for(users.nghean), "put", "/api/indicators/values", body)
    assert response.status_code == 422
    assert fields(response) == {"note"}
