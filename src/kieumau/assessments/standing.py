"""Where a unit stands under each criteria set, and its history over the years (selectors).

Standing under a set: its latest assessment (stage and result), or, where it has none, a live
evaluation of the set's latest version in force for the current round (the round that ends in
the year of the date looked at), marked provisional ("tạm tính"). Sets: those the unit or its
former units were assessed under, and those that apply to it (`criteria.selectors.sets_for_unit`).
History: every assessment of the unit and of the units whose history rolls up into it — today's
phường Đức Xuân shows the 2023 result of the old phường Đức Xuân (TP Bắc Kạn).

Results of an open assessment are evaluated live (indicator values may have changed since it was
last saved), with its judgements; a locked one (approved, recognised) shows what was stored
when it was locked. Every function takes the user and reads through `visible_to(user)`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from kieumau.accounts import scope
from kieumau.assessments.coverage import DataCoverage, assessment_coverage, unit_coverage
from kieumau.assessments.evaluation import (
    CriterionEvaluation,
    SetEvaluation,
    evaluate_assessment,
    evaluate_set,
    status_word,
)
from kieumau.assessments.models import Assessment
from kieumau.criteria import selectors as criteria_selectors
from kieumau.criteria.models import CriteriaSet, SetStatus
from kieumau.orgunits import selectors as unit_selectors
from kieumau.orgunits import tree
from kieumau.orgunits.models import OrgUnit


class UnknownSet(scope.NotVisible):
    """No such criteria set (or no version of it for that year): 404 with a message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class ResultRow:
    code: str
    title: str
    group: str
    status: str  # met | not_met | no_data | manual
    explanation: str
    distance: str | None

    @property
    def status_label(self) -> str:
        return status_word(self.status)


@dataclass
class SetResult:
    """One unit, one set version, one period: each criterion and the outcome."""

    unit: OrgUnit
    criteria_set: CriteriaSet
    period_start: dt.date
    period_end: dt.date
    assessment: Assessment | None
    met: int
    total: int
    outcome: str
    qualifies: bool | None
    rows: list[ResultRow]
    coverage: DataCoverage  # "1/12 tháng có số liệu"

    @property
    def provisional(self) -> bool:
        """Not an official result: evaluated live, with no locked assessment behind it, or its
        period is not over yet."""
        return self.assessment is None or not self.assessment.is_locked or bool(self.coverage.open)

    @property
    def stage_name(self) -> str:
        if self.assessment is None:
            return _("tạm tính (chưa có hồ sơ đánh giá)")
        return stage_name(self.assessment)

    @property
    def unmet(self) -> list[ResultRow]:
        return [row for row in self.rows if row.status == "not_met"]

    @property
    def open(self) -> list[ResultRow]:
        return [row for row in self.rows if row.status in ("no_data", "manual")]


@dataclass
class HistoryRow:
    assessment: Assessment
    former: bool  # made under a unit that later merged into this one

    @property
    def stage_name(self) -> str:
        return stage_name(self.assessment)


@dataclass
class SetStanding:
    code: str
    title: str
    current: SetResult | None  # None: only former units were assessed, under a set not applying
    history: list[HistoryRow] = field(default_factory=list)


def stage_name(assessment: Assessment) -> str:
    from kieumau.assessments.workflow import WorkflowDefinitionError

    try:
        return assessment.workflow.definition.stage(assessment.stage).name
    except WorkflowDefinitionError:  # a stage since removed from the workflow's data
        return assessment.stage


# --- one set, one year (the API and the per-set page) --------------------------------------------


def result_for_year(
    user, *, code: str, set_code: str, year: int, version: str | None = None
) -> SetResult:
    """The unit carrying `code` at the end of the set's period ending in `year`, under that set.

    Version: the one given; else the version of the unit's assessment for that period if there
    is one; else the latest revision of the latest round whose year is at most `year` (the
    rules in force then). The code is resolved as of the period's end, so an old unit's code
    with an old year reads the old unit, even after it merged into another.
    """
    candidate = _version(set_code=set_code, year=year, version=version)
    try:
        start, end = candidate.period_ending_in(year)
    except ValueError:
        raise UnknownSet(
            _("Bộ tiêu chí “%(set)s” không có kỳ đánh giá nào kết thúc trong năm %(year)s.")
            % {"set": set_code, "year": year}
        ) from None
    unit = unit_selectors.unit_for(user, code=code, as_of=end)
    found = Assessment.objects.visible_to(user).filter(
        unit=unit, criteria_set__code=set_code, period_end__year=year
    )
    found = found.filter(criteria_set=candidate) if version else found
    assessment = (
        found.select_related("unit", "criteria_set", "workflow")
        .order_by("-period_end", "-criteria_set__year", "-criteria_set__revision")
        .first()
    )
    if assessment is not None:
        return _from_assessment(assessment)
    return _live(unit=unit, criteria_set=candidate, start=start, end=end)


def _version(*, set_code: str, year: int, version: str | None) -> CriteriaSet:
    versions = CriteriaSet.objects.filter(code=set_code)
    if version:
        found = versions.filter(version=version).first()
        if found is None:
            raise UnknownSet(
                _("Bộ tiêu chí “%(set)s” không có phiên bản “%(version)s”.")
                % {"set": set_code, "version": version}
            )
        return found
    found = (
        versions.filter(year__lte=year)
        .exclude(status=SetStatus.DRAFT)
        .order_by("-year", "-revision")
        .first()
    )
    if found is None:
        message = (
            _("Bộ tiêu chí “%(set)s” chưa có phiên bản nào áp dụng cho năm %(year)s.")
            if versions.exists()
            else _("Không có bộ tiêu chí “%(set)s”.")
        )
        raise UnknownSet(message % {"set": set_code, "year": year})
    return found


# --- the unit page: every set, current standing and history --------------------------------------


def unit_standing(user, *, unit: OrgUnit, as_of: dt.date) -> list[SetStanding]:
    """Each set the unit was assessed under (itself or through the units it was formed from) or
    that applies to its kind today, with its current standing and its history."""
    roots = tree.lineage_roots(unit)
    own_ids = {unit.pk}
    history = list(
        Assessment.objects.visible_to(user)
        .filter(unit_id__in=[root.pk for root in roots])
        .select_related("unit", "criteria_set", "workflow")
        .order_by("criteria_set__code", "-period_end", "-pk")
    )
    latest_versions = _latest_applicable(unit=unit, year=as_of.year)
    assessed = {a.criteria_set.code for a in history}
    # Sets with a history first, then the others that apply, each group by code.
    codes = sorted(assessed | set(latest_versions), key=lambda c: (c not in assessed, c))
    standings = []
    for set_code in codes:
        rows = [a for a in history if a.criteria_set.code == set_code]
        own = [a for a in rows if a.unit_id in own_ids and a.period_start <= as_of]
        if own:
            current = _from_assessment(own[0])
        elif set_code in latest_versions:
            criteria_set = latest_versions[set_code]
            start, end = _current_period(criteria_set, as_of)
            current = _live(unit=unit, criteria_set=criteria_set, start=start, end=end)
        else:
            current = None  # only former units were assessed, under a set no longer applying
        title = (current.criteria_set if current else rows[0].criteria_set).title
        standing = SetStanding(
            code=set_code,
            title=title,
            current=current,
            history=[HistoryRow(a, former=a.unit_id not in own_ids) for a in rows],
        )
        standings.append(standing)
    return standings


def _latest_applicable(*, unit: OrgUnit, year: int) -> dict[str, CriteriaSet]:
    """Per set code applying to `unit`: the latest published revision of the latest round up to
    `year` (or the earliest round if all are later)."""
    best: dict[str, CriteriaSet] = {}
    for candidate in criteria_selectors.sets_for_unit(unit):
        if candidate.status != SetStatus.PUBLISHED:
            continue
        current = best.get(candidate.code)
        if current is None or _rank(candidate, year) > _rank(current, year):
            best[candidate.code] = candidate
    return best


def _rank(criteria_set: CriteriaSet, year: int) -> tuple:
    in_force = criteria_set.year <= year
    order = criteria_set.year if in_force else -criteria_set.year
    return (in_force, order, criteria_set.revision)


def _current_period(criteria_set: CriteriaSet, day: dt.date) -> tuple[dt.date, dt.date]:
    """The round that ends in `day`'s year: the one being assessed that year (a 16/11–15/11
    round seen on 23/11/2026 is 2025-11-16..2026-11-15, not the one that began a week ago)."""
    try:
        return criteria_set.period_ending_in(day.year)
    except ValueError:
        return criteria_set.period_containing(day) or criteria_set.period_ending_in(day.year - 1)


# --- building results ----------------------------------------------------------------------------


def _rows(criteria_set: CriteriaSet, results: list[CriterionEvaluation]) -> list[ResultRow]:
    groups = {group.pk: group.code for group in criteria_set.groups.all()}
    return [
        ResultRow(
            code=r.criterion.code,
            title=r.criterion.title,
            group=groups.get(r.criterion.group_id, ""),
            status=r.status,
            explanation=r.explanation,
            distance=r.distance,
        )
        for r in results
    ]


def _live(*, unit: OrgUnit, criteria_set: CriteriaSet, start: dt.date, end: dt.date) -> SetResult:
    evaluation: SetEvaluation = evaluate_set(
        criteria_set=criteria_set, unit_ids=[unit.pk], period_start=start, period_end=end
    )[unit.pk]
    return SetResult(
        unit=unit,
        criteria_set=criteria_set,
        period_start=start,
        period_end=end,
        assessment=None,
        met=evaluation.outcome.met,
        total=evaluation.outcome.total,
        outcome=evaluation.outcome.label,
        qualifies=evaluation.outcome.qualifies,
        rows=_rows(criteria_set, evaluation.results),
        coverage=unit_coverage(unit=unit, start=start, end=end),
    )


def _from_assessment(assessment: Assessment) -> SetResult:
    evaluation = evaluate_assessment(assessment)
    rows = _rows(assessment.criteria_set, evaluation.results)
    met, total = evaluation.outcome.met, evaluation.outcome.total
    outcome, qualifies = evaluation.outcome.label, evaluation.outcome.qualifies
    if assessment.is_locked and assessment.evaluated_at is not None:
        stored = {
            j.criterion_id: j for j in assessment.judgements.all().select_related("criterion")
        }
        by_code = {r.criterion.code: r.criterion.pk for r in evaluation.results}
        rows = [_stored_row(row, stored.get(by_code[row.code])) for row in rows]
        met, total = assessment.met_count, assessment.total_count
        outcome, qualifies = assessment.outcome_label, assessment.qualifies
    return SetResult(
        unit=assessment.unit,
        criteria_set=assessment.criteria_set,
        period_start=assessment.period_start,
        period_end=assessment.period_end,
        assessment=assessment,
        met=met,
        total=total,
        outcome=outcome,
        qualifies=qualifies,
        rows=rows,
        coverage=assessment_coverage(assessment),
    )


def _stored_row(live: ResultRow, judgement) -> ResultRow:
    """What was stored when the assessment was locked; the distance only if it still agrees."""
    if judgement is None or not judgement.explanation:
        return live
    same = judgement.computed_status == live.status
    return ResultRow(
        code=live.code,
        title=live.title,
        group=live.group,
        status=judgement.computed_status,
        explanation=judgement.explanation,
        distance=live.distance if same else None,
    )
