"""Reads of indicators. Functions that take a user apply scope; `aggregate_period*` take unit ids
the caller has already scoped (bulk evaluation of criteria) and run a fixed number of queries."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Avg, Count, Max, QuerySet, Sum

from kieumau.accounts import scope
from kieumau.indicators.comparison import CountComparison, compare_counts
from kieumau.indicators.models import (
    Aggregation,
    Indicator,
    IndicatorImport,
    IndicatorValue,
    ValueType,
)
from kieumau.indicators.months import add_months, months_in_period
from kieumau.orgunits import selectors as unit_selectors
from kieumau.orgunits import tree
from kieumau.orgunits.models import Level, OrgUnit, valid_on

QUANTUM = Decimal("0.0001")


def catalogue() -> list[Indicator]:
    return list(Indicator.objects.order_by("order", "code"))


# --- bulk aggregation (no user: callers pass scoped unit ids) -----------------------------------


def aggregate_period(
    *, unit_ids: Iterable[int] | QuerySet, codes: Iterable[str], start: dt.date, end: dt.date
) -> dict[tuple[int, str], Decimal]:
    """For every (unit_id, code) with data, the indicator over start..end by its own rule.

    A month counts when its first day falls in start..end (a 16/11–15/11 period takes Dec … Nov).
    sum/avg are computed by the database; "last" is the value of the latest month with data.
    At most four queries, whatever the number of units.
    """
    groups: dict[str, dict[int, str]] = defaultdict(dict)
    for pk, code, aggregation in Indicator.objects.filter(code__in=list(codes)).values_list(
        "pk", "code", "aggregation"
    ):
        groups[aggregation][pk] = code
    unit_ids = _as_filter(unit_ids)
    result: dict[tuple[int, str], Decimal] = {}
    for aggregation, codes_by_id in groups.items():
        result.update(_aggregate(unit_ids, codes_by_id, start, end, aggregation))
    return result


def aggregate_period_as(
    *,
    unit_ids: Iterable[int] | QuerySet,
    codes: Iterable[str],
    start: dt.date,
    end: dt.date,
    aggregation: str,
) -> dict[tuple[int, str], Decimal]:
    """Like `aggregate_period` but with a forced rule (the rule language's sum()/avg()/last())."""
    if aggregation not in Aggregation.values:
        raise ValueError(f"unknown aggregation {aggregation!r}")
    codes_by_id = dict(Indicator.objects.filter(code__in=list(codes)).values_list("pk", "code"))
    return _aggregate(_as_filter(unit_ids), codes_by_id, start, end, aggregation)


def _as_filter(unit_ids):
    return unit_ids if isinstance(unit_ids, QuerySet) else list(unit_ids)


def _aggregate(
    unit_ids, codes_by_id: dict[int, str], start: dt.date, end: dt.date, aggregation: str
) -> dict[tuple[int, str], Decimal]:
    span = months_in_period(start, end)
    if span is None or not codes_by_id:
        return {}
    if not isinstance(unit_ids, QuerySet) and not unit_ids:
        return {}
    values = IndicatorValue.objects.filter(
        unit_id__in=unit_ids,
        indicator_id__in=list(codes_by_id),
        month__gte=span[0],
        month__lte=span[1],
        value__isnull=False,
    )
    if aggregation == Aggregation.LAST:
        rows = _latest(values)
    else:
        function = Sum if aggregation == Aggregation.SUM else Avg
        rows = (
            values.order_by()
            .values("unit_id", "indicator_id")
            .annotate(total=function("value"))
            .values_list("unit_id", "indicator_id", "total")
        )
    return {
        (unit_id, codes_by_id[indicator_id]): Decimal(total).quantize(QUANTUM)
        for unit_id, indicator_id, total in rows
    }


def _latest(values: QuerySet) -> list[tuple[int, int, object]]:
    """(unit_id, indicator_id, value) of the latest month with data of each pair, in one query.

    PostgreSQL: DISTINCT ON over the covering index (its planner picks a full scan for the join
    below, ~15x slower). SQLite: the latest month per pair (GROUP BY) joined back to its value,
    twice as fast there as ROW_NUMBER() OVER (...)."""
    if connection.vendor == "postgresql":
        ordered = values.order_by("unit_id", "indicator_id", "-month")
        return list(
            ordered.distinct("unit_id", "indicator_id").values_list(
                "unit_id", "indicator_id", "value"
            )
        )
    latest = values.order_by().values("unit_id", "indicator_id").annotate(latest=Max("month"))
    inner, params = latest.query.sql_with_params()
    quote = connection.ops.quote_name
    table = quote(IndicatorValue._meta.db_table)
    sql = (
        f"SELECT v.{quote('unit_id')}, v.{quote('indicator_id')}, v.{quote('value')} "
        f"FROM {table} v JOIN ({inner}) l ON v.{quote('unit_id')} = l.{quote('unit_id')} "
        f"AND v.{quote('indicator_id')} = l.{quote('indicator_id')} "
        f"AND v.{quote('month')} = l.{quote('latest')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# --- values of one unit ----------------------------------------------------------------------


@dataclass
class MonthEntry:
    indicator: Indicator
    value: IndicatorValue | None

    @property
    def revision(self) -> int:
        return self.value.revision if self.value else 0

    @property
    def locked(self) -> bool:
        return bool(self.value and self.value.locked)


def month_sheet(user, *, unit: OrgUnit, month: dt.date) -> list[MonthEntry]:
    """Every indicator of the catalogue with the unit's value for the month (two queries)."""
    stored = {
        value.indicator_id: value
        for value in IndicatorValue.objects.visible_to(user)
        .filter(unit=unit, month=month)
        .select_related("entered_by")
    }
    return [MonthEntry(indicator, stored.get(indicator.pk)) for indicator in catalogue()]


def values_between(
    user, *, units: Iterable[OrgUnit], first: dt.date, last: dt.date
) -> QuerySet[IndicatorValue]:
    """Stored values (including cleared ones) of the units for the months first..last."""
    return (
        IndicatorValue.objects.visible_to(user)
        .filter(unit__in=list(units), month__gte=first, month__lte=last)
        .select_related("indicator", "unit", "entered_by")
        .order_by("unit__code", "month", "indicator__order", "indicator__code")
    )


def units_for_template(user, *, unit: OrgUnit, as_of: dt.date) -> list[OrgUnit]:
    """A commune (or grassroots body) itself, or the communes under a province/district on as_of."""
    if unit.level in (Level.COMMUNE, Level.GRASSROOTS):
        return [unit]
    if unit.level in (Level.PROVINCE, Level.DISTRICT):
        return list(unit_selectors.communes_of(user, province=unit, as_of=as_of).order_by("code"))
    return []


def communes_to_pick(user, *, day: dt.date, limit: int) -> list[OrgUnit]:
    """Commune-level units the user sees on `day`, for a picker; [] when more than `limit`."""
    units = list(
        scope.visible_units_on(user, day)
        .filter(level=Level.COMMUNE)
        .order_by("name_folded", "code")[: limit + 1]
    )
    return units if len(units) <= limit else []


def resolve_units(
    user, *, wanted: Iterable[tuple[str, dt.date]]
) -> dict[tuple[str, dt.date], OrgUnit]:
    """Map (code as written, day) to the unit the user may see that carried the code that day.

    One query per distinct day. "1840" finds "01840" (spreadsheets drop leading zeros); an exact
    code wins over a padded one, and a commune over other levels.
    """
    by_day: dict[dt.date, set[str]] = defaultdict(set)
    for code, day in wanted:
        by_day[day].add(code)
    found: dict[tuple[str, dt.date], OrgUnit] = {}
    preference = {Level.COMMUNE: 0, Level.GRASSROOTS: 1}
    for day, codes in by_day.items():
        candidates = {c for code in codes for c in (code, tree.normalise_code(code))}
        units_by_code: dict[str, list[OrgUnit]] = defaultdict(list)
        ordered = sorted(candidates)
        for start in range(0, len(ordered), 5000):
            for unit in scope.visible_units(user).filter(
                valid_on(day), code__in=ordered[start : start + 5000]
            ):
                units_by_code[unit.code].append(unit)
        for code in codes:
            matches = units_by_code.get(code) or units_by_code.get(tree.normalise_code(code))
            if matches:
                found[(code, day)] = min(matches, key=lambda u: (preference.get(u.level, 9), u.pk))
    return found


# --- imports ---------------------------------------------------------------------------------


def import_for(user, *, pk: int) -> IndicatorImport:
    return scope.get_visible_or_404(
        IndicatorImport.objects.select_related("uploaded_by"), user, pk=pk
    )


def recent_imports(user, *, limit: int = 10) -> list[IndicatorImport]:
    return list(
        IndicatorImport.objects.visible_to(user)
        .select_related("uploaded_by")
        .order_by("-created_at", "-id")[:limit]
    )


def import_for_task(pk: int) -> IndicatorImport | None:
    """The background import reads its own record, unscoped: the uploader's scope applies later."""
    return IndicatorImport.objects.select_related("uploaded_by").filter(pk=pk).first()


# --- same period a year before ---------------------------------------------------------------


@dataclass
class ComparisonRow:
    indicator: Indicator
    current: Decimal | None
    previous: Decimal | None
    current_months: int
    previous_months: int
    comparison: CountComparison | None


@dataclass
class SamePeriod:
    first: dt.date
    last: dt.date
    previous_first: dt.date
    previous_last: dt.date
    months: int
    units: list[OrgUnit]  # the unit and the units whose history rolled into it
    rows: list[ComparisonRow]


def compare_same_period(user, *, unit: OrgUnit, first: dt.date, last: dt.date) -> SamePeriod:
    """Counts (sum indicators of type count) of the months first..last against a year before.

    A ward formed by merger is compared with the wards it came from: their history rolls up.
    """
    units = [u for u in tree.lineage_roots(unit)]
    visible = set(
        scope.visible_units(user).filter(pk__in=[u.pk for u in units]).values_list("pk", flat=True)
    )
    units = sorted((u for u in units if u.pk in visible), key=lambda u: (u.pk != unit.pk, u.code))
    indicators = [
        i
        for i in catalogue()
        if i.value_type == ValueType.COUNT and i.aggregation == Aggregation.SUM
    ]
    previous_first, previous_last = add_months(first, -12), add_months(last, -12)

    def totals(start: dt.date, end: dt.date) -> dict[int, tuple[Decimal, int]]:
        rows = (
            IndicatorValue.objects.visible_to(user)
            .filter(
                unit_id__in=[u.pk for u in units],
                indicator__in=indicators,
                month__gte=start,
                month__lte=end,
                value__isnull=False,
            )
            .order_by()
            .values("indicator_id")
            .annotate(total=Sum("value"), months=Count("month", distinct=True))
            .values_list("indicator_id", "total", "months")
        )
        return {pk: (Decimal(total).quantize(QUANTUM), months) for pk, total, months in rows}

    now, before = totals(first, last), totals(previous_first, previous_last)
    rows = []
    for indicator in indicators:
        current, current_months = now.get(indicator.pk, (None, 0))
        previous, previous_months = before.get(indicator.pk, (None, 0))
        comparison = (
            compare_counts(current=current, previous=previous)
            if current is not None and previous is not None
            else None
        )
        rows.append(
            ComparisonRow(indicator, current, previous, current_months, previous_months, comparison)
        )
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    return SamePeriod(first, last, previous_first, previous_last, months, units, rows)


def stored_values(
    user, *, units: Iterable[OrgUnit], first: dt.date, last: dt.date
) -> dict[tuple[int, int, dt.date], tuple[Decimal | None, bool]]:
    """(unit_id, indicator_id, month) → (value, locked), to pre-fill a spreadsheet."""
    ids = [unit.pk for unit in units]
    rows = (
        IndicatorValue.objects.visible_to(user)
        .filter(unit_id__in=ids, month__gte=first, month__lte=last)
        .values_list("unit_id", "indicator_id", "month", "value", "locked")
    )
    return {
        (unit_id, indicator_id, month): (value, locked)
        for unit_id, indicator_id, month, value, locked in rows
    }
