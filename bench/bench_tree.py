"""The organisation tree: loading it, and the dated queries every page and report makes."""

import datetime as dt

from harness import analyze, ensure_tree, timed

REPEAT = 20
NEW_TREE_DAY = dt.date(2026, 1, 1)
OLD_TREE_DAY = dt.date(2024, 1, 1)


def run() -> None:
    from kieumau.orgunits import tree
    from kieumau.orgunits.loader import load_tree
    from kieumau.orgunits.models import OrgUnit
    from kieumau.orgunits.plan import build_plan

    plan = timed(
        "read the tree from vietnam-provinces (build_plan)",
        build_plan,
        describe=lambda p: f"{len(p.units)} units, {len(p.lineage)} lineage rows",
    )
    timed("load the full tree into an empty database", lambda: load_tree(plan=plan))
    timed("load it again (idempotent: nothing changes)", lambda: load_tree(plan=plan))
    ensure_tree()

    units = OrgUnit.objects.all()

    def by_code(code, day):
        return tree.unit_by_code(units=units, code=code, as_of=day)

    def communes_of(root, day):
        return list(tree.descendants(units=units, root=root, day=day, level="commune"))

    nghe_an = by_code("40", NEW_TREE_DAY)
    timed(
        f"communes of Nghệ An as of {NEW_TREE_DAY}, right after the load",
        lambda: communes_of(nghe_an, NEW_TREE_DAY),
        describe=lambda found: f"{len(found)} communes",
    )
    timed("planner statistics (PostgreSQL: VACUUM ANALYZE; SQLite: ANALYZE)", analyze)

    for label, code, day in [
        ("Nghệ An", "40", NEW_TREE_DAY),
        ("Nghệ An", "40", OLD_TREE_DAY),
        ("the whole country", "BCA", NEW_TREE_DAY),
        ("the whole country", "BCA", OLD_TREE_DAY),
    ]:
        root = by_code(code, day)
        timed(
            f"communes of {label} as of {day}",
            lambda root=root, day=day: communes_of(root, day),
            repeat=REPEAT,
            warmup=1,
            describe=lambda found: f"{len(found)} communes",
        )

    for code, day in [("01840", OLD_TREE_DAY), ("01840", NEW_TREE_DAY), ("16939", NEW_TREE_DAY)]:
        commune = by_code(code, day)
        timed(
            f"ancestors of {commune.name} ({code}) as of {day}",
            lambda commune=commune, day=day: tree.ancestors(commune, day),
            repeat=REPEAT * 10,
            warmup=1,
            describe=lambda found: " › ".join(unit.code for unit in found),
        )

    thai_hoa = by_code("16939", NEW_TREE_DAY)
    timed(
        "lineage roots of phường Thái Hòa (history it inherits)",
        lambda: tree.lineage_roots(thai_hoa),
        repeat=REPEAT * 10,
        warmup=1,
        describe=lambda found: f"{len(found)} units",
    )
