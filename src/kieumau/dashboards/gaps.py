"""The gap planner of a plan: every enrolled unit that does not qualify yet, the criteria it does
not meet and how far each is from its threshold, sorted so that a leader sees first where help
is needed.

Which result: the unit's latest assessment under the program's set (its own work: judgements
included), evaluated now; a unit with none is evaluated live over the round ending in the year
looked at (or in the year it ended, for a unit that no longer exists). Bulk: units that share a
set version and a period are evaluated together (`evaluation.evaluate_set`), so the number of
queries grows with the number of distinct rounds, not with the units.

Order: the earliest target year first (a deadline passed or near), then the most criteria not
met, then the most criteria still without data or judgement, then the name.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from kieumau.assessments.evaluation import evaluate_set, manual_from_judgements
from kieumau.assessments.models import Assessment, CriterionJudgement
from kieumau.assessments.standing import UnknownSet
from kieumau.dashboards.selectors import round_of, version_for


@dataclass(frozen=True, slots=True)
class Gap:
    code: str
    title: str
    status: str  # not_met | no_data | manual
    distance: str | None
    explanation: str


@dataclass
class UnitGaps:
    enrolment: object
    assessment: Assessment | None
    period_start: dt.date
    period_end: dt.date
    met: int = 0
    total: int = 0
    overdue: bool = False  # its target year is over
    unmet: list[Gap] = field(default_factory=list)
    open: list[Gap] = field(default_factory=list)

    @property
    def unit(self):
        return self.enrolment.unit

    def sort_key(self) -> tuple:
        return (self.enrolment.target_year, -len(self.unmet), -len(self.open), self.unit.name)


@dataclass
class PlanGaps:
    plan: object
    as_of: dt.date
    set_code: str | None
    units: list[UnitGaps]
    qualifying: int  # enrolled units that qualify already (not listed)


def plan_gaps(user, *, plan, as_of: dt.date) -> PlanGaps:
    from kieumau.programs.selectors import unit_progress

    progress = unit_progress(user, plan=plan, as_of=as_of)
    waiting = [item for item in progress if not item.qualifies_now]
    codes = list(plan.program.set_codes or [])
    if not codes or not waiting:
        return PlanGaps(plan, as_of, codes[0] if codes else None, [], len(progress) - len(waiting))
    set_code = codes[0]
    unit_ids = [item.enrolment.unit_id for item in waiting]
    latest: dict[int, Assessment] = {}
    for assessment in (
        Assessment.objects.visible_to(user)
        .filter(unit_id__in=unit_ids, set_code=set_code, period_start__lte=as_of)
        .select_related("criteria_set")
        .order_by("unit_id", "-period_end", "-pk")
    ):
        latest.setdefault(assessment.unit_id, assessment)
    groups: dict[tuple, list] = defaultdict(list)
    rows = []
    for item in waiting:
        unit = item.enrolment.unit
        assessment = latest.get(unit.pk)
        if assessment is not None:
            key = (assessment.criteria_set, assessment.period_start, assessment.period_end)
        else:
            year = min(as_of.year, unit.valid_to.year) if unit.valid_to else as_of.year
            try:
                criteria_set = version_for(set_code=set_code, year=year)
                start, end = round_of(criteria_set, dt.date(year, 12, 31))
            except UnknownSet:
                continue
            key = (criteria_set, start, end)
        row = UnitGaps(item.enrolment, assessment, key[1], key[2],
                       overdue=item.enrolment.target_year < as_of.year)
        groups[key].append(row)
        rows.append(row)
    judgements = CriterionJudgement.objects.visible_to(user).filter(
        assessment__in=[a.pk for a in latest.values()]
    ).select_related("assessment")
    manual = manual_from_judgements(judgements)
    for (criteria_set, start, end), members in groups.items():
        evaluations = evaluate_set(
            criteria_set=criteria_set,
            unit_ids=[row.unit.pk for row in members],
            period_start=start,
            period_end=end,
            manual=manual,
        )
        for row in members:
            evaluation = evaluations[row.unit.pk]
            row.met, row.total = evaluation.outcome.met, evaluation.outcome.total
            for result in evaluation.results:
                if result.status == "met":
                    continue
                gap = Gap(
                    code=result.criterion.code,
                    title=result.criterion.title,
                    status=result.status,
                    distance=result.distance if result.status == "not_met" else None,
                    explanation=result.explanation,
                )
                (row.unmet if result.status == "not_met" else row.open).append(gap)
    rows.sort(key=UnitGaps.sort_key)
    return PlanGaps(plan, as_of, set_code, rows, len(progress) - len(waiting))
