"""Writes of assessments: opening one, saving judgements, storing the evaluation.

Transitions between stages live in workflow.py and evidence files in evidence.py; all three
share `claim_revision`, the optimistic-concurrency gate: a write names the revision its form was
rendered with, and an UPDATE … WHERE revision = expected either bumps it or finds nothing, so of
two people saving at once the second gets `AssessmentConflict` and nothing of theirs is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kieumau.accounts import scope
from kieumau.assessments import workflow
from kieumau.assessments.errors import (
    AssessmentConflict,
    AssessmentInputError,
    AssessmentLocked,
    NotEditableNow,
)
from kieumau.assessments.models import Assessment, CriterionJudgement
from kieumau.core import audit, bounds
from kieumau.core.dates import today
from kieumau.criteria.models import CriteriaSet, CriterionKind, SetStatus
from kieumau.criteria.selectors import set_applies_to_unit
from kieumau.orgunits.models import OrgUnit

JUDGED = ("met", "not_met")
MAX_COMMENT = 4000


# --- concurrency ----------------------------------------------------------------------------------


def claim_revision(*, assessment: Assessment, expected_revision: int, **fields) -> None:
    """Bump the revision if it is still `expected_revision` (setting `fields` in the same UPDATE),
    else raise `AssessmentConflict`. Call first inside the service's transaction: on PostgreSQL
    the row stays locked until commit, so the checks that follow see settled data."""
    now = timezone.now()
    changed = Assessment.objects.filter(pk=assessment.pk, revision=expected_revision).update(
        revision=F("revision") + 1, updated_at=now, **fields
    )
    if not changed:
        current = (
            Assessment.objects.filter(pk=assessment.pk).values("revision", "updated_at").first()
        )
        raise AssessmentConflict(
            current_revision=current["revision"] if current else None,
            updated_at=current["updated_at"] if current else None,
        )
    fresh = Assessment.objects.select_related("unit", "workflow", "criteria_set").get(
        pk=assessment.pk
    )
    for name in ("revision", "updated_at", "stage", "is_locked"):
        setattr(assessment, name, getattr(fresh, name))
    assessment.workflow = fresh.workflow


# --- evaluation -----------------------------------------------------------------------------------


def refresh_evaluation(assessment: Assessment):
    """Evaluate now and store the result on the assessment and its judgements.

    Derived data: the revision is not bumped (it does not change what anyone typed)."""
    from kieumau.assessments.evaluation import evaluate_assessment

    result = evaluate_assessment(assessment)
    outcome = result.outcome
    fields = {
        "met_count": outcome.met,
        "total_count": outcome.total,
        "points": outcome.points,
        "qualifies": outcome.qualifies,
        "grade": outcome.grade or "",
        "outcome_label": outcome.label[:200],
        "evaluated_at": timezone.now(),
    }
    Assessment.objects.filter(pk=assessment.pk).update(**fields)
    for name, value in fields.items():
        setattr(assessment, name, value)
    by_criterion = {
        row.criterion_id: row for row in CriterionJudgement.objects.filter(assessment=assessment)
    }
    changed = []
    for item in result.results:
        row = by_criterion.get(item.criterion.pk)
        if row is None:
            continue
        if (row.computed_status, row.explanation) != (item.status, item.explanation):
            row.computed_status, row.explanation = item.status, item.explanation
            changed.append(row)
    CriterionJudgement.objects.bulk_update(changed, ["computed_status", "explanation"])
    return result


# --- opening an assessment ------------------------------------------------------------------------


def _refuse(field: str, message: str):
    raise AssessmentInputError(message, [{"field": field, "message": message}])


def find_existing(*, unit: OrgUnit, criteria_set: CriteriaSet, year: int) -> Assessment | None:
    """The unit's assessment of the period ending in `year`, under any version of the set's code
    (a new version of a set in use must not open a second assessment of the same period)."""
    start, _end = criteria_set.period_ending_in(year)
    return (
        Assessment.objects.filter(unit=unit, set_code=criteria_set.code, period_start=start)
        .order_by("pk")
        .first()
    )


def create_assessment(*, actor, unit: OrgUnit, criteria_set: CriteriaSet, year: int) -> Assessment:
    """Open the assessment of `unit` against `criteria_set` for the period ending in `year`.

    Returns the existing one when it is already open, under this or any other version of the
    set, for the same period (so "open or create" is one call)."""
    return open_assessment(actor=actor, unit=unit, criteria_set=criteria_set, year=year).assessment


@dataclass(frozen=True, slots=True)
class Opened:
    assessment: Assessment
    created: bool  # False: it was open already (perhaps opened a moment ago by someone else)


@transaction.atomic
def open_assessment(*, actor, unit: OrgUnit, criteria_set: CriteriaSet, year: int) -> Opened:
    """`create_assessment`, saying whether this call created it: of two people opening the same
    assessment at once, exactly one is told it was created."""
    scope.require_write(actor, unit)
    if not bounds.year_in_range(year):
        _refuse(
            "year",
            _("Năm phải từ %(first)d đến %(last)d.")
            % {"first": bounds.FIRST_YEAR, "last": bounds.LAST_YEAR},
        )
    if criteria_set.status != SetStatus.PUBLISHED:
        _refuse(
            "criteria_set",
            _(
                "Bộ tiêu chí “%(set)s” chưa ban hành hoặc đã được thay thế; "
                "hãy chọn phiên bản đang áp dụng."
            )
            % {"set": criteria_set},
        )
    if unit.kind not in (criteria_set.applies_to_kinds or []):
        _refuse(
            "criteria_set",
            _("Bộ tiêu chí “%(set)s” không áp dụng cho %(kind)s.")
            % {"set": criteria_set.title, "kind": unit.get_kind_display()},
        )
    if not set_applies_to_unit(criteria_set=criteria_set, unit=unit):
        _refuse(
            "criteria_set",
            _(
                "Bộ tiêu chí “%(set)s” là bộ tiêu chí riêng của %(owner)s, "
                "không áp dụng cho %(unit)s."
            )
            % {"set": criteria_set.title, "owner": criteria_set.owner, "unit": unit.police_name},
        )
    try:
        start, end = criteria_set.period_ending_in(year)
    except ValueError:
        _refuse("year", _("Không có kỳ đánh giá nào kết thúc trong năm %(year)s.") % {"year": year})
    if start > today():
        _refuse(
            "year",
            _("Kỳ đánh giá %(start)s – %(end)s chưa bắt đầu.")
            % {"start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"},
        )
    if not unit.exists_on(end):
        _refuse(
            "unit",
            _("%(unit)s không tồn tại vào ngày cuối kỳ đánh giá (%(end)s).")
            % {"unit": unit.police_name, "end": f"{end:%d/%m/%Y}"},
        )
    # Two people opening the same unit's assessment at once: the second waits here (on SQLite
    # the transaction is IMMEDIATE already), then finds the first one's; the unique constraint
    # on (unit, set_code, period_start) is the last line.
    list(OrgUnit.objects.select_for_update().filter(pk=unit.pk).values_list("pk", flat=True))
    existing = find_existing(unit=unit, criteria_set=criteria_set, year=year)
    if existing is not None:
        return Opened(existing, created=False)
    flow = workflow.default_workflow()
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                unit=unit,
                criteria_set=criteria_set,
                set_code=criteria_set.code,
                period_start=start,
                period_end=end,
                workflow=flow,
                stage=flow.definition.initial.code,
                created_by=actor,
            )
    except IntegrityError:  # opened by someone else a moment ago
        return Opened(find_existing(unit=unit, criteria_set=criteria_set, year=year), created=False)
    criteria = list(criteria_set.criteria.order_by("order", "id"))
    CriterionJudgement.objects.bulk_create(
        [
            CriterionJudgement(
                assessment=assessment,
                criterion=criterion,
                computed_status="manual" if criterion.kind == CriterionKind.MANUAL else "no_data",
            )
            for criterion in criteria
        ]
    )
    audit.record(
        actor=actor,
        action="assessment.created",
        target=assessment,
        unit=unit,
        detail={
            "criteria_set": criteria_set.code,
            "version": criteria_set.version,
            "period": [start.isoformat(), end.isoformat()],
        },
    )
    refresh_evaluation(assessment)
    return Opened(assessment, created=True)


# --- judgements -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class JudgementInput:
    """What one person typed for one criterion; None leaves that part as it is.

    Which side it lands on (the unit's self-assessment or the reviewer's) follows the stage:
    the unit edits in draft/returned, the level above in submitted."""

    criterion_id: int
    status: str | None = None  # "met" | "not_met" | "" (clear)
    comment: str | None = None
    ref: str = ""  # the criterion's code, for messages


def editing_side(*, actor, assessment: Assessment) -> str:
    """ "unit" or "reviewer": the side `actor` edits now; raises when they may not edit."""
    scope.require_write(actor, assessment.unit)
    stage = assessment.stage_info
    if stage.locked:
        raise AssessmentLocked()
    side = workflow.may_edit(stage, workflow.capacities(actor, assessment))
    if side is None:
        raise NotEditableNow(stage.name)
    return side


@transaction.atomic
def save_judgements(
    *, actor, assessment: Assessment, expected_revision: int, items: Sequence[JudgementInput]
) -> Assessment:
    """Save a person's judgements and comments; refused whole on any bad item. Saving a form
    that changes nothing writes nothing (and so cannot conflict)."""
    side = editing_side(actor=actor, assessment=assessment)
    status_field, comment_field = (
        ("self_status", "self_comment") if side == "unit" else ("review_status", "review_comment")
    )
    rows = {
        row.criterion_id: row
        for row in CriterionJudgement.objects.filter(assessment=assessment).select_related(
            "criterion"
        )
    }
    errors, changed, changes = [], [], []
    for item in items:
        row = rows.get(item.criterion_id)
        if row is None:
            errors.append(
                {
                    "field": item.ref or str(item.criterion_id),
                    "message": _("Tiêu chí không thuộc bộ tiêu chí của hồ sơ này."),
                }
            )
            continue
        updates = _updates(
            row=row,
            item=item,
            status_field=status_field,
            comment_field=comment_field,
            errors=errors,
        )
        if updates:
            changed.append((row, updates))
            changes.append({"criterion": row.criterion.code, **updates})
    if errors:
        raise AssessmentInputError(_("Chưa lưu: có ô không hợp lệ."), errors)
    if not changed:
        return assessment
    # The rows above were read before the claim: if anyone wrote since the form was rendered,
    # the claim fails, so what they say is what the person saw.
    claim_revision(assessment=assessment, expected_revision=expected_revision)
    now = timezone.now()
    for row, updates in changed:
        for name, value in updates.items():
            setattr(row, name, value)
        row.updated_by, row.updated_at = actor, now
    CriterionJudgement.objects.bulk_update(
        [row for row, _updates in changed],
        [status_field, comment_field, "updated_by", "updated_at"],
    )
    audit.record(
        actor=actor,
        action="assessment.judgements_saved",
        target=assessment,
        unit=assessment.unit,
        detail={"side": side, "revision": assessment.revision, "changes": changes},
    )
    refresh_evaluation(assessment)
    return assessment


def _updates(
    *, row, item: JudgementInput, status_field: str, comment_field: str, errors: list
) -> dict[str, str]:
    code = row.criterion.code
    updates = {}
    if item.status is not None and item.status != getattr(row, status_field):
        if item.status not in (*JUDGED, ""):
            errors.append(
                {
                    "field": code,
                    "message": _("%(code)s: kết quả phải là “đạt” hoặc “chưa đạt”.")
                    % {"code": code},
                }
            )
            return {}
        if item.status and row.criterion.kind != CriterionKind.MANUAL:
            errors.append(
                {
                    "field": code,
                    "message": _(
                        "%(code)s được tính từ số liệu; chỉ ghi nhận xét, không chọn đạt/chưa đạt."
                    )
                    % {"code": code},
                }
            )
            return {}
        updates[status_field] = item.status
    if item.comment is not None and item.comment.strip() != getattr(row, comment_field):
        if len(item.comment) > MAX_COMMENT:
            errors.append(
                {
                    "field": code,
                    "message": _("%(code)s: nhận xét dài quá %(max)s ký tự.")
                    % {"code": code, "max": MAX_COMMENT},
                }
            )
            return {}
        updates[comment_field] = item.comment.strip()
    return updates
