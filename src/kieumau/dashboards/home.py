"""The home page's "what needs me now": what waits for the signed-in person, by where they sit.

A commune officer: their unit's standing, what was returned to them and why, the months of
indicators not yet entered this year, open recommendations addressed to their unit. A province
officer (or the ministry): the review queue, overdue recommendations, and their unit's standing
at a glance. Every read goes through scope; the standing comes from the dashboard's selector.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q

from kieumau.assessments import selectors as assessment_selectors
from kieumau.assessments.models import Assessment, Transition
from kieumau.assessments.standing import UnknownSet
from kieumau.core.dates import today
from kieumau.dashboards import selectors
from kieumau.indicators.models import Indicator, IndicatorValue
from kieumau.indicators.months import add_months, first_of_month
from kieumau.orgunits.models import Level, OrgUnit

QUEUE_SHOWN = 10


@dataclass(frozen=True, slots=True)
class Returned:
    assessment: Assessment
    comment: str
    by: str
    at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class MissingMonth:
    month: dt.date
    entered: int
    expected: int


@dataclass
class Needs:
    unit: OrgUnit | None
    as_of: dt.date
    card: selectors.Scorecard | None = None
    returned: list[Returned] = field(default_factory=list)
    missing_months: list[MissingMonth] = field(default_factory=list)
    open_recommendations: list = field(default_factory=list)
    queue: list[Assessment] = field(default_factory=list)
    queue_count: int = 0
    overdue: list = field(default_factory=list)

    @property
    def is_commune(self) -> bool:
        return self.unit is not None and self.unit.level in (Level.COMMUNE, Level.GRASSROOTS)

    @property
    def own_row(self):
        """The commune's own row of the scorecard (its standing and "21/22")."""
        if self.card is None or not self.is_commune:
            return None
        return next((row for row in self.card.communes if row.pk == self.unit.pk), None)


def needs_me(user, *, as_of: dt.date | None = None) -> Needs:
    as_of = as_of or today()
    unit = user.home_unit
    needs = Needs(unit=unit, as_of=as_of)
    if unit is None or not unit.exists_on(as_of):
        return needs
    needs.card = _card(user, unit=unit, as_of=as_of)
    if needs.is_commune:
        needs.returned = returned_to(user, unit=unit)
        needs.missing_months = months_not_entered(user, unit=unit, as_of=as_of)
        needs.open_recommendations = _recommendations(user, unit=unit, as_of=as_of)
    else:
        queue = assessment_selectors.review_queue(user)
        needs.queue_count = queue.count()
        needs.queue = list(queue[:QUEUE_SHOWN]) if needs.queue_count else []
        needs.overdue = selectors.overdue_recommendations(user, unit=unit, as_of=as_of)
    return needs


def _card(user, *, unit: OrgUnit, as_of: dt.date) -> selectors.Scorecard | None:
    try:
        return selectors.dashboard(user, code=unit.code, as_of=as_of)
    except UnknownSet:  # no criteria set loaded yet
        return None


def returned_to(user, *, unit: OrgUnit) -> list[Returned]:
    """The unit's assessments sitting in a stage where the unit edits again after a step back
    (the workflow's data says which: editable by the unit, and not the first stage), each with
    the comment of the step that sent it back."""
    candidates = list(
        Assessment.objects.visible_to(user)
        .filter(unit_id=unit.pk)
        .select_related("workflow", "criteria_set", "unit")
        .order_by("-updated_at", "-pk")
    )
    returned = [
        a
        for a in candidates
        if a.stage != a.workflow.definition.initial.code
        and a.workflow.definition.stage(a.stage).editable_by == "unit"
    ]
    if not returned:
        return []
    last: dict[int, Transition] = {}
    for row in (
        Transition.objects.visible_to(user)
        .filter(assessment__in=returned)
        .select_related("actor")
        .order_by("assessment_id", "at", "pk")
    ):
        last[row.assessment_id] = row
    result = []
    for assessment in returned:
        step = last.get(assessment.pk)
        result.append(
            Returned(
                assessment=assessment,
                comment=step.comment if step else "",
                by=(step.actor.get_full_name() or step.actor.username) if step and step.actor else "",
                at=step.at if step else None,
            )
        )
    return result


def months_not_entered(user, *, unit: OrgUnit, as_of: dt.date) -> list[MissingMonth]:
    """Months of this year up to the last full one (and since the unit began) for which some
    indicator of the catalogue has no value."""
    last = add_months(first_of_month(as_of), -1)
    first = dt.date(last.year, 1, 1)
    if unit.valid_from is not None:
        first = max(first, first_of_month(unit.valid_from))
    if first > last:
        return []
    expected = Indicator.objects.count()
    if not expected:
        return []
    entered = dict(
        IndicatorValue.objects.visible_to(user)
        .filter(unit_id=unit.pk, month__gte=first, month__lte=last)
        .order_by()
        .values("month")
        .annotate(n=Count("pk", filter=Q(value__isnull=False)))
        .values_list("month", "n")
    )
    months = []
    month = first
    while month <= last:
        count = entered.get(month, 0)
        if count < expected:
            months.append(MissingMonth(month, count, expected))
        month = add_months(month, 1)
    return months


def _recommendations(user, *, unit: OrgUnit, as_of: dt.date) -> list:
    from kieumau.inspections.selectors import open_recommendations

    return list(open_recommendations(user, as_of=as_of, unit=unit))
