"""The tables the product exports, each built from the selector that the page itself reads.

`TABLES` maps a name to a builder `(user, unit, params) -> tables.Table`; rows are generators over
`.iterator()` so an export of the country's values never sits in memory. Every builder reads
through `visible_to(user)` and the subtree of `unit` (the scope the job was asked for).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from kieumau.indicators.models import IndicatorValue
from kieumau.orgunits.models import OrgUnit, Reach
from kieumau.reports.tables import Column, Kind, Table

CHUNK = 5000


@dataclass(frozen=True)
class Params:
    first: dt.date
    last: dt.date


Builder = Callable[[object, OrgUnit, Params], Table]


@dataclass(frozen=True)
class Sheet:
    name: str
    title: object  # lazy translation
    build: Builder


def _subtree_ids(unit: OrgUnit):
    return Reach.objects.filter(ancestor=unit).values("unit_id")


def indicator_values(user, unit: OrgUnit, params: Params) -> Table:
    values = (
        IndicatorValue.objects.visible_to(user)
        .filter(unit_id__in=_subtree_ids(unit), month__gte=params.first, month__lte=params.last,
                value__isnull=False)
        .order_by("unit__code", "unit_id", "month", "indicator__order", "indicator__code")
        .values_list("unit__code", "unit__name", "month", "indicator__code", "indicator__name",
                     "value")
    )

    def rows():
        for code, name, month, indicator_code, indicator_name, value in values.iterator(
                chunk_size=CHUNK):
            number = int(value) if value == value.to_integral_value() else float(value)
            yield (code, name, month, indicator_code, indicator_name, number)

    return Table(
        title=str(_("Số liệu chỉ số")),
        columns=[
            Column(str(_("Mã đơn vị")), width=10),
            Column(str(_("Đơn vị")), width=30),
            Column(str(_("Tháng")), Kind.DATE, width=11),
            Column(str(_("Mã chỉ số")), width=22),
            Column(str(_("Chỉ số")), width=50),
            Column(str(_("Giá trị")), Kind.NUMBER, width=12),
        ],
        rows=rows(),
        total=values.count(),
    )


TABLES: dict[str, Sheet] = {}


def register(name: str, title, build: Builder) -> None:
    TABLES[name] = Sheet(name=name, title=title, build=build)


register("indicator_values", _("Số liệu chỉ số của đơn vị và cấp dưới"), indicator_values)
