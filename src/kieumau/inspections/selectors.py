"""Reads of inspections and recommendations on behalf of a user (scope applied here).

- `overdue_recommendations(user, as_of=…, unit=…)`: THE overdue figure (unit page, dashboards,
  home page): open or in progress, due before `as_of`, addressed to a unit in scope (under `unit`
  or rolled up into it, when given).
- `overdue_count(…)`: their number, for the API.
- `open_recommendations(user, as_of=…, unit=…)`: everything still to do, soonest first, each with
  `overdue` set.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When

from kieumau.accounts import scope
from kieumau.inspections.models import (
    Finding,
    Inspection,
    InspectionMember,
    Recommendation,
    Visit,
)
from kieumau.orgunits.models import OrgUnit, Reach


def inspections_for(user, *, unit: OrgUnit | None = None, plan=None) -> QuerySet[Inspection]:
    """Inspections in scope; with `unit`, those run by it or that visited a unit under it (or
    rolled up into it)."""
    found = Inspection.objects.visible_to(user).select_related("owner_unit", "plan")
    if plan is not None:
        found = found.filter(plan=plan)
    if unit is not None:
        touched = Reach.objects.filter(ancestor=unit).values("unit_id")
        found = found.filter(
            Q(owner_unit_id__in=touched)
            | Q(pk__in=Visit.objects.filter(unit_id__in=touched).values("inspection_id"))
        )
    return found.order_by("-date", "-pk")


def get_inspection(user, pk: int) -> Inspection:
    return scope.get_visible_or_404(
        Inspection.objects.select_related("owner_unit", "plan"), user, pk=pk
    )


def visits_of(user, *, inspection: Inspection) -> QuerySet[Visit]:
    return (
        Visit.objects.visible_to(user)
        .filter(inspection=inspection)
        .select_related("unit")
        .prefetch_related("findings")
    )


def get_visit(user, pk: int) -> Visit:
    return scope.get_visible_or_404(
        Visit.objects.select_related("unit", "inspection", "inspection__owner_unit"), user, pk=pk
    )


def get_member(user, pk: int) -> InspectionMember:
    return scope.get_visible_or_404(
        InspectionMember.objects.select_related("inspection__owner_unit"), user, pk=pk
    )


def get_finding(user, pk: int) -> Finding:
    return scope.get_visible_or_404(
        Finding.objects.select_related("visit__unit", "visit__inspection__owner_unit"), user, pk=pk
    )


def recommendations_of(user, *, inspection: Inspection) -> QuerySet[Recommendation]:
    return (
        Recommendation.objects.visible_to(user)
        .filter(inspection=inspection)
        .select_related("unit")
        .order_by("due_on", "pk")
    )


def get_recommendation(user, pk: int) -> Recommendation:
    return scope.get_visible_or_404(
        Recommendation.objects.select_related("unit", "inspection", "inspection__owner_unit"),
        user,
        pk=pk,
    )


def _under(found: QuerySet, unit: OrgUnit | None) -> QuerySet:
    if unit is None:
        return found
    return found.filter(unit_id__in=Reach.objects.filter(ancestor=unit).values("unit_id"))


def _open(user, unit: OrgUnit | None) -> QuerySet[Recommendation]:
    return _under(Recommendation.objects.visible_to(user), unit).filter(
        status__in=Recommendation.OPEN_STATUSES
    )


def open_recommendations(user, *, as_of: dt.date,
                         unit: OrgUnit | None = None) -> QuerySet[Recommendation]:
    return (
        _open(user, unit).annotate(
            overdue=Case(When(due_on__lt=as_of, then=Value(True)), default=Value(False),
                         output_field=BooleanField())
        )
        .select_related("unit", "inspection")
        .order_by("due_on", "pk")
    )


def overdue_recommendations(user, *, as_of: dt.date,
                            unit: OrgUnit | None = None) -> QuerySet[Recommendation]:
    """Not done nor dropped, and due before `as_of` (due on `as_of` itself is not yet late)."""
    return open_recommendations(user, as_of=as_of, unit=unit).filter(due_on__lt=as_of)


def overdue_count(user, *, as_of: dt.date, unit: OrgUnit | None = None) -> int:
    """How many `overdue_recommendations` there are, counted by the database."""
    return _open(user, unit).filter(due_on__lt=as_of).count()


def findings_for_unit(user, *, unit: OrgUnit) -> QuerySet[Finding]:
    rolled = Reach.objects.filter(ancestor=unit).values("unit_id")
    return (
        Finding.objects.visible_to(user)
        .filter(visit__unit_id__in=rolled)
        .select_related("visit__unit", "visit__inspection")
        .order_by("-visit__inspection__date", "kind", "pk")
    )
