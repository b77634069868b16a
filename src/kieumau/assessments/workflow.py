"""Assessment workflows as data: stages, the transitions between them, and who may take each.

A workflow is stored on a `Workflow` row (stages and transitions as JSON) and read through
`Definition`, which checks it once. The default one ships in catalog/workflow.yaml. Code never
names a stage: it asks the definition whether a stage is locked, who edits in it, and which
actions leave it.

Who may act ("capacities" of a user towards one assessment):
- ``unit``: a writer whose scope contains the assessed unit — its own commune officers (also those
  of the unit that succeeded it), or a province officer / the ministry acting for it;
- ``level_above``: a writer whose home unit sits above the assessed unit: the scope reaches the
  unit (as an ancestor on some date, or through the lineage of a merged unit) and the home unit is
  of a higher level. So a commune's own officers never review it, and Nghệ An's officers review the
  old wards of thị xã Thái Hòa as well as today's phường Thái Hòa;
- ``recogniser``: the ministry; province officers (level above) too when the workflow's
  ``recogniser_level`` is "province" (titles granted by a province, not by the Minister).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

import yaml
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kieumau.accounts import scope
from kieumau.accounts.models import Role
from kieumau.assessments.errors import (
    AssessmentConflict,
    AssessmentInputError,
    InvalidTransition,
    NotYourStep,
)
from kieumau.core import audit
from kieumau.core.dates import today
from kieumau.indicators.services import hold_units, lock_values, unlock_values

Editor = Literal["unit", "reviewer"]
Who = Literal["unit", "level_above", "recogniser"]
WHO: Final = ("unit", "level_above", "recogniser")
EDITORS: Final = ("unit", "reviewer")
RECOGNISER_LEVELS: Final = ("ministry", "province")
DEFAULT_CODE: Final = "default"
DEFAULT_FILE: Final = Path(__file__).parent / "catalog" / "workflow.yaml"
_LEVEL_RANK: Final = {"ministry": 0, "province": 1, "district": 2, "commune": 3, "grassroots": 4}


class WorkflowDefinitionError(ValueError):
    """A workflow's stages or transitions do not hold together."""


def _shown(name_vi: str, name_en: str) -> str:
    """A stage's or step's name in the language of the request (English falls back to Vietnamese
    when the workflow gives no English name)."""
    return name_en if name_en and (get_language() or "").startswith("en") else name_vi


@dataclass(frozen=True, slots=True)
class Stage:
    code: str
    name_vi: str
    editable_by: Editor | None
    locked: bool
    name_en: str = ""

    @property
    def name(self) -> str:
        return _shown(self.name_vi, self.name_en)


@dataclass(frozen=True, slots=True)
class Step:
    """One transition: `action` taken in stage `source` leads to stage `target`."""

    source: str
    target: str
    action: str
    name_vi: str
    who: Who
    comment_required: bool = False
    requires_complete: bool = False  # evidence and manual judgements must be there (submit)
    records_recognition: bool = False  # decision number, date and issuing body are required
    name_en: str = ""

    @property
    def name(self) -> str:
        return _shown(self.name_vi, self.name_en)


@dataclass(frozen=True, slots=True)
class Definition:
    stages: tuple[Stage, ...]
    steps: tuple[Step, ...]
    recogniser_level: str = "ministry"

    @property
    def initial(self) -> Stage:
        return self.stages[0]

    def stage(self, code: str) -> Stage:
        for stage in self.stages:
            if stage.code == code:
                return stage
        raise WorkflowDefinitionError(f"unknown stage {code!r}")

    def steps_from(self, stage: str) -> list[Step]:
        return [step for step in self.steps if step.source == stage]

    def step(self, *, stage: str, action: str) -> Step | None:
        return next((s for s in self.steps if s.source == stage and s.action == action), None)

    @property
    def actions(self) -> list[str]:
        return list(dict.fromkeys(step.action for step in self.steps))


def _english(item: dict, kind: str) -> str:
    """`name_en` of a stage or transition; a workflow stored before English names existed borrows
    them from the shipped YAML where the Vietnamese name is the same."""
    value = item.get("name_en")
    if isinstance(value, str) and value.strip():
        return value.strip()
    return _shipped_english(kind).get(str(item.get("name_vi", "")).strip(), "")


@functools.cache
def _shipped_english(kind: str) -> dict[str, str]:
    return {
        entry["name_vi"]: entry["name_en"]
        for entry in read_yaml().get(kind, [])
        if entry.get("name_en")
    }


def _text(item: dict, key: str, where: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise WorkflowDefinitionError(f"{where}: {key} must be a non-empty string")
    return value.strip()


def parse_definition(
    *,
    stages: list[dict[str, Any]],
    transitions: list[dict[str, Any]],
    recogniser_level: str = "ministry",
) -> Definition:
    """Check and read a workflow's JSON; raise `WorkflowDefinitionError` naming what is wrong."""
    if not isinstance(stages, list) or not stages:
        raise WorkflowDefinitionError("stages: at least one stage is needed")
    if recogniser_level not in RECOGNISER_LEVELS:
        raise WorkflowDefinitionError(f"recogniser_level must be one of {RECOGNISER_LEVELS}")
    parsed_stages: list[Stage] = []
    for index, item in enumerate(stages):
        where = f"stages[{index}]"
        if not isinstance(item, dict):
            raise WorkflowDefinitionError(f"{where}: must be a mapping")
        editable_by = item.get("editable_by")
        if editable_by not in (*EDITORS, None):
            raise WorkflowDefinitionError(f"{where}: editable_by must be unit, reviewer or null")
        locked = item.get("locked", False)
        if not isinstance(locked, bool):
            raise WorkflowDefinitionError(f"{where}: locked must be true or false")
        if locked and editable_by is not None:
            raise WorkflowDefinitionError(f"{where}: a locked stage cannot be editable")
        parsed_stages.append(
            Stage(
                code=_text(item, "code", where),
                name_vi=_text(item, "name_vi", where),
                editable_by=editable_by,
                locked=locked,
                name_en=_english(item, "stages"),
            )
        )
    codes = [stage.code for stage in parsed_stages]
    if len(set(codes)) != len(codes):
        raise WorkflowDefinitionError("stages: codes must be unique")
    if parsed_stages[0].locked:
        raise WorkflowDefinitionError("stages: the first (initial) stage cannot be locked")
    steps: list[Step] = []
    for index, item in enumerate(transitions or []):
        where = f"transitions[{index}]"
        if not isinstance(item, dict):
            raise WorkflowDefinitionError(f"{where}: must be a mapping")
        step = Step(
            source=_text(item, "from", where),
            target=_text(item, "to", where),
            action=_text(item, "action", where),
            name_vi=_text(item, "name_vi", where),
            who=item.get("who"),  # checked below
            comment_required=bool(item.get("comment_required", False)),
            requires_complete=bool(item.get("requires_complete", False)),
            records_recognition=bool(item.get("records_recognition", False)),
            name_en=_english(item, "transitions"),
        )
        if step.who not in WHO:
            raise WorkflowDefinitionError(f"{where}: who must be one of {WHO}")
        for end in (step.source, step.target):
            if end not in codes:
                raise WorkflowDefinitionError(f"{where}: unknown stage {end!r}")
        if any(s.source == step.source and s.action == step.action for s in steps):
            raise WorkflowDefinitionError(
                f"{where}: action {step.action!r} twice from {step.source!r}"
            )
        steps.append(step)
    return Definition(
        stages=tuple(parsed_stages), steps=tuple(steps), recogniser_level=recogniser_level
    )


def read_yaml(path: Path = DEFAULT_FILE) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    parse_definition(
        stages=data.get("stages"),
        transitions=data.get("transitions"),
        recogniser_level=data.get("recogniser_level", "ministry"),
    )
    return data


@transaction.atomic
def load_default_workflow():
    """Create or refresh the default workflow from its YAML; idempotent."""
    from kieumau.assessments.models import Workflow

    data = read_yaml()
    workflow, _ = Workflow.objects.update_or_create(
        code=data["code"],
        defaults={
            "name": data["name"],
            "stages": data["stages"],
            "transitions": data["transitions"],
            "recogniser_level": data.get("recogniser_level", "ministry"),
        },
    )
    return workflow


def default_workflow():
    from kieumau.assessments.models import Workflow

    return Workflow.objects.filter(code=DEFAULT_CODE).first() or load_default_workflow()


# --- who may act ----------------------------------------------------------------------------------


def capacities(user, assessment) -> frozenset[str]:
    """The capacities (``unit``, ``level_above``, ``recogniser``) of `user` towards `assessment`.

    Empty for read-only roles and for anyone whose scope does not reach the unit.
    """
    if not getattr(user, "can_write", False) or user.home_unit_id is None:
        return frozenset()
    unit = assessment.unit
    if not scope.can_see_unit(user, unit):
        return frozenset()
    found = {"unit"}
    home_rank = _LEVEL_RANK.get(user.home_unit.level, 99)
    if home_rank < _LEVEL_RANK.get(unit.level, 99):
        found.add("level_above")
    recogniser_level = assessment.workflow.recogniser_level
    if user.role == Role.MINISTRY_ADMIN or (
        recogniser_level == "province"
        and "level_above" in found
        and user.role == Role.PROVINCE_OFFICER
    ):
        found.add("recogniser")
    return frozenset(found)


def may_take(step: Step, capacities_of_user: frozenset[str]) -> bool:
    return step.who in capacities_of_user


def may_edit(stage: Stage, capacities_of_user: frozenset[str]) -> Editor | None:
    """Which side of the judgements the user edits in this stage, or None."""
    if stage.locked or stage.editable_by is None:
        return None
    if stage.editable_by == "unit" and "unit" in capacities_of_user:
        return "unit"
    if stage.editable_by == "reviewer" and "level_above" in capacities_of_user:
        return "reviewer"
    return None


# --- taking a step --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RecognitionInput:
    decision_number: str
    decision_date: dt.date | None
    issuing_body: str
    note: str = ""


def _who_message(step: Step) -> str:
    if step.who == "level_above":
        return _(
            "Chỉ cấp trên của đơn vị (Công an tỉnh, Bộ Công an) mới được “%(step)s”; "
            "đơn vị không tự thẩm định hồ sơ của mình."
        ) % {"step": step.name}
    if step.who == "recogniser":
        return _("Chỉ cấp có thẩm quyền công nhận mới được “%(step)s”.") % {"step": step.name}
    return _("Chỉ đơn vị được đánh giá (hoặc cấp trên thay mặt) mới được “%(step)s”.") % {
        "step": step.name
    }


def _check_recognition(recognition: RecognitionInput | None) -> RecognitionInput:
    recognition = recognition or RecognitionInput("", None, "")
    errors = []
    if not recognition.decision_number.strip():
        errors.append({"field": "decision_number", "message": _("Cần số quyết định công nhận.")})
    if recognition.decision_date is None:
        errors.append({"field": "decision_date", "message": _("Cần ngày của quyết định.")})
    elif recognition.decision_date > today():
        errors.append(
            {"field": "decision_date", "message": _("Ngày quyết định không được sau hôm nay.")}
        )
    if not recognition.issuing_body.strip():
        errors.append({"field": "issuing_body", "message": _("Cần cơ quan, người ban hành.")})
    if errors:
        raise AssessmentInputError(_("Chưa ghi nhận: thiếu thông tin quyết định."), errors)
    return recognition


def _check_complete(assessment) -> None:
    from kieumau.assessments.selectors import incomplete

    missing = incomplete(assessment)
    errors = [
        {"field": c.code, "message": _("%(code)s: cần tải lên minh chứng.") % {"code": c.code}}
        for c in missing.evidence
    ]
    errors += [
        {
            "field": c.code,
            "message": _("%(code)s: chưa tự đánh giá đạt/chưa đạt.") % {"code": c.code},
        }
        for c in missing.judgement
    ]
    if errors:
        parts = []
        if missing.evidence:
            parts.append(
                _("thiếu minh chứng: %(codes)s")
                % {"codes": ", ".join(c.code for c in missing.evidence)}
            )
        if missing.judgement:
            parts.append(
                _("chưa tự đánh giá: %(codes)s")
                % {"codes": ", ".join(c.code for c in missing.judgement)}
            )
        raise AssessmentInputError(
            _("Chưa gửi được: %(what)s.") % {"what": "; ".join(parts)}, errors
        )


def value_spans(assessment) -> list[tuple[list[int], dt.date, dt.date]]:
    """The indicator values an assessment uses, as (unit ids, start, end): its period and each
    earlier period its rules compare with (prev_year), for the unit and the units it was formed
    from (evaluation rolls their figures up for the months before the unit existed)."""
    from kieumau.criteria.models import CriterionKind
    from kieumau.criteria.periods import add_months
    from kieumau.criteria.rules import RuleError
    from kieumau.criteria.selectors import indicator_codes
    from kieumau.orgunits.tree import lineage_roots

    known = indicator_codes()
    years = {0}
    for criterion in assessment.criteria_set.criteria.filter(kind=CriterionKind.INDICATOR_RULE):
        try:
            years |= {ref[2] for ref in criterion.compiled_rule(known_indicators=known).references}
        except RuleError:  # a broken rule uses no values (evaluation says so)
            continue
    unit_ids = sorted(unit.pk for unit in lineage_roots(assessment.unit))
    return [
        (
            unit_ids,
            add_months(assessment.period_start, -12 * back),
            add_months(assessment.period_end, -12 * back),
        )
        for back in sorted(years)
    ]


def _lock_values(assessment, *, actor) -> None:
    for unit_ids, start, end in value_spans(assessment):
        lock_values(
            unit_ids=unit_ids,
            start=start,
            end=end,
            actor=actor,
            reason=f"assessment {assessment.pk} approved",
        )


def _unlock_values(assessment, *, actor, reason: str) -> None:
    from kieumau.assessments.models import Assessment

    touched: set[int] = set()
    for unit_ids, start, end in value_spans(assessment):
        unlock_values(unit_ids=unit_ids, start=start, end=end, actor=actor, reason=reason)
        touched.update(unit_ids)
    # Other approved assessments that use some of these values keep them locked.
    others = Assessment.objects.filter(unit_id__in=touched, is_locked=True).exclude(
        pk=assessment.pk
    )
    for other in others.select_related("unit", "criteria_set").order_by("pk"):
        _lock_values(other, actor=actor)


@transaction.atomic
def apply_transition(
    *,
    actor,
    assessment,
    action: str,
    expected_revision: int,
    comment: str = "",
    recognition: RecognitionInput | None = None,
):
    """Take the step `action` from the assessment's stage; returns the `Transition` row.

    Raises NotVisible/PermissionDenied (scope, read-only role), AssessmentConflict (stale form),
    InvalidTransition (no such step from this stage), NotYourStep (not this user's step),
    AssessmentInputError (missing comment, evidence, judgements or decision details)."""
    from kieumau.assessments.models import Recognition, Transition
    from kieumau.assessments.services import claim_revision, refresh_evaluation

    scope.require_write(actor, assessment.unit)
    if assessment.revision != expected_revision:  # stale form: say so before anything else
        raise AssessmentConflict(
            current_revision=assessment.revision, updated_at=assessment.updated_at
        )
    definition = assessment.workflow.definition
    source = definition.stage(assessment.stage)
    step = definition.step(stage=source.code, action=action)
    if step is None:
        raise InvalidTransition(
            _("Không thể thực hiện thao tác này ở bước “%(stage)s”.") % {"stage": source.name},
            [{"field": "action", "message": action}],
        )
    if not may_take(step, capacities(actor, assessment)):
        raise NotYourStep(_who_message(step))
    comment = (comment or "").strip()
    if step.comment_required and not comment:
        message = _("Cần ghi lý do, nhận xét khi “%(step)s”.") % {"step": step.name}
        raise AssessmentInputError(message, [{"field": "comment", "message": message}])
    if step.records_recognition:
        recognition = _check_recognition(recognition)
        if assessment.qualifies is False:
            raise AssessmentInputError(
                _("Không thể ghi nhận công nhận: kết quả đánh giá là “%(label)s”.")
                % {"label": assessment.outcome_label}
            )
    if step.requires_complete:
        _check_complete(assessment)
    target = definition.stage(step.target)
    claim_revision(
        assessment=assessment,
        expected_revision=expected_revision,
        stage=target.code,
        is_locked=target.locked,
    )
    row = Transition.objects.create(
        assessment=assessment,
        action=action,
        from_stage=source.code,
        to_stage=target.code,
        actor=actor,
        comment=comment,
    )
    detail = {
        "from": source.code,
        "to": target.code,
        "comment": comment,
        "revision": assessment.revision,
    }
    if step.records_recognition:
        Recognition.objects.update_or_create(
            assessment=assessment,
            defaults={
                "decision_number": recognition.decision_number.strip(),
                "decision_date": recognition.decision_date,
                "issuing_body": recognition.issuing_body.strip(),
                "note": recognition.note.strip(),
                "recorded_by": actor,
            },
        )
        detail["decision"] = {
            "number": recognition.decision_number.strip(),
            "date": recognition.decision_date.isoformat(),
            "issuing_body": recognition.issuing_body.strip(),
        }
    if target.locked and not source.locked:
        # Approving before the period is over locks months nobody may have entered yet: the
        # audit row says which (the page and the API warn the person who approves).
        from kieumau.assessments.coverage import assessment_coverage

        coverage = assessment_coverage(assessment)
        detail["months_with_data"] = f"{coverage.filled}/{coverage.total}"
        if coverage.open:
            detail["open_months"] = [month.strftime("%Y-%m") for month in coverage.open]
    audit.record(
        actor=actor,
        action=f"assessment.{action}",
        target=assessment,
        unit=assessment.unit,
        detail=detail,
    )
    if target.locked and not source.locked:
        # Hold the units' values first: no save may land between this evaluation and the lock.
        hold_units(unit_id for unit_ids, _s, _e in value_spans(assessment) for unit_id in unit_ids)
        refresh_evaluation(assessment)  # the result is frozen with the values
        _lock_values(assessment, actor=actor)
    elif source.locked and not target.locked:
        _unlock_values(assessment, actor=actor, reason=comment)
        refresh_evaluation(assessment)
    elif not target.locked:
        refresh_evaluation(assessment)
    return row
