"""Write a `TreePlan` into the database, idempotently: re-running changes nothing that is right."""

from collections.abc import Callable

from django.db import transaction

from kieumau.core.text import fold
from kieumau.orgunits.models import Lineage, OrgUnit, Placement, Reach, Source, TreeLoad
from kieumau.orgunits.plan import TreePlan
from kieumau.orgunits.reach import ReachGraph
from kieumau.orgunits.signals import reach_rebuilt

Progress = Callable[[str], None]
LEVEL_ORDER = ("ministry", "province", "district", "commune", "grassroots")


@transaction.atomic
def load_tree(*, plan: TreePlan, progress: Progress = lambda message: None) -> TreeLoad:
    ids = _upsert_units(plan, progress)
    _replace_placements(plan, ids, progress)
    _replace_lineage(plan, ids, progress)
    rebuild_reach(progress=progress)
    _refresh_statistics()
    return TreeLoad.objects.create(
        package_version=plan.package_version, data_version=plan.data_version, units=len(ids)
    )


def _refresh_statistics() -> None:
    """Right after a bulk load PostgreSQL's planner still believes the tables are empty and
    scans them whole (a subtree query took 1-2 s instead of 3 ms) until autovacuum catches up."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    tables = [model._meta.db_table for model in (OrgUnit, Placement, Lineage, Reach)]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))


def is_loaded(plan: TreePlan) -> bool:
    """The same package data was loaded before and no package unit is missing since."""
    last = TreeLoad.objects.order_by("-loaded_at", "-pk").first()
    return (
        last is not None
        and (last.package_version, last.data_version) == (plan.package_version, plan.data_version)
        and OrgUnit.objects.filter(source=Source.PACKAGE).count() == len(plan.units)
    )


def _upsert_units(plan: TreePlan, progress: Progress) -> dict:
    existing = {
        (unit.level, unit.code, unit.valid_from): unit
        for unit in OrgUnit.objects.filter(source=Source.PACKAGE)
    }
    ids, to_create, to_update = {}, [], []
    for key, planned in plan.units.items():
        natural = (planned.level, planned.code, planned.valid_from)
        unit = existing.get(natural)
        if unit is None:
            unit = OrgUnit(
                code=planned.code, name=planned.name, name_folded=fold(planned.name),
                level=planned.level, kind=planned.kind, valid_from=planned.valid_from,
                valid_to=planned.valid_to, source=Source.PACKAGE,
            )
            to_create.append((key, unit))
            continue
        ids[key] = unit.pk
        wanted = (planned.name, planned.kind, planned.valid_to)
        if (unit.name, unit.kind, unit.valid_to) != wanted:
            unit.name, unit.kind, unit.valid_to = wanted
            unit.name_folded = fold(unit.name)
            to_update.append(unit)
    OrgUnit.objects.bulk_create([unit for _, unit in to_create], batch_size=2000)
    for key, unit in to_create:
        ids[key] = unit.pk
    if to_update:
        OrgUnit.objects.bulk_update(
            to_update, ["name", "name_folded", "kind", "valid_to"], batch_size=2000
        )
    progress(f"đơn vị: {len(to_create)} mới, {len(to_update)} cập nhật, {len(ids)} tất cả")
    return ids


def _replace_placements(plan: TreePlan, ids: dict, progress: Progress) -> None:
    Placement.objects.filter(unit__source=Source.PACKAGE).delete()
    spans_of: dict[int, list[Placement]] = {}
    ordered = sorted(plan.units.values(), key=lambda u: LEVEL_ORDER.index(u.level))
    for planned in ordered:
        unit_id = ids[planned.key]
        spans = []
        for parent_key, start, end in planned.parents:
            if parent_key is None:
                spans.append(Placement(unit_id=unit_id, path=f"/{unit_id}/", depth=0,
                                       valid_from=start, valid_to=end))
                continue
            parent_id = ids[parent_key]
            spans.extend(_spans_under(unit_id, parent_id, spans_of[parent_id], start, end))
        spans_of[unit_id] = spans
    placements = [p for spans in spans_of.values() for p in spans]
    Placement.objects.bulk_create(placements, batch_size=5000)
    _refresh_local_paths(spans_of)
    progress(f"vị trí trong cây: {len(placements)}")


def _spans_under(unit_id, parent_id, parent_spans, start, end):
    """The child's span cut where the parent's own placement changes, each with its path."""
    for parent_span in parent_spans:
        lo = _later(start, parent_span.valid_from)
        hi = _earlier(end, parent_span.valid_to)
        if lo is not None and hi is not None and lo > hi:
            continue
        yield Placement(
            unit_id=unit_id, parent_id=parent_id, path=f"{parent_span.path}{unit_id}/",
            depth=parent_span.depth + 1, valid_from=lo, valid_to=hi,
        )


def _later(a, b):
    return b if a is None else a if b is None else max(a, b)


def _earlier(a, b):
    return b if a is None else a if b is None else min(a, b)


def _refresh_local_paths(spans_of: dict) -> None:
    """Units a commune registered itself hang under package units whose paths were just rebuilt."""
    local = Placement.objects.filter(unit__source=Source.LOCAL).order_by("depth")
    for placement in local:
        parents = spans_of.get(placement.parent_id) or list(
            Placement.objects.filter(unit_id=placement.parent_id)
        )
        for parent_span in parents:
            if _later(placement.valid_from, parent_span.valid_from) == placement.valid_from:
                placement.path = f"{parent_span.path}{placement.unit_id}/"
                placement.depth = parent_span.depth + 1
        placement.save(update_fields=["path", "depth"])
        spans_of.setdefault(placement.unit_id, []).append(placement)


def _replace_lineage(plan: TreePlan, ids: dict, progress: Progress) -> None:
    Lineage.objects.filter(predecessor__source=Source.PACKAGE).delete()
    from kieumau.orgunits.plan import NEW_TREE

    rows = [
        Lineage(
            predecessor_id=ids[item.predecessor], successor_id=ids[item.successor],
            date=NEW_TREE, change=item.change, partial=item.partial,
        )
        for item in plan.lineage
    ]
    Lineage.objects.bulk_create(rows, batch_size=5000)
    progress(f"quan hệ kế thừa: {len(rows)}")


def rebuild_reach(*, progress: Progress = lambda message: None) -> int:
    """Recompute the closure of "sat under at any time" and "was succeeded by" (`reach.ReachGraph`
    says how partial lineage counts)."""
    levels = dict(OrgUnit.objects.values_list("pk", "level"))
    graph = ReachGraph(
        levels=levels,
        placements=Placement.objects.exclude(parent=None).values_list("unit_id", "parent_id"),
        lineage=Lineage.objects.values_list("predecessor_id", "successor_id", "partial"),
    )
    Reach.objects.all().delete()
    rows = [
        Reach(unit_id=unit_id, ancestor_id=ancestor_id)
        for unit_id in levels
        for ancestor_id in graph.reach(unit_id)
    ]
    Reach.objects.bulk_create(rows, batch_size=10000)
    progress(f"phạm vi truy cập: {len(rows)}")
    reach_rebuilt.send(sender=Reach)
    return len(rows)

