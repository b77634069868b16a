"""`GET /api/recommendations`: recommendations still to do (or only the overdue ones), scoped.

`overdue` counts exactly what `selectors.overdue_recommendations` counts (dashboards, unit page).
"""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from kieumau.core.dates import today
from kieumau.core.schemas import UnitName
from kieumau.inspections import selectors
from kieumau.orgunits import selectors as unit_selectors

router = Router(tags=["inspections"])


class InspectionRef(Schema):
    id: int
    title: str
    date: dt.date


class RecommendationOut(Schema):
    id: int
    text: str
    unit: UnitName
    due_on: dt.date
    status: str
    overdue: bool
    inspection: InspectionRef


class RecommendationList(Schema):
    count: int
    overdue: int
    items: list[RecommendationOut]


class RecommendationQuery(Schema):
    unit: str | None = Field(None, max_length=32)
    as_of: dt.date | None = None
    overdue: bool = False
    limit: int = Field(100, ge=1, le=500)


@router.get("/recommendations", response=RecommendationList,
            summary="Kiến nghị chưa hoàn thành (hoặc chỉ quá hạn) trong phạm vi")
def list_recommendations(request: HttpRequest, query: Query[RecommendationQuery]):
    as_of = query.as_of or today()
    unit = None
    if query.unit:
        unit = unit_selectors.unit_for(request.auth, code=query.unit, as_of=as_of)
    overdue = selectors.overdue_recommendations(request.auth, as_of=as_of, unit=unit)
    found = overdue if query.overdue else selectors.open_recommendations(
        request.auth, as_of=as_of, unit=unit)
    items = [
        {"id": r.pk, "text": r.text, "unit": {"code": r.unit.code, "name": r.unit.name},
         "due_on": r.due_on, "status": r.status, "overdue": r.overdue,
         "inspection": {"id": r.inspection_id, "title": r.inspection.title,
                        "date": r.inspection.date}}
        for r in found[: query.limit]
    ]
    return {"count": found.count(), "overdue": overdue.count(), "items": items}
