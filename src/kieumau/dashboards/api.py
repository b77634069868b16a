"""`GET /api/orgunits/{code}/dashboard`: the numbers of a unit's dashboard, as the page shows them."""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from kieumau.assessments.standing import UnknownSet
from kieumau.core.dates import today
from kieumau.core.schemas import Problem
from kieumau.dashboards import selectors

router = Router(tags=["dashboards"])


class ByStanding(Schema):
    recognised: int
    qualifies: int
    in_progress: int
    not_started: int


class CriterionUnmet(Schema):
    code: str
    title: str
    unmet: int


class DashboardOut(Schema):
    unit: str
    as_of: dt.date
    set: str
    version: str
    communes: int
    by_standing: ByStanding
    criteria: list[CriterionUnmet]
    overdue_recommendations: int


class DashboardQuery(Schema):
    as_of: dt.date | None = None
    set_code: str | None = Field(None, alias="set", max_length=64)


@router.get(
    "/orgunits/{code}/dashboard",
    response={200: DashboardOut, 404: Problem, 422: Problem},
    summary="Số liệu bảng điều hành của một đơn vị: xã, phường theo mức độ, tiêu chí chưa đạt",
)
def get_dashboard(request: HttpRequest, code: str, query: Query[DashboardQuery]):
    as_of = query.as_of or today()
    try:
        card = selectors.dashboard(
            request.auth, code=code, as_of=as_of, set_code=query.set_code, detail=False
        )
    except selectors.BadDate as error:
        return Status(422, {"detail": str(error), "errors": [{"field": "as_of", "message": str(error)}]})
    except UnknownSet as error:
        return Status(404, {"detail": error.message, "errors": [{"field": "set", "message": error.message}]})
    overdue = selectors.overdue_count(request.auth, unit=card.unit, as_of=as_of)
    return Status(200, selectors.as_figures(card, overdue=overdue))
