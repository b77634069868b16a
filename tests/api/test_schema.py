"""The published schema tells the truth: one class per name, every error declared."""

from pydantic import BaseModel

from kieumau.api import api


def _models(annotation, seen):
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        for field in annotation.model_fields.values():
            _models(field.annotation, seen)
    for argument in getattr(annotation, "__args__", ()) or ():
        _models(argument, seen)


def _operations():
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            yield from path_view.operations


def test_no_two_response_classes_share_a_name():
    seen = set()
    for operation in _operations():
        for model in operation.response_models.values():
            if isinstance(model, type):
                _models(model, seen)
    names = [model.__name__ for model in seen if model.__name__ != "NinjaResponseSchema"]
    assert sorted(n for n in set(names) if names.count(n) > 1) == []
    assert {"JudgedCriterionOut", "StandingCriterionOut"} <= set(names)


def test_every_operation_declares_the_errors_it_can_answer(client):
    schema = client.get("/api/openapi.json", HTTP_HOST="localhost").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            declared = set(operation["responses"])
            assert {"400", "404", "422"} <= declared, (method, path)
            if path != "/api/auth/token":
                assert {"401", "403"} <= declared, (method, path)
    judgements = schema["paths"]["/api/assessments/{assessment_id}/judgements"]["post"]
    assert "409" in judgements["responses"]


def test_request_bodies_are_declared_as_strictly_as_they_are_checked(client):
    schemas = client.get("/api/openapi.json", HTTP_HOST="localhost").json()["components"]["schemas"]
    assert schemas["CreateIn"]["properties"]["year"] | {"title": None} == {
        "type": "integer", "minimum": 2000, "maximum": 2100, "title": None}
    assert schemas["JudgementsIn"]["properties"]["judgements"]["maxItems"] == 500
    assert schemas["Credentials"]["properties"]["username"]["maxLength"] == 150
    assert schemas["BulkIn"]["properties"]["note"]["maxLength"] == 300
