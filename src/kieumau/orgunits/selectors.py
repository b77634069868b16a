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
        return tree.unit_by_code(units=OrgUnit.objects.filter(scope.visible(user, "")),
                                 code=code, as_of=as_of)
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
    openable_ids: frozenset[int] = frozenset()  # ancestors the user may open (the rest: no link)


def place_of(user, unit: OrgUnit, as_of: dt.date) -> UnitPlace:
    """The unit's ancestors and children on a date; ancestors above the user's home are shown
    (a commune officer knows which province they are in) but children are scoped."""
    children = tree.children(units=scope.visible_units(user), parent=unit, day=as_of)
    ancestors = tree.ancestors(unit, as_of)
    openable = scope.visible_units(user).filter(pk__in=[a.pk for a in ancestors])
    return UnitPlace(
        unit=unit,
        as_of=as_of,
        exists=unit.exists_on(as_of),
        ancestors=ancestors,
        children=list(children.order_by("name_folded")),
        openable_ids=frozenset(openable.values_list("pk", flat=True)),
    )


def with_province_names(user, units: list[OrgUnit], *, as_of: dt.date) -> list[OrgUnit]:
    """Set `province_name` on each unit (the province it sat in on `as_of`, or on its last day), so
    that three wards called Đức Xuân can be told apart. Two queries for the whole list."""
    days = {u.pk: as_of if u.exists_on(as_of) else u.a_day_it_existed() for u in units}
    placements = Placement.objects.filter(unit__in=units).order_by("unit_id", "-valid_from")
    path_of: dict[int, list[int]] = {}
    for placement in placements:
        day = days[placement.unit_id]
        if placement.unit_id not in path_of and (
            (placement.valid_from is None or placement.valid_from <= day)
            and (placement.valid_to is None or day <= placement.valid_to)
        ):
            path_of[placement.unit_id] = placement.ancestor_ids()
    wanted = {pk for ids in path_of.values() for pk in ids}
    provinces = {
        u.pk: u.name
        for u in OrgUnit.objects.filter(pk__in=wanted, level="province").only("pk", "name")
    }
    for unit in units:
        names = [provinces[pk] for pk in path_of.get(unit.pk, []) if pk in provinces]
        unit.province_name = names[-1] if names else ""
    return units


@dataclass
class FormerUnit:
    unit: OrgUnit
    successors: list[OrgUnit]


def former_units_named(user, *, text: str, as_of: dt.date, limit: int = 10) -> list[FormerUnit]:
    """Units the user may see whose name matches `text` but that had ended by `as_of`, each with
    the units it became (those the user may see): a ward searched at today's date after the 2025
    merger points to the ward it is part of now."""
    words = fold(text).split()
    if not words:
        return []
    units = scope.visible_units(user).filter(valid_to__lt=as_of)
    for word in words:
        units = units.filter(name_folded__contains=word)
    found = list(units.order_by("name_folded", "-valid_to", "code")[:limit])
    visible = scope.visible_unit_ids(user)
    rows = Lineage.objects.filter(predecessor__in=found, successor_id__in=visible).select_related(
        "successor"
    )
    became: dict[int, list[OrgUnit]] = {}
    for row in rows.order_by("successor__name_folded"):
        became.setdefault(row.predecessor_id, []).append(row.successor)
    with_province_names(user, found, as_of=as_of)
    return [FormerUnit(unit=u, successors=became.get(u.pk, [])) for u in found]
