import datetime as dt

import pytest

from kieumau.assessments.errors import (
    AssessmentConflict,
    AssessmentInputError,
    AssessmentLocked,
    NotEditableNow,
)
from kieumau.assessments.services import JudgementInput, save_judgements
from kieumau.core.models import AuditEvent
from kieumau.indicators.services import ValuesLocked
from tests.assessments.conftest import (
    approved,
    criterion,
    enter_value,
    judge,
    step,
    submitted,
)
from tests.conftest import unit


def save(assessment, actor, revision, code="TC 1", **fields):
    item = JudgementInput(criterion_id=criterion(assessment.criteria_set, code).pk, **fields)
    return save_judgements(
        actor=actor, assessment=assessment, expected_revision=revision, items=[item]
    )


def test_unit_judgement_lands_on_self_status(assessment, users):
    judge(assessment, users.thaihoa, tc1="met")
    row = assessment.judgements.get(criterion__code="TC 1")
    assert (row.self_status, row.self_comment, row.review_status) == ("met", "ý kiến tc1", "")


def test_saving_bumps_the_revision(assessment, users):
    before = assessment.revision
    judge(assessment, users.thaihoa, tc1="met")
    assessment.refresh_from_db()
    assert assessment.revision == before + 1


def test_second_save_with_the_same_revision_conflicts(assessment, users):
    from kieumau.assessments.models import Assessment

    seen = assessment.revision
    first = Assessment.objects.visible_to(users.thaihoa).get(pk=assessment.pk)
    second = Assessment.objects.visible_to(users.nghean).get(pk=assessment.pk)
    save(first, users.thaihoa, seen, status="met", comment="của người thứ nhất")
    with pytest.raises(AssessmentConflict) as conflict:
        save(second, users.nghean, seen, status="not_met", comment="của người thứ hai")
    row = assessment.judgements.get(criterion__code="TC 1")
    assert (row.self_status, row.self_comment) == ("met", "của người thứ nhất")
    assert conflict.value.current_revision == seen + 1
    assert "tải lại để xem thay đổi" in conflict.value.message


def test_saving_nothing_new_writes_nothing(assessment, users):
    judge(assessment, users.thaihoa, tc1="met")
    assessment.refresh_from_db()
    before = assessment.revision
    save(assessment, users.thaihoa, before - 1, status="met", comment="ý kiến tc1")
    assessment.refresh_from_db()
    assert assessment.revision == before


def test_computed_criterion_takes_a_comment_but_no_status(assessment, users):
    with pytest.raises(AssessmentInputError) as refused:
        save(assessment, users.thaihoa, assessment.revision, code="TC 3", status="met")
    assert refused.value.errors[0]["field"] == "TC 3"
    save(assessment, users.thaihoa, assessment.revision, code="TC 3", comment="đã xử lý hết")
    assert assessment.judgements.get(criterion__code="TC 3").self_comment == "đã xử lý hết"


def test_reviewer_judgement_lands_on_review_status_and_wins(assessment, users):
    submitted(assessment, users)
    save(
        assessment,
        users.nghean,
        assessment.revision,
        code="TC 2",
        status="not_met",
        comment="trụ sở chưa đạt",
    )
    row = assessment.judgements.get(criterion__code="TC 2")
    assert (row.self_status, row.review_status) == ("met", "not_met")
    assert row.computed_status == "not_met"
    assessment.refresh_from_db()
    assert assessment.qualifies is False


def test_unit_cannot_edit_while_submitted(assessment, users):
    submitted(assessment, users)
    with pytest.raises(NotEditableNow):
        save(assessment, users.thaihoa, assessment.revision, status="not_met")


def test_locked_assessment_refuses_judgements(assessment, users):
    approved(assessment, users)
    with pytest.raises(AssessmentLocked):
        save(assessment, users.nghean, assessment.revision, comment="muộn")


def test_stored_result_follows_judgements(assessment, users):
    judge(assessment, users.thaihoa, tc1="met", tc2="met")
    assessment.refresh_from_db()
    assert (assessment.met_count, assessment.total_count) == (2, 3)
    assert assessment.outcome_label.startswith("2/3 tiêu chí")


def test_judgements_are_audited(assessment, users):
    judge(assessment, users.thaihoa, tc2="not_met")
    event = AuditEvent.objects.filter(action="assessment.judgements_saved").get()
    assert event.actor == users.thaihoa
    assert event.detail["changes"] == [
        {"criterion": "TC 2", "self_status": "not_met", "self_comment": "ý kiến tc2"}
    ]


def test_approval_locks_indicator_values_of_the_period(assessment, users):
    thai_hoa = unit("16939")
    enter_value(users.thaihoa, thai_hoa, "tin_bao_da_xu_ly", dt.date(2025, 8, 1), 3)
    approved(assessment, users)
    with pytest.raises(ValuesLocked):
        enter_value(users.thaihoa, thai_hoa, "tin_bao_da_xu_ly", dt.date(2025, 8, 1), 4)


def test_approval_locks_values_of_the_wards_it_was_formed_from(assessment, users):
    hoa_hieu = unit("16939", dt.date(2025, 3, 1))
    enter_value(users.thaihoa, hoa_hieu, "tin_bao_da_xu_ly", dt.date(2025, 3, 1), 2)
    approved(assessment, users)
    with pytest.raises(ValuesLocked):
        enter_value(users.thaihoa, hoa_hieu, "tin_bao_da_xu_ly", dt.date(2025, 3, 1), 5)


def test_unlock_releases_the_values(assessment, users):
    thai_hoa = unit("16939")
    enter_value(users.thaihoa, thai_hoa, "tin_bao_da_xu_ly", dt.date(2025, 8, 1), 3)
    approved(assessment, users)
    step(assessment, users.nghean, "unlock", comment="sửa số liệu tháng 8")
    enter_value(users.thaihoa, thai_hoa, "tin_bao_da_xu_ly", dt.date(2025, 8, 1), 4)
    from kieumau.indicators.models import IndicatorValue

    stored = IndicatorValue.objects.get(
        unit=thai_hoa, indicator__code="tin_bao_da_xu_ly", month=dt.date(2025, 8, 1)
    )
    assert (stored.value, stored.locked) == (4, False)
