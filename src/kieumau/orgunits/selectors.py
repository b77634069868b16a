"""Reads of the tree on behalf of a user: every function starts from `scope.visible_units`."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery

from kieumau.accounts import scope
from kieumau.core.text import fold
from kieumau.orgunits import tree
from kieumau.orgunits.models import Lineage, OrgUnit, Placement, valid_on


def unit_for(user, *, code: str, as_of: dt.date) -> OrgUnit:
    """The unit with `code` on `as_of`, if `user` may see it; else `NotVisible` (404)."""
    try:
        return tree.unit_by_code(units=scope.visible_units(user), code=code, as_of=as_of)
    except tree.UnitNotFound:
        raise scope.NotVisible("not found") from None


def with_parent_code(units: QuerySet[OrgUnit], as_of: dt.date) -> QuerySet[OrgUnit]:
    """Annotate `parent_code` as of the date in the same query (no N+1 on lists)."""
    placed = Placement.objects.filter(valid_on(as_of), unit=OuterRef("pk"))
    return units.annotate(parent_code=Subquery(placed.values("parent__code")[:1]))


def search_units(
    user,
    *,
    as_of: dt.date,
    level: str | None = None,
    parent_code: str | None = None,
    text: str | None = None,
) -> QuerySet[OrgUnit]:
    units = scope.visible_units_on(user, as_of)
    if level:
        units = units.filter(level=level)
    if parent_code:
        parent = unit_for(user, code=parent_code, as_of=as_of)
        units = units.filter(
            pk__in=Placement.objects.filter(valid_on(as_of), parent=parent).values("unit_id")
        )
    if text:
        for word in fold(text).split():
            units = units.filter(name_folded__contains=word)
    return with_parent_code(units, as_of).order_by("level", "name_folded", "code")


def default_listing(user, *, as_of: dt.date) -> QuerySet[OrgUnit]:
    """What the tree browser shows before a search: the units under the user's home on the date,
    or, for a home with none under it (a ward), every unit the user may see on that date."""
    home = user.home_unit
    if home is not None and home.exists_on(as_of):
        under = search_units(user, as_of=as_of, parent_code=home.code)
        if under.exists():
            return under
    return search_units(user, as_of=as_of)


def communes_of(user, *, province: OrgUnit, as_of: dt.date) -> QuerySet[OrgUnit]:
    return tree.descendants(
        units=scope.visible_units(user), root=province, day=as_of, level="commune"
    )


@dataclass
class UnitHistory:
    predecessors: list[Lineage]
    successors: list[Lineage]


def history_of(user, unit: OrgUnit) -> UnitHistory:
    """Lineage rows whose other end the user may see (a split ward's other half may be hidden)."""
    visible = scope.visible_unit_ids(user)
    return UnitHistory(
        predecessors=list(tree.predecessors(unit).filter(predecessor_id__in=visible)),
        successors=list(tree.successors(unit).filter(successor_id__in=visible)),
    )


@dataclass
class UnitPlace:
    unit: OrgUnit
    as_of: dt.date
    exists: bool
    ancestors: list[OrgUnit]
    children: list[OrgUnit]


def place_of(user, unit: OrgUnit, as_of: dt.date) -> UnitPlace:
    """The unit's ancestors and children on a date; ancestors above the user's home are shown
    (a commune officer knows which province they are in) but children are scoped."""
    children = tree.children(units=scope.visible_units(user), parent=unit, day=as_of)
    return UnitPlace(
        unit=unit,
        as_of=as_of,
        exists=unit.exists_on(as_of),
        ancestors=tree.ancestors(unit, as_of),
        children=list(children.order_by("name_folded")),
    )
