"""Reads of programs and plans on behalf of a user; each figure a leader reads comes from ONE
function here, and pages, the API and dashboards all call it.

- `plans_for(user, unit=…)`: plans in scope, optionally those touching a unit (issued by it or
  enrolling a unit whose history rolls up into it: a plan of old Bắc Giang lists under today's
  phường Bắc Giang).
- `unit_progress(user, plan=…, as_of=…)`: per enrolled unit, when it first qualified, whether it
  qualifies now, and whether it qualified and later lost a criterion ("duy trì bền vững").
- `roadmap(user, plan=…, as_of=…)`: per year, target against actual. A unit counts in year Y
  when its latest official result for a round ending in Y or earlier qualifies.
- `lost_criteria(user, unit=… | plan=…, as_of=…)`: units that qualified and later did not.
- `checklist_counts(user, plan=…)`: "04/04" per required step.
- `budget_totals(user, …)`: đồng by program and year. `award_counts(user, plan=…)`.

Results are the stored outcome of locked assessments (approved or recognised), the same figures
`assessments.standing` shows for a locked assessment; an assessment's units are the enrolled unit
and the units whose history rolls up into it (`Reach`), at the enrolled unit's level.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum

from kieumau.accounts import scope
from kieumau.assessments.models import Assessment, CriterionJudgement
from kieumau.core.sql import id_set
from kieumau.orgunits.models import OrgUnit, Reach
from kieumau.programs.models import (
    Award,
    BudgetLine,
    ChecklistStep,
    Enrolment,
    Plan,
    Program,
    Step,
    Target,
)

# --- lists and single objects ----------------------------------------------------------------------


def programs_for(user, *, include_merged: bool = True) -> QuerySet[Program]:
    found = Program.objects.visible_to(user).select_related("owner_unit", "merged_into")
    return found if include_merged else found.filter(merged_into__isnull=True)


def get_program(user, pk: int) -> Program:
    return scope.get_visible_or_404(
        Program.objects.select_related("owner_unit", "merged_into"), user, pk=pk
    )


def plans_for(user, *, unit: OrgUnit | None = None, program: Program | None = None) -> QuerySet[Plan]:
    """Plans in scope; with `unit`, those issued by it or by a unit under it (at any time), or
    enrolling a unit whose history rolls up into it."""
    found = Plan.objects.visible_to(user).select_related("issuing_unit", "program")
    if program is not None:
        found = found.filter(program=program)
    if unit is not None:
        touched = Reach.objects.filter(ancestor=unit).values("unit_id")
        found = found.filter(
            Q(issuing_unit_id__in=touched)
            | Q(pk__in=Enrolment.objects.filter(unit_id__in=touched).values("plan_id"))
        )
    return found.order_by("-date", "number", "pk")


def get_plan(user, pk: int) -> Plan:
    return scope.get_visible_or_404(
        Plan.objects.select_related("issuing_unit", "program"), user, pk=pk
    )


def enrolments_of(user, *, plan: Plan) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.visible_to(user)
        .filter(plan=plan)
        .select_related("unit")
        .prefetch_related("steps")
        .order_by("target_year", "unit__name_folded", "pk")
    )


def enrolments_for_unit(user, *, unit: OrgUnit) -> QuerySet[Enrolment]:
    """Enrolments of `unit` and of the units whose history rolls up into it (old wards), in scope:
    what the unit page lists, also to a ward officer who may not see the plan itself."""
    rolled = Reach.objects.filter(ancestor=unit).values("unit_id")
    return (
        Enrolment.objects.visible_to(user)
        .filter(unit_id__in=rolled, unit__level=unit.level)
        .select_related("unit", "plan", "plan__issuing_unit", "plan__program")
        .prefetch_related("steps")
        .order_by("-plan__date", "pk")
    )


def get_enrolment(user, pk: int) -> Enrolment:
    return scope.get_visible_or_404(
        Enrolment.objects.select_related("unit", "plan", "plan__issuing_unit"), user, pk=pk
    )


# --- progress of enrolled units ------------------------------------------------------------------


@dataclass
class UnitProgress:
    enrolment: Enrolment
    first_qualified: int | None = None  # year of the round
    latest_year: int | None = None
    qualifies_now: bool = False
    lost_year: int | None = None  # a later round did not qualify after one did
    met: int | None = None
    total: int | None = None
    results: list[tuple[int, bool]] = field(default_factory=list)  # (year, qualifies), by year

    @property
    def unit(self) -> OrgUnit:
        return self.enrolment.unit

    @property
    def lost(self) -> bool:
        return self.lost_year is not None

    def qualifies_in(self, year: int) -> bool:
        """Its latest official result for a round ending in `year` or before qualifies."""
        latest = None
        for result_year, qualifies in self.results:
            if result_year <= year:
                latest = qualifies
        return bool(latest)

    @property
    def on_track(self) -> bool | None:
        """None before its target year is over; then whether it qualified by then."""
        if self.first_qualified is not None:
            return self.first_qualified <= self.enrolment.target_year
        return None


def _official(user, *, as_of: dt.date) -> QuerySet[Assessment]:
    """Locked assessments (approved, recognised) of rounds ended by `as_of`, in scope."""
    return Assessment.objects.visible_to(user).filter(
        is_locked=True, qualifies__isnull=False, period_end__lte=as_of
    )


def _walk(rows) -> tuple[list[tuple[int, bool]], int | None, int | None]:
    """rows: (year, qualifies, set_code) sorted by year. Returns results by year (the last result
    of each year wins), first qualifying year, and the year a criterion was lost (first
    non-qualifying round after a qualifying one, same set)."""
    by_year: dict[int, bool] = {}
    first = lost = None
    qualified_sets: set[str] = set()
    for year, qualifies, set_code in rows:
        by_year[year] = qualifies
        if qualifies:
            first = year if first is None else first
            qualified_sets.add(set_code)
        elif set_code in qualified_sets and lost is None:
            lost = year
    return sorted(by_year.items()), first, lost


def unit_progress(user, *, plan: Plan, as_of: dt.date) -> list[UnitProgress]:
    """Every enrolled unit in scope with its results; three queries whatever the plan's size."""
    enrolments = list(enrolments_of(user, plan=plan))
    if not enrolments:
        return []
    by_unit = {e.unit_id: e for e in enrolments}
    found = _official(user, as_of=as_of).filter(
        unit__reach__ancestor_id__in=list(by_unit)
    )
    codes = plan.program.set_codes
    if codes:
        found = found.filter(set_code__in=codes)
    rows = found.values_list(
        "unit__reach__ancestor_id", "unit__level", "period_end", "qualifies", "set_code",
        "met_count", "total_count",
    ).order_by("period_end", "pk")
    per_unit: dict[int, list] = defaultdict(list)
    for ancestor_id, level, end, qualifies, set_code, met, total in rows:
        if level == by_unit[ancestor_id].unit.level:
            per_unit[ancestor_id].append((end.year, qualifies, set_code, met, total))
    progress = []
    for unit_id, enrolment in by_unit.items():
        entries = per_unit.get(unit_id, [])
        results, first, lost = _walk([(y, q, c) for y, q, c, _m, _t in entries])
        item = UnitProgress(enrolment=enrolment, first_qualified=first, lost_year=lost,
                            results=results)
        if entries:
            year, qualifies, _c, met, total = entries[-1]
            item.latest_year, item.qualifies_now, item.met, item.total = year, qualifies, met, total
        progress.append(item)
    return progress


@dataclass(frozen=True)
class RoadmapYear:
    year: int
    target: int | None  # units; a percent target is resolved against the enrolled units
    target_label: str  # "16" or "100%"
    actual: int | None  # None for a year not begun on `as_of`
    enrolled_due: int  # enrolled units whose own target year is this one

    @property
    def reached(self) -> bool | None:
        if self.target is None or self.actual is None:
            return None
        return self.actual >= self.target


def resolve_target(target: Target, *, enrolled: int) -> int:
    """A count is itself; a percent of the enrolled units rounds up (100% of 16 is 16)."""
    if target.kind == Target.Kind.PERCENT:
        return math.ceil(enrolled * target.value / 100)
    return target.value


def roadmap(user, *, plan: Plan, as_of: dt.date,
            progress: list[UnitProgress] | None = None) -> list[RoadmapYear]:
    """Target against actual for every year from the plan's start to its last target: THE
    roadmap figure (plan page, API, dashboards)."""
    progress = unit_progress(user, plan=plan, as_of=as_of) if progress is None else progress
    targets = {t.year: t for t in Target.objects.visible_to(user).filter(plan=plan)}
    due = defaultdict(int)
    for item in progress:
        due[item.enrolment.target_year] += 1
    years = [plan.period_start.year, plan.period_end.year, *targets, *due]
    rows = []
    for year in range(min(years), max(years) + 1):
        target = targets.get(year)
        actual = None
        if year <= as_of.year:
            actual = sum(1 for item in progress if item.qualifies_in(year))
        rows.append(RoadmapYear(
            year=year,
            target=resolve_target(target, enrolled=len(progress)) if target else None,
            target_label=(f"{target.value}%" if target.kind == Target.Kind.PERCENT
                          else str(target.value)) if target else "",
            actual=actual,
            enrolled_due=due.get(year, 0),
        ))
    return rows


# --- "duy trì bền vững": qualified, then lost a criterion ----------------------------------------


@dataclass(frozen=True)
class LostStanding:
    unit: OrgUnit
    set_code: str
    qualified_year: int
    lost_year: int
    met: int
    total: int
    unmet_codes: tuple[str, ...]
    assessment_id: int


def lost_criteria(user, *, as_of: dt.date, unit: OrgUnit | None = None,
                  plan: Plan | None = None, set_code: str | None = None) -> list[LostStanding]:
    """Units (under `unit`, or enrolled in `plan`, or all in scope) whose official result
    qualified for a round and did not for a later round of the same set (`set_code` only, when
    given), as of `as_of`, with the criteria unmet in that later round. Per unit assessed (an old
    ward is its own row).

    The database finds the results that did not qualify with a qualifying one of the same unit
    and set before them (by round's end, then by id), and the first qualifying round's end:
    nationally there are thousands of official results and a few hundred such rows. Only the
    units that lost a criterion are loaded."""
    found = _official(user, as_of=as_of)
    if unit is not None:
        found = found.filter(unit_id__in=Reach.objects.filter(ancestor=unit).values("unit_id"))
    if plan is not None:
        enrolled = Enrolment.objects.visible_to(user).filter(plan=plan)
        # an assessed unit that two enrolled units reach comes once through each
        found = found.filter(unit__reach__ancestor_id__in=enrolled.values("unit_id"),
                             unit__level__in=enrolled.values("unit__level")).distinct()
        if plan.program.set_codes:
            found = found.filter(set_code__in=plan.program.set_codes)
    if set_code is not None:
        found = found.filter(set_code=set_code)
    qualified_before = (  # official, of the same unit (in scope and under `unit` like the row)
        Assessment.objects.filter(unit_id=OuterRef("unit_id"), set_code=OuterRef("set_code"),
                                  is_locked=True, qualifies=True, period_end__lte=as_of)
        .filter(Q(period_end__lt=OuterRef("period_end"))
                | Q(period_end=OuterRef("period_end"), pk__lt=OuterRef("pk")))
        .order_by("period_end", "pk")
        .values("period_end")[:1]
    )
    rows = (
        found.filter(qualifies=False)
        .annotate(qualified_on=Subquery(qualified_before))
        .filter(qualified_on__isnull=False)
        .order_by("unit_id", "set_code", "period_end", "pk")
        .values_list("unit_id", "set_code", "qualified_on", "period_end", "met_count",
                     "total_count", "pk")
    )
    lost: list[tuple] = []
    reported: set[tuple[int, str]] = set()
    for unit_id, code, qualified_on, period_end, met, total, pk in rows:
        if (unit_id, code) not in reported:  # the first round after it qualified
            reported.add((unit_id, code))
            lost.append((unit_id, code, qualified_on.year, period_end.year, met, total, pk))
    if not lost:
        return []
    # the ids as one parameter (`id_set`): nationally 187 of each, quoted one by one otherwise
    assessed = OrgUnit.objects.filter(pk__in=id_set(item[0] for item in lost))
    units = {each.pk: each for each in assessed}
    unmet = defaultdict(list)
    # By the ids of assessments found in scope above: scoped again, the judgements were read
    # through every unit the user reaches (for the ministry 14,000; 60 ms on SQLite without
    # statistics).
    judged = CriterionJudgement.objects.filter(
        assessment_id__in=id_set(item[-1] for item in lost), computed_status="not_met"
    ).values_list("assessment_id", "criterion__code").order_by("criterion__order", "pk")
    for assessment_id, code in judged:
        unmet[assessment_id].append(code)
    found_lost = [
        LostStanding(unit=units[unit_id], set_code=code, qualified_year=qualified_year,
                     lost_year=lost_year, met=met, total=total,
                     unmet_codes=tuple(unmet[pk]), assessment_id=pk)
        for unit_id, code, qualified_year, lost_year, met, total, pk in lost
    ]
    return sorted(found_lost, key=lambda item: (item.unit.name_folded, item.set_code))


# --- checklist, money, merit ---------------------------------------------------------------------


@dataclass(frozen=True)
class StepCount:
    step: str
    label: str
    done: int
    total: int

    @property
    def ratio(self) -> str:
        """"04/04": two digits at least, as the reports write it."""
        return f"{self.done:02d}/{self.total:02d}"


def checklist_counts(user, *, plan: Plan) -> list[StepCount]:
    """For each required step, how many enrolled units in scope have done it, of how many."""
    total = Enrolment.objects.visible_to(user).filter(plan=plan).count()
    done = dict(
        ChecklistStep.objects.visible_to(user)
        .filter(enrolment__plan=plan)
        .values_list("step")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [StepCount(step=step.value, label=str(step.label), done=done.get(step.value, 0),
                      total=total) for step in Step]


@dataclass(frozen=True)
class BudgetTotal:
    program_id: int
    program_name: str
    year: int
    amount: int


def budget_totals(user, *, program: Program | None = None, plan: Plan | None = None,
                  unit: OrgUnit | None = None) -> list[BudgetTotal]:
    """Đồng by program and year, over the budget lines in scope (of plans issued under `unit`
    at any time, when given)."""
    found = BudgetLine.objects.visible_to(user)
    if program is not None:
        found = found.filter(plan__program=program)
    if plan is not None:
        found = found.filter(plan=plan)
    if unit is not None:
        found = found.filter(
            plan__issuing_unit_id__in=Reach.objects.filter(ancestor=unit).values("unit_id")
        )
    rows = (
        found.values("plan__program_id", "plan__program__name", "year")
        .annotate(amount=Sum("amount"))
        .order_by("plan__program__name", "plan__program_id", "year")
    )
    return [BudgetTotal(program_id=r["plan__program_id"], program_name=r["plan__program__name"],
                        year=r["year"], amount=int(r["amount"] or 0)) for r in rows]


def budget_lines_of(user, *, plan: Plan) -> QuerySet[BudgetLine]:
    return BudgetLine.objects.visible_to(user).filter(plan=plan).select_related("unit")


@dataclass(frozen=True)
class AwardCounts:
    collective: int
    individual: int


def award_counts(user, *, plan: Plan) -> AwardCounts:
    """"15 tập thể, 16 cá nhân"."""
    counts = dict(
        Award.objects.visible_to(user).filter(plan=plan).values_list("kind")
        .annotate(n=Count("pk")).order_by()
    )
    return AwardCounts(collective=counts.get(Award.Kind.COLLECTIVE, 0),
                       individual=counts.get(Award.Kind.INDIVIDUAL, 0))


def awards_of(user, *, plan: Plan) -> QuerySet[Award]:
    return Award.objects.visible_to(user).filter(plan=plan)


def targets_of(user, *, plan: Plan) -> QuerySet[Target]:
    return Target.objects.visible_to(user).filter(plan=plan)
