"""Tree queries by date. Unscoped: callers pass a queryset already narrowed by `accounts.scope`."""

import datetime as dt

from django.db.models import QuerySet

from kieumau.orgunits.models import Lineage, OrgUnit, Placement, valid_on


class UnitNotFound(Exception):
    """No unit with that code existed on that date (or the user may not see it)."""

    def __init__(self, code: str, as_of: dt.date) -> None:
        super().__init__(f"no unit {code!r} on {as_of}")
        self.code, self.as_of = code, as_of


def normalise_code(code: str) -> str:
    """National codes are zero-padded (province 2 digits, district 3, commune 5); accept "1840"."""
    code = code.strip()
    return code.zfill(5) if code.isdigit() and len(code) in (3, 4) else code


def unit_by_code(*, units: QuerySet[OrgUnit], code: str, as_of: dt.date) -> OrgUnit:
    """The unit that carried `code` on `as_of`. Province "24" in 2024 and in 2026 differ."""
    code = code.strip()
    candidates = {code, normalise_code(code), code.zfill(2)} if code.isdigit() else {code}
    found = list(units.filter(valid_on(as_of), code__in=candidates).order_by("level")[:2])
    if not found:
        raise UnitNotFound(code, as_of)
    # "40" is a province and "00040" a commune: an exact code wins over a padded one.
    exact = [unit for unit in found if unit.code == code]
    return (exact or found)[0]


def placement_on(unit: OrgUnit, day: dt.date) -> Placement | None:
    return Placement.objects.filter(valid_on(day), unit=unit).first()


def ancestors(unit: OrgUnit, day: dt.date) -> list[OrgUnit]:
    """Root first, parent last; one query for the placement and one for the units."""
    placement = placement_on(unit, day)
    if placement is None:
        return []
    ids = placement.ancestor_ids()
    by_id = OrgUnit.objects.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def descendants(
    *, units: QuerySet[OrgUnit], root: OrgUnit, day: dt.date, level: str | None = None
) -> QuerySet[OrgUnit]:
    """Every unit under `root` on `day`: one `path LIKE 'root-path%'` query, no walking."""
    placement = placement_on(root, day)
    if placement is None:
        return units.none()
    placed = Placement.objects.filter(valid_on(day), path__startswith=placement.path).exclude(
        unit=root
    )
    result = units.filter(pk__in=placed.values("unit_id"))
    return result.filter(level=level) if level else result


def children(*, units: QuerySet[OrgUnit], parent: OrgUnit, day: dt.date) -> QuerySet[OrgUnit]:
    placed = Placement.objects.filter(valid_on(day), parent=parent)
    return units.filter(pk__in=placed.values("unit_id"))


def units_on(*, units: QuerySet[OrgUnit], day: dt.date) -> QuerySet[OrgUnit]:
    return units.filter(valid_on(day))


def parent_on(unit: OrgUnit, day: dt.date) -> OrgUnit | None:
    placement = placement_on(unit, day)
    return placement.parent if placement and placement.parent_id else None


def predecessors(unit: OrgUnit) -> QuerySet[Lineage]:
    return Lineage.objects.filter(successor=unit).select_related("predecessor")


def successors(unit: OrgUnit) -> QuerySet[Lineage]:
    return Lineage.objects.filter(predecessor=unit).select_related("successor")


def lineage_roots(unit: OrgUnit) -> list[OrgUnit]:
    """`unit` and every unit that merged (or split) into it, transitively: where its history lives."""
    seen = {unit.pk: unit}
    frontier = [unit.pk]
    while frontier:
        rows = Lineage.objects.filter(successor_id__in=frontier).select_related("predecessor")
        frontier = []
        for row in rows:
            if row.predecessor_id not in seen:
                seen[row.predecessor_id] = row.predecessor
                frontier.append(row.predecessor_id)
    return list(seen.values())
