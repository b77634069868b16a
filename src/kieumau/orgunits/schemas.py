import datetime as dt

from ninja import Schema


class OrgUnitOut(Schema):
    code: str
    name: str
    level: str
    kind: str
    parent: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None


class OrgUnitDetail(OrgUnitOut):
    police_name: str
    ancestors: list[str]


class LineageOut(Schema):
    code: str
    name: str
    level: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    date: dt.date
    change: str
    partial: bool


class HistoryOut(Schema):
    predecessors: list[LineageOut]
    successors: list[LineageOut]
