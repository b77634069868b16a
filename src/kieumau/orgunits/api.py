from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from kieumau.core.dates import today
from kieumau.core.schemas import Code, Day, Mapped, SearchText, paginator
from kieumau.orgunits import selectors, tree
from kieumau.orgunits.schemas import HistoryOut, LineageOut, OrgUnitDetail, OrgUnitOut

router = Router(tags=["orgunits"])


class UnitFilters(Schema):
    as_of: Day | None = None
    level: Literal["ministry", "province", "district", "commune", "grassroots"] | None = None
    parent: Code | None = None
    q: SearchText | None = None


def _out(unit, parent_code) -> dict:
    return {
        "code": unit.code, "name": unit.name, "level": unit.level, "kind": unit.kind,
        "parent": parent_code, "valid_from": unit.valid_from, "valid_to": unit.valid_to,
    }


@router.get("", response=list[OrgUnitOut], summary="Đơn vị theo ngày")
@paginate(paginator(default=100, max_limit=1000))
def list_units(request: HttpRequest, filters: Query[UnitFilters]):
    """`{"count": N, "items": [...]}`; `limit` (1–1000, default 100) and `offset` page it."""
    units = selectors.search_units(
        request.auth, as_of=filters.as_of or today(), level=filters.level,
        parent_code=filters.parent, text=filters.q,
    )
    return Mapped(units, lambda u: _out(u, u.parent_code))


@router.get("/{code}", response=OrgUnitDetail, summary="Một đơn vị")
def get_unit(request: HttpRequest, code: Code, as_of: Day | None = None):
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
def get_history(request: HttpRequest, code: Code, as_of: Day | None = None):
    unit = selectors.unit_for(request.auth, code=code, as_of=as_of or today())
    history = selectors.history_of(request.auth, unit)
    return {
        "predecessors": [_lineage_out(row, row.predecessor) for row in history.predecessors],
        "successors": [_lineage_out(row, row.successor) for row in history.successors],
    }
