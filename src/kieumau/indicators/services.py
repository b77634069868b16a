"""Writes of indicators: the catalogue, monthly values (all or nothing, with history), locks.

Every save keeps the previous value of each changed value in `IndicatorValueChange` and writes
one audit event. Callers (form, spreadsheet import, API) resolve codes through the selectors,
which apply scope; `set_values` checks scope and role again before writing anything.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kieumau.accounts import scope
from kieumau.core import audit
from kieumau.core.dates import today
from kieumau.indicators import bulk, totals
from kieumau.indicators.models import (
    Aggregation,
    Indicator,
    IndicatorValue,
    IndicatorValueChange,
    Source,
    ValueType,
)
from kieumau.indicators.months import first_of_month, month_end, month_label, months_in_period
from kieumau.indicators.validation import BadValue, cached_cleaner
from kieumau.orgunits.models import Level, OrgUnit

CATALOGUE_PATH = Path(__file__).resolve().parent / "catalog" / "indicators.yaml"
# Values are reported by communes and by grassroots bodies; higher levels are computed.
LEVELS_WITH_VALUES = frozenset({Level.COMMUNE, Level.GRASSROOTS})
BATCH = 2000
STATISTICS_AFTER = 5000  # new values in one save that make the planner's statistics stale


# --- the catalogue ---------------------------------------------------------------------------


class CatalogueError(Exception):
    pass


@dataclass
class CatalogueLoad:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def read_catalogue(path: Path = CATALOGUE_PATH) -> list[dict[str, Any]]:
    """The YAML catalogue as model field values, checked; CatalogueError names the bad entry."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    rows, seen = [], set()
    for position, entry in enumerate(entries, start=1):
        code = str(entry.get("code", "")).strip()
        if not code or code in seen:
            raise CatalogueError(f"{path.name} entry {position}: missing or repeated code {code!r}")
        if entry.get("aggregation") not in Aggregation.values:
            raise CatalogueError(f"{code}: aggregation must be one of {Aggregation.values}")
        if entry.get("value_type") not in ValueType.values:
            raise CatalogueError(f"{code}: value_type must be one of {ValueType.values}")
        if not entry.get("name") or not entry.get("unit"):
            raise CatalogueError(f"{code}: name and unit are required")
        seen.add(code)
        rows.append(
            {
                "code": code,
                "name": str(entry["name"]).strip(),
                "unit_of_measure": str(entry["unit"]).strip(),
                "aggregation": entry["aggregation"],
                "value_type": entry["value_type"],
                "description": str(entry.get("description") or "").strip(),
                "order": position * 10,
            }
        )
    return rows


@transaction.atomic
def load_indicators(*, path: Path = CATALOGUE_PATH, actor=None) -> CatalogueLoad:
    """Create or update the catalogue from the YAML shipped in the package; idempotent.

    Indicators missing from the file are kept (values refer to them)."""
    result = CatalogueLoad()
    existing = {indicator.code: indicator for indicator in Indicator.objects.all()}
    for row in read_catalogue(path):
        indicator = existing.get(row["code"])
        if indicator is None:
            Indicator.objects.create(**row)
            result.created += 1
            continue
        changed = [name for name, value in row.items() if getattr(indicator, name) != value]
        if not changed:
            result.unchanged += 1
            continue
        for name in changed:
            setattr(indicator, name, row[name])
        indicator.save(update_fields=changed)
        result.updated += 1
    if result.created or result.updated:
        audit.record(
            actor=actor,
            action="indicators.catalogue_loaded",
            detail={"created": result.created, "updated": result.updated},
        )
    return result


# --- values ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ValueInput:
    """One value to write. `ref` travels back in errors (a spreadsheet row, a list index)."""

    unit: OrgUnit
    indicator: Indicator
    month: dt.date
    value: Any  # Decimal, int, text as typed, or None to clear
    ref: Any = None
    expected_revision: int | None = None  # the revision the person saw (0: none); None: skip


@dataclass(frozen=True, slots=True)
class RowError:
    ref: Any
    field: str
    message: str


class ValuesRejected(Exception):
    """Nothing was written; `errors` lists every bad input."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        super().__init__(f"{len(errors)} bad value(s)")
        self.errors = list(errors)


class ValuesLocked(ValuesRejected):
    """At least one input would change a locked value (an approved assessment used it)."""


class ValuesConflict(ValuesRejected):
    """Someone saved some of these values after the person read them (a stale revision):
    nothing was written (409). `changed_at` is when the newest of them was saved."""

    def __init__(self, errors: Sequence[RowError], *, changed_at: dt.datetime | None) -> None:
        super().__init__(errors)
        self.changed_at = changed_at

    @property
    def message(self) -> str:
        when = (
            formats.date_format(timezone.localtime(self.changed_at), "H:i d/m/Y")
            if self.changed_at
            else "…"
        )
        return _("Số liệu đã được người khác cập nhật lúc %(when)s; tải lại để xem thay đổi.") % {
            "when": when
        }


def hold_units(unit_ids: Iterable[int]) -> None:
    """Lock the rows of these units until the transaction ends (PostgreSQL; SQLite's IMMEDIATE
    transactions are serialised anyway). Every writer of values and of value locks takes this
    first, in the order of the ids, so that a save that read the values cannot be overtaken by
    an approval that locks them, nor by another save of the same values (a lost update)."""
    ids = sorted(set(unit_ids))
    for start in range(0, len(ids), BATCH):
        list(
            OrgUnit.objects.select_for_update(no_key=True)
            .filter(pk__in=ids[start : start + BATCH])
            .order_by("pk")
            .values_list("pk", flat=True)
        )


@dataclass
class SaveResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    unit_ids: set[int] = field(default_factory=set)


def locked_message() -> str:
    return _("giá trị đã khóa vì một đánh giá đã được duyệt; không thể sửa")


def not_yet_message(month: dt.date) -> str:
    return _("tháng %(month)s chưa đến; chưa nhập được số liệu của tháng này") % {
        "month": month_label(month)
    }


def _check_writable_units(actor, units: Iterable[OrgUnit]) -> None:
    scope.require_write(actor)
    by_id = {unit.pk: unit for unit in units}
    if not by_id:
        return
    visible = set(
        scope.visible_units(actor).filter(pk__in=list(by_id)).values_list("pk", flat=True)
    )
    if visible != set(by_id):
        raise scope.NotVisible("not found")


def set_values(
    *, actor, rows: Sequence[ValueInput], source: str, note: str = "", dry_run: bool = False
) -> SaveResult:
    """Write many values at once, all or nothing; `ValuesRejected`/`ValuesLocked` list the bad ones.

    Unchanged values are skipped (re-uploading a pre-filled spreadsheet changes nothing, even
    where values are locked). Read-only roles get PermissionDenied; units out of scope NotVisible.
    `dry_run` checks everything and writes nothing.
    """
    _check_writable_units(actor, (row.unit for row in rows))
    return _apply(actor=actor, rows=rows, source=source, note=note, dry_run=dry_run)


def set_value(
    *,
    actor,
    unit: OrgUnit,
    indicator: Indicator,
    month: dt.date,
    value,
    source: str = Source.FORM,
    note: str = "",
) -> IndicatorValue | None:
    """Write one value; returns the stored row (None when clearing a value that never existed)."""
    set_values(
        actor=actor,
        rows=[ValueInput(unit, indicator, month, value, ref=indicator.code)],
        source=source,
        note=note,
    )
    return IndicatorValue.objects.filter(
        unit=unit, indicator=indicator, month=first_of_month(month)
    ).first()


@transaction.atomic
def _apply(
    *, actor, rows: Sequence[ValueInput], source: str, note: str, dry_run: bool = False
) -> SaveResult:
    if source not in Source.values:
        raise ValueError(f"unknown source {source!r}")
    hold_units(row.unit.pk for row in rows)
    errors: list[RowError] = []
    wanted: dict[tuple[int, int, dt.date], tuple[ValueInput, Decimal | None]] = {}
    existed: dict[tuple[int, dt.date], bool] = {}  # a big import repeats units and months
    clean = cached_cleaner()
    this_month = first_of_month(today())
    for row in rows:
        if row.unit.level not in LEVELS_WITH_VALUES:
            errors.append(
                RowError(
                    row.ref,
                    "unit",
                    _("%(unit)s không nhập chỉ số trực tiếp; hãy nhập cho từng xã, phường")
                    % {"unit": row.unit.police_name},
                )
            )
            continue
        if row.month > this_month:
            errors.append(RowError(row.ref, "month", not_yet_message(row.month)))
            continue
        unit_month = (row.unit.pk, row.month)
        if unit_month not in existed:
            existed[unit_month] = row.unit.exists_on(month_end(row.month))
        if not existed[unit_month]:
            errors.append(
                RowError(
                    row.ref,
                    "unit",
                    _("%(unit)s không tồn tại vào tháng %(month)s")
                    % {"unit": row.unit.police_name, "month": month_label(row.month)},
                )
            )
            continue
        try:
            value = clean(row.value, row.indicator.value_type)
        except BadValue as bad:
            errors.append(RowError(row.ref, row.indicator.code, bad.message))
            continue
        key = (row.unit.pk, row.indicator.pk, row.month.replace(day=1))
        if key in wanted:
            errors.append(
                RowError(
                    row.ref,
                    row.indicator.code,
                    _("trùng đơn vị, chỉ số và tháng %(month)s với một mục trước")
                    % {"month": month_label(key[2])},
                )
            )
            continue
        wanted[key] = (row, value)

    existing = _existing(wanted)
    closed = _locked_months(wanted)
    creates, updates, result = [], [], SaveResult()
    summed: list[tuple[tuple[int, int, dt.date], Decimal | None, Decimal | None]] = []
    any_locked = False
    stale_ids: list[int] = []
    for key, (row, value) in wanted.items():
        current = existing.get(key)
        before = current[1] if current else None
        if value == before:
            result.unchanged += 1
            continue
        if current is not None and current[2]:
            any_locked = True
            errors.append(RowError(row.ref, row.indicator.code, locked_message()))
            continue
        if current is None and (key[0], key[2]) in closed:
            any_locked = True
            errors.append(
                RowError(
                    row.ref,
                    row.indicator.code,
                    _(
                        "tháng %(month)s đã khóa vì một đánh giá đã được duyệt; không thể thêm giá trị"
                    )
                    % {"month": month_label(key[2])},
                )
            )
            continue
        if row.expected_revision is not None and row.expected_revision != (
            current[3] if current else 0
        ):
            if current is not None:
                stale_ids.append(current[0])
            errors.append(
                RowError(
                    row.ref,
                    row.indicator.code,
                    _("người khác vừa sửa giá trị này; tải lại trang để xem giá trị mới"),
                )
            )
            continue
        if current is None:
            creates.append((key, value))
        else:
            updates.append((current[0], before, value))
        if row.unit.level == Level.COMMUNE:
            summed.append((key, before, value))
        result.unit_ids.add(key[0])
    if errors and stale_ids:
        changed_at = (
            IndicatorValue.objects.filter(pk__in=stale_ids)
            .order_by("-entered_at")
            .values_list("entered_at", flat=True)
            .first()
        )
        raise ValuesConflict(errors, changed_at=changed_at)
    if errors:
        raise (ValuesLocked if any_locked else ValuesRejected)(errors)
    result.created, result.updated = len(creates), len(updates)
    if dry_run or not (creates or updates):
        return result

    now = timezone.now()
    actor_id = actor.pk if actor is not None and getattr(actor, "pk", None) else None
    value_fields = [
        "unit_id",
        "indicator_id",
        "month",
        "value",
        "entered_by_id",
        "entered_at",
        "locked",
        "revision",
    ]
    bulk.insert_rows(
        IndicatorValue,
        value_fields,
        [(*key, value, actor_id, now, False, 1) for key, value in creates],
    )
    created = _existing(dict.fromkeys(key for key, _value in creates))
    bulk.update_values(
        IndicatorValue, [(pk, value) for pk, _before, value in updates], actor_id=actor_id, now=now
    )
    changes = [(created[key][0], None, value) for key, value in creates] + updates
    change_fields = ["value_id", "previous", "new", "changed_by_id", "changed_at", "source", "note"]
    bulk.insert_rows(
        IndicatorValueChange,
        change_fields,
        [(pk, before, after, actor_id, now, source, note[:300]) for pk, before, after in changes],
    )
    if len(creates) >= STATISTICS_AFTER:
        bulk.refresh_statistics(IndicatorValue)
    _audit_save(actor=actor, result=result, wanted=wanted, source=source, note=note)
    totals.add_changes(summed)  # last: other saves in the province wait on these rows until commit
    return result


def _existing(wanted) -> dict[tuple[int, int, dt.date], tuple[int, Decimal | None, bool, int]]:
    """(pk, value, locked, revision) of the stored values among the wanted keys, in few queries."""
    if not wanted:
        return {}
    unit_ids = sorted({key[0] for key in wanted})
    months = sorted({key[2] for key in wanted})
    indicator_ids = sorted({key[1] for key in wanted})
    found = {}
    for start in range(0, len(unit_ids), BATCH):
        rows = IndicatorValue.objects.filter(
            unit_id__in=unit_ids[start : start + BATCH],
            month__in=months,
            indicator_id__in=indicator_ids,
        ).values_list("pk", "unit_id", "indicator_id", "month", "value", "locked", "revision")
        for pk, unit_id, indicator_id, month, value, locked, revision in rows:
            key = (unit_id, indicator_id, month)
            if key in wanted:
                found[key] = (pk, value, locked, revision)
    return found


def _locked_months(wanted) -> set[tuple[int, dt.date]]:
    """(unit_id, month) pairs with a locked value: an approved assessment read that month, so no
    value may be added to it either."""
    unit_ids = sorted({key[0] for key in wanted})
    months = sorted({key[2] for key in wanted})
    closed = set()
    for start in range(0, len(unit_ids), BATCH):
        closed.update(
            IndicatorValue.objects.filter(
                unit_id__in=unit_ids[start : start + BATCH], month__in=months, locked=True
            )
            .values_list("unit_id", "month")
            .distinct()
        )
    return closed


def _audit_save(*, actor, result: SaveResult, wanted, source: str, note: str) -> None:
    months = sorted({key[2] for key in wanted})
    units = {row.unit.pk: row.unit for row, _value in wanted.values()}
    single = units[next(iter(result.unit_ids))] if len(result.unit_ids) == 1 else None
    audit.record(
        actor=actor,
        action="indicators.values_saved",
        unit=single,
        detail={
            "source": source,
            "note": note[:300],
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "units": sorted(result.unit_ids),
            "months": [month_label(months[0]), month_label(months[-1])] if months else [],
        },
    )


# --- locks -----------------------------------------------------------------------------------


def _in_period(unit_ids: Iterable[int], start: dt.date, end: dt.date):
    span = months_in_period(start, end)
    if span is None:
        return IndicatorValue.objects.none()
    return IndicatorValue.objects.filter(
        unit_id__in=list(unit_ids), month__gte=span[0], month__lte=span[1]
    )


@transaction.atomic
def lock_values(
    *, unit_ids: Iterable[int], start: dt.date, end: dt.date, actor, reason: str = ""
) -> int:
    """Lock the values of the months whose first day falls in start..end (see aggregate_period).

    Called by the assessment workflow on approval, which has already checked the actor."""
    unit_ids = list(unit_ids)
    hold_units(unit_ids)  # waits for a save of these units' values that is under way
    count = _in_period(unit_ids, start, end).filter(locked=False).update(locked=True)
    closed_empty = _close_empty_months(unit_ids, start, end, actor)
    audit.record(
        actor=actor,
        action="indicators.values_locked",
        unit=OrgUnit(pk=unit_ids[0]) if len(unit_ids) == 1 else None,
        detail={
            "units": unit_ids,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "values": count,
            "empty_months_closed": closed_empty,
            "reason": reason,
        },
    )
    return count


def _close_empty_months(unit_ids: list[int], start: dt.date, end: dt.date, actor) -> int:
    """A month with no value yet must close too, or a figure could be added to an approved
    period afterwards: mark it with one locked, empty value (empty values count for nothing).
    Months that have not begun stay open: a round may be approved before its period ends."""
    span = months_in_period(start, end)
    first_indicator = Indicator.objects.order_by("order", "code").first()
    if span is None or first_indicator is None or not unit_ids:
        return 0
    months, month = [], span[0]
    current_month = timezone.localdate().replace(day=1)
    while month <= min(span[1], current_month):
        months.append(month)
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    filled = set(_in_period(unit_ids, start, end).values_list("unit_id", "month").distinct())
    now = timezone.now()
    markers = [
        IndicatorValue(
            unit_id=unit_id,
            indicator=first_indicator,
            month=month,
            value=None,
            entered_by=actor,
            entered_at=now,
            locked=True,
        )
        for unit_id in unit_ids
        for month in months
        if (unit_id, month) not in filled
    ]
    IndicatorValue.objects.bulk_create(markers, batch_size=BATCH)
    return len(markers)


@transaction.atomic
def unlock_values(
    *, unit_ids: Iterable[int], start: dt.date, end: dt.date, actor, reason: str = ""
) -> int:
    unit_ids = list(unit_ids)
    hold_units(unit_ids)
    count = _in_period(unit_ids, start, end).filter(locked=True).update(locked=False)
    audit.record(
        actor=actor,
        action="indicators.values_unlocked",
        unit=OrgUnit(pk=unit_ids[0]) if len(unit_ids) == 1 else None,
        detail={
            "units": unit_ids,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "values": count,
            "reason": reason,
        },
    )
    return count
