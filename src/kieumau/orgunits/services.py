"""Changes to the tree that users make (the national tree itself comes from `kieumau load-tree`)."""

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from kieumau.accounts import scope
from kieumau.core import audit
from kieumau.core.text import fold
from kieumau.orgunits.models import (
    Kind,
    Level,
    Lineage,
    OrgUnit,
    Placement,
    Reach,
    Source,
    valid_on,
)

GRASSROOTS_KINDS = frozenset({Kind.KHU_DAN_CU, Kind.CO_QUAN, Kind.DOANH_NGHIEP, Kind.TRUONG_HOC})


class BadLocalUnit(ValueError):
    """The unit cannot be registered; `field` names the offending input, `message` says why."""

    def __init__(self, *, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def _next_local_code(parent: OrgUnit) -> str:
    prefix = f"{parent.code}-"
    taken = OrgUnit.objects.filter(
        source=Source.LOCAL, level=Level.GRASSROOTS, code__startswith=prefix
    ).values_list("code", flat=True)
    numbers = [int(code[len(prefix) :]) for code in taken if code[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


@transaction.atomic
def register_local_unit(
    *, actor, parent: OrgUnit, name: str, kind: str, valid_from: dt.date
) -> OrgUnit:
    """A commune registers one of its residential areas, agencies, enterprises or schools
    (Thông tư 124/2021): a grassroots unit under it from `valid_from` for as long as it lasts.

    The unit gets a generated code "<commune code>-NNN", one placement per span of the
    commune's own placement (so its path follows the commune's), and the commune's reach.
    """
    scope.require_write(actor, parent)
    name = " ".join((name or "").split())
    if not name:
        raise BadLocalUnit(field="name", message=_("Cần nhập tên đơn vị."))
    if kind not in GRASSROOTS_KINDS:
        raise BadLocalUnit(
            field="kind",
            message=_("Loại đơn vị phải là khu dân cư, cơ quan, doanh nghiệp hoặc trường học."),
        )
    if parent.level != Level.COMMUNE:
        raise BadLocalUnit(field="parent", message=_("Chỉ Công an cấp xã đăng ký đơn vị cơ sở."))
    if not parent.exists_on(valid_from):
        raise BadLocalUnit(
            field="valid_from",
            message=_("Đơn vị cấp trên không tồn tại vào ngày %(day)s.")
            % {"day": f"{valid_from:%d/%m/%Y}"},
        )
    # Two registrations under one commune at once: the second waits here for the first to
    # commit, then numbers after it (on SQLite the IMMEDIATE transaction serialises them).
    list(OrgUnit.objects.select_for_update().filter(pk=parent.pk).values_list("pk", flat=True))
    unit = OrgUnit.objects.create(
        code=_next_local_code(parent),
        name=name,
        name_folded=fold(name),
        level=Level.GRASSROOTS,
        kind=kind,
        valid_from=valid_from,
        valid_to=parent.valid_to,
        source=Source.LOCAL,
    )
    spans = (
        Placement.objects.filter(unit=parent)
        .filter(valid_on(valid_from) | Q(valid_from__gt=valid_from))
        .order_by("path", "valid_from")
    )
    Placement.objects.bulk_create(
        [
            Placement(
                unit=unit,
                parent=parent,
                path=f"{span.path}{unit.pk}/",
                depth=span.depth + 1,
                valid_from=max(valid_from, span.valid_from) if span.valid_from else valid_from,
                valid_to=span.valid_to,
            )
            for span in spans
        ]
    )
    # What the parent passes down, not its whole reach: a ward split between two new wards is
    # reached by both, but what sat under it went to one of them (orgunits/reach.py).
    ancestors = _inherited_reach_ids(parent.pk)
    Reach.objects.bulk_create(
        [Reach(unit=unit, ancestor_id=ancestor_id) for ancestor_id in sorted(ancestors | {unit.pk})]
    )
    audit.record(
        actor=actor,
        action="orgunit.register_local",
        target=unit,
        unit=parent,
        detail={
            "code": unit.code,
            "name": name,
            "kind": kind,
            "valid_from": valid_from.isoformat(),
        },
    )
    return unit


def _inherited_reach_ids(unit_id: int) -> set[int]:
    """What a unit passes down to a unit registered under it (`ReachGraph.inherited`), read from
    the stored rows: itself, what its parents pass down, and the reach of whole successors."""
    found = {unit_id}
    parent_ids = set(
        Placement.objects.filter(unit_id=unit_id)
        .exclude(parent=None)
        .values_list("parent_id", flat=True)
    )
    for parent_id in parent_ids:
        found |= _inherited_reach_ids(parent_id)
    whole = Lineage.objects.filter(predecessor_id=unit_id, partial=False).values("successor_id")
    found |= set(Reach.objects.filter(unit_id__in=whole).values_list("ancestor_id", flat=True))
    return found
