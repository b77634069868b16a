"""Monthly totals of indicators over what a province or the ministry reaches (`MonthlyTotal`):
added to by every save of values (`services.set_values`, in its transaction), summed again whole
when the tree's reach changes."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import connection
from django.db.models import Sum

from kieumau.core.sql import id_set
from kieumau.indicators import bulk
from kieumau.indicators.models import IndicatorValue, MonthlyTotal
from kieumau.orgunits.models import Level, Reach

# Sums over these levels' communes are kept; a district's or a commune's are read from the
# values, which are few.
TOTALLED_LEVELS = (Level.MINISTRY, Level.PROVINCE)


Change = tuple[tuple[int, int, dt.date], Decimal | None, Decimal | None]  # key, before, after


def add_changes(changes: list[Change]) -> None:
    """Add each change of a commune's value (key, before, after) to the monthly totals of the
    provinces and the ministry that reach the commune, one upsert per total in the order of the
    keys (two saves in one province take the rows' locks in the same order: no deadlock)."""
    unit_ids = sorted({key[0] for key, _before, _after in changes})
    if not unit_ids:
        return
    above = defaultdict(list)
    reached = Reach.objects.filter(
        unit_id__in=id_set(unit_ids), ancestor__level__in=TOTALLED_LEVELS
    ).values_list("unit_id", "ancestor_id")
    for unit_id, ancestor_id in reached:
        above[unit_id].append(ancestor_id)
    deltas: dict[tuple[int, int, dt.date], Decimal] = defaultdict(Decimal)
    for (unit_id, indicator_id, month), before, after in changes:
        delta = (after or 0) - (before or 0)
        if delta:
            for ancestor_id in above[unit_id]:
                deltas[(ancestor_id, indicator_id, month)] += delta
    bulk.add_to_totals(MonthlyTotal, sorted(deltas.items()))


def rebuild() -> int:
    """Recompute every `MonthlyTotal` from the values: after the tree's reach was rebuilt (a
    commune then rolls up into other units), or after values were written around the services
    (the benchmarks' synthetic data). The table is derived whole from the values, for no user:
    one DELETE and one INSERT … SELECT. Returns the number of totals."""
    grouped = (
        IndicatorValue.objects.filter(
            unit__level=Level.COMMUNE,
            value__isnull=False,
            unit__reach__ancestor__level__in=TOTALLED_LEVELS,
        )
        .order_by()
        .values("unit__reach__ancestor_id", "indicator_id", "month")
        .annotate(total=Sum("value"))
        .values_list("unit__reach__ancestor_id", "indicator_id", "month", "total")
    )
    sql, params = grouped.query.sql_with_params()
    ops = connection.ops
    table = ops.quote_name(MonthlyTotal._meta.db_table)
    columns = ", ".join(ops.quote_name(name) for name in ("unit_id", "indicator_id", "month", "total"))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
        cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)
        count = cursor.rowcount
    bulk.refresh_statistics(MonthlyTotal)
    return count
