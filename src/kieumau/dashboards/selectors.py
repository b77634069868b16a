"""The figures of a dashboard: one function per figure, used by the page, its chart tables, the
API and (later) the reports. Every function takes the user and reads through scope.

`scorecard` is the heart: the communes under a unit on a date to which a criteria set applies,
each with its standing in the round that ends in that date's year (see `standings`) and how many
criteria it met; and the criteria most often unmet. It reads what the assessment services store (stage, result,
each criterion's status, recognition) — live rows, no rebuilt copy — in a fixed number of
queries whatever the number of communes: approving an assessment shows on the next page load.

The tree and the round are those of `as_of`; stages are as recorded now (a past date shows how
that round stands today, on the tree of that date).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.utils.translation import gettext as _

from kieumau.accounts import scope
from kieumau.assessments.models import Assessment, CriterionJudgement
from kieumau.assessments.standing import UnknownSet
from kieumau.core.sql import id_set_sql
from kieumau.criteria.models import CriteriaSet, Criterion, SetStatus
from kieumau.dashboards import standings
from kieumau.dashboards.standings import ORDER, Standing
from kieumau.orgunits import tree
from kieumau.orgunits.models import Kind, Level, Lineage, OrgUnit, Placement, Reach, valid_on

COMMUNE_KINDS = (Kind.XA, Kind.PHUONG, Kind.THI_TRAN, Kind.DAC_KHU)


# --- which criteria set ----------------------------------------------------------------------------


def set_choices() -> list[tuple[str, str]]:
    """(code, title) of every set that applies to communes, for the page's picker."""
    found: dict[str, str] = {}
    for item in CriteriaSet.objects.exclude(status=SetStatus.DRAFT).order_by(
        "code", "-year", "-revision"
    ):
        if item.code not in found and _applies_to_communes(item):
            found[item.code] = item.title
    return sorted(found.items())


def _applies_to_communes(criteria_set: CriteriaSet) -> bool:
    return any(kind in COMMUNE_KINDS for kind in criteria_set.applies_to_kinds or [])


def version_for(*, set_code: str, year: int) -> CriteriaSet:
    """The version in force in `year`: the latest revision of the latest round up to `year`, or
    the earliest round when all are later. `UnknownSet` (404) when there is no such set."""
    versions = CriteriaSet.objects.filter(code=set_code).exclude(status=SetStatus.DRAFT)
    found = versions.filter(year__lte=year).order_by("-year", "-revision").first()
    found = found or versions.order_by("year", "-revision").first()
    if found is None or not _applies_to_communes(found):
        raise UnknownSet(_("Không có bộ tiêu chí “%(set)s” áp dụng cho xã, phường.") % {"set": set_code})
    return found


def default_set_code(user, *, unit: OrgUnit, as_of: dt.date) -> str | None:
    """The set that applies: the one most assessed in the round among the unit's communes; else
    KIEUMAU_DASHBOARD_SET (the model-ward set) if it applies there; else the first that does."""
    choices = [code for code, _title in set_choices()]
    if not choices:
        return None
    assessed = (
        Assessment.objects.visible_to(user)
        .filter(unit_id__in=_commune_placements(user, unit=unit, as_of=as_of).values("unit_id"))
        .filter(period_end__year=as_of.year, set_code__in=choices)
        .values("set_code")
        .annotate(n=Count("pk"))
        .order_by("-n", "set_code")
        .first()
    )
    if assessed:
        return assessed["set_code"]
    preferred = settings.DASHBOARD_DEFAULT_SET
    if unit.level == Level.COMMUNE:
        fitting = [c for c in choices if unit.kind in version_for(set_code=c, year=as_of.year)
                   .applies_to_kinds]
        return preferred if preferred in fitting else (fitting[0] if fitting else choices[0])
    return preferred if preferred in choices else choices[0]


# --- the communes and their standing ---------------------------------------------------------------


# Not frozen: a frozen dataclass sets each field through object.__setattr__, which made building
# the national dashboard's 3,321 rows cost 7 ms instead of 2 (bench_dashboard). Nothing changes
# a row once built.
@dataclass(slots=True, eq=False)
class CommuneRow:
    pk: int
    standing: Standing
    assessment_id: int | None = None  # the assessment of the round it stands by
    code: str = ""  # code … total: only when the scorecard is read with detail (the page)
    name: str = ""
    kind: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    path: str = ""
    met: int | None = None
    total: int | None = None

    @property
    def police_name(self) -> str:
        return OrgUnit(name=self.name, level=Level.COMMUNE).police_name

    @property
    def progress(self) -> str:
        return f"{self.met}/{self.total}" if self.total else ""

    def a_day_it_existed(self) -> dt.date:
        return OrgUnit(valid_from=self.valid_from, valid_to=self.valid_to).a_day_it_existed()


@dataclass(frozen=True, slots=True)
class CriterionCount:
    code: str
    title: str
    unmet: int


@dataclass
class Scorecard:
    unit: OrgUnit
    as_of: dt.date
    criteria_set: CriteriaSet
    period_start: dt.date
    period_end: dt.date
    by_standing: dict[str, int]  # every commune counted once, the standings in ORDER
    criteria: list[CriterionCount]
    communes: list[CommuneRow]  # the communes themselves: only when read with detail (pages)
    by_child: dict[int, Counter] = field(default_factory=dict)

    @property
    def commune_count(self) -> int:
        return sum(self.by_standing.values())

    @property
    def met_title(self) -> int:
        """Recognised or qualifying: the "16" of "16/22 wards"."""
        counts = self.by_standing
        return counts[Standing.RECOGNISED] + counts[Standing.QUALIFIES]

    @property
    def most_unmet(self) -> list[CriterionCount]:
        return [row for row in self.criteria if row.unmet][:10]


def round_of(criteria_set: CriteriaSet, as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The set's period that ends in `as_of`'s year (the round of that year)."""
    try:
        return criteria_set.period_ending_in(as_of.year)
    except ValueError:
        found = criteria_set.period_containing(as_of)
        if found is None:
            raise UnknownSet(
                _("Bộ tiêu chí “%(set)s” không có kỳ đánh giá nào trong năm %(year)s.")
                % {"set": criteria_set.code, "year": as_of.year}
            ) from None
        return found


def _commune_placements(user, *, unit: OrgUnit, as_of: dt.date, criteria_set=None):
    """Placements on `as_of` of the commune-level units under `unit` (or `unit` itself when it is
    a commune) that the user may see, of the kinds the set applies to."""
    placement = tree.placement_on(unit, as_of)
    if placement is None:
        return Placement.objects.none()
    placed = Placement.objects.filter(
        valid_on(as_of),
        valid_on(as_of, "unit__"),
        scope.visible(user, "unit"),
        path__startswith=placement.path,
        unit__level=Level.COMMUNE,
    )
    if criteria_set is not None:
        placed = placed.filter(unit__kind__in=list(criteria_set.applies_to_kinds or []))
        owners = _owners(criteria_set)
        if owners:
            placed = placed.filter(
                unit_id__in=Reach.objects.filter(ancestor_id__in=owners).values("unit_id")
            )
    return placed


def _owners(criteria_set: CriteriaSet) -> list[int]:
    """A province's own set applies within it or its successor: their ids; none for a set of
    the ministry, which applies everywhere."""
    if criteria_set.owner_id is None:
        return []
    successors = Lineage.objects.filter(predecessor_id=criteria_set.owner_id)
    return [criteria_set.owner_id, *successors.values_list("successor_id", flat=True)]


STANDINGS = {standing.value: standing for standing in Standing}
DETAIL = "u.code, u.name, u.kind, u.valid_from, u.valid_to, p.path, a.met_count, a.total_count"
# The communes of `_commune_placements` with their assessments of the round, written by hand:
# built with the ORM (a FilteredRelation, the standing's Case, scope's join), this query and the
# unmet criteria's cost more Python time than the database took to run them, and a province's
# dashboard API took 2.3 times the raw SQL (bench_dashboard; now about 1.7). A commune with two
# assessments in the round (a revision moved the period) comes twice: the latest, first, is the
# one it stands by.
COMMUNES_IN_ROUND = """
SELECT u.id, {standing}, a.id{detail}
FROM {placement} p
JOIN {unit} u ON u.id = p.unit_id
LEFT JOIN {assessment} a ON a.unit_id = u.id AND a.set_code = %s
  AND a.period_end >= %s AND a.period_end <= %s
WHERE (p.valid_from IS NULL OR p.valid_from <= %s) AND (p.valid_to IS NULL OR p.valid_to >= %s)
  AND (u.valid_from IS NULL OR u.valid_from <= %s) AND (u.valid_to IS NULL OR u.valid_to >= %s)
  AND p.path {startswith} AND u.level = %s AND u.kind IN ({kinds}) AND {visible}{owned}
ORDER BY {order}u.id, a.period_end DESC, a.id DESC
"""


def _communes_in_round(
    user, *, unit: OrgUnit, as_of: dt.date, criteria_set: CriteriaSet,
    start: dt.date, end: dt.date, detail: bool,
) -> list[tuple]:
    """The rows of `COMMUNES_IN_ROUND`: (commune id, standing, assessment id or None, and with
    `detail` the columns of `DETAIL`). The communes are those of `_commune_placements` (a test
    holds the two spellings to the same units)."""
    placement = tree.placement_on(unit, as_of)
    kinds = list(criteria_set.applies_to_kinds or [])
    if placement is None or not kinds:
        return []
    visible, visible_params = scope.visible_sql(user, "u.id")
    owned, owners = "", _owners(criteria_set)
    if owners:
        owned = (f" AND u.id IN (SELECT unit_id FROM {_table(Reach)}"
                 f" WHERE ancestor_id IN ({', '.join(['%s'] * len(owners))}))")
    sql = COMMUNES_IN_ROUND.format(
        standing=standings.case_sql("a"),
        detail=f", {DETAIL}" if detail else "",
        placement=_table(Placement), unit=_table(OrgUnit), assessment=_table(Assessment),
        startswith=connection.operators["startswith"],
        kinds=", ".join(["%s"] * len(kinds)),
        visible=visible, owned=owned,
        order="u.name, u.code, " if detail else "",
    )
    params = [
        criteria_set.code, start, end, *[as_of] * 4,
        connection.ops.prep_for_like_query(placement.path) + "%", Level.COMMUNE.value, *kinds,
        *visible_params, *owners,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def scorecard(
    user, *, unit: OrgUnit, as_of: dt.date, criteria_set: CriteriaSet, detail: bool = True
) -> Scorecard:
    """Every commune of the dashboard with its standing, and the criteria most often unmet.
    Three queries (four for a province's own set), whatever the number of communes. Without
    `detail` (the API), only the counts are kept (`by_standing`, `criteria`), not a row per
    commune: they are the same, computed from the same rows, by the same rule.

    The communes are found once, through scope, joined to their assessments of the round in the
    same query (`_communes_in_round`); the unmet judgements are then read by the ids of the
    assessments the communes stand by, rather than by finding the communes again."""
    start, end = round_of(criteria_set, as_of)
    rows = _communes_in_round(user, unit=unit, as_of=as_of, criteria_set=criteria_set,
                              start=start, end=end, detail=detail)
    counts = {standing.value: 0 for standing in ORDER}
    communes, assessment_ids, previous = [], [], None
    for pk, standing, assessment_id, *described in rows:
        if pk == previous:  # the commune's rows come together (the ordering): its latest first
            continue
        previous = pk
        counts[standing] += 1
        if assessment_id is not None:
            assessment_ids.append(assessment_id)
        if detail:
            communes.append(CommuneRow(pk, STANDINGS[standing], assessment_id, *described))
    return Scorecard(
        unit=unit,
        as_of=as_of,
        criteria_set=criteria_set,
        period_start=start,
        period_end=end,
        by_standing=counts,
        criteria=_criteria_unmet(criteria_set=criteria_set, assessment_ids=assessment_ids),
        communes=communes,
    )


# Each criterion of the version, by code, with the judgements "not met" among the assessments
# given (an assessment under another version of the set counts for the criterion of the same code).
CRITERIA_UNMET = """
SELECT k.code, k.title, COALESCE(unmet.n, 0)
FROM {criterion} k LEFT JOIN (
  SELECT judged.code, COUNT(*) AS n FROM {judgement} j JOIN {criterion} judged ON judged.id = j.criterion_id
  WHERE j.assessment_id IN ({ids}) AND j.computed_status = %s
  GROUP BY judged.code
) unmet ON unmet.code = k.code
WHERE k.criteria_set_id = %s
ORDER BY k.{order}, k.id
"""


def _criteria_unmet(*, criteria_set: CriteriaSet, assessment_ids: list[int]) -> list[CriterionCount]:
    """Each criterion of the version, with the number of communes whose assessment of the round
    (`assessment_ids`: the one each commune stands by, found in scope) has it not met, by
    criterion code (an assessment under another version of the set counts for the criterion of
    the same code); most often unmet first. One assessment per commune, one judgement per
    criterion: the judgements counted are communes."""
    ids, ids_params = id_set_sql(assessment_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            CRITERIA_UNMET.format(criterion=_table(Criterion), judgement=_table(CriterionJudgement),
                                  ids=ids, order=connection.ops.quote_name("order")),
            [*ids_params, CriterionJudgement.Computed.NOT_MET.value, criteria_set.pk],
        )
        rows = [CriterionCount(code, title, unmet) for code, title, unmet in cursor.fetchall()]
    return sorted(rows, key=lambda row: -row.unmet)  # stable: the set's order among equals


# --- drill-down --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChildRow:
    unit: OrgUnit
    by_standing: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_standing.values())

    @property
    def met_title(self) -> int:
        return self.by_standing[Standing.RECOGNISED] + self.by_standing[Standing.QUALIFIES]


def children_rows(user, *, card: Scorecard) -> list[ChildRow]:
    """The units right under the dashboard's unit on its date, each with the standings of the
    communes under it (read off the communes' paths: one query for the children's names)."""
    placement = tree.placement_on(card.unit, card.as_of)
    if placement is None or card.unit.level == Level.COMMUNE:
        return []
    depth = len(placement.path.strip("/").split("/"))
    counts: dict[int, Counter] = defaultdict(Counter)
    for row in card.communes:
        ids = row.path.strip("/").split("/")
        if len(ids) > depth:
            counts[int(ids[depth])][row.standing] += 1
    children = tree.children(units=scope.visible_units(user), parent=card.unit, day=card.as_of)
    result = []
    for child in children.order_by("name_folded", "code"):
        counted = counts.get(child.pk, Counter())
        if child.level == Level.COMMUNE and child.pk not in counts:
            continue  # a commune the set does not apply to
        result.append(ChildRow(child, {s.value: counted.get(s, 0) for s in ORDER}))
    return [row for row in result if row.total]


# --- figures owned by the leaders' layer (programs, inspections): their selectors, used as is ---


def overdue_recommendations(user, *, unit: OrgUnit, as_of: dt.date) -> list:
    """Recommendations of inspections to units under `unit`, past due and not resolved."""
    from kieumau.inspections.selectors import overdue_recommendations as overdue

    return list(overdue(user, as_of=as_of, unit=unit))


def overdue_count(user, *, unit: OrgUnit, as_of: dt.date) -> int:
    from kieumau.inspections.selectors import overdue_count as count

    return count(user, as_of=as_of, unit=unit)


def lost_criteria(user, *, card: Scorecard) -> list:
    """Units under the dashboard's unit that qualified in a round of its set and did not in a
    later one ("duy trì bền vững"): the programs' selector, narrowed to the dashboard's set."""
    from kieumau.programs.selectors import lost_criteria as lost

    return lost(user, as_of=card.as_of, unit=card.unit, set_code=card.criteria_set.code)


@dataclass(frozen=True, slots=True)
class PlanRoadmap:
    plan: object
    years: list


ROADMAP_PLANS = 5


def roadmaps(user, *, unit: OrgUnit, as_of: dt.date) -> list[PlanRoadmap]:
    """Target against actual per year of the latest plans touching `unit` (programs' roadmap)."""
    from kieumau.programs import selectors as programs

    plans = list(programs.plans_for(user, unit=unit)[:ROADMAP_PLANS])
    return [
        PlanRoadmap(plan, programs.roadmap(user, plan=plan, as_of=as_of))
        for plan in plans
    ]


# --- the whole dashboard ------------------------------------------------------------------------


FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


class BadDate(ValueError):
    """A date outside the years the program can have data for."""


def dashboard(
    user, *, code: str, as_of: dt.date, set_code: str | None = None, detail: bool = True
) -> Scorecard:
    """The unit carrying `code` on `as_of` (404 outside scope), under `set_code` or the set that
    applies there; raises `UnknownSet` (404) for an unknown set, `BadDate` for a date out of range."""
    from kieumau.orgunits.selectors import unit_for

    if not FIRST_DAY <= as_of <= LAST_DAY:
        raise BadDate(
            _("Ngày phải từ %(first)s đến %(last)s.")
            % {"first": f"{FIRST_DAY:%d/%m/%Y}", "last": f"{LAST_DAY:%d/%m/%Y}"}
        )
    unit = unit_for(user, code=code, as_of=as_of)
    set_code = (set_code or "").strip() or default_set_code(user, unit=unit, as_of=as_of)
    if not set_code:
        raise UnknownSet(_("Chưa có bộ tiêu chí nào áp dụng cho xã, phường."))
    criteria_set = version_for(set_code=set_code, year=as_of.year)
    return scorecard(user, unit=unit, as_of=as_of, criteria_set=criteria_set, detail=detail)


def as_figures(card: Scorecard, *, overdue: int) -> dict:
    """The dashboard's numbers as the API answers them (and as the page's tests compare them)."""
    return {
        "unit": card.unit.code,
        "as_of": card.as_of.isoformat(),
        "set": card.criteria_set.code,
        "version": card.criteria_set.version,
        "communes": card.commune_count,
        "by_standing": card.by_standing,
        "criteria": [
            {"code": row.code, "title": row.title, "unmet": row.unmet} for row in card.criteria
        ],
        "overdue_recommendations": overdue,
    }


# --- the map ------------------------------------------------------------------------------------


def commune_map(card: Scorecard):
    """The communes of the scorecard as points (`geo.Frame`, each point's key its `CommuneRow`),
    with the provinces' names when the map is national; communes with no known place are left
    out and counted in `missing`."""
    from kieumau.dashboards import geo

    placed, missing = [], 0
    for row in card.communes:
        place = geo.place_of(code=row.code, valid_to=row.valid_to)
        if place is None:
            missing += 1
        else:
            placed.append((row, place))
    labels = []
    if card.unit.level == Level.MINISTRY and card.as_of >= geo.NEW_TREE:
        labels = [(name, place) for name, place in geo.province_places().values()]
    return geo.project(placed, labels=labels), missing

