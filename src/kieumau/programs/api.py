"""`/api/plans`: plans with their units and roadmap (target against actual), scoped.

`GET /api/plans` answers exactly `{"count", "items": [{"number", "date", "issuing_unit":
{"code", "name"}, "period_start", "period_end", "units": [{"code", "name", "target_year"}],
"targets": [{"year", "target", "actual"}]}]}`; the figures come from `selectors.roadmap`, the same
function as the plan page. `target` is a number of units (a percent target resolved against the
enrolled units); `actual` is null for a year not begun on `as_of`.
"""

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from kieumau.accounts import scope
from kieumau.core.dates import today
from kieumau.core.schemas import Problem, UnitName
from kieumau.orgunits import selectors as unit_selectors
from kieumau.programs import selectors, services
from kieumau.programs.models import Plan

router = Router(tags=["programs"])


class PlanUnitOut(Schema):
    code: str
    name: str
    target_year: int


class TargetOut(Schema):
    year: int
    target: int
    actual: int | None


class PlanOut(Schema):
    number: str
    date: dt.date
    issuing_unit: UnitName
    period_start: dt.date
    period_end: dt.date
    units: list[PlanUnitOut]
    targets: list[TargetOut]


class PlanList(Schema):
    count: int
    items: list[PlanOut]


class StepCountOut(Schema):
    step: str
    done: int
    total: int


class PlanDetail(PlanOut):
    id: int
    program: str
    checklist: list[StepCountOut]
    budget_total: int
    awards: dict[str, int]


class PlanQuery(Schema):
    unit: str | None = Field(None, max_length=32)
    as_of: dt.date | None = None
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


def _item(user, plan: Plan, as_of: dt.date) -> dict:
    progress = selectors.unit_progress(user, plan=plan, as_of=as_of)
    rows = selectors.roadmap(user, plan=plan, as_of=as_of, progress=progress)
    return {
        "number": plan.number,
        "date": plan.date,
        "issuing_unit": {"code": plan.issuing_unit.code, "name": plan.issuing_unit.name},
        "period_start": plan.period_start,
        "period_end": plan.period_end,
        "units": [{"code": p.unit.code, "name": p.unit.name,
                   "target_year": p.enrolment.target_year} for p in progress],
        "targets": [{"year": r.year, "target": r.target, "actual": r.actual}
                    for r in rows if r.target is not None],
    }


def _detail(user, plan: Plan, as_of: dt.date) -> dict:
    awards = selectors.award_counts(user, plan=plan)
    return _item(user, plan, as_of) | {
        "id": plan.pk,
        "program": plan.program.name,
        "checklist": [{"step": c.step, "done": c.done, "total": c.total}
                      for c in selectors.checklist_counts(user, plan=plan)],
        "budget_total": sum(t.amount for t in selectors.budget_totals(user, plan=plan)),
        "awards": {"collective": awards.collective, "individual": awards.individual},
    }


@router.get("/plans", response=PlanList, summary="Các kế hoạch trong phạm vi, với lộ trình")
def list_plans(request: HttpRequest, query: Query[PlanQuery]):
    as_of = query.as_of or today()
    unit = None
    if query.unit:
        unit = unit_selectors.unit_for(request.auth, code=query.unit, as_of=as_of)
    found = selectors.plans_for(request.auth, unit=unit)
    page = list(found[query.offset: query.offset + query.limit])
    return {"count": found.count(), "items": [_item(request.auth, p, as_of) for p in page]}


@router.get("/plans/{plan_id}", response=PlanDetail, summary="Một kế hoạch")
def get_plan(request: HttpRequest, plan_id: int, as_of: dt.date | None = None):
    plan = selectors.get_plan(request.auth, plan_id)
    return _detail(request.auth, plan, as_of or today())


class UnitIn(Schema):
    code: str = Field(..., max_length=32)
    target_year: int = Field(..., ge=2000, le=2100)
    stage: Literal["pilot", "replication"] = "replication"


class TargetIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    kind: Literal["count", "percent"] = "count"
    value: int = Field(..., ge=0, le=100_000)


class PlanIn(Schema):
    program: int
    number: str = Field(..., max_length=64)
    date: dt.date
    issuing_unit: str = Field(..., max_length=32)
    period_start: dt.date
    period_end: dt.date
    title: str = Field("", max_length=500)
    aims: str = Field("", max_length=8000)
    units: list[UnitIn] = Field(default_factory=list, max_length=5000)
    targets: list[TargetIn] = Field(default_factory=list, max_length=100)


@router.post("/plans", response={201: PlanDetail, 422: Problem},
             summary="Tạo kế hoạch với đơn vị tham gia và chỉ tiêu")
def create_plan(request: HttpRequest, payload: PlanIn):
    user = request.auth
    program = selectors.get_program(user, payload.program)
    scope.require_write(user)
    scope.require_admin(user)
    issuing = unit_selectors.unit_for(user, code=payload.issuing_unit, as_of=payload.date)
    enrolments = []
    for index, item in enumerate(payload.units):
        try:
            unit = unit_selectors.unit_for(user, code=item.code, as_of=payload.date)
        except scope.NotVisible:
            message = _("Không có đơn vị mã %(code)s vào ngày ban hành trong phạm vi của bạn.") % {
                "code": item.code}
            return Status(422, {"detail": message,
                                "errors": [{"field": f"units.{index}.code", "message": message}]})
        enrolments.append((unit, item.target_year, item.stage))
    try:
        plan = services.create_plan_with(
            actor=user, program=program, number=payload.number, date=payload.date,
            issuing_unit=issuing, period_start=payload.period_start,
            period_end=payload.period_end, title=payload.title, aims=payload.aims,
            enrolments=enrolments,
            targets=[(t.year, t.kind, t.value) for t in payload.targets],
        )
    except services.ProgramInputError as error:
        return Status(422, {"detail": _("Dữ liệu gửi lên không hợp lệ."), "errors": error.errors})
    return Status(201, _detail(user, plan, today()))
