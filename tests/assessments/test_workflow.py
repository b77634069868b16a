import pytest
from django.core.exceptions import PermissionDenied

from kieumau.accounts.scope import NotVisible
from kieumau.assessments.errors import (
    AssessmentInputError,
    InvalidTransition,
    NotYourStep,
)
from kieumau.assessments.models import Transition
from kieumau.core.models import AuditEvent
from tests.assessments.conftest import (
    RECOGNITION,
    approved,
    ready_to_submit,
    step,
    submitted,
)


def test_new_assessment_starts_in_draft(assessment):
    assert (assessment.stage, assessment.is_locked) == ("draft", False)
    assert assessment.judgements.count() == 3


def test_unit_submits_its_own_assessment(assessment, users):
    submitted(assessment, users)
    assessment.refresh_from_db()
    assert assessment.stage == "submitted"


def test_submit_lists_criteria_missing_evidence_and_judgements(assessment, users):
    with pytest.raises(AssessmentInputError) as refused:
        step(assessment, users.thaihoa, "submit")
    assert "thiếu minh chứng: TC 1" in refused.value.detail
    assert "chưa tự đánh giá: TC 1, TC 2" in refused.value.detail
    assert {e["field"] for e in refused.value.errors} == {"TC 1", "TC 2"}


def test_reviewer_returns_with_a_comment(assessment, users):
    submitted(assessment, users)
    step(assessment, users.nghean, "return", comment="Bổ sung ảnh trụ sở")
    assessment.refresh_from_db()
    assert assessment.stage == "returned"
    assert assessment.transitions.last().comment == "Bổ sung ảnh trụ sở"


def test_return_needs_a_comment(assessment, users):
    submitted(assessment, users)
    with pytest.raises(AssessmentInputError) as refused:
        step(assessment, users.nghean, "return", comment="  ")
    assert refused.value.errors[0]["field"] == "comment"


def test_unit_resubmits_after_return(assessment, users):
    submitted(assessment, users)
    step(assessment, users.nghean, "return", comment="Bổ sung")
    step(assessment, users.thaihoa, "submit")
    assessment.refresh_from_db()
    assert assessment.stage == "submitted"


def test_approval_locks_the_assessment(assessment, users):
    approved(assessment, users)
    assessment.refresh_from_db()
    assert (assessment.stage, assessment.is_locked) == ("approved", True)


def test_commune_officer_cannot_approve_own_unit(assessment, users):
    submitted(assessment, users)
    with pytest.raises(NotYourStep):
        step(assessment, users.thaihoa, "approve")


def test_commune_officer_cannot_return_own_unit(assessment, users):
    submitted(assessment, users)
    with pytest.raises(NotYourStep):
        step(assessment, users.thaihoa, "return", comment="tự trả lại")


def test_thai_nguyen_officer_cannot_review_nghe_an(assessment, users):
    submitted(assessment, users)
    with pytest.raises(NotVisible):
        step(assessment, users.thainguyen, "approve")


def test_inspector_cannot_approve(assessment, users):
    submitted(assessment, users)
    with pytest.raises(PermissionDenied):
        step(assessment, users.inspector, "approve")


def test_approving_a_draft_is_not_a_step(assessment, users):
    with pytest.raises(InvalidTransition):
        step(assessment, users.nghean, "approve")


def test_province_officer_reviews_an_old_tree_ward(users, ward_set):
    from tests.assessments.conftest import open_assessment

    old = open_assessment(users, ward_set, code="16939", year=2024)  # phường Hòa Hiếu
    assert old.unit.name == "Phường Hoà Hiếu"
    submitted(old, users)
    step(old, users.nghean, "approve")
    old.refresh_from_db()
    assert old.stage == "approved"


def test_successor_ward_officer_is_not_level_above_its_old_ward(users, ward_set):
    from tests.assessments.conftest import open_assessment

    old = open_assessment(users, ward_set, code="16939", year=2024)
    submitted(old, users)
    with pytest.raises(NotYourStep):
        step(old, users.thaihoa, "approve")


def test_unlock_needs_a_reason(assessment, users):
    approved(assessment, users)
    with pytest.raises(AssessmentInputError):
        step(assessment, users.nghean, "unlock", comment="")


def test_only_level_above_unlocks(assessment, users):
    approved(assessment, users)
    with pytest.raises(NotYourStep):
        step(assessment, users.thaihoa, "unlock", comment="sửa số liệu")


def test_unlock_reopens_for_review(assessment, users):
    approved(assessment, users)
    step(assessment, users.nghean, "unlock", comment="Số liệu tháng 3 sai")
    assessment.refresh_from_db()
    assert (assessment.stage, assessment.is_locked) == ("submitted", False)


def test_recognition_records_the_decision(assessment, users):
    approved(assessment, users)
    step(assessment, users.ministry, "recognise", **RECOGNITION)
    assessment.refresh_from_db()
    assert assessment.stage == "recognised"
    assert assessment.recognition.decision_number == "2878/QĐ-BCA"
    assert assessment.recognition.issuing_body == "Bộ trưởng Bộ Công an"


def test_province_officer_cannot_recognise_a_ministry_title(assessment, users):
    approved(assessment, users)
    with pytest.raises(NotYourStep):
        step(assessment, users.nghean, "recognise", **RECOGNITION)


def test_province_officer_recognises_when_the_workflow_says_province(assessment, users):
    approved(assessment, users)
    assessment.workflow.recogniser_level = "province"
    assessment.workflow.save()
    step(assessment, users.nghean, "recognise", **RECOGNITION)
    assert assessment.stage == "recognised"


def test_recognition_needs_decision_details(assessment, users):
    approved(assessment, users)
    with pytest.raises(AssessmentInputError) as refused:
        step(
            assessment,
            users.ministry,
            "recognise",
            decision_number="",
            decision_date=None,
            issuing_body="",
        )
    fields = {e["field"] for e in refused.value.errors}
    assert fields == {"decision_number", "decision_date", "issuing_body"}


def test_recognition_refused_when_the_result_is_not_met(assessment, users):
    from tests.assessments.conftest import judge

    ready_to_submit(assessment, users)
    judge(assessment, users.thaihoa, tc2="not_met")
    step(assessment, users.thaihoa, "submit")
    step(assessment, users.nghean, "approve")
    with pytest.raises(AssessmentInputError):
        step(assessment, users.ministry, "recognise", **RECOGNITION)


def test_every_step_is_a_transition_row_and_an_audit_event(assessment, users):
    approved(assessment, users)
    step(assessment, users.nghean, "unlock", comment="sửa")
    rows = list(
        Transition.objects.filter(assessment=assessment).values_list(
            "action", "from_stage", "to_stage", "actor__username"
        )
    )
    assert rows == [
        ("submit", "draft", "submitted", "thaihoa"),
        ("approve", "submitted", "approved", "nghean"),
        ("unlock", "approved", "submitted", "nghean"),
    ]
    events = list(
        AuditEvent.objects.filter(
            object_type="assessments.assessment", object_id=str(assessment.pk)
        )
        .order_by("at", "id")
        .values_list("action", "detail")
    )
    steps = [
        (action, detail["from"], detail["to"])
        for action, detail in events
        if action in ("assessment.submit", "assessment.approve", "assessment.unlock")
    ]
    assert steps == [
        ("assessment.submit", "draft", "submitted"),
        ("assessment.approve", "submitted", "approved"),
        ("assessment.unlock", "approved", "submitted"),
    ]
    assert events[-1][1]["comment"] == "sửa"


def test_two_reviewers_acting_on_the_same_revision_the_second_conflicts(assessment, users):
    from kieumau.assessments.errors import AssessmentConflict
    from kieumau.assessments.models import Assessment
    from kieumau.assessments.workflow import apply_transition

    submitted(assessment, users)
    seen = Assessment.objects.visible_to(users.nghean).get(pk=assessment.pk)
    other = Assessment.objects.visible_to(users.ministry).get(pk=assessment.pk)
    apply_transition(
        actor=users.nghean, assessment=seen, action="approve", expected_revision=seen.revision
    )
    with pytest.raises(AssessmentConflict):
        apply_transition(
            actor=users.ministry,
            assessment=other,
            action="return",
            expected_revision=other.revision,
            comment="trả lại",
        )
    assessment.refresh_from_db()
    assert assessment.stage == "approved"
    assert assessment.transitions.count() == 2
