"""`GET /api/orgunits/{code}/standing`: a unit's result under one criteria set for one year.

The shape is relied on by outside tools: keep it. The period is the set's assessment period that
ends in `year`; the code is resolved as of that period's last day (01840 with year=2023 is the
old phường Đức Xuân, TP Bắc Kạn). An assessment of that unit for that period gives its version,
its judgements and, once locked, its stored result; otherwise the result is evaluated live.
"""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from kieumau.assessments import standing
from kieumau.core.dates import today
from kieumau.core.schemas import Code, Problem, SetCode, Version, Year

router = Router(tags=["assessments"])


class PeriodOut(Schema):
    start: dt.date
    end: dt.date


class StandingCriterionOut(Schema):
    code: str
    title: str
    status: str
    explanation: str
    distance: str | None


class StandingOut(Schema):
    unit: str
    unit_name: str
    set: str
    version: str
    period: PeriodOut
    met: int
    total: int
    outcome: str
    provisional: bool
    months_with_data: int
    months_total: int
    stage: str | None
    criteria: list[StandingCriterionOut]


class StandingQuery(Schema):
    set_code: SetCode = Field(..., alias="set")
    version: Version | None = None
    year: Year | None = None


@router.get(
    "/orgunits/{code}/standing",
    response={200: StandingOut, 404: Problem, 422: Problem},
    summary="Kết quả của đơn vị theo một bộ tiêu chí trong một năm",
)
def get_standing(request: HttpRequest, code: Code, query: Query[StandingQuery]):
    year = query.year if query.year is not None else today().year
    try:
        result = standing.result_for_year(
            request.auth,
            code=code,
            set_code=query.set_code.strip(),
            year=year,
            version=(query.version or "").strip() or None,
        )
    except standing.UnknownSet as error:
        return Status(
            404, {"detail": error.message, "errors": [{"field": "set", "message": error.message}]}
        )
    return Status(
        200,
        {
            "unit": result.unit.code,
            "unit_name": result.unit.name,
            "set": result.criteria_set.code,
            "version": result.criteria_set.version,
            "period": {"start": result.period_start, "end": result.period_end},
            "met": result.met,
            "total": result.total,
            "outcome": result.outcome,
            "provisional": result.provisional,
            "months_with_data": result.coverage.filled,
            "months_total": result.coverage.total,
            "stage": result.assessment.stage if result.assessment is not None else None,
            "criteria": [
                {
                    "code": row.code,
                    "title": row.title,
                    "status": row.status,
                    "explanation": row.explanation,
                    "distance": row.distance,
                }
                for row in result.rows
            ],
        },
    )
