"""Reads of assessments on behalf of a user: every function starts from `visible_to(user)`."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import get_language

from kieumau.accounts import scope
from kieumau.assessments import workflow
from kieumau.assessments.coverage import DataCoverage, approval_warning, assessment_coverage
from kieumau.assessments.models import (
    Assessment,
    CriterionJudgement,
    Evidence,
    Recognition,
    Transition,
    Workflow,
)
from kieumau.criteria.models import Criterion, CriterionKind
from kieumau.criteria.outcome import describe

_LEVELS = ("ministry", "province", "district", "commune", "grassroots")


def assessments_for(
    user,
    *,
    set_code: str = "",
    year: int | None = None,
    stage: str = "",
    unit_ids=None,
) -> QuerySet[Assessment]:
    found = Assessment.objects.visible_to(user).select_related("unit", "criteria_set", "workflow")
    if set_code:
        found = found.filter(criteria_set__code=set_code)
    if year:
        found = found.filter(period_end__year=year)
    if stage:
        found = found.filter(stage=stage)
    if unit_ids is not None:
        found = found.filter(unit_id__in=unit_ids)
    return found.order_by("-period_end", "unit__name_folded", "pk")


def review_stages() -> list[str]:
    """Stage codes, over every workflow, in which the level above edits (the review queue)."""
    codes = []
    for flow in Workflow.objects.order_by("pk"):
        codes += [s.code for s in flow.definition.stages if s.editable_by == "reviewer"]
    return sorted(set(codes))


def review_queue(user) -> QuerySet[Assessment]:
    """Assessments waiting for `user` to review: units below the user's home level, in scope."""
    home = getattr(user, "home_unit", None)
    if not getattr(user, "can_write", False) or home is None or home.level not in _LEVELS:
        return Assessment.objects.none()
    below = _LEVELS[_LEVELS.index(home.level) + 1 :]
    return (
        assessments_for(user)
        .filter(stage__in=review_stages(), unit__level__in=below)
        .order_by("updated_at", "pk")
    )


def get_assessment(user, pk: int) -> Assessment:
    return scope.get_visible_or_404(
        Assessment.objects.select_related("unit", "criteria_set", "workflow"), user, pk=pk
    )


def get_evidence(user, pk: int) -> Evidence:
    return scope.get_visible_or_404(
        Evidence.objects.select_related("assessment__unit", "assessment__workflow", "criterion"),
        user,
        pk=pk,
    )


@dataclass
class Missing:
    evidence: list[Criterion] = field(default_factory=list)
    judgement: list[Criterion] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.evidence or self.judgement)


def incomplete(assessment: Assessment) -> Missing:
    """Criteria that still need evidence, and manual criteria the unit has not judged (2 queries)."""
    has_evidence = Evidence.objects.filter(assessment=assessment, criterion=OuterRef("criterion"))
    rows = (
        CriterionJudgement.objects.filter(assessment=assessment)
        .annotate(has_evidence=Exists(has_evidence))
        .filter(
            Q(criterion__evidence_required=True, has_evidence=False)
            | Q(criterion__kind=CriterionKind.MANUAL, self_status="")
        )
        .select_related("criterion")
        .order_by("criterion__order", "criterion__id")
    )
    missing = Missing()
    for row in rows:
        if row.criterion.evidence_required and not row.has_evidence:
            missing.evidence.append(row.criterion)
        if row.criterion.kind == CriterionKind.MANUAL and not row.self_status:
            missing.judgement.append(row.criterion)
    return missing


# --- the assessment page --------------------------------------------------------------------------


@dataclass
class CriterionRow:
    criterion: Criterion
    judgement: CriterionJudgement
    status: str
    explanation: str
    distance: str | None
    evidence: list[Evidence]
    input_status: str = ""  # what the editing side's form shows
    input_comment: str = ""
    error: str = ""  # a refused save's message for this criterion

    @property
    def is_manual(self) -> bool:
        return self.criterion.kind == CriterionKind.MANUAL

    @property
    def status_label(self) -> str:
        return (
            CriterionJudgement.Computed(self.status).label
            if self.status in CriterionJudgement.Computed.values
            else self.status
        )

    @property
    def lacks_evidence(self) -> bool:
        return self.criterion.evidence_required and not self.evidence


@dataclass
class GroupRows:
    title: str
    rows: list[CriterionRow]


@dataclass
class AssessmentPage:
    assessment: Assessment
    stage: workflow.Stage
    groups: list[GroupRows]
    met: int
    total: int
    label: str
    qualifies: bool | None
    edit_side: str | None  # "unit" | "reviewer" | None
    steps: list[workflow.Step]
    transitions: list[Transition]
    recognition: Recognition | None
    missing: Missing
    can_upload: bool
    stage_names: dict[str, str]
    coverage: DataCoverage  # "1/12 tháng có số liệu", and the months still open
    locking_actions: frozenset[str] = frozenset()  # steps offered here that lock (approve)

    @property
    def provisional(self) -> bool:
        """Only a provisional result until the period is over (and open until locked)."""
        return bool(self.coverage.open) or not self.stage.locked

    @property
    def approval_warning(self) -> str | None:
        return approval_warning(self.coverage) if self.locking_actions else None

    @property
    def last_step(self) -> Transition | None:
        return self.transitions[-1] if self.transitions else None

    verdict_text: str = ""  # the outcome in the language of the request, without the count

    @property
    def verdict(self) -> str:
        """The outcome label without the "21/22 tiêu chí — " that the page shows big above it."""
        if self.verdict_text:
            return self.verdict_text
        prefix = f"{self.met}/{self.total} tiêu chí — "
        return self.label[len(prefix) :] if self.label.startswith(prefix) else self.label


def assessment_page(user, assessment: Assessment) -> AssessmentPage:
    """Everything the page shows, in a fixed number of queries whatever the number of criteria."""
    definition = assessment.workflow.definition
    stage = definition.stage(assessment.stage)
    judgements = list(
        CriterionJudgement.objects.filter(assessment=assessment)
        .select_related("criterion__group")
        .order_by(
            F("criterion__group__order").asc(nulls_first=True),
            "criterion__group_id",
            "criterion__order",
            "criterion__id",
        )
    )
    evidence: dict[int, list[Evidence]] = {}
    for item in Evidence.objects.filter(assessment=assessment).order_by("uploaded_at", "pk"):
        evidence.setdefault(item.criterion_id, []).append(item)
    live, outcome = _live_results(assessment, stage)
    capacities = workflow.capacities(user, assessment)
    edit_side = workflow.may_edit(stage, capacities)
    groups: list[GroupRows] = []
    for row in judgements:
        result = live.get(row.criterion_id)
        status, explanation, distance = (
            (result.status, result.explanation, result.distance)
            if result
            else (row.computed_status, row.explanation, None)
        )
        group = row.criterion.group
        title = f"{group.code}. {group.title}" if group else ""
        if not groups or groups[-1].title != title:
            groups.append(GroupRows(title=title, rows=[]))
        shown = (
            (row.review_status, row.review_comment)
            if edit_side == "reviewer"
            else (row.self_status, row.self_comment)
        )
        groups[-1].rows.append(
            CriterionRow(
                row.criterion,
                row,
                status,
                explanation,
                distance,
                evidence.get(row.criterion_id, []),
                *shown,
            )
        )
    steps = [s for s in definition.steps_from(stage.code) if workflow.may_take(s, capacities)]
    return AssessmentPage(
        assessment=assessment,
        stage=stage,
        groups=groups,
        met=outcome.met if outcome else assessment.met_count,
        total=outcome.total if outcome else assessment.total_count,
        label=outcome.label if outcome else assessment.outcome_label,
        qualifies=outcome.qualifies if outcome else assessment.qualifies,
        edit_side=edit_side,
        steps=steps,
        transitions=_named(
            Transition.objects.filter(assessment=assessment)
            .select_related("actor")
            .order_by("at", "pk"),
            definition,
        ),
        recognition=Recognition.objects.filter(assessment=assessment).first(),
        missing=incomplete(assessment) if edit_side == "unit" else Missing(),
        can_upload=edit_side is not None,
        stage_names={s.code: s.name for s in definition.stages},
        coverage=assessment_coverage(assessment),
        locking_actions=frozenset(
            s.action for s in steps if definition.stage(s.target).locked and not stage.locked
        ),
        verdict_text=outcome.describe(with_count=False)
        if outcome
        else stored_outcome(assessment, with_count=False),
    )


def stored_outcome(assessment: Assessment, *, with_count: bool = True) -> str:
    """The outcome stored at the last evaluation, in the language of the request."""
    if not assessment.evaluated_at:
        return ""
    if (get_language() or "vi").startswith("vi"):
        return assessment.outcome_label  # exactly as stored
    return describe(
        kind=assessment.criteria_set.outcome_rule,
        met=assessment.met_count,
        total=assessment.total_count,
        qualifies=assessment.qualifies,
        needed=assessment.criteria_set.min_met,
        points=assessment.points,
        grade=assessment.grade or None,
        with_count=with_count,
    )


def _named(transitions, definition) -> list[Transition]:
    names = {s.code: s.name for s in definition.stages}
    rows = list(transitions)
    for row in rows:
        row.from_name = names.get(row.from_stage, row.from_stage)
        row.to_name = names.get(row.to_stage, row.to_stage)
    return rows


def _live_results(assessment: Assessment, stage: workflow.Stage) -> tuple[dict, object | None]:
    """Evaluate an open assessment now (indicator values may have changed since it was saved);
    a locked one shows what was stored when it was locked."""
    if stage.locked:
        return {}, None
    from kieumau.assessments.evaluation import evaluate_assessment

    result = evaluate_assessment(assessment)
    return {item.criterion.pk: item for item in result.results}, result.outcome
