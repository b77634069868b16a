"""Changes to criteria sets. Every change is checked whole, applied in one transaction and
audited; a set that assessments were made against is never changed: the change becomes a new
revision ("2024" → "2024.2") that supersedes it.

Who may change which set is `accounts.scope.may_edit_criteria_set`, checked here for every change
(pages and API check it too, before reading a body). `actor=None` is the command line
(`kieumau load-criteria`), which runs with the server's own rights."""

import dataclasses
from collections.abc import Collection, Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kieumau.accounts import scope
from kieumau.accounts.scope import NotVisible
from kieumau.core import audit
from kieumau.criteria import selectors
from kieumau.criteria.models import CriteriaSet, Criterion, CriterionGroup, SetStatus
from kieumau.criteria.spec import CriterionSpec, SetSpec
from kieumau.criteria.validation import InvalidSet, Problem, clean, problems_of
from kieumau.orgunits import tree


class SetSuperseded(Exception):
    """Only the latest revision of a set may be edited."""

    def __init__(self, criteria_set: CriteriaSet):
        self.criteria_set = criteria_set
        super().__init__(f"{criteria_set.code} {criteria_set.version} is superseded")


def checked(spec: SetSpec, *, actor=None, extra_set_codes: Collection[str] = ()) -> SetSpec:
    """The spec cleaned and validated against the catalogue and the sets in the database;
    raise InvalidSet listing every problem. An owner that `actor` may not give a set is refused
    in the same words as a code no unit carried."""
    spec, problems = with_owner_resolved(clean(spec), actor=actor)
    problems += problems_of(
        spec,
        known_indicators=selectors.indicator_codes(),
        set_codes=_set_codes() | set(extra_set_codes),
    )
    if problems:
        raise InvalidSet(problems)
    return spec


def with_owner_resolved(spec: SetSpec, *, actor=None) -> tuple[SetSpec, list[Problem]]:
    """The spec with its owner written the one way `spec_of` writes it (so a file and the database
    compare equal), or a problem when no unit carried the owner's code on that day (or, given an
    `actor`, when the unit lies outside what they may give a set: the same words, see scope.py)."""
    if spec.owner is None:
        return spec, []
    try:
        unit = selectors.owner_unit(spec.owner)
        if actor is not None and not scope.may_edit_criteria_set(actor, owner=unit):
            raise tree.UnitNotFound(spec.owner.code, spec.owner.as_of)
    except tree.UnitNotFound:
        message = _("Không có đơn vị mã %(code)s vào ngày %(day)s (đơn vị ban hành).") % {
            "code": spec.owner.code,
            "day": f"{spec.owner.as_of:%d/%m/%Y}",
        }
        return spec, [Problem("owner", message)]
    return spec.replace(owner=selectors.owner_spec_of(unit, document_date=spec.document_date)), []


def _set_codes() -> set[str]:
    return set(CriteriaSet.objects.values_list("code", flat=True).distinct())


def _require_editor(actor, *, owner) -> None:
    if actor is not None:
        scope.require_criteria_set_editor(actor, owner=owner)


@transaction.atomic
def create_set(*, actor, spec: SetSpec, status: str = SetStatus.DRAFT) -> CriteriaSet:
    """A new set; only the ministry creates national sets (PermissionDenied), and an owner must
    lie within the actor's scope (InvalidSet, as for an unknown owner)."""
    return _create(spec=spec, actor=actor, status=status, action="criteria_set.created")


def _create(*, spec: SetSpec, actor, status: str, action: str, detail=None) -> CriteriaSet:
    if actor is not None:
        scope.require_admin(actor)
    if spec.owner is None:
        _require_editor(actor, owner=None)
    spec = checked(spec, actor=actor)
    if CriteriaSet.objects.filter(code=spec.code, version=spec.version).exists():
        raise InvalidSet(
            [
                Problem(
                    "year",
                    _("Đã có bộ tiêu chí %(code)s phiên bản %(version)s.")
                    % {"code": spec.code, "version": spec.version},
                )
            ]
        )
    criteria_set = write_new(spec, actor=actor, status=status, supersedes=None)
    audit.record(
        actor=actor,
        action=action,
        target=criteria_set,
        detail={"code": spec.code, "version": spec.version, "status": status, **(detail or {})},
    )
    return criteria_set


@transaction.atomic
def save_set(*, actor, criteria_set: CriteriaSet, spec: SetSpec) -> CriteriaSet:
    """Replace the set's content by `spec` (its code and year stay). Returns the set as saved:
    the same row when it was not in use, else a new revision that supersedes it."""
    current = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    _require_editor(actor, owner=current.owner)
    if spec.owner is None and current.owner_id is not None:
        _require_editor(actor, owner=None)  # making a unit's set national
    if current.status == SetStatus.SUPERSEDED:
        raise SetSuperseded(current)
    spec = checked(
        spec.replace(code=current.code, year=current.year, revision=current.revision), actor=actor
    )
    before = selectors.spec_of(selectors.get_set_by_pk(current.pk))
    if before == spec:
        return current
    changes = describe_changes(before=before, after=spec)
    if current.in_use:
        latest = selectors.latest_revision(code=current.code, year=current.year)
        new = write_new(
            spec.replace(revision=latest.revision + 1),
            actor=actor,
            status=current.status,
            supersedes=current,
        )
        current.status = SetStatus.SUPERSEDED
        current.save(update_fields=["status"])
        audit.record(
            actor=actor,
            action="criteria_set.revised",
            target=new,
            detail={
                "code": new.code,
                "from": current.version,
                "version": new.version,
                "changes": changes,
            },
        )
        return new
    _write_in_place(current, spec)
    audit.record(
        actor=actor,
        action="criteria_set.updated",
        target=current,
        detail={"code": current.code, "version": current.version, "changes": changes},
    )
    return current


def update_set_fields(
    *, actor, criteria_set: CriteriaSet, changes: Mapping[str, Any]
) -> CriteriaSet:
    """Change the set's own fields (title, document, period, outcome rule, …)."""
    if {"groups", "criteria", "code", "year", "revision"} & set(changes):
        raise ValueError("use save_set to change groups or criteria; code and year are fixed")
    spec = selectors.spec_of(selectors.get_set_by_pk(criteria_set.pk))
    return save_set(actor=actor, criteria_set=criteria_set, spec=spec.replace(**changes))


def update_criterion(
    *, actor, criteria_set: CriteriaSet, key: int, changes: Mapping[str, Any]
) -> CriteriaSet:
    """Change one criterion (by its row id) of the set."""
    spec = selectors.spec_of(selectors.get_set_by_pk(criteria_set.pk))
    if key not in {c.key for c in spec.criteria}:
        raise NotVisible("no such criterion")
    criteria = tuple(
        dataclasses.replace(c, **changes) if c.key == key else c for c in spec.criteria
    )
    return save_set(actor=actor, criteria_set=criteria_set, spec=spec.replace(criteria=criteria))


def add_criterion(*, actor, criteria_set: CriteriaSet, criterion: CriterionSpec) -> CriteriaSet:
    spec = selectors.spec_of(selectors.get_set_by_pk(criteria_set.pk))
    criterion = dataclasses.replace(criterion, key=None)
    return save_set(
        actor=actor,
        criteria_set=criteria_set,
        spec=spec.replace(criteria=(*spec.criteria, criterion)),
    )


def remove_criterion(*, actor, criteria_set: CriteriaSet, key: int) -> CriteriaSet:
    spec = selectors.spec_of(selectors.get_set_by_pk(criteria_set.pk))
    if key not in {c.key for c in spec.criteria}:
        raise NotVisible("no such criterion")
    criteria = tuple(c for c in spec.criteria if c.key != key)
    return save_set(actor=actor, criteria_set=criteria_set, spec=spec.replace(criteria=criteria))


@transaction.atomic
def publish_set(*, actor, criteria_set: CriteriaSet) -> CriteriaSet:
    current = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    _require_editor(actor, owner=current.owner)
    if current.status != SetStatus.DRAFT:
        return current
    current.status = SetStatus.PUBLISHED
    current.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action="criteria_set.published",
        target=current,
        detail={"code": current.code, "version": current.version},
    )
    return current


@transaction.atomic
def start_new_round(*, actor, criteria_set: CriteriaSet, year: int) -> CriteriaSet:
    """A draft for another year, copied from this set, for the admin to adjust and publish."""
    _require_editor(actor, owner=criteria_set.owner)
    spec = selectors.spec_of(selectors.get_set_by_pk(criteria_set.pk))
    spec = spec.replace(
        year=year,
        revision=1,
        criteria=tuple(dataclasses.replace(c, key=None) for c in spec.criteria),
    )
    return _create(
        spec=spec,
        actor=actor,
        status=SetStatus.DRAFT,
        action="criteria_set.new_round",
        detail={"from": criteria_set.version},
    )


def describe_changes(*, before: SetSpec, after: SetSpec) -> dict[str, Any]:
    """What changed, for the audit trail: field names and criterion codes."""
    fields = [
        f.name
        for f in dataclasses.fields(SetSpec)
        if f.name not in ("criteria", "revision")
        and getattr(before, f.name) != getattr(after, f.name)
    ]
    old = {c.code: c for c in before.criteria}
    new = {c.code: c for c in after.criteria}
    changed = {
        code: [
            f.name
            for f in dataclasses.fields(CriterionSpec)
            if f.compare and getattr(old[code], f.name) != getattr(c, f.name)
        ]
        for code, c in new.items()
        if code in old and old[code] != c
    }
    detail: dict[str, Any] = {"fields": fields}
    if added := [code for code in new if code not in old]:
        detail["added"] = added
    if removed := [code for code in old if code not in new]:
        detail["removed"] = removed
    if changed:
        detail["changed"] = changed
    if [code for code in old if code in new] != [code for code in new if code in old]:
        detail["reordered"] = True
    return detail


# --- writing rows -------------------------------------------------------------------------------


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _set_fields(spec: SetSpec) -> dict[str, Any]:
    return {
        "title": spec.title,
        "document_number": spec.document_number,
        "document_date": spec.document_date,
        "document_body": spec.document_body,
        "applies_to_kinds": list(spec.applies_to_kinds),
        "owner": selectors.owner_unit(spec.owner),
        "period_start_day": spec.period_start_day,
        "period_start_month": spec.period_start_month,
        "period_months": spec.period_months,
        "outcome_rule": spec.outcome_rule,
        "min_met": spec.min_met,
        "grade_bands": [
            {"name": b.name, "min_points": _json_number(b.min_points)}
            | ({} if b.passing else {"passing": False})
            for b in spec.grade_bands
        ],
        "reconstructed": spec.reconstructed,
        "source_note": spec.source_note,
    }


def _criterion_fields(c: CriterionSpec, *, order: int, groups: dict[str, CriterionGroup]) -> dict:
    return {
        "group": groups.get(c.group) if c.group else None,
        "code": c.code,
        "title": c.title,
        "guidance": c.guidance,
        "evidence_required": c.evidence_required,
        "points": c.points,
        "kind": c.kind,
        "expression": c.expression,
        "child_kinds": list(c.child_kinds),
        "child_set_code": ",".join(c.child_sets),
        "child_min_share": c.child_min_share,
        "order": order,
    }


def write_new(spec: SetSpec, *, actor, status: str, supersedes: CriteriaSet | None) -> CriteriaSet:
    """Rows for a checked spec; the caller owns the transaction and the audit."""
    criteria_set = CriteriaSet.objects.create(
        code=spec.code,
        year=spec.year,
        revision=spec.revision,
        version=spec.version,
        status=status,
        created_by=actor if getattr(actor, "pk", None) else None,
        supersedes=supersedes,
        **_set_fields(spec),
    )
    groups = {
        g.code: CriterionGroup.objects.create(
            criteria_set=criteria_set, code=g.code, title=g.title, order=index
        )
        for index, g in enumerate(spec.groups, start=1)
    }
    Criterion.objects.bulk_create(
        Criterion(criteria_set=criteria_set, **_criterion_fields(c, order=index, groups=groups))
        for index, c in enumerate(spec.criteria, start=1)
    )
    return criteria_set


def _write_in_place(criteria_set: CriteriaSet, spec: SetSpec) -> None:
    for name, value in _set_fields(spec).items():
        setattr(criteria_set, name, value)
    criteria_set.save()

    existing_groups = {g.code: g for g in criteria_set.groups.all()}
    wanted = {g.code for g in spec.groups}
    for code, group in existing_groups.items():
        if code not in wanted:
            group.delete()
    groups: dict[str, CriterionGroup] = {}
    for index, g in enumerate(spec.groups, start=1):
        group = existing_groups.get(g.code) or CriterionGroup(
            criteria_set=criteria_set, code=g.code
        )
        group.title, group.order = g.title, index
        group.save()
        groups[g.code] = group

    rows = {c.pk: c for c in criteria_set.criteria.all()}
    by_code = {c.code: c for c in rows.values()}
    keyed = {c.key for c in spec.criteria if c.key in rows}
    claimed: set[int] = set()
    pairs: list[tuple[CriterionSpec, Criterion | None]] = []
    for c in spec.criteria:
        row = None
        if c.key in rows and c.key not in claimed:
            row = rows[c.key]
        elif c.code in by_code and by_code[c.code].pk not in keyed | claimed:
            row = by_code[c.code]
        if row is not None:
            claimed.add(row.pk)
        pairs.append((c, row))
    Criterion.objects.filter(criteria_set=criteria_set).exclude(pk__in=claimed).delete()
    # Codes are unique within a set: move renamed rows out of the way before the final write.
    for c, row in pairs:
        if row is not None and row.code != c.code:
            row.code = f"~{row.pk}"
            row.save(update_fields=["code"])
    for index, (c, row) in enumerate(pairs, start=1):
        row = row or Criterion(criteria_set=criteria_set)
        for name, value in _criterion_fields(c, order=index, groups=groups).items():
            setattr(row, name, value)
        row.save()
