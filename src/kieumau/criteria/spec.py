"""A criteria set as plain data: what the YAML catalogue holds, what exports write and what the
edit services take. Reading a mapping checks its shape only (types, required keys); what the
values mean (known unit kinds, valid expressions, existing child sets) is checked by the services.

No Django import. Errors carry the path of the offending key, e.g. ``groups[2].criteria[0].points``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml


class SpecError(ValueError):
    """The mapping has the wrong shape; ``errors`` lists (path, message) pairs in Vietnamese."""

    def __init__(self, errors: list[tuple[str, str]]):
        self.errors = errors
        super().__init__("; ".join(f"{path}: {message}" for path, message in errors))


@dataclass(frozen=True, kw_only=True)
class CriterionSpec:
    code: str
    title: str
    kind: str = "manual"  # manual | indicator_rule | child_coverage
    guidance: str = ""
    evidence_required: bool = False
    points: Decimal | None = None
    expression: str = ""
    child_kinds: tuple[str, ...] = ()
    child_sets: tuple[str, ...] = ()
    child_min_share: Decimal | None = None
    group: str | None = None  # code of its group
    # The database row it came from, so an edit keeps the row; never written to YAML.
    key: int | None = field(default=None, compare=False)


@dataclass(frozen=True, kw_only=True)
class GroupSpec:
    code: str
    title: str


@dataclass(frozen=True, kw_only=True)
class GradeBandSpec:
    name: str
    min_points: Decimal
    passing: bool = True


@dataclass(frozen=True, kw_only=True)
class OwnerSpec:
    """The unit whose own set this is: a code and a day it carried that code (codes are reused)."""

    code: str
    as_of: dt.date


@dataclass(frozen=True, kw_only=True)
class SetSpec:
    code: str
    year: int
    title: str
    revision: int = 1
    document_number: str = ""
    document_date: dt.date | None = None
    document_body: str = ""
    applies_to_kinds: tuple[str, ...] = ()
    owner: OwnerSpec | None = None  # None: a national set, applying everywhere
    period_start_day: int = 1
    period_start_month: int = 1
    period_months: int = 12
    outcome_rule: str = "all"
    min_met: int | None = None
    grade_bands: tuple[GradeBandSpec, ...] = ()
    reconstructed: bool = False
    source_note: str = ""
    groups: tuple[GroupSpec, ...] = ()
    criteria: tuple[CriterionSpec, ...] = ()  # in order; grouped ones follow their group's order

    @property
    def version(self) -> str:
        return version_label(year=self.year, revision=self.revision)

    def replace(self, **changes: Any) -> SetSpec:
        return dataclasses.replace(self, **changes)

    def normalized(self) -> SetSpec:
        """Criteria in the order they are shown and written: group by group, then ungrouped
        ones; within a group, as listed."""
        rank = {group.code: index for index, group in enumerate(self.groups)}
        ordered = sorted(
            enumerate(self.criteria),
            key=lambda pair: (
                rank.get(pair[1].group, len(rank)) if pair[1].group else len(rank),
                pair[0],
            ),
        )
        return self.replace(criteria=tuple(c for _, c in ordered))


def version_label(*, year: int, revision: int) -> str:
    return str(year) if revision == 1 else f"{year}.{revision}"


# --- reading --------------------------------------------------------------------------------------


class _Reader:
    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []

    def fail(self, path: str, message: str) -> None:
        self.errors.append((path, message))

    def text(self, data: Mapping, key: str, path: str, *, required: bool = False) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.fail(path + key, "bắt buộc")
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(path + key, "phải là chuỗi ký tự")
            return ""
        value = str(value).strip()
        if required and not value:
            self.fail(path + key, "không được để trống")
        return value

    def integer(self, data: Mapping, key: str, path: str, *, default: int | None) -> int | None:
        value = data.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(path + key, "phải là số nguyên")
            return default
        return value

    def decimal(self, data: Mapping, key: str, path: str) -> Decimal | None:
        value = data.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            self.fail(path + key, "phải là số")
            return None
        try:
            number = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            self.fail(path + key, "phải là số")
            return None
        if not number.is_finite():
            self.fail(path + key, "phải là số")
            return None
        return number

    def date(self, data: Mapping, key: str, path: str) -> dt.date | None:
        value = data.get(key)
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        elif value is None or isinstance(value, dt.date):
            return value
        self.fail(path + key, "phải là ngày dạng YYYY-MM-DD")
        return None

    def flag(self, data: Mapping, key: str, path: str, *, default: bool = False) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.fail(path + key, "phải là true hoặc false")
            return default
        return value

    def words(self, data: Mapping, key: str, path: str) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [part for part in value.replace(",", " ").split() if part]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(path + key, "phải là danh sách mã")
            return ()
        return tuple(v.strip() for v in value if v.strip())

    def mapping(self, value: Any, path: str) -> Mapping:
        if not isinstance(value, Mapping):
            self.fail(path.rstrip("."), "phải là một bảng khóa: giá trị")
            return {}
        return value

    def items(self, data: Mapping, key: str, path: str) -> list:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(path + key, "phải là danh sách")
            return []
        return value


def spec_from_mapping(data: Any) -> SetSpec:
    """Read a set from the YAML/JSON shape that `spec_to_mapping` writes; raise SpecError."""
    r = _Reader()
    data = r.mapping(data, "")
    document = r.mapping(data.get("document") or {}, "document.")
    period = r.mapping(data.get("period") or {}, "period.")
    outcome = r.mapping(data.get("outcome") or {}, "outcome.")
    document_date = r.date(document, "date", "document.")
    owner = None
    if data.get("owner") is not None:
        raw_owner = r.mapping(data["owner"], "owner.")
        owner_code = r.text(raw_owner, "code", "owner.", required=True)
        owner_as_of = r.date(raw_owner, "as_of", "owner.")
        if raw_owner.get("as_of") is None:
            r.fail("owner.as_of", "bắt buộc (mã đơn vị được dùng lại theo thời gian)")
        if owner_code and owner_as_of is not None:
            owner = OwnerSpec(code=owner_code, as_of=owner_as_of)
    bands = []
    for index, item in enumerate(r.items(outcome, "grade_bands", "outcome.")):
        path = f"outcome.grade_bands[{index}]."
        item = r.mapping(item, path)
        min_points = r.decimal(item, "min_points", path)
        if min_points is None and "min_points" not in item:
            r.fail(path + "min_points", "bắt buộc")
        bands.append(
            GradeBandSpec(
                name=r.text(item, "name", path, required=True),
                min_points=min_points if min_points is not None else Decimal(0),
                passing=r.flag(item, "passing", path, default=True),
            )
        )
    groups: list[GroupSpec] = []
    criteria: list[CriterionSpec] = []
    for index, item in enumerate(r.items(data, "groups", "")):
        path = f"groups[{index}]."
        item = r.mapping(item, path)
        group = GroupSpec(
            code=r.text(item, "code", path, required=True),
            title=r.text(item, "title", path, required=True),
        )
        groups.append(group)
        for position, raw in enumerate(r.items(item, "criteria", path)):
            criteria.append(_criterion(r, raw, f"{path}criteria[{position}].", group=group.code))
    for position, raw in enumerate(r.items(data, "criteria", "")):
        criteria.append(_criterion(r, raw, f"criteria[{position}].", group=None))
    spec = SetSpec(
        code=r.text(data, "code", "", required=True),
        year=r.integer(data, "year", "", default=0) or 0,
        revision=r.integer(data, "revision", "", default=1) or 1,
        title=r.text(data, "title", "", required=True),
        document_number=r.text(document, "number", "document."),
        document_date=document_date,
        document_body=r.text(document, "body", "document."),
        applies_to_kinds=r.words(data, "applies_to", ""),
        owner=owner,
        period_start_day=r.integer(period, "start_day", "period.", default=1) or 0,
        period_start_month=r.integer(period, "start_month", "period.", default=1) or 0,
        period_months=r.integer(period, "months", "period.", default=12) or 0,
        outcome_rule=r.text(outcome, "rule", "outcome.") or "all",
        min_met=r.integer(outcome, "min_met", "outcome.", default=None),
        grade_bands=tuple(bands),
        reconstructed=r.flag(data, "reconstructed", ""),
        source_note=r.text(data, "source_note", ""),
        groups=tuple(groups),
        criteria=tuple(criteria),
    )
    if "year" not in data:
        r.fail("year", "bắt buộc")
    if r.errors:
        raise SpecError(r.errors)
    return spec


def _criterion(r: _Reader, raw: Any, path: str, *, group: str | None) -> CriterionSpec:
    item = r.mapping(raw, path)
    return CriterionSpec(
        code=r.text(item, "code", path, required=True),
        title=r.text(item, "title", path, required=True),
        kind=r.text(item, "kind", path) or "manual",
        guidance=r.text(item, "guidance", path),
        evidence_required=r.flag(item, "evidence_required", path),
        points=r.decimal(item, "points", path),
        expression=r.text(item, "expression", path),
        child_kinds=r.words(item, "child_kinds", path),
        child_sets=r.words(item, "child_sets", path),
        child_min_share=r.decimal(item, "min_share", path),
        group=group,
    )


# --- writing --------------------------------------------------------------------------------------


def _number(value: Decimal) -> int | float | str:
    """A Decimal as the plainest YAML scalar that reads back to the same value."""
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    return as_float if Decimal(repr(as_float)) == value else str(value)


def spec_to_mapping(spec: SetSpec) -> dict[str, Any]:
    """The YAML/JSON shape of a set; keys that hold their default are left out to keep files short."""
    data: dict[str, Any] = {"code": spec.code, "year": spec.year}
    if spec.revision != 1:
        data["revision"] = spec.revision
    data["title"] = spec.title
    document = {
        key: value
        for key, value in (
            ("number", spec.document_number),
            ("date", spec.document_date),
            ("body", spec.document_body),
        )
        if value
    }
    if document:
        data["document"] = document
    data["applies_to"] = list(spec.applies_to_kinds)
    if spec.owner is not None:
        data["owner"] = {"code": spec.owner.code, "as_of": spec.owner.as_of}
    data["period"] = {
        "start_day": spec.period_start_day,
        "start_month": spec.period_start_month,
        "months": spec.period_months,
    }
    outcome: dict[str, Any] = {"rule": spec.outcome_rule}
    if spec.min_met is not None:
        outcome["min_met"] = spec.min_met
    if spec.grade_bands:
        outcome["grade_bands"] = [
            {"name": b.name, "min_points": _number(b.min_points)}
            | ({} if b.passing else {"passing": False})
            for b in spec.grade_bands
        ]
    data["outcome"] = outcome
    data["reconstructed"] = spec.reconstructed
    if spec.source_note:
        data["source_note"] = spec.source_note
    grouped = {g.code: [c for c in spec.criteria if c.group == g.code] for g in spec.groups}
    if spec.groups:
        data["groups"] = [
            {
                "code": g.code,
                "title": g.title,
                "criteria": [_criterion_out(c) for c in grouped[g.code]],
            }
            for g in spec.groups
        ]
    loose = [c for c in spec.criteria if c.group is None]
    if loose or not spec.groups:
        data["criteria"] = [_criterion_out(c) for c in loose]
    return data


def _criterion_out(c: CriterionSpec) -> dict[str, Any]:
    out: dict[str, Any] = {"code": c.code, "title": c.title, "kind": c.kind}
    if c.guidance:
        out["guidance"] = c.guidance
    if c.evidence_required:
        out["evidence_required"] = True
    if c.points is not None:
        out["points"] = _number(c.points)
    if c.expression:
        out["expression"] = c.expression
    if c.child_kinds:
        out["child_kinds"] = list(c.child_kinds)
    if c.child_sets:
        out["child_sets"] = list(c.child_sets)
    if c.child_min_share is not None:
        out["min_share"] = _number(c.child_min_share)
    return out


def spec_to_jsonable(spec: SetSpec) -> dict[str, Any]:
    """As `spec_to_mapping`, with the date as ISO text (for the JSON API)."""
    data = spec_to_mapping(spec)
    if "date" in data.get("document", {}):
        data["document"] = {**data["document"], "date": spec.document_date.isoformat()}
    if spec.owner is not None:
        data["owner"] = {**data["owner"], "as_of": spec.owner.as_of.isoformat()}
    return data


class _Dumper(yaml.SafeDumper):
    pass


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    # Multi-line text as a block, so guidance reads naturally in the file. YAML reads NEL, LS
    # and PS as line breaks inside a block or plain scalar: such text goes double-quoted (escaped).
    breaks_yaml = any(ch in value for ch in "\x85\u2028\u2029")
    style = '"' if breaks_yaml else ("|" if "\n" in value else None)
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def dump_yaml(spec: SetSpec) -> str:
    return yaml.dump(
        spec_to_mapping(spec), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100
    )


def load_yaml(text: str) -> SetSpec:
    """Parse one set from YAML text; raise SpecError for bad YAML or a bad shape."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"dòng {mark.line + 1}" if mark is not None else "YAML"
        raise SpecError([(where, "YAML không hợp lệ")]) from error
    return spec_from_mapping(data)
