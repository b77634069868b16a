"""Assessments in the JSON API: list, open, read, save judgements, take a step, evidence files.

Ids are the numeric primary keys. Out of scope answers 404; read-only roles 403; a stale
`revision` 409 with the current one; bad input 422 with the fields named.
"""

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from kieumau.accounts import scope
from kieumau.assessments import evidence as evidence_service
from kieumau.assessments import selectors, services, workflow
from kieumau.assessments.errors import AssessmentConflict, AssessmentInputError, NotYourStep
from kieumau.assessments.models import Assessment
from kieumau.core import bounds
from kieumau.core.dates import today
from kieumau.core.schemas import (
    Code,
    Day,
    Mapped,
    OptionalCode,
    Problem,
    SetCode,
    Version,
    Year,
    paginator,
    text,
)
from kieumau.criteria import selectors as criteria_selectors
from kieumau.orgunits import selectors as unit_selectors

router = Router(tags=["assessments"])
MAX_JUDGEMENTS = 500


class ConflictOut(Schema):
    detail: str
    revision: int | None
    updated_at: dt.datetime | None


class AssessmentOut(Schema):
    id: int
    unit: str
    unit_name: str
    criteria_set: str
    version: str
    period_start: dt.date
    period_end: dt.date
    stage: str
    stage_name: str
    is_locked: bool
    revision: int
    met: int
    total: int
    qualifies: bool | None
    grade: str
    outcome: str
    updated_at: dt.datetime


class EvidenceOut(Schema):
    id: int
    criterion: str
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime
    url: str


class JudgedCriterionOut(Schema):
    code: str
    title: str
    group: str | None
    kind: str
    evidence_required: bool
    computed_status: str
    explanation: str
    self_status: str
    self_comment: str
    review_status: str
    review_comment: str
    evidence: list[EvidenceOut]


class TransitionOut(Schema):
    action: str
    from_stage: str
    to_stage: str
    actor: str | None
    at: dt.datetime
    comment: str


class RecognitionOut(Schema):
    decision_number: str
    decision_date: dt.date
    issuing_body: str
    note: str


class AssessmentDetail(AssessmentOut):
    criteria: list[JudgedCriterionOut]
    transitions: list[TransitionOut]
    recognition: RecognitionOut | None
    allowed_actions: list[str]
    editing_side: str | None
    # How much of the period is behind the result: months with data, months still open
    # ("YYYY-MM"); provisional until the period is over and the assessment locked.
    months_with_data: int
    months_total: int
    open_months: list[str]
    provisional: bool


def _out(a: Assessment) -> dict:
    return {
        "id": a.pk,
        "unit": a.unit.code,
        "unit_name": a.unit.police_name,
        "criteria_set": a.criteria_set.code,
        "version": a.criteria_set.version,
        "period_start": a.period_start,
        "period_end": a.period_end,
        "stage": a.stage,
        "stage_name": a.stage_info.name_vi,
        "is_locked": a.is_locked,
        "revision": a.revision,
        "met": a.met_count,
        "total": a.total_count,
        "qualifies": a.qualifies,
        "grade": a.grade,
        "outcome": a.outcome_label,
        "updated_at": a.updated_at,
    }


def _evidence_out(item) -> dict:
    return {
        "id": item.pk,
        "criterion": item.criterion.code,
        "name": item.original_name,
        "content_type": item.content_type,
        "size": item.size,
        "sha256": item.sha256,
        "uploaded_at": item.uploaded_at,
        "url": reverse("api:download_evidence", kwargs={"evidence_id": item.pk}),
    }


def _detail(user, assessment: Assessment) -> dict:
    page = selectors.assessment_page(user, assessment)
    criteria = []
    for group in page.groups:
        for row in group.rows:
            j = row.judgement
            criteria.append(
                {
                    "code": row.criterion.code,
                    "title": row.criterion.title,
                    "group": row.criterion.group.code if row.criterion.group else None,
                    "kind": row.criterion.kind,
                    "evidence_required": row.criterion.evidence_required,
                    "computed_status": row.status,
                    "explanation": row.explanation,
                    "self_status": j.self_status,
                    "self_comment": j.self_comment,
                    "review_status": j.review_status,
                    "review_comment": j.review_comment,
                    "evidence": [_evidence_out(item) for item in row.evidence],
                }
            )
    recognition = page.recognition
    return {
        **_out(assessment),
        "met": page.met,
        "total": page.total,
        "qualifies": page.qualifies,
        "outcome": page.label,
        "criteria": criteria,
        "transitions": [
            {
                "action": t.action,
                "from_stage": t.from_stage,
                "to_stage": t.to_stage,
                "actor": t.actor.username if t.actor else None,
                "at": t.at,
                "comment": t.comment,
            }
            for t in page.transitions
        ],
        "recognition": None
        if recognition is None
        else {
            "decision_number": recognition.decision_number,
            "decision_date": recognition.decision_date,
            "issuing_body": recognition.issuing_body,
            "note": recognition.note,
        },
        "allowed_actions": [step.action for step in page.steps],
        "editing_side": page.edit_side,
        "months_with_data": page.coverage.filled,
        "months_total": page.coverage.total,
        "open_months": [month.strftime("%Y-%m") for month in page.coverage.open],
        "provisional": page.provisional,
    }


def _unknown_criteria(codes: list[str], *, field: str | None = None) -> dict:
    message = _("Tiêu chí không thuộc bộ tiêu chí của hồ sơ.")
    return {
        "detail": message,
        "errors": [{"field": field or code, "message": f"{message} ({code})"} for code in codes],
    }


def _problem(error: AssessmentInputError) -> dict:
    return {"detail": error.detail, "errors": error.errors}


def _conflict(conflict: AssessmentConflict) -> dict:
    return {
        "detail": conflict.message,
        "revision": conflict.current_revision,
        "updated_at": conflict.updated_at,
    }


class AssessmentFilters(Schema):
    set: text(bounds.MAX_SET_CODE) = ""
    year: Year | None = None
    stage: OptionalCode = ""
    unit: OptionalCode = ""
    as_of: Day | None = None


@router.get("/assessments", response=list[AssessmentOut], summary="Hồ sơ đánh giá trong phạm vi")
@paginate(paginator(default=100, max_limit=500))
def list_assessments(request: HttpRequest, filters: Query[AssessmentFilters]):
    """`{"count": N, "items": [...]}`; `limit` (1–500, default 100) and `offset` page it."""
    unit_ids = None
    if filters.unit:
        unit = unit_selectors.unit_for(
            request.auth, code=filters.unit, as_of=filters.as_of or today()
        )
        unit_ids = [unit.pk]
    found = selectors.assessments_for(
        request.auth,
        set_code=filters.set,
        year=filters.year,
        stage=filters.stage,
        unit_ids=unit_ids,
    )
    return Mapped(found, _out)


class CreateIn(Schema):
    unit: Code
    criteria_set: SetCode
    version: Version | None = None
    year: Year


@router.post(
    "/assessments",
    response={200: AssessmentDetail, 201: AssessmentDetail, 403: Problem, 422: Problem},
    summary="Mở hồ sơ đánh giá (trả hồ sơ đã có nếu đã mở)",
)
def create_assessment(request: HttpRequest, payload: CreateIn):
    scope.require_write(request.auth)
    criteria_set = criteria_selectors.get_set(code=payload.criteria_set, version=payload.version)
    try:
        _start, end = criteria_set.period_ending_in(payload.year)
    except ValueError:
        message = _("Không có kỳ đánh giá nào kết thúc trong năm này.")
        return Status(422, {"detail": message, "errors": [{"field": "year", "message": message}]})
    unit = unit_selectors.unit_for(request.auth, code=payload.unit, as_of=end)
    try:
        opened = services.open_assessment(
            actor=request.auth, unit=unit, criteria_set=criteria_set, year=payload.year
        )
    except AssessmentInputError as error:
        return Status(422, _problem(error))
    return Status(201 if opened.created else 200, _detail(request.auth, opened.assessment))


@router.get("/assessments/{assessment_id}", response=AssessmentDetail, summary="Một hồ sơ")
def get_assessment(request: HttpRequest, assessment_id: int):
    return _detail(request.auth, selectors.get_assessment(request.auth, assessment_id))


class JudgementIn(Schema):
    criterion: Code
    status: Literal["met", "not_met", ""] | None = None
    comment: text(services.MAX_COMMENT) | None = None


class JudgementsIn(Schema):
    revision: int = Field(..., ge=1, le=2_147_483_647)
    # A set has tens of criteria; one item per criterion is all a save can carry.
    judgements: list[JudgementIn] = Field(..., max_length=MAX_JUDGEMENTS)


@router.post(
    "/assessments/{assessment_id}/judgements",
    response={200: AssessmentDetail, 403: Problem, 409: ConflictOut, 422: Problem},
    summary="Lưu tự đánh giá hoặc thẩm định (theo bước hiện tại)",
)
def save_judgements(request: HttpRequest, assessment_id: int, payload: JudgementsIn):
    assessment = selectors.get_assessment(request.auth, assessment_id)
    scope.require_write(request.auth, assessment.unit)
    by_code = dict(assessment.criteria_set.criteria.values_list("code", "pk"))
    unknown = [item.criterion for item in payload.judgements if item.criterion not in by_code]
    if unknown:
        return Status(422, _unknown_criteria(unknown))
    items = [
        services.JudgementInput(
            criterion_id=by_code[item.criterion],
            status=item.status,
            comment=item.comment,
            ref=item.criterion,
        )
        for item in payload.judgements
    ]
    try:
        services.save_judgements(
            actor=request.auth,
            assessment=assessment,
            expected_revision=payload.revision,
            items=items,
        )
    except AssessmentConflict as conflict:
        return Status(409, _conflict(conflict))
    except AssessmentInputError as error:
        return Status(422, _problem(error))
    return Status(200, _detail(request.auth, assessment))


class TransitionIn(Schema):
    action: Literal["submit", "return", "approve", "unlock", "recognise"]
    revision: int = Field(..., ge=1, le=2_147_483_647)
    comment: text(services.MAX_COMMENT) = ""
    decision_number: text(64) = ""
    decision_date: Day | None = None
    issuing_body: text(200) = ""
    note: text(1000) = ""


@router.post(
    "/assessments/{assessment_id}/transitions",
    response={200: AssessmentDetail, 403: Problem, 409: ConflictOut, 422: Problem},
    summary="Chuyển bước: gửi, trả lại, thẩm định, mở khóa, công nhận",
)
def take_step(request: HttpRequest, assessment_id: int, payload: TransitionIn):
    assessment = selectors.get_assessment(request.auth, assessment_id)
    recognition = workflow.RecognitionInput(
        decision_number=payload.decision_number,
        decision_date=payload.decision_date,
        issuing_body=payload.issuing_body,
        note=payload.note,
    )
    try:
        workflow.apply_transition(
            actor=request.auth,
            assessment=assessment,
            action=payload.action,
            expected_revision=payload.revision,
            comment=payload.comment,
            recognition=recognition,
        )
    except AssessmentConflict as conflict:
        return Status(409, _conflict(conflict))
    except NotYourStep as refused:
        return Status(403, {"detail": refused.message})
    except AssessmentInputError as error:
        return Status(422, _problem(error))
    return Status(200, _detail(request.auth, assessment))


@router.post(
    "/assessments/{assessment_id}/evidence",
    response={201: EvidenceOut, 403: Problem, 422: Problem},
    summary="Tải lên minh chứng (multipart: criterion, file)",
)
def upload_evidence(
    request: HttpRequest,
    assessment_id: int,
    criterion: Form[str] = "",
    file: File[UploadedFile] = None,
):
    # Both parts are checked here, after scope, so an outsider gets 404 whatever they send.
    assessment = selectors.get_assessment(request.auth, assessment_id)
    scope.require_write(request.auth, assessment.unit)
    criterion_id = (
        assessment.criteria_set.criteria.filter(code=criterion).values_list("pk", flat=True).first()
    )
    if criterion_id is None:
        return Status(422, _unknown_criteria([criterion], field="criterion"))
    if file is None:
        message = _("Chọn tệp minh chứng.")
        return Status(422, {"detail": message, "errors": [{"field": "file", "message": message}]})
    try:
        item = evidence_service.upload_evidence(
            actor=request.auth, assessment=assessment, criterion_id=criterion_id, upload=file
        )
    except AssessmentInputError as error:
        return Status(422, _problem(error))
    return Status(201, _evidence_out(item))


@router.get(
    "/evidence/{evidence_id}", url_name="download_evidence", summary="Tải về tệp minh chứng"
)
def download_evidence(request: HttpRequest, evidence_id: int):
    return evidence_service.file_response(selectors.get_evidence(request.auth, evidence_id))


@router.delete(
    "/evidence/{evidence_id}",
    response={204: None, 403: Problem, 422: Problem},
    summary="Xóa minh chứng",
)
def delete_evidence(request: HttpRequest, evidence_id: int):
    item = selectors.get_evidence(request.auth, evidence_id)
    scope.require_write(request.auth, item.assessment.unit)
    try:
        evidence_service.delete_evidence(actor=request.auth, evidence=item)
    except AssessmentInputError as error:
        return Status(422, _problem(error))
    return Status(204, None)
