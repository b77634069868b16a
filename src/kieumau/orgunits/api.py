import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema

from kieumau.core.dates import today
from kieumau.orgunits import selectors, tree
from kieumau.orgunits.schemas import HistoryOut, LineageOut, OrgUnitDetail, OrgUnitPage

router = Router(tags=["orgunits"])


class ListFilters(Schema):
    as_of: dt.date | None = None
    level: Literal["ministry", "province", "district", "commune", "grassroots"] | None = None
    parent: str | None = None
    q: str | None = None
    limit: int = 100
    offset: int = 0


def _out(unit, parent_code) -> dict:
    return {
        "code": unit.code, "name": unit.name, "level": unit.level, "kind": unit.kind,
        "parent": parent_code, "valid_from": unit.valid_from, "valid_to": unit.valid_to,
    }


@router.get("", response=OrgUnitPage, summary="Đơn vị theo ngày")
def list_units(request: HttpRequest, filters: Query[ListFilters]):
    limit = max(1, min(filters.limit, 1000))
    units = selectors.search_units(
        request.auth, as_of=filters.as_of or today(), level=filters.level,
        parent_code=filters.parent, text=filters.q,
    )
    page = units[max(filters.offset, 0): max(filters.offset, 0) + limit]
    return {"count": units.count(), "items": [_out(u, u.parent_code) for u in page]}


@router.get("/{code}", response=OrgUnitDetail, summary="Một đơn vị")
def get_unit(request: HttpRequest, code: str, as_of: dt.date | None = None):
    day = as_of or today()
    unit = selectors.unit_for(request.auth, code=code, as_of=day)
    ancestors = tree.ancestors(unit, day)
    return {
        **_out(unit, ancestors[-1].code if ancestors else None),
        "police_name": unit.police_name,
        "ancestors": [a.code for a in ancestors],
    }


def _lineage_out(row, other) -> LineageOut:
    return LineageOut(
        code=other.code, name=other.name, level=other.level, valid_from=other.valid_from,
        valid_to=other.valid_to, date=row.date, change=row.change, partial=row.partial,
    )


@router.get("/{code}/history", response=HistoryOut, summary="Đơn vị tiền thân và kế thừa")
def get_history(request: HttpRequest, code: str, as_of: dt.date | None = None):
    unit = selectors.unit_for(request.auth, code=code, as_of=as_of or today())
    history = selectors.history_of(request.auth, unit)
    return {
        "predecessors": [_lineage_out(row, row.predecessor) for row in history.predecessors],
        "successors": [_lineage_out(row, row.successor) for row in history.successors],
    }
