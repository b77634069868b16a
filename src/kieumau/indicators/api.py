"""/api/indicators: the catalogue, a unit's values for a range of months, bulk writes."""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from kieumau.accounts import scope
from kieumau.core import bounds
from kieumau.core.dates import today
from kieumau.core.schemas import Code, Problem, text
from kieumau.indicators import selectors, services
from kieumau.indicators.models import Source
from kieumau.indicators.months import (
    add_months,
    first_of_month,
    month_end,
    month_label,
    parse_month,
)
from kieumau.indicators.validation import shown
from kieumau.orgunits import selectors as unit_selectors

router = Router(tags=["indicators"])
MAX_ITEMS = 100_000
# What the server reads as a month (parse_month): YYYY-MM or MM/YYYY; the year is checked after.
MONTH_PATTERN = r"^([0-9]{4}-[0-9]{1,2}|[0-9]{1,2}/[0-9]{4})$"


class IndicatorOut(Schema):
    code: str
    name: str
    unit_of_measure: str
    aggregation: str
    value_type: str
    description: str


class UnitRef(Schema):
    code: str
    name: str
    valid_from: dt.date | None
    valid_to: dt.date | None


class ValueOut(Schema):
    indicator: str
    month: str
    value: Decimal | None
    locked: bool
    revision: int
    entered_by: str | None
    entered_at: dt.datetime


class ValuesOut(Schema):
    unit: UnitRef
    from_month: str
    to_month: str
    values: list[ValueOut]


class ValueIn(Schema):
    # Loose on purpose: each item's problems are reported together, by index (see _bulk).
    unit: text(bounds.MAX_CODE) | Annotated[int, Field(ge=0, le=10**12)] | None = None
    indicator: text(64) | None = None
    month: text(16) | None = None
    value: int | Annotated[float, Field(allow_inf_nan=False)] | text(64) | None = None
    # The revision the client read (0: no value yet); a newer one stored answers 409.
    revision: Annotated[int, Field(ge=0, le=2**31 - 1)] | None = None


class BulkIn(Schema):
    values: list[ValueIn] = Field(..., max_length=MAX_ITEMS)
    note: text(300) = ""


class ValueProblemItem(Schema):
    index: int | None = None
    field: str | None = None
    message: str


class ValueProblems(Schema):
    """A refused bulk write: every bad item, by its `index` in `values`."""

    detail: str
    errors: list[ValueProblemItem]


class BulkOut(Schema):
    created: int
    updated: int
    unchanged: int


def _period(from_: str | None, to: str | None) -> tuple[dt.date, dt.date] | None:
    try:
        last = parse_month(to) if to else first_of_month(today())
        first = parse_month(from_) if from_ else add_months(last, -11)
    except ValueError:
        return None
    return (first, last) if first <= last else None


@router.get("", response=list[IndicatorOut], summary="Danh mục chỉ số")
def list_indicators(request: HttpRequest):
    return selectors.catalogue()


@router.get(
    "/values",
    response={200: ValuesOut, 422: Problem},
    summary="Giá trị chỉ số của một đơn vị theo tháng",
)
def get_values(
    request: HttpRequest,
    unit: Code,
    from_: str | None = Query(None, alias="from", max_length=7, pattern=MONTH_PATTERN),
    to: str | None = Query(None, max_length=7, pattern=MONTH_PATTERN),
):
    """`unit` is resolved as of the last day of `to` (codes are reused); months are YYYY-MM."""
    period = _period(from_, to)
    if period is None:
        message = _("Tháng không hợp lệ: cần from ≤ to, dạng YYYY-MM.")
        fields = [name for name, raw in (("from", from_), ("to", to)) if raw] or ["to"]
        return Status(
            422,
            {"detail": message, "errors": [{"field": f, "message": message} for f in fields]},
        )
    first, last = period
    found = unit_selectors.unit_for(request.auth, code=unit, as_of=month_end(last))
    values = selectors.values_between(request.auth, units=[found], first=first, last=last)
    return Status(
        200,
        {
            "unit": found,
            "from_month": month_label(first),
            "to_month": month_label(last),
            "values": [
                {
                    "indicator": v.indicator.code,
                    "month": month_label(v.month),
                    "value": v.value,
                    "locked": v.locked,
                    "revision": v.revision,
                    "entered_by": v.entered_by.username if v.entered_by else None,
                    "entered_at": v.entered_at,
                }
                for v in values
            ],
        },
    )


def _bulk(request: HttpRequest, payload: BulkIn):
    actor = request.auth
    scope.require_write(actor)
    indicators = {indicator.code: indicator for indicator in selectors.catalogue()}
    errors, items, conflict = [], [], False
    for index, item in enumerate(payload.values):
        code = str(item.unit).strip() if item.unit is not None else ""
        indicator = indicators.get((item.indicator or "").strip())
        month = None
        if not code:
            errors.append({"index": index, "field": "unit", "message": _("thiếu mã đơn vị")})
        if indicator is None:
            errors.append(
                {
                    "index": index,
                    "field": "indicator",
                    "message": _("«%(code)s» không phải mã chỉ số")
                    % {"code": shown(item.indicator or "")},
                }
            )
        try:
            month = parse_month(item.month or "")
        except ValueError:
            errors.append(
                {
                    "index": index,
                    "field": "month",
                    "message": _("«%(raw)s» không phải là tháng (cần dạng YYYY-MM)")
                    % {"raw": shown(item.month)},
                }
            )
        if code and indicator is not None and month is not None:
            items.append((index, code, indicator, month, item.value, item.revision))
    units = selectors.resolve_units(
        actor, wanted={(code, month_end(month)) for _i, code, _ind, month, _v, _r in items}
    )
    rows = []
    for index, code, indicator, month, value, revision in items:
        unit = units.get((code, month_end(month)))
        if unit is None:
            # The same words for unknown and out of scope: a write must not reveal what exists.
            errors.append(
                {
                    "index": index,
                    "field": "unit",
                    "message": _(
                        "không có đơn vị mã «%(code)s» trong phạm vi của bạn vào ngày %(day)s"
                    )
                    % {"code": shown(code), "day": month_end(month).strftime("%d/%m/%Y")},
                }
            )
            continue
        rows.append(
            services.ValueInput(
                unit, indicator, month, value, ref=index, expected_revision=revision
            )
        )
    try:
        result = services.set_values(
            actor=actor, rows=rows, source=Source.API, note=payload.note, dry_run=bool(errors)
        )
    except services.ValuesRejected as rejected:
        conflict = isinstance(rejected, services.ValuesConflict) and rejected.message
        errors += [
            {
                "index": e.ref,
                "field": "unit" if e.field == "unit" else "value",
                "message": e.message,
            }
            for e in rejected.errors
        ]
    if errors:
        errors.sort(key=lambda e: e.get("index") if e.get("index") is not None else -1)
        return Status(
            409 if conflict else 422,
            {
                "detail": conflict
                or _("Không ghi giá trị nào: %(n)d mục có lỗi.") % {"n": len(errors)},
                "errors": errors,
            },
        )
    return Status(
        200,
        {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        },
    )


@router.put(
    "/values",
    response={200: BulkOut, 403: Problem, 409: ValueProblems, 422: ValueProblems},
    summary="Ghi nhiều giá trị (tất cả hoặc không)",
)
def put_values(request: HttpRequest, payload: BulkIn):
    """`{"values": [{"unit": "16939", "indicator": "toi_pham_ttxh", "month": "2026-10",
    "value": 3}]}`; a null value clears it. Any bad item rejects the whole request (422)."""
    return _bulk(request, payload)


@router.post(
    "/values",
    response={200: BulkOut, 403: Problem, 409: ValueProblems, 422: ValueProblems},
    summary="Ghi nhiều giá trị (tất cả hoặc không)",
)
def post_values(request: HttpRequest, payload: BulkIn):
    return _bulk(request, payload)
