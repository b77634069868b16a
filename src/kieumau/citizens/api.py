"""/api/citizens: the monthly resident figures of a unit (and everything under it in scope).
No personal data: counts and averages only, from the same selectors as the pages."""

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from kieumau.citizens import selectors
from kieumau.indicators.months import add_months, month_end, month_label, parse_month
from kieumau.orgunits import selectors as unit_selectors

router = Router(tags=["citizens"])
MAX_MONTHS = 120


class Detail(Schema):
    detail: str


class SatisfactionOut(Schema):
    month: str
    answers: int
    satisfied: int
    rate: Decimal | None
    too_few: bool
    min_answers: int
    aspects: dict[str, Decimal | None]


class RequestCountsOut(Schema):
    month: str
    received: int
    on_time: int
    late: int
    overdue: int
    rejected: int


def _period(from_: str | None, to: str | None) -> tuple[dt.date, dt.date] | None:
    try:
        last = parse_month(to) if to else timezone.localdate().replace(day=1)
        first = parse_month(from_) if from_ else add_months(last, -11)
    except ValueError:
        return None
    months = (last.year - first.year) * 12 + last.month - first.month
    return (first, last) if 0 <= months < MAX_MONTHS else None


def _bad_period():
    return Status(422, {"detail": _("Tháng không hợp lệ: cần from ≤ to, dạng YYYY-MM, tối đa "
                                    "120 tháng.")})


@router.get("/satisfaction", response={200: list[SatisfactionOut], 422: Detail},
            summary="Sự hài lòng theo tháng")
def satisfaction(request: HttpRequest, unit: str, from_: str | None = Query(None, alias="from"),
                 to: str | None = None):
    period = _period(from_, to)
    if period is None:
        return _bad_period()
    first, last = period
    found = unit_selectors.unit_for(request.auth, code=unit[:16], as_of=month_end(last))
    rows = selectors.satisfaction_by_month(request.auth, unit=found, first=first, last=last)
    return Status(200, [{"month": month_label(r.month), "answers": r.answers,
                         "satisfied": r.satisfied, "rate": r.rate, "too_few": r.too_few,
                         "min_answers": r.min_answers, "aspects": r.aspects} for r in rows])


@router.get("/requests/counts", response={200: list[RequestCountsOut], 422: Detail},
            summary="Phản ánh theo tháng tiếp nhận")
def request_counts(request: HttpRequest, unit: str,
                   from_: str | None = Query(None, alias="from"), to: str | None = None):
    period = _period(from_, to)
    if period is None:
        return _bad_period()
    first, last = period
    found = unit_selectors.unit_for(request.auth, code=unit[:16], as_of=month_end(last))
    rows = selectors.request_counts_by_month(request.auth, unit=found, first=first, last=last)
    return Status(200, [{"month": month_label(r.month), "received": r.received,
                         "on_time": r.on_time, "late": r.late, "overdue": r.overdue,
                         "rejected": r.rejected} for r in rows])
