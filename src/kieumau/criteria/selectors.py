"""Reads of criteria sets. Sets are global reference data: every signed-in user may read every
set, so these take no user; pages and the API require sign-in themselves."""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext as _

from kieumau.accounts.scope import NotVisible
from kieumau.criteria.models import CriteriaSet, Criterion, CriterionGroup, SetStatus
from kieumau.criteria.spec import CriterionSpec, GradeBandSpec, GroupSpec, OwnerSpec, SetSpec
from kieumau.orgunits import tree
from kieumau.orgunits.models import Lineage, OrgUnit, Reach


class IndicatorCatalogueMissing(RuntimeError):
    """The indicators app (and its catalogue) is not installed yet."""


def indicator_codes() -> frozenset[str]:
    """Codes of the indicator catalogue, which indicator rules are checked against."""
    try:
        from kieumau.indicators.models import Indicator
    except ImportError as error:
        raise IndicatorCatalogueMissing(
            _(
                "Chưa có danh mục chỉ số (kieumau.indicators.models.Indicator): không kiểm tra được "
                "biểu thức của tiêu chí."
            )
        ) from error
    return frozenset(Indicator.objects.values_list("code", flat=True))


def indicator_names() -> dict[str, str]:
    """Code → Vietnamese name, for explanations and the editing help; empty if not installed."""
    try:
        from kieumau.indicators.models import Indicator
    except ImportError:
        return {}
    return dict(Indicator.objects.order_by("order", "code").values_list("code", "name"))


def list_sets(*, status: str | None = None) -> QuerySet[CriteriaSet]:
    """Every set and revision with `criteria_count`, in one query."""
    sets = CriteriaSet.objects.annotate(criteria_count=Count("criteria"))
    if status:
        sets = sets.filter(status=status)
    return sets.order_by("code", "year", "revision")


def with_contents(sets: QuerySet[CriteriaSet]) -> QuerySet[CriteriaSet]:
    return sets.select_related("owner").prefetch_related(
        Prefetch("groups", queryset=CriterionGroup.objects.order_by("order", "id")),
        Prefetch("criteria", queryset=Criterion.objects.order_by("order", "id")),
    )


def get_set(*, code: str, version: str | None = None) -> CriteriaSet:
    """The set with that code and version, or its current version; NotVisible (404) if none."""
    sets = with_contents(CriteriaSet.objects.filter(code=code))
    found = sets.filter(version=version).first() if version else current_of(sets)
    if found is None:
        raise NotVisible("no such criteria set")
    return found


def current_of(sets: QuerySet[CriteriaSet]) -> CriteriaSet | None:
    """The newest round's latest revision that is not superseded, preferring published ones."""
    live = sets.exclude(status=SetStatus.SUPERSEDED)
    return (
        live.filter(status=SetStatus.PUBLISHED).order_by("-year", "-revision").first()
        or live.order_by("-year", "-revision").first()
        or sets.order_by("-year", "-revision").first()
    )


def get_set_by_pk(pk: int) -> CriteriaSet:
    found = with_contents(CriteriaSet.objects.filter(pk=pk)).first()
    if found is None:
        raise NotVisible("no such criteria set")
    return found


def versions_of(code: str) -> QuerySet[CriteriaSet]:
    return CriteriaSet.objects.filter(code=code).order_by("-year", "-revision")


def latest_revision(*, code: str, year: int) -> CriteriaSet | None:
    return CriteriaSet.objects.filter(code=code, year=year).order_by("-revision").first()


def sets_for_kind(*, kind: str, year: int | None = None) -> list[CriteriaSet]:
    """Current (not superseded) sets applying to a unit kind, e.g. for choosing one to assess."""
    sets = CriteriaSet.objects.exclude(status=SetStatus.SUPERSEDED).order_by("code", "year")
    if year is not None:
        sets = sets.filter(year=year)
    # JSON "contains" is not portable to SQLite for lists; the table is small.
    return [s for s in sets if kind in s.applies_to_kinds]


def sets_for_unit(unit: OrgUnit, *, year: int | None = None) -> list[CriteriaSet]:
    """Current (not superseded) sets applying to `unit`: THE place that decides which sets a unit
    is offered and evaluated under. A set applies when its kinds hold the unit's kind and it is
    national (no owner) or the unit lies within its owner or the owner's successor (old Bắc Giang's
    set applies in today's Bắc Ninh too). At most three queries."""
    sets = sets_for_kind(kind=unit.kind, year=year)
    allowed = _owners_reaching(unit, {s.owner_id for s in sets if s.owner_id is not None})
    return [s for s in sets if s.owner_id is None or s.owner_id in allowed]


def set_applies_to_unit(*, criteria_set: CriteriaSet, unit: OrgUnit) -> bool:
    """Whether `criteria_set` (any revision) may be used for `unit`; see `sets_for_unit`."""
    if unit.kind not in (criteria_set.applies_to_kinds or []):
        return False
    owner_id = criteria_set.owner_id
    return owner_id is None or owner_id in _owners_reaching(unit, {owner_id})


def _owners_reaching(unit: OrgUnit, owner_ids: set[int]) -> set[int]:
    """Those of `owner_ids` that are, or were succeeded by, one of the unit's `Reach` ancestors."""
    if not owner_ids:
        return set()
    ancestors = Reach.objects.filter(unit=unit).values("ancestor_id")
    direct = set(
        Reach.objects.filter(unit=unit, ancestor_id__in=owner_ids).values_list(
            "ancestor_id", flat=True
        )
    )
    through_successor = set(
        Lineage.objects.filter(
            predecessor_id__in=owner_ids - direct, successor_id__in=ancestors
        ).values_list("predecessor_id", flat=True)
    )
    return direct | through_successor


def owner_unit(owner: OwnerSpec | None) -> OrgUnit | None:
    """The unit an owner spec names; raise `tree.UnitNotFound` when no unit carried that code."""
    if owner is None:
        return None
    return tree.unit_by_code(units=OrgUnit.objects.all(), code=owner.code, as_of=owner.as_of)


def owner_spec_of(unit: OrgUnit | None, *, document_date: dt.date | None) -> OwnerSpec | None:
    """The owner as written to YAML: dated on the document's date when the unit existed then
    (as the catalogue writes it), else on a fixed day of its life, so exports read back the same."""
    if unit is None:
        return None
    if document_date is not None and unit.exists_on(document_date):
        as_of = document_date
    else:
        as_of = unit.valid_from or unit.valid_to or document_date or dt.date(2000, 1, 1)
    return OwnerSpec(code=unit.code, as_of=as_of)


def child_set_for_kind(criterion: Criterion, kind: str) -> str | None:
    """Which of a child-coverage criterion's sets recognises children of `kind` (one query)."""
    codes = criterion.child_set_codes
    if len(codes) == 1:
        return codes[0]
    for code, kinds in (
        CriteriaSet.objects.filter(code__in=codes)
        .order_by("code", "-year", "-revision")
        .values_list("code", "applies_to_kinds")
    ):
        if kind in kinds:
            return code
    return None


def spec_of(criteria_set: CriteriaSet) -> SetSpec:
    """The set as plain data (groups and criteria from the prefetch when there is one)."""
    groups = sorted(criteria_set.groups.all(), key=lambda g: (g.order, g.pk))
    group_codes = {g.pk: g.code for g in groups}
    criteria = sorted(criteria_set.criteria.all(), key=lambda c: (c.order, c.pk))
    return SetSpec(
        code=criteria_set.code,
        year=criteria_set.year,
        revision=criteria_set.revision,
        title=criteria_set.title,
        document_number=criteria_set.document_number,
        document_date=criteria_set.document_date,
        document_body=criteria_set.document_body,
        applies_to_kinds=tuple(criteria_set.applies_to_kinds),
        owner=owner_spec_of(criteria_set.owner, document_date=criteria_set.document_date),
        period_start_day=criteria_set.period_start_day,
        period_start_month=criteria_set.period_start_month,
        period_months=criteria_set.period_months,
        outcome_rule=criteria_set.outcome_rule,
        min_met=criteria_set.min_met,
        grade_bands=tuple(
            GradeBandSpec(
                name=band["name"],
                min_points=Decimal(str(band["min_points"])),
                passing=band.get("passing", True),
            )
            for band in criteria_set.grade_bands
        ),
        reconstructed=criteria_set.reconstructed,
        source_note=criteria_set.source_note,
        groups=tuple(GroupSpec(code=g.code, title=g.title) for g in groups),
        criteria=tuple(
            CriterionSpec(
                code=c.code,
                title=c.title,
                kind=c.kind,
                guidance=c.guidance,
                evidence_required=c.evidence_required,
                points=c.points,
                expression=c.expression,
                child_kinds=tuple(c.child_kinds),
                child_sets=tuple(c.child_set_codes),
                child_min_share=c.child_min_share,
                group=group_codes.get(c.group_id),
                key=c.pk,
            )
            for c in criteria
        ),
    )
