"""/api/indicators: the catalogue, a unit's values for a range of months, bulk writes."""

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from kieumau.accounts import scope
from kieumau.core.dates import today
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
    unit: str | int | None = None
    indicator: str | None = None
    month: str | None = None
    value: int | float | str | None = None
    # The revision the client read (0: no value yet); a newer one stored answers 409.
    revision: int | None = None


class BulkIn(Schema):
    values: list[ValueIn]
    note: str = ""


class BulkOut(Schema):
    created: int
    updated: int
    unchanged: int


class ErrorItem(Schema):
    index: int | None = None
    field: str | None = None
    message: str


class BulkErrors(Schema):
    detail: str
    errors: list[ErrorItem]


class Detail(Schema):
    detail: str


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
    response={200: ValuesOut, 422: Detail},
    summary="Giá trị chỉ số của một đơn vị theo tháng",
)
def get_values(
    request: HttpRequest,
    unit: str,
    from_: str | None = Query(None, alias="from"),
    to: str | None = None,
):
    """`unit` is resolved as of the last day of `to` (codes are reused); months are YYYY-MM."""
    period = _period(from_, to)
    if period is None:
        return Status(422, {"detail": _("Tháng không hợp lệ: cần from ≤ to, dạng YYYY-MM.")})
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
    if len(payload.values) > MAX_ITEMS:
        return Status(
            422,
            {
                "detail": _("Quá nhiều giá trị trong một lần gửi."),
                "errors": [
                    {"field": "values", "message": _("tối đa %(max)d mục") % {"max": MAX_ITEMS}}
                ],
            },
        )
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
    response={200: BulkOut, 409: BulkErrors, 422: BulkErrors},
    summary="Ghi nhiều giá trị (tất cả hoặc không)",
)
def put_values(request: HttpRequest, payload: BulkIn):
    """`{"values": [{"unit": "16939", "indicator": "toi_pham_ttxh", "month": "2026-10",
    "value": 3}]}`; a null value clears it. Any bad item rejects the whole request (422)."""
    return _bulk(request, payload)


@router.post(
    "/values",
    response={200: BulkOut, 409: BulkErrors, 422: BulkErrors},
    summary="Ghi nhiều giá trị (tất cả hoặc không)",
)
def post_values(request: HttpRequest, payload: BulkIn):
    return _bulk(request, payload)
