"""Indicator trends of a dashboard: the counts of the last twelve full months against the same
months a year before, for the communes under a unit (and the former communes whose history
rolls up into them), each with the Poisson z-score of `indicators.comparison`. One query, of
the kept monthly totals for a province or the ministry (`indicators.MonthlyTotal`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from kieumau.accounts import scope
from kieumau.indicators.comparison import CountComparison, compare_counts
from kieumau.indicators.models import (
    Aggregation,
    Indicator,
    IndicatorValue,
    MonthlyTotal,
    ValueType,
)
from kieumau.indicators.months import add_months, first_of_month
from kieumau.indicators.totals import TOTALLED_LEVELS
from kieumau.orgunits.models import Level, OrgUnit, Reach

MONTHS = 12


@dataclass(frozen=True, slots=True)
class TrendRow:
    indicator: Indicator
    current: Decimal
    previous: Decimal
    comparison: CountComparison
    monthly: list[tuple[dt.date, Decimal, Decimal]]  # month, its value, a year before


@dataclass(frozen=True, slots=True)
class Trends:
    first: dt.date
    last: dt.date
    rows: list[TrendRow]

    @property
    def previous_first(self) -> dt.date:
        return add_months(self.first, -12)

    @property
    def previous_last(self) -> dt.date:
        return add_months(self.last, -12)

    def row(self, code: str | None) -> TrendRow | None:
        """The row of indicator `code`, else the first (the chart's default)."""
        return next((r for r in self.rows if r.indicator.code == code), None) or (
            self.rows[0] if self.rows else None
        )


def _monthly_sums(user, *, unit: OrgUnit, indicators: list[Indicator], first: dt.date,
                  last: dt.date):
    """(indicator_id, month, sum) over the communes `unit` reaches that the user may see: the
    kept totals of a province or the ministry when the user may see all it reaches, else the sum
    of the values (a district's or a commune's are few)."""
    months = {"indicator__in": indicators, "month__gte": first, "month__lte": last}
    if unit.level in TOTALLED_LEVELS and scope.sees_all_it_reaches(user, unit):
        return (
            MonthlyTotal.objects.visible_to(user)
            .filter(unit=unit, **months)
            .values_list("indicator_id", "month", "total")
        )
    under = Reach.objects.filter(ancestor=unit, unit__level=Level.COMMUNE).values("unit_id")
    return (
        IndicatorValue.objects.visible_to(user)
        .filter(unit_id__in=under, value__isnull=False, **months)
        .order_by()
        .values("indicator_id", "month")
        .annotate(total=Sum("value"))
        .values_list("indicator_id", "month", "total")
    )


def indicator_trends(user, *, unit: OrgUnit, as_of: dt.date) -> Trends:
    """Count indicators summed over the communes under `unit`: the twelve months ending with the
    last full month before `as_of`, against the same twelve months a year before. Values exist
    only while a commune existed, so old and new communes never count twice for one month."""
    last = add_months(first_of_month(as_of), -1)
    first = add_months(last, -(MONTHS - 1))
    indicators = list(
        Indicator.objects.filter(value_type=ValueType.COUNT, aggregation=Aggregation.SUM).order_by(
            "order", "code"
        )
    )
    found = {
        (pk, month): Decimal(total)
        for pk, month, total in _monthly_sums(
            user, unit=unit, indicators=indicators, first=add_months(first, -12), last=last
        )
    }
    months = [add_months(first, i) for i in range(MONTHS)]
    rows = []
    for indicator in indicators:
        monthly = [
            (
                month,
                found.get((indicator.pk, month), Decimal(0)),
                found.get((indicator.pk, add_months(month, -12)), Decimal(0)),
            )
            for month in months
        ]
        current = sum((now for _m, now, _b in monthly), Decimal(0))
        previous = sum((before for _m, _n, before in monthly), Decimal(0))
        if not current and not previous:
            continue
        rows.append(
            TrendRow(
                indicator=indicator,
                current=current,
                previous=previous,
                comparison=compare_counts(current=current, previous=previous),
                monthly=monthly,
            )
        )
    return Trends(first=first, last=last, rows=rows)
