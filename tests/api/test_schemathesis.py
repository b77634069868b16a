"""Schemathesis against /api/openapi.json, signed in as a writer (a province officer with a bearer
token): no operation may answer a server error, and every answer must match what the published
schema declares (status code, content type, body). Examples per operation are few so the whole
run stays under about two minutes per database on a 2-core machine."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.assessments.conftest import (
    open_assessment,
    ward_set,  # noqa: F401  (a fixture)
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
MAX_EXAMPLES = 10


@pytest.fixture
def writer_token(users):
    from kieumau.accounts.services import issue_token

    return issue_token(user=users.nghean)


def _published_schema():
    """/api/openapi.json as the app serves it (it needs no database), run over WSGI."""
    from django.test import Client

    from kieumau.wsgi import application

    loaded = schemathesis.openapi.from_dict(Client(HTTP_HOST="localhost").get("/api/openapi.json").json())
    loaded.app = application
    return loaded


schema = _published_schema()


@pytest.fixture
def world(users, ward_set, settings, tmp_path):  # noqa: F811
    """One assessment in the officer's province so that reads find something; requests run inside
    the test's transaction (as Django's test client does, a request must not close it)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    open_assessment(users, ward_set)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
    derandomize=True,  # the same cases every run: a failure in CI is a change, not a dice roll
)
def test_api_answers_as_its_schema_says(case, world, writer_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {writer_token}"}, checks=CHECKS)
