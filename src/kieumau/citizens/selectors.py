"""Reads of the citizens domain. Each figure has one function; pages, exports, the public page and
dashboards call it.

Dashboards: `satisfaction_by_month(user, unit=…, first=…, last=…)` gives, per month, the number of
answers, the number satisfied, the rate and the per-aspect averages for a unit and everything under
it that the user may see; `request_counts_by_month(...)` gives received / handled on time / late /
overdue. A month with fewer than `settings.SURVEY_MIN_ANSWERS` answers carries `too_few=True`.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from kieumau.accounts import scope
from kieumau.citizens.models import (
    ASPECTS,
    OPEN_STATUSES,
    CitizenRequest,
    RequestCategory,
    RequestEvent,
    Status,
    SurveyAnswer,
    SurveyTally,
)
from kieumau.orgunits import tree
from kieumau.orgunits.models import Level, OrgUnit, Reach

TALLY_SUMS = {"access": "sum_access", "procedure": "sum_procedure", "officer": "sum_officer",
              "result": "sum_result", "feedback": "sum_feedback"}


# --- units --------------------------------------------------------------------------------


_COMMUNES: dict[tuple[str, dt.date], OrgUnit | None] = {}  # per process, per day


def public_commune(*, code: str, as_of: dt.date) -> OrgUnit:
    """A commune-level unit by code for the public pages (no sign-in); NotVisible otherwise.

    The public pages take the most traffic, so the code → id lookup is remembered for the day."""
    if not code or len(code) > 16 or not code.isdigit():
        raise scope.NotVisible("not found")
    key = (code, as_of)
    if key not in _COMMUNES:
        if len(_COMMUNES) > 20_000:
            _COMMUNES.clear()
        try:
            _COMMUNES[key] = tree.unit_by_code(units=OrgUnit.objects.filter(level=Level.COMMUNE),
                                               code=code, as_of=as_of)
        except tree.UnitNotFound:
            _COMMUNES[key] = None
    unit = _COMMUNES[key]
    if unit is None:
        raise scope.NotVisible("not found")
    return unit


def _under(unit: OrgUnit):
    """Ids of `unit` and every unit under it or rolled up into it."""
    return Reach.objects.filter(ancestor=unit).values("unit_id")


# --- satisfaction --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MonthSatisfaction:
    month: dt.date
    answers: int
    satisfied: int
    aspects: dict[str, Decimal | None] = field(default_factory=dict)  # average 1..5
    min_answers: int = 0

    @property
    def rate(self) -> Decimal | None:
        """Percent satisfied, one decimal; None with no answers."""
        if not self.answers:
            return None
        return (Decimal(100 * self.satisfied) / self.answers).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def too_few(self) -> bool:
        return self.answers < self.min_answers


def _satisfaction(tallies: QuerySet, *, first: dt.date, last: dt.date) -> list[MonthSatisfaction]:
    rows = (tallies.filter(month__gte=first.replace(day=1), month__lte=last)
            .values("month").order_by("month")
            .annotate(n=Sum("answers"), ok=Sum("satisfied"),
                      **{name: Sum(column) for name, column in TALLY_SUMS.items()}))
    minimum = settings.SURVEY_MIN_ANSWERS
    result = []
    for row in rows:
        n = row["n"] or 0
        aspects = {name: (Decimal(row[name]) / n).quantize(Decimal("0.01")) if n else None
                   for name in ASPECTS}
        result.append(MonthSatisfaction(month=row["month"], answers=n, satisfied=row["ok"] or 0,
                                        aspects=aspects, min_answers=minimum))
    return result


def satisfaction_by_month(user, *, unit: OrgUnit, first: dt.date, last: dt.date
                          ) -> list[MonthSatisfaction]:
    """Months from `first` to `last` (with answers) for `unit` and the units under it that the
    user may see; NotVisible when the user may not see `unit`."""
    if not scope.can_see_unit(user, unit):
        raise scope.NotVisible("not found")
    tallies = SurveyTally.objects.visible_to(user).filter(unit_id__in=_under(unit))
    return _satisfaction(tallies, first=first, last=last)


def public_satisfaction(*, unit: OrgUnit, first: dt.date, last: dt.date) -> list[MonthSatisfaction]:
    """The same figures for the public page of one commune (published, no personal data)."""
    return _satisfaction(SurveyTally.objects.filter(unit=unit), first=first, last=last)


def answers_for_export(user, *, unit: OrgUnit, first: dt.date, last: dt.date):
    """Rows (unit code, unit name, month, procedure, five scores, comment) in a stable order,
    streamed from the database in chunks."""
    if not scope.can_see_unit(user, unit):
        raise scope.NotVisible("not found")
    return (SurveyAnswer.objects.visible_to(user)
            .filter(unit_id__in=_under(unit), month__gte=first, month__lte=last)
            .order_by("pk")
            .values_list("unit__code", "unit__name", "month", "procedure", "access",
                         "procedure_score", "officer", "result", "feedback", "comment")
            .iterator(chunk_size=2000))


# --- requests ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MonthRequests:
    month: dt.date
    received: int
    on_time: int  # of those received in the month, resolved or closed by their due day
    late: int  # resolved after the due day
    overdue: int  # still open after the due day
    rejected: int


def _request_counts(requests: QuerySet, *, first: dt.date, last: dt.date,
                    today: dt.date) -> list[MonthRequests]:
    """Counted by the month a request was received (a cohort), so "on time ≥ received" reads as
    "every request of the month handled in time"."""
    done = Q(status__in=(Status.RESOLVED, Status.CLOSED))
    rows = (requests.filter(received_at__date__gte=first.replace(day=1),
                            received_at__date__lt=_month_after(last))
            .annotate(m=TruncMonth("received_at")).values("m").order_by("m")
            .annotate(
                received=Count("pk"),
                on_time=Count("pk", filter=done & Q(resolved_at__date__lte=F("due_on"))),
                late=Count("pk", filter=done & Q(resolved_at__date__gt=F("due_on"))),
                overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_on__lt=today)),
                rejected=Count("pk", filter=Q(status=Status.REJECTED)),
            ))
    return [MonthRequests(month=_as_date(row["m"]), received=row["received"],
                          on_time=row["on_time"], late=row["late"], overdue=row["overdue"],
                          rejected=row["rejected"]) for row in rows]


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date().replace(day=1) if timezone.is_aware(value) \
            else value.date().replace(day=1)
    return value.replace(day=1)


def _month_after(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def request_counts_by_month(user, *, unit: OrgUnit, first: dt.date, last: dt.date
                            ) -> list[MonthRequests]:
    if not scope.can_see_unit(user, unit):
        raise scope.NotVisible("not found")
    requests = CitizenRequest.objects.visible_to(user).filter(unit_id__in=_under(unit))
    return _request_counts(requests, first=first, last=last, today=timezone.localdate())


def public_request_counts(*, unit: OrgUnit, first: dt.date, last: dt.date) -> list[MonthRequests]:
    return _request_counts(CitizenRequest.objects.filter(unit=unit), first=first, last=last,
                           today=timezone.localdate())


def queue(user, *, unit: OrgUnit, status: str = "", overdue_only: bool = False) -> QuerySet:
    """The requests a unit handles, oldest deadline first; scope applied."""
    if not scope.can_see_unit(user, unit):
        raise scope.NotVisible("not found")
    requests = (CitizenRequest.objects.visible_to(user).filter(unit=unit)
                .select_related("category").order_by("due_on", "pk"))
    if status in Status.values:
        requests = requests.filter(status=status)
    if overdue_only:
        requests = requests.filter(status__in=OPEN_STATUSES, due_on__lt=timezone.localdate())
    return requests


def overdue_count(user, *, unit: OrgUnit) -> int:
    return queue(user, unit=unit, overdue_only=True).count()


def request_for(user, *, pk: int) -> CitizenRequest:
    if not 0 < pk < 2**62:  # a number PostgreSQL's bigint cannot hold is simply not there
        raise scope.NotVisible("not found")
    return scope.get_visible_or_404(CitizenRequest.objects.select_related("category", "unit"),
                                    user, pk=pk)


def may_see_reporter(user, request: CitizenRequest) -> bool:
    """Contact details and the photo: officers whose home is the handling unit, nobody else
    (not the province above it, not the ministry)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active
                and user.home_unit_id == request.unit_id)


def trail(user, *, request: CitizenRequest) -> QuerySet:
    return RequestEvent.objects.visible_to(user).filter(request=request) \
        .select_related("actor", "from_unit", "to_unit")


def public_request(*, tracking_code: str) -> CitizenRequest:
    """A request by its tracking code, for the resident's page; NotVisible when unknown."""
    code = (tracking_code or "").strip().upper()
    if not code or len(code) > 16 or not code.isalnum() or not code.isascii():
        raise scope.NotVisible("not found")
    found = CitizenRequest.objects.filter(tracking_code=code).select_related("category", "unit") \
        .first()
    if found is None:
        raise scope.NotVisible("not found")
    return found


def open311_requests() -> QuerySet:
    """Every request, newest first, for the public Open311 listing (which shows no personal
    data: see open311/views.py `_request_dict`)."""
    return CitizenRequest.objects.select_related("category", "unit").order_by("-received_at", "-pk")


@dataclass(frozen=True, slots=True)
class PublicEvent:
    at: dt.datetime
    status: str
    note: str


def public_trail(*, request: CitizenRequest) -> list[PublicEvent]:
    """Status changes with their public notes; no officer names, no reassignment notes."""
    events = RequestEvent.objects.filter(request=request).exclude(to_status="") \
        .only("at", "to_status", "note").order_by("at", "pk")
    return [PublicEvent(at=e.at, status=str(Status(e.to_status).label), note=e.note)
            for e in events]


def categories_of(*, province: OrgUnit) -> QuerySet:
    return RequestCategory.objects.filter(unit=province).order_by("name")


def active_categories_of(*, province: OrgUnit) -> QuerySet:
    return categories_of(province=province).filter(active=True)


def resolved_count(*, unit: OrgUnit, first: dt.date, last: dt.date) -> int:
    return CitizenRequest.objects.filter(
        unit=unit, status__in=(Status.RESOLVED, Status.CLOSED),
        resolved_at__date__gte=first, resolved_at__date__lt=_month_after(last)).count()


def units_with_figures(user, *, month: dt.date) -> list[OrgUnit]:
    """Communes in the user's scope with survey answers or reports received in `month`."""
    tallied = SurveyTally.objects.visible_to(user).filter(month=month, answers__gt=0) \
        .values("unit_id")
    reported = CitizenRequest.objects.visible_to(user).filter(
        received_at__date__gte=month, received_at__date__lt=_month_after(month)).values("unit_id")
    return list(OrgUnit.objects.filter(Q(pk__in=tallied) | Q(pk__in=reported)).order_by("code"))


def procedure_counts(*, unit: OrgUnit, first: dt.date, last: dt.date) -> list[dict]:
    """Administrative-procedure files per month as the unit reported them in its indicators
    (received, on time, early), for the public page."""
    from kieumau.indicators.models import IndicatorValue

    codes = {"tthc_tiep_nhan": "received", "tthc_dung_han": "on_time",
             "tthc_truoc_han": "early"}
    rows = (IndicatorValue.objects.filter(unit=unit, indicator__code__in=codes,
                                          month__gte=first, month__lte=last,
                                          value__isnull=False)
            .values_list("month", "indicator__code", "value"))
    months: dict[dt.date, dict] = {}
    for month, code, value in rows:
        months.setdefault(month, {"month": month})[codes[code]] = int(value)
    return [months[m] for m in sorted(months)]
