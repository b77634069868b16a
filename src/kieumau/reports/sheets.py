"""The tables the product exports, each built from the selector that the page itself reads.

`TABLES` maps a name to a builder `(user, unit, params) -> tables.Table`; rows are generators over
`.iterator()` so an export of the country's values never sits in memory. Every builder reads
through `visible_to(user)` and the subtree of `unit` (the scope the job was asked for).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from kieumau.indicators.models import Indicator, IndicatorValue
from kieumau.orgunits.models import OrgUnit, Reach
from kieumau.reports.tables import Column, Kind, Table

CHUNK = 5000
UNIT_BATCH = 300


@dataclass(frozen=True)
class Params:
    first: dt.date
    last: dt.date
    set_code: str = ""  # the dashboard's criteria set; empty: the one that applies
    plan: str = ""  # a plan's number: its budget lines and awards only


Builder = Callable[[object, OrgUnit, Params], Table]


@dataclass(frozen=True)
class Sheet:
    name: str
    title: object  # lazy translation
    build: Builder


def _subtree_ids(unit: OrgUnit):
    return Reach.objects.filter(ancestor=unit).values("unit_id")


def indicator_values(user, unit: OrgUnit, params: Params) -> Table:
    """One row per unit and month, one column per indicator: the shape of the import template,
    and a tenth of the cells of one row per value. Units in batches ordered by code, so the rows
    come sorted without sorting a million values."""
    indicators = list(Indicator.objects.order_by("order", "code").values_list("pk", "code", "name"))
    column_of = {pk: index for index, (pk, _code, _name) in enumerate(indicators)}
    values = IndicatorValue.objects.visible_to(user).filter(
        unit_id__in=_subtree_ids(unit), month__gte=params.first, month__lte=params.last,
        value__isnull=False)
    units = list(OrgUnit.objects.filter(pk__in=values.values("unit_id"))
                 .order_by("code", "pk").values_list("pk", "code", "name"))

    def rows():
        for start in range(0, len(units), UNIT_BATCH):
            batch = units[start:start + UNIT_BATCH]
            names = {pk: (code, name) for pk, code, name in batch}
            current_key, cells = None, None
            for unit_id, month, indicator_id, value in (
                values.filter(unit_id__in=list(names)).order_by("unit_id", "month")
                .values_list("unit_id", "month", "indicator_id", "value")
                .iterator(chunk_size=CHUNK)
            ):
                if (unit_id, month) != current_key:
                    if cells is not None:
                        yield cells
                    code, name = names[unit_id]
                    current_key, cells = (unit_id, month), [code, name, month] + [None] * len(
                        indicators)
                number = int(value) if value == value.to_integral_value() else float(value)
                cells[3 + column_of[indicator_id]] = number
            if cells is not None:
                yield cells

    return Table(
        title=str(_("Số liệu chỉ số")),
        columns=[Column(str(_("Mã đơn vị")), width=10), Column(str(_("Đơn vị")), width=30),
                 Column(str(_("Tháng")), Kind.DATE, width=11),
                 *[Column(f"{name} ({code})", Kind.NUMBER, width=14)
                   for _pk, code, name in indicators]],
        rows=rows(),
        total=values.order_by().values("unit_id", "month").distinct().count(),
    )


def _under(unit: OrgUnit, field: str) -> dict:
    return {f"{field}__in": _subtree_ids(unit)}


def dashboard_communes(user, unit: OrgUnit, params: Params) -> Table:
    """The dashboard's communes and their standing (its scorecard, as of the period's end)."""
    from kieumau.reports.figures import scorecard_for, standing_labels

    card = scorecard_for(user, unit=unit, as_of=params.last, set_code=params.set_code)
    labels = standing_labels()
    communes = card.communes if card is not None else []
    return Table(
        title=str(_("Kết quả các xã, phường")),
        note=(f"{card.criteria_set.title} ({card.criteria_set.version}), "
              f"{card.period_start:%d/%m/%Y}–{card.period_end:%d/%m/%Y}") if card else "",
        columns=[Column(str(_("Mã đơn vị")), width=10), Column(str(_("Đơn vị")), width=34),
                 Column(str(_("Kết quả")), width=26), Column(str(_("Tiêu chí đạt")), Kind.INTEGER),
                 Column(str(_("Tổng số tiêu chí")), Kind.INTEGER)],
        rows=((row.code, row.police_name, labels[row.standing], row.met, row.total)
              for row in communes),
        total=len(communes),
    )


def dashboard_criteria(user, unit: OrgUnit, params: Params) -> Table:
    """The dashboard's criteria with the number of communes that have each one unmet."""
    from kieumau.reports.figures import scorecard_for

    card = scorecard_for(user, unit=unit, as_of=params.last, set_code=params.set_code)
    rows = card.criteria if card is not None else []
    return Table(
        title=str(_("Tiêu chí chưa đạt")),
        note=(_("Bộ tiêu chí dựng lại, chưa phải văn bản gốc.")
              if card is not None and card.criteria_set.reconstructed else ""),
        columns=[Column(str(_("Mã")), width=10), Column(str(_("Tiêu chí")), width=60),
                 Column(str(_("Số đơn vị chưa đạt")), Kind.INTEGER, width=14)],
        rows=((row.code, row.title, row.unmet) for row in rows),
        total=len(rows),
    )


def lost_criteria(user, unit: OrgUnit, params: Params) -> Table:
    """The dashboard's units that qualified in a round and not in a later one ("duy trì bền
    vững"), as of the period's end, all of them (the page shows the first few); under the
    dashboard's set, or every set when none is given."""
    from kieumau.programs.selectors import lost_criteria as lost

    found = lost(user, as_of=params.last, unit=unit, set_code=params.set_code or None)
    return Table(
        title=str(_("Đơn vị không duy trì được tiêu chí")),
        columns=[Column(str(_("Mã đơn vị")), width=10), Column(str(_("Đơn vị")), width=34),
                 Column(str(_("Bộ tiêu chí")), width=16), Column(str(_("Năm đạt")), Kind.YEAR),
                 Column(str(_("Năm chưa đạt")), Kind.YEAR),
                 Column(str(_("Tiêu chí đạt")), Kind.INTEGER),
                 Column(str(_("Tổng số tiêu chí")), Kind.INTEGER),
                 Column(str(_("Tiêu chí chưa đạt")), width=30)],
        rows=((item.unit.code, item.unit.police_name, item.set_code, item.qualified_year,
               item.lost_year, item.met, item.total, ", ".join(item.unmet_codes))
              for item in found),
        total=len(found),
    )


def plans(user, unit: OrgUnit, params: Params) -> Table:
    from kieumau.programs import selectors

    found = (selectors.plans_for(user).filter(**_under(unit, "issuing_unit_id"))
             .filter(period_end__gte=params.first, period_start__lte=params.last)
             .select_related("issuing_unit", "program")
             .annotate(enrolled=Count("enrolments")))
    return Table(
        title=str(_("Kế hoạch")),
        columns=[Column(str(_("Số kế hoạch")), width=26), Column(str(_("Ngày")), Kind.DATE),
                 Column(str(_("Đơn vị ban hành")), width=30), Column(str(_("Mô hình")), width=40),
                 Column(str(_("Từ ngày")), Kind.DATE), Column(str(_("Đến ngày")), Kind.DATE),
                 Column(str(_("Số đơn vị tham gia")), Kind.INTEGER)],
        rows=((p.number, p.date, p.issuing_unit.police_name, p.program.name, p.period_start,
               p.period_end, p.enrolled) for p in found.iterator(chunk_size=500)),
        total=found.count(),
    )


def inspections(user, unit: OrgUnit, params: Params) -> Table:
    from kieumau.inspections import selectors

    found = selectors.inspections_for(user, unit=unit).filter(
        date__gte=params.first, date__lte=params.last)
    return Table(
        title=str(_("Kiểm tra, khảo sát")),
        columns=[Column(str(_("Ngày")), Kind.DATE), Column(str(_("Nội dung")), width=50),
                 Column(str(_("Đơn vị tổ chức")), width=30), Column(str(_("Kế hoạch")), width=26),
                 Column(str(_("Kết luận")), width=60)],
        rows=((i.date, i.title, i.owner_unit.police_name, i.plan.number if i.plan_id else "",
               i.summary) for i in found.iterator(chunk_size=500)),
        total=found.count(),
    )


def recommendations(user, unit: OrgUnit, params: Params) -> Table:
    from kieumau.inspections import selectors

    found = selectors.open_recommendations(user, as_of=params.last, unit=unit)
    return Table(
        title=str(_("Kiến nghị chưa hoàn thành")),
        columns=[Column(str(_("Kiến nghị, đề xuất")), width=60),
                 Column(str(_("Đơn vị thực hiện")), width=30), Column(str(_("Hạn")), Kind.DATE),
                 Column(str(_("Tình trạng")), width=16), Column(str(_("Quá hạn")), width=10)],
        rows=((r.text, r.unit.police_name, r.due_on, r.get_status_display(),
               str(_("quá hạn")) if r.overdue else "") for r in found.iterator(chunk_size=500)),
        total=found.count(),
    )


def awards(user, unit: OrgUnit, params: Params) -> Table:
    from kieumau.programs.models import Award

    found = (Award.objects.visible_to(user).filter(**_under(unit, "plan__issuing_unit_id"))
             .select_related("plan").order_by("decision_date", "pk"))
    if params.plan:  # every award of the plan, whenever decided
        found = found.filter(plan__number=params.plan)
    else:
        found = found.filter(decision_date__gte=params.first, decision_date__lte=params.last)
    return Table(
        title=str(_("Khen thưởng")),
        columns=[Column(str(_("Kế hoạch")), width=26), Column(str(_("Đối tượng")), width=12),
                 Column(str(_("Hình thức")), width=12), Column(str(_("Tập thể, cá nhân")), width=40),
                 Column(str(_("Số quyết định")), width=18), Column(str(_("Ngày")), Kind.DATE),
                 Column(str(_("Cấp khen")), width=30)],
        rows=((a.plan.number, a.get_kind_display(), a.get_title_display(), a.recipient,
               a.decision_number, a.decision_date, a.issuing_body)
              for a in found.iterator(chunk_size=500)),
        total=found.count(),
    )


def budgets(user, unit: OrgUnit, params: Params) -> Table:
    from kieumau.programs.models import BudgetLine

    found = (BudgetLine.objects.visible_to(user).filter(**_under(unit, "plan__issuing_unit_id"))
             .select_related("plan", "plan__program", "unit").order_by("year", "pk"))
    if params.plan:  # every line of the plan, whatever its year
        found = found.filter(plan__number=params.plan)
    else:
        found = found.filter(year__gte=params.first.year, year__lte=params.last.year)
    return Table(
        title=str(_("Kinh phí")),
        columns=[Column(str(_("Năm")), Kind.YEAR, width=8), Column(str(_("Kế hoạch")), width=26),
                 Column(str(_("Mô hình")), width=36), Column(str(_("Đơn vị")), width=30),
                 Column(str(_("Nội dung")), width=40), Column(str(_("Số tiền")), Kind.VND, 18)],
        rows=((b.year, b.plan.number, b.plan.program.name,
               b.unit.police_name if b.unit_id else "", b.purpose, b.amount)
              for b in found.iterator(chunk_size=500)),
        total=found.count(),
    )


TABLES: dict[str, Sheet] = {}


def register(name: str, title, build: Builder) -> None:
    TABLES[name] = Sheet(name=name, title=title, build=build)


register("indicator_values", _("Số liệu chỉ số của đơn vị và cấp dưới"), indicator_values)
register("dashboard_communes", _("Kết quả các xã, phường (bảng điều hành)"), dashboard_communes)
register("dashboard_criteria", _("Tiêu chí chưa đạt (bảng điều hành)"), dashboard_criteria)
register("lost_criteria", _("Đơn vị không duy trì được tiêu chí (bảng điều hành)"),
         lost_criteria)
register("plans", _("Danh sách kế hoạch"), plans)
register("inspections", _("Danh sách kiểm tra, khảo sát"), inspections)
register("recommendations", _("Kiến nghị chưa hoàn thành"), recommendations)
register("awards", _("Khen thưởng"), awards)
register("budgets", _("Kinh phí"), budgets)
