"""What the tree should hold, read from the `vietnam-provinces` package; no database here.

Eras, from PROGRAM.md: until 28/02/2025 Ministry → 63 provinces → 696 districts → ~10,051
communes; district police were abolished on 01/03/2025, so until 30/06/2025 the old communes sat
straight under their province; from 01/07/2025, 34 provinces → 3,321 communes. A unit that came
through 2025 unchanged (same code, same name, sole source and sole successor) stays one unit.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import vietnam_provinces
from vietnam_provinces import Province, Ward, legacy

from kieumau.core.text import fold

DISTRICTS_ABOLISHED = dt.date(2025, 3, 1)
NEW_TREE = dt.date(2025, 7, 1)
MINISTRY_CODE = "BCA"

_KINDS = {
    "tỉnh": "tinh",
    "thành phố trung ương": "thanh_pho",
    "thành phố": "thanh_pho",
    "huyện": "huyen",
    "quận": "quan",
    "thị xã": "thi_xa",
    "xã": "xa",
    "phường": "phuong",
    "thị trấn": "thi_tran",
    "đặc khu": "dac_khu",
}


@dataclass
class PlannedUnit:
    key: tuple[str, str, str]  # (era, level, code): stable while the package data is the same
    code: str
    name: str
    level: str
    kind: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    # (parent key, from, to) spans, in date order
    parents: list[tuple[tuple[str, str, str] | None, dt.date | None, dt.date | None]] = field(
        default_factory=list
    )


@dataclass
class PlannedLineage:
    predecessor: tuple[str, str, str]
    successor: tuple[str, str, str]
    change: str
    partial: bool


@dataclass
class TreePlan:
    units: dict[tuple[str, str, str], PlannedUnit]
    lineage: list[PlannedLineage]
    package_version: str = vietnam_provinces.__version__
    data_version: str = vietnam_provinces.__data_version__


def _day_before(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=1)


def _same_name(a: str, b: str) -> bool:
    # "Phường Hoà Hiếu" / "Phường Hòa Hiếu": the package mixes old and new tone placement.
    return fold(a) == fold(b)


def build_plan() -> TreePlan:
    ministry_key = ("any", "ministry", MINISTRY_CODE)
    units: dict[tuple[str, str, str], PlannedUnit] = {
        ministry_key: PlannedUnit(
            ministry_key, MINISTRY_CODE, "Bộ Công an", "ministry", "bo", None, None, [(None, None, None)]
        )
    }
    old_end, district_end = _day_before(NEW_TREE), _day_before(DISTRICTS_ABOLISHED)

    for p in legacy.Province.iter_all():
        key = ("old", "province", str(p.code.value))
        units[key] = PlannedUnit(
            key, f"{p.code.value:02d}", p.name, "province", _KINDS[p.division_type.value],
            None, old_end, [(ministry_key, None, old_end)],
        )
    for d in legacy.District.iter_all():
        key = ("old", "district", str(d.code.value))
        province_key = ("old", "province", str(d.province_code.value))
        units[key] = PlannedUnit(
            key, f"{d.code.value:03d}", d.name, "district", _KINDS[d.division_type.value],
            None, district_end, [(province_key, None, district_end)],
        )
    for w in legacy.Ward.iter_all():
        key = ("old", "commune", str(w.code.value))
        district_key = ("old", "district", str(w.district_code.value))
        province_key = ("old", "province", str(w.province_code.value))
        units[key] = PlannedUnit(
            key, f"{w.code.value:05d}", w.name, "commune", _KINDS[w.division_type.value],
            None, old_end,
            [(district_key, None, district_end), (province_key, DISTRICTS_ABOLISHED, old_end)],
        )

    lineage: list[PlannedLineage] = []
    # Which old province/commune keys were absorbed into a given new one.
    province_sources = {
        p.code.value: [("old", "province", str(o.code.value)) for o in p.get_legacy_sources()]
        for p in Province.iter_all()
    }
    ward_sources = {
        w.code.value: [("old", "commune", str(o.code.value)) for o in w.get_legacy_sources()]
        for w in Ward.iter_all()
    }
    successors_count: dict[tuple[str, str, str], int] = defaultdict(int)
    for sources in (*province_sources.values(), *ward_sources.values()):
        for source in sources:
            successors_count[source] += 1

    new_key_of: dict[tuple[str, str, str], tuple[str, str, str]] = {}
    for p in Province.iter_all():
        key = ("new", "province", str(p.code.value))
        code, sources = f"{p.code.value:02d}", province_sources[p.code.value]
        continued = _continues(units, sources, code, p.name, successors_count)
        if continued:
            unit = units.pop(continued)
            unit.key, unit.valid_to = key, None
            unit.parents[-1] = (ministry_key, unit.parents[-1][1], None)
            units[key] = unit
            new_key_of[continued] = key
        else:
            units[key] = PlannedUnit(
                key, code, p.name, "province", _KINDS[p.division_type.value], NEW_TREE, None,
                [(ministry_key, NEW_TREE, None)],
            )
            _add_lineage(lineage, sources, key, successors_count)

    for w in Ward.iter_all():
        key = ("new", "commune", str(w.code.value))
        province_key = ("new", "province", str(w.province_code.value))
        code, sources = f"{w.code.value:05d}", ward_sources[w.code.value]
        continued = _continues(units, sources, code, w.name, successors_count)
        if continued:
            unit = units.pop(continued)
            unit.key, unit.valid_to = key, None
            unit.parents.append((province_key, NEW_TREE, None))
            units[key] = unit
            new_key_of[continued] = key
        else:
            units[key] = PlannedUnit(
                key, code, w.name, "commune", _KINDS[w.division_type.value], NEW_TREE, None,
                [(province_key, NEW_TREE, None)],
            )
            _add_lineage(lineage, sources, key, successors_count)

    # Parents named by their old key may have continued under a new key.
    for unit in units.values():
        unit.parents = _merge_spans(
            [(new_key_of.get(parent, parent), start, end) for parent, start, end in unit.parents]
        )
    for item in lineage:
        item.predecessor = new_key_of.get(item.predecessor, item.predecessor)
    return TreePlan(units=units, lineage=lineage)


def _continues(units, sources, code, name, successors_count):
    """The old key that this new unit simply continues, or None if it is a new body."""
    if len(sources) != 1 or successors_count[sources[0]] != 1:
        return None
    old = units.get(sources[0])
    if old is None or old.code != code or not _same_name(old.name, name):
        return None
    return sources[0]


def _add_lineage(lineage, sources, key, successors_count):
    for source in sources:
        split = successors_count[source] > 1
        if split:
            change = "split"
        elif len(sources) > 1:
            change = "merge"
        else:
            change = "rename"
        lineage.append(PlannedLineage(source, key, change, partial=split))


def _merge_spans(spans):
    """Join adjacent spans under the same parent (a commune whose province carried on)."""
    merged: list = []
    for parent, start, end in spans:
        if merged and merged[-1][0] == parent:
            merged[-1] = (parent, merged[-1][1], end)
        else:
            merged.append((parent, start, end))
    return merged
