"""Opening an assessment: one per unit, criteria set code and period, whichever version."""

from kieumau.assessments.models import Assessment
from tests.assessments.conftest import approved, open_assessment
from tests.conftest import api_client_for


def new_version(criteria_set, users):
    """Edit a set in use, as an admin does: that makes a new version ("2024" → "2024.2")."""
    from kieumau.criteria.services import update_set_fields

    revised = update_set_fields(
        actor=users.ministry, criteria_set=criteria_set, changes={"title": "Phường thử (sửa)"}
    )
    assert revised.pk != criteria_set.pk
    return revised


def test_a_new_version_opens_the_existing_assessment_of_the_same_period(assessment, users):
    approved(assessment, users)
    revised = new_version(assessment.criteria_set, users)
    again = open_assessment(users, revised)
    assert again.pk == assessment.pk
    assert again.criteria_set_id == assessment.criteria_set_id
    assert Assessment.objects.filter(unit=assessment.unit).count() == 1


def test_the_api_answers_200_with_the_existing_one_under_a_new_version(assessment, users):
    revised = new_version(assessment.criteria_set, users)
    body = {"unit": "16939", "criteria_set": "phuong-thu", "version": revised.version, "year": 2025}
    response = api_client_for(users.thaihoa).post(
        "/api/assessments", body, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["id"] == assessment.pk


def test_the_assessment_keeps_its_set_code(assessment):
    assert assessment.set_code == "phuong-thu"
