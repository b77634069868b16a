import pytest

from tests.assessments.conftest import approved, pdf, ready_to_submit, submitted
from tests.conftest import api_client_for


def post(user, path, data):
    return api_client_for(user).post(path, data, content_type="application/json")


def test_list_is_scoped(assessment, users):
    mine = api_client_for(users.nghean).get("/api/assessments").json()
    theirs = api_client_for(users.thainguyen).get("/api/assessments").json()
    assert [item["id"] for item in mine["items"]] == [assessment.pk]
    assert theirs == {"count": 0, "items": []}


def test_list_filters_by_stage_and_year(assessment, users):
    client = api_client_for(users.nghean)
    assert client.get("/api/assessments?stage=submitted").json()["count"] == 0
    assert client.get("/api/assessments?year=2025&stage=draft").json()["count"] == 1


def test_list_queries_are_constant(assessment, users, ward_set, django_assert_max_num_queries):
    from tests.assessments.conftest import open_assessment

    others = [open_assessment(users, ward_set, code=code, year=2024, actor=users.nghean)
              for code in ("16939", "16993", "17003")]
    client = api_client_for(users.nghean)
    with django_assert_max_num_queries(6):
        response = client.get("/api/assessments")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    assert sorted(item["id"] for item in body["items"]) == sorted(
        a.pk for a in [assessment, *others]
    )


def test_create_opens_then_returns_the_existing(ward_set, users):
    body = {"unit": "16939", "criteria_set": "phuong-thu", "year": 2025}
    first = post(users.thaihoa, "/api/assessments", body)
    again = post(users.nghean, "/api/assessments", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["stage"] == "draft"
    assert first.json()["period_start"] == "2025-01-01"


def test_create_refuses_a_set_for_another_kind(ward_set, users):
    from kieumau.criteria.models import CriteriaSet

    CriteriaSet.objects.filter(pk=ward_set.pk).update(applies_to_kinds=["xa"])
    response = post(
        users.thaihoa,
        "/api/assessments",
        {"unit": "16939", "criteria_set": "phuong-thu", "year": 2025},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "criteria_set"


def test_viewer_cannot_create(ward_set, users):
    response = post(
        users.viewer,
        "/api/assessments",
        {"unit": "01840", "criteria_set": "phuong-thu", "year": 2025},
    )
    assert response.status_code == 403


def test_get_shows_criteria_and_allowed_actions(assessment, users):
    body = api_client_for(users.thaihoa).get(f"/api/assessments/{assessment.pk}").json()
    assert [c["code"] for c in body["criteria"]] == ["TC 1", "TC 2", "TC 3"]
    assert body["allowed_actions"] == ["submit"]
    assert body["editing_side"] == "unit"


def test_save_judgements(assessment, users):
    response = post(
        users.thaihoa,
        f"/api/assessments/{assessment.pk}/judgements",
        {
            "revision": assessment.revision,
            "judgements": [{"criterion": "TC 2", "status": "met", "comment": "Trụ sở mới"}],
        },
    )
    assert response.status_code == 200
    tc2 = next(c for c in response.json()["criteria"] if c["code"] == "TC 2")
    assert (tc2["self_status"], tc2["computed_status"]) == ("met", "met")


def test_stale_revision_answers_409(assessment, users):
    stale = assessment.revision
    post(
        users.nghean,
        f"/api/assessments/{assessment.pk}/judgements",
        {"revision": stale, "judgements": [{"criterion": "TC 2", "comment": "trước"}]},
    )
    response = post(
        users.thaihoa,
        f"/api/assessments/{assessment.pk}/judgements",
        {"revision": stale, "judgements": [{"criterion": "TC 2", "comment": "sau"}]},
    )
    assert response.status_code == 409
    assert response.json()["revision"] == stale + 1
    assert "tải lại để xem thay đổi" in response.json()["detail"]


def test_unknown_criterion_is_named(assessment, users):
    response = post(
        users.thaihoa,
        f"/api/assessments/{assessment.pk}/judgements",
        {"revision": assessment.revision, "judgements": [{"criterion": "TC 99", "status": "met"}]},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "TC 99"


def test_transition_flow(assessment, users):
    ready_to_submit(assessment, users)
    assessment.refresh_from_db()
    path = f"/api/assessments/{assessment.pk}/transitions"
    body = post(users.thaihoa, path, {"action": "submit", "revision": assessment.revision}).json()
    body = post(users.nghean, path, {"action": "approve", "revision": body["revision"]}).json()
    assert (body["stage"], body["is_locked"]) == ("approved", True)
    body = post(
        users.ministry,
        path,
        {
            "action": "recognise",
            "revision": body["revision"],
            "decision_number": "2878/QĐ-BCA",
            "decision_date": "2025-04-22",
            "issuing_body": "Bộ trưởng Bộ Công an",
        },
    ).json()
    assert body["stage"] == "recognised"
    assert body["recognition"]["decision_number"] == "2878/QĐ-BCA"
    assert [t["action"] for t in body["transitions"]] == ["submit", "approve", "recognise"]


def test_commune_officer_approving_gets_403(assessment, users):
    submitted(assessment, users)
    assessment.refresh_from_db()
    response = post(
        users.thaihoa,
        f"/api/assessments/{assessment.pk}/transitions",
        {"action": "approve", "revision": assessment.revision},
    )
    assert response.status_code == 403
    assert "Chỉ cấp trên" in response.json()["detail"]


def test_unlock_without_reason_is_422(assessment, users):
    approved(assessment, users)
    assessment.refresh_from_db()
    response = post(
        users.nghean,
        f"/api/assessments/{assessment.pk}/transitions",
        {"action": "unlock", "revision": assessment.revision},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "comment"


def test_evidence_upload_and_download(assessment, users):
    client = api_client_for(users.thaihoa)
    response = client.post(
        f"/api/assessments/{assessment.pk}/evidence", {"criterion": "TC 1", "file": pdf()}
    )
    assert response.status_code == 201
    item = response.json()
    assert item["content_type"] == "application/pdf"
    download = api_client_for(users.nghean).get(item["url"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert api_client_for(users.thainguyen).get(item["url"]).status_code == 404


def test_evidence_upload_refuses_a_fake_pdf(assessment, users):
    response = api_client_for(users.thaihoa).post(
        f"/api/assessments/{assessment.pk}/evidence",
        {"criterion": "TC 1", "file": pdf("x.pdf", b"not a pdf at all")},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "file"


def test_evidence_delete(assessment, users):
    ready_to_submit(assessment, users)
    item = assessment.evidence.get()
    response = api_client_for(users.thaihoa).delete(f"/api/evidence/{item.pk}")
    assert response.status_code == 204
    assert not assessment.evidence.exists()


def test_inspector_cannot_save_judgements(assessment, users):
    response = post(
        users.inspector,
        f"/api/assessments/{assessment.pk}/judgements",
        {"revision": assessment.revision, "judgements": []},
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "method,path",
    [("get", ""), ("post", "/judgements"), ("post", "/transitions"), ("post", "/evidence")],
)
def test_it_checks_scope(assessment, users, method, path):
    client = api_client_for(users.thainguyen)
    full = f"/api/assessments/{assessment.pk}{path}"
    data = {"revision": 1, "judgements": [], "action": "submit"}
    if method == "get":
        response = client.get(full)
    elif path == "/evidence":
        response = client.post(full, {"criterion": "TC 1", "file": pdf()})
    else:
        response = client.post(full, data, content_type="application/json")
    assert response.status_code == 404
    assert response.json()["detail"]
