"""Loading criteria sets from YAML (the catalogue shipped in the package, or an exported file).

Idempotent: a set already in the database with the same content is left alone. A set whose
content differs (an admin edited it in the app, or the file was corrected) is reported and kept
unless `update` is asked for, which applies the file through the normal edit service (in place,
or as a new revision when the set is in use).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from kieumau.core import audit
from kieumau.criteria import selectors, services
from kieumau.criteria.models import CriteriaSet, SetStatus
from kieumau.criteria.spec import SetSpec, SpecError, load_yaml
from kieumau.criteria.validation import InvalidSet, Problem, clean, problems_of

CATALOG_DIR = Path(__file__).resolve().parent / "catalog"


class IndicatorCatalogueUnavailable(RuntimeError):
    pass


def ensure_indicator_catalogue():
    """Load the indicator catalogue (idempotent): rules are checked against it."""
    try:
        from kieumau.indicators.services import load_indicators
    except ImportError as error:
        raise IndicatorCatalogueUnavailable(
            _(
                "Không nạp được danh mục chỉ số (kieumau.indicators.services.load_indicators chưa "
                "có: %(error)s); biểu thức của tiêu chí cần danh mục này."
            )
            % {"error": error}
        ) from error
    return load_indicators()


@dataclass(frozen=True)
class Loaded:
    code: str
    version: str
    action: str  # created | unchanged | differs | updated | revised


def read_catalog(directory: Path = CATALOG_DIR) -> list[SetSpec]:
    return read_files(sorted(directory.glob("*.yaml")))


def read_files(paths: Sequence[Path]) -> list[SetSpec]:
    """Parse every file; raise InvalidSet naming the file and key of every shape problem."""
    specs, problems = [], []
    for path in paths:
        try:
            specs.append(load_yaml(path.read_text(encoding="utf-8")))
        except SpecError as error:
            problems += [
                Problem(key, f"{path.name}: {key}: {message}") for key, message in error.errors
            ]
    if problems:
        raise InvalidSet(problems)
    return specs


@transaction.atomic
def load_specs(*, specs: Sequence[SetSpec], actor=None, update: bool = False) -> list[Loaded]:
    """Check every spec first (all or nothing), then create what is missing."""
    known = selectors.indicator_codes()
    set_codes = set(CriteriaSet.objects.values_list("code", flat=True)) | {s.code for s in specs}
    problems: list[Problem] = []
    cleaned: list[SetSpec] = []
    seen: set[tuple[str, str]] = set()
    for spec in specs:
        spec, owner_problems = services.with_owner_resolved(clean(spec))
        label = f"{spec.code} {spec.version}"
        problems += [Problem(p.field, f"{label}: {p.message}") for p in owner_problems]
        if (spec.code, spec.version) in seen:
            problems.append(
                Problem("version", _("%(set)s có hai lần trong tệp nạp.") % {"set": label})
            )
        seen.add((spec.code, spec.version))
        problems += [
            Problem(p.field, f"{label}: {p.message}", p.criterion)
            for p in problems_of(spec, known_indicators=known, set_codes=set_codes)
        ]
        cleaned.append(spec)
    if problems:
        raise InvalidSet(problems)
    return [
        _load_one(spec, actor=actor, update=update)
        for spec in sorted(cleaned, key=lambda s: (s.code, s.year, s.revision))
    ]


def _load_one(spec: SetSpec, *, actor, update: bool) -> Loaded:
    existing = CriteriaSet.objects.filter(code=spec.code, version=spec.version).first()
    if existing is None:
        previous = (
            CriteriaSet.objects.filter(code=spec.code, year=spec.year, revision__lt=spec.revision)
            .order_by("-revision")
            .first()
        )
        created = services.write_new(
            spec, actor=actor, status=SetStatus.PUBLISHED, supersedes=previous
        )
        if previous is not None and previous.status != SetStatus.SUPERSEDED:
            previous.status = SetStatus.SUPERSEDED
            previous.save(update_fields=["status"])
        audit.record(
            actor=actor,
            action="criteria_set.loaded",
            target=created,
            detail={"code": spec.code, "version": spec.version},
        )
        return Loaded(spec.code, spec.version, "created")
    before = selectors.spec_of(selectors.get_set_by_pk(existing.pk))
    if before == spec:
        return Loaded(spec.code, spec.version, "unchanged")
    if before.owner is None and before.replace(owner=spec.owner) == spec:
        # Loaded before sets had owners: narrowing a set to its own province changes no
        # assessed content, so it is applied even without `update` (and to a set in use).
        existing.owner = selectors.owner_unit(spec.owner)
        existing.save(update_fields=["owner"])
        audit.record(
            actor=actor,
            action="criteria_set.owner_set",
            target=existing,
            detail={"code": spec.code, "version": spec.version, "owner": existing.owner.code},
        )
        return Loaded(spec.code, spec.version, "updated")
    if not update or existing.status == SetStatus.SUPERSEDED:
        return Loaded(spec.code, spec.version, "differs")
    saved = services.save_set(actor=actor, criteria_set=existing, spec=spec)
    action = "updated" if saved.pk == existing.pk else "revised"
    return Loaded(spec.code, saved.version, action)


def load_catalog(
    *, actor=None, update: bool = False, directory: Path = CATALOG_DIR
) -> list[Loaded]:
    return load_specs(specs=read_catalog(directory), actor=actor, update=update)
