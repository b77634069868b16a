"""Evaluating a criteria set for many units at once: a status per criterion, an explanation that
shows the numbers, the distance to the threshold, and the outcome ("21/22 tiêu chí — chưa đạt").

Bulk by design (every commune of the country for one period in well under two seconds): the
rules are compiled once; every indicator value any rule needs is fetched for all units together,
one `aggregate_period` call per (years back, forced aggregation); child coverage costs two
queries. Nothing here runs a query per unit, so the number of queries does not grow with them.

History rolls up. A unit that did not exist during the (shifted) period it is compared with —
phường Thái Hòa, formed on 2025-07-01, against the same period of 2024 — takes for that period
the total of the units it was formed from (`Lineage`, followed back as far as needed). Only a
sum can be rolled up honestly: averages, latest values and a split ward's share come out as
"no data" with the reason, never as a wrong number.

Child coverage (Thông tư 124/2021): the children of the unit on the period's last day whose kind
is listed, and how many of them are recognised. A child counts as recognised when it has an
assessment at stage "recognised" under one of the criterion's child sets whose period ENDS within
the parent's period (start ≤ child end ≤ end): the child's own yearly round that closed during
the parent's round (residential areas run 01/11–31/10 inside the commune's 16/11–15/11).

Manual criteria are "manual" until someone judges them; the reviewer's judgement wins over the
commune's own.

Explanations are rendered when first read: building the Vietnamese text costs several times
more than the evaluation itself, and bulk callers (a national table) read only the statuses.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from django.db.models import Q
from django.utils.translation import gettext as _

from kieumau.criteria import rules
from kieumau.criteria.models import CriteriaSet, Criterion, CriterionKind
from kieumau.criteria.outcome import CriterionResult, OutcomeResult, OutcomeRule, compute_outcome
from kieumau.criteria.periods import add_months
from kieumau.orgunits.models import Kind, Lineage, OrgUnit, Placement, valid_on

Status = Literal["met", "not_met", "no_data", "manual"]
RECOGNISED = "recognised"


@dataclass(frozen=True, slots=True, kw_only=True)
class ManualJudgement:
    """A person's judgement of a manual criterion, with who gave it and their comment."""

    status: str  # "met" | "not_met"
    comment: str = ""
    by_reviewer: bool = False


class CriterionEvaluation:
    """One criterion for one unit. `explanation` and `distance` are rendered on first access."""

    __slots__ = ("criterion", "status", "_explanation", "_distance", "_render")

    def __init__(
        self,
        criterion: Criterion,
        status: Status,
        explanation: str | None = None,
        distance: str | None = None,
        *,
        render: Callable[[], tuple[str, str | None]] | None = None,
    ) -> None:
        self.criterion, self.status = criterion, status
        self._explanation, self._distance, self._render = explanation, distance, render

    def _rendered(self) -> None:
        if self._render is not None:
            self._explanation, self._distance = self._render()
            self._render = None

    @property
    def explanation(self) -> str:
        self._rendered()
        return self._explanation or ""

    @property
    def distance(self) -> str | None:
        self._rendered()
        return self._distance

    def __repr__(self) -> str:
        return f"<CriterionEvaluation {self.criterion.code} {self.status}>"


@dataclass(frozen=True, slots=True)
class SetEvaluation:
    unit_id: int
    results: list[CriterionEvaluation]
    outcome: OutcomeResult

    def by_criterion_id(self) -> dict[int, CriterionEvaluation]:
        return {result.criterion.pk: result for result in self.results}


def status_word(status: str) -> str:
    return {
        "met": _("Đạt"),
        "not_met": _("Chưa đạt"),
        "no_data": _("Chưa đủ số liệu"),
        "manual": _("Chờ đánh giá"),
    }[status]


# --- the entry points -----------------------------------------------------------------------------


def evaluate_set(
    *,
    criteria_set: CriteriaSet,
    unit_ids: Sequence[int],
    period_start: dt.date,
    period_end: dt.date,
    manual: Mapping[tuple[int, int], str | ManualJudgement] | None = None,
) -> dict[int, SetEvaluation]:
    """Every criterion of `criteria_set` for every unit of `unit_ids` over the period (both days
    inclusive). `manual[(unit_id, criterion_id)]` is "met"/"not_met" or a `ManualJudgement`.
    Unscoped: the caller has already narrowed `unit_ids` to what its user may see."""
    unit_ids = list(dict.fromkeys(unit_ids))
    criteria = sorted(criteria_set.criteria.all(), key=lambda c: (c.order, c.pk))
    catalogue = _catalogue()
    rule_of = _compile(criteria, catalogue)
    values = _IndicatorValues.fetch(
        unit_ids=unit_ids,
        compiled=list(rule_of.values()),
        catalogue=catalogue,
        start=period_start,
        end=period_end,
    )
    coverage = _ChildCoverage.fetch(
        criteria=[c for c in criteria if c.kind == CriterionKind.CHILD_COVERAGE],
        unit_ids=unit_ids,
        start=period_start,
        end=period_end,
    )
    evaluators = [
        _rule_evaluator(c, rule_of[c.pk], catalogue)
        if c.kind == CriterionKind.INDICATOR_RULE
        else coverage.evaluator(c)
        if c.kind == CriterionKind.CHILD_COVERAGE
        else _manual_evaluator(c, manual or {})
        for c in criteria
    ]
    outcome_of = _OutcomeCache(criteria_set=criteria_set, criteria=criteria)
    evaluations = {}
    for unit_id in unit_ids:
        source = values.source(unit_id)
        results = [evaluate(unit_id, source) for evaluate in evaluators]
        evaluations[unit_id] = SetEvaluation(
            unit_id=unit_id, results=results, outcome=outcome_of(results)
        )
    return evaluations


class _OutcomeCache:
    """The outcome depends only on the statuses: units with the same statuses share it."""

    def __init__(self, *, criteria_set: CriteriaSet, criteria: Sequence[Criterion]) -> None:
        self.rule = OutcomeRule.of(criteria_set)
        self.points = [c.points for c in criteria]
        self.known: dict[tuple[str, ...], OutcomeResult] = {}

    def __call__(self, results: Sequence[CriterionEvaluation]) -> OutcomeResult:
        key = tuple(r.status for r in results)
        found = self.known.get(key)
        if found is None:
            found = self.known[key] = compute_outcome(
                rule=self.rule,
                results=[
                    CriterionResult(status=status, max_points=points)
                    for status, points in zip(key, self.points, strict=True)
                ],
            )
        return found


def manual_from_judgements(judgements) -> dict[tuple[int, int], ManualJudgement]:
    """(unit id, criterion id) → the judgement that counts: the reviewer's, else the commune's.
    `judgements` are CriterionJudgement rows with their assessment loaded (or `assessment_id`
    resolvable through `assessment.unit_id`)."""
    found = {}
    for judgement in judgements:
        unit_id = judgement.assessment.unit_id
        if judgement.review_status in ("met", "not_met"):
            found[(unit_id, judgement.criterion_id)] = ManualJudgement(
                status=judgement.review_status,
                comment=judgement.review_comment,
                by_reviewer=True,
            )
        elif judgement.self_status in ("met", "not_met"):
            found[(unit_id, judgement.criterion_id)] = ManualJudgement(
                status=judgement.self_status,
                comment=judgement.self_comment,
            )
    return found


def evaluate_assessment(assessment) -> SetEvaluation:
    """The assessment's unit over its period, against its own set version, with its judgements."""
    judgements = list(assessment.judgements.all())
    for judgement in judgements:
        judgement.assessment = assessment  # no query per row for assessment.unit_id
    return evaluate_set(
        criteria_set=assessment.criteria_set,
        unit_ids=[assessment.unit_id],
        period_start=assessment.period_start,
        period_end=assessment.period_end,
        manual=manual_from_judgements(judgements),
    )[assessment.unit_id]


def values_read(assessment) -> list[tuple[list[int], dt.date, dt.date]]:
    """Which indicator values evaluating `assessment` reads: (unit ids, first day, last day) per
    period looked at — its own period, the same period of earlier years for prev_year(), each
    with the former units whose figures roll up into it. For locking them on approval."""
    criteria = list(assessment.criteria_set.criteria.all())
    catalogue = _catalogue()
    compiled = [r for r in _compile(criteria, catalogue).values() if isinstance(r, rules.Rule)]
    years = sorted({y for rule in compiled for _code, _agg, y in rule.references} | {0})
    start, end = assessment.period_start, assessment.period_end
    rollups = _plan_rollups(unit_ids=[assessment.unit_id], years=years, start=start, end=end)
    spans = []
    for years_back in years:
        rollup = rollups.get((assessment.unit_id, years_back))
        ids = [assessment.unit_id, *(rollup.sources if rollup else ())]
        spans.append((ids, _shifted(start, years_back), _shifted(end, years_back)))
    return spans


# --- manual criteria --------------------------------------------------------------------------


def _manual_evaluator(criterion: Criterion, manual: Mapping) -> Callable:
    pending = CriterionEvaluation(
        criterion,
        "manual",
        _("Chờ đánh giá: tiêu chí do đơn vị tự đánh giá và đoàn thẩm định xác nhận."),
    )
    if not manual:
        return lambda unit_id, source: pending
    criterion_id = criterion.pk

    def evaluate(unit_id: int, source) -> CriterionEvaluation:
        judgement = manual.get((unit_id, criterion_id))
        if not judgement:
            return pending
        return _judged(criterion, judgement) or pending

    return evaluate


def _judged(criterion: Criterion, judgement: str | ManualJudgement) -> CriterionEvaluation | None:
    if isinstance(judgement, str):
        judgement = ManualJudgement(status=judgement)
    if judgement.status not in ("met", "not_met"):
        return None
    who = (
        _("theo đánh giá của đoàn thẩm định")
        if judgement.by_reviewer
        else _("theo tự đánh giá của đơn vị")
    )
    text = f"{status_word(judgement.status)} {who}"
    if judgement.comment.strip():
        text += f": {judgement.comment.strip()}"
    return CriterionEvaluation(
        criterion, judgement.status, text + ("" if text.endswith(".") else ".")
    )


# --- indicator rules --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IndicatorInfo:
    name: str
    unit: str
    aggregation: str
    value_type: str


def _catalogue() -> dict[str, IndicatorInfo]:
    from kieumau.indicators.models import Indicator

    rows = Indicator.objects.values_list(
        "code", "name", "unit_of_measure", "aggregation", "value_type"
    )
    return {code: IndicatorInfo(name, unit, agg, vtype) for code, name, unit, agg, vtype in rows}


def _compile(criteria: Sequence[Criterion], catalogue: Mapping[str, IndicatorInfo]) -> dict:
    compiled: dict[int, rules.Rule | rules.RuleError] = {}
    for criterion in criteria:
        if criterion.kind != CriterionKind.INDICATOR_RULE:
            continue
        try:
            compiled[criterion.pk] = criterion.compiled_rule(known_indicators=catalogue.keys())
        except rules.RuleError as error:
            compiled[criterion.pk] = error
    return compiled


def _rule_evaluator(criterion: Criterion, rule, catalogue) -> Callable:
    """Evaluate one rule for unit after unit. Units whose figures are the same get the same
    outcome (and, when nothing was rolled up for them, the same result object): rules over
    flags and steady stock indicators take a handful of distinct inputs across the country."""
    if isinstance(rule, rules.RuleError):
        broken = CriterionEvaluation(
            criterion,
            "no_data",
            _("Chưa đủ số liệu: biểu thức của tiêu chí không hợp lệ (%(error)s).")
            % {"error": rule},
        )
        return lambda unit_id, source: broken
    references = sorted(rule.references, key=lambda r: (r[0], r[1] or "", r[2]))
    years = frozenset(years_back for _code, _aggregation, years_back in references)
    outcomes: dict[tuple, rules.Outcome] = {}
    shared: dict[tuple, CriterionEvaluation] = {}

    def evaluate(unit_id: int, source: _UnitSource) -> CriterionEvaluation:
        key = tuple(source.value(code=c, aggregation=a, years_back=y) for c, a, y in references)
        rolled = source.rolls_up(years)
        if not rolled and key in shared:
            return shared[key]
        outcome = outcomes.get(key)
        if outcome is None:
            outcome = outcomes[key] = rule.evaluate(source)
        notes = source.notes_for(outcome) if rolled else _NO_NOTES
        result = CriterionEvaluation(
            criterion,
            outcome.status,
            render=lambda: _explain_rule(
                outcome=outcome, expr=rule.expr, notes=notes, catalogue=catalogue
            ),
        )
        if not rolled:
            shared[key] = result
        return result

    return evaluate


def _explain_rule(
    *, outcome: rules.Outcome, expr: rules.Expr, notes: _Notes, catalogue
) -> tuple[str, str | None]:
    names = {code: info.name for code, info in catalogue.items()}
    # "98 ≥ 100" under "Chưa đạt" reads as a contradiction: show the relation that holds.
    shown = dataclasses.replace(
        outcome,
        comparisons=tuple(
            dataclasses.replace(c, op=_NEGATED[c.op]) if c.holds is False else c
            for c in outcome.comparisons
        ),
    )
    words = {
        "year_back": _("năm trước"),
        "years_back": _("{n} năm trước"),
        "no_data": _("chưa có số liệu"),
    }
    text = f"{status_word(outcome.status)}: {rules.explain(shown, names=names, words=words)}."
    if outcome.status == "no_data":
        text += " " + _no_data_reason(outcome, notes=notes, catalogue=catalogue)
    if notes.rolled_up:
        text += " " + _rolled_up_note(notes.rolled_up)
    distance = (
        distance_to_threshold(outcome, expr=expr, catalogue=catalogue)
        if outcome.status == "not_met"
        else None
    )
    return text, distance


def _no_data_reason(outcome: rules.Outcome, *, notes: _Notes, catalogue) -> str:
    reasons: list[str] = []
    for term in outcome.terms:
        if term.value is not None:
            continue
        reason = notes.blocked.get((term.code, term.years_back))
        if reason is None:
            name = catalogue[term.code].name if term.code in catalogue else term.code
            reason = _("Chưa có số liệu “%(name)s” %(when)s.") % {
                "name": name,
                "when": _when(term.years_back),
            }
        if reason not in reasons:
            reasons.append(reason)
    if outcome.reason == "division_by_zero":
        reasons.append(_("Mẫu số bằng 0 trong kỳ (không có việc nào để tính tỷ lệ)."))
    return " ".join(reasons)


def _when(years_back: int) -> str:
    if years_back == 0:
        return _("trong kỳ")
    if years_back == 1:
        return _("trong cùng kỳ năm trước")
    return _("trong cùng kỳ %(n)d năm trước") % {"n": years_back}


def _rolled_up_note(rolled_up: Mapping[int, tuple[str, ...]]) -> str:
    parts = []
    for years_back, names in sorted(rolled_up.items()):
        which = (
            _("kỳ này")
            if years_back == 0
            else (
                _("cùng kỳ năm trước")
                if years_back == 1
                else _("cùng kỳ %(n)d năm trước") % {"n": years_back}
            )
        )
        parts.append(
            _("Số liệu %(which)s là tổng của các đơn vị cũ: %(names)s.")
            % {"which": which, "names": ", ".join(names)}
        )
    return " ".join(parts)


# --- distance to the threshold ------------------------------------------------------------------

_NEGATED = {">=": "<", ">": "<=", "<=": ">", "<": ">=", "==": "!=", "!=": "=="}
_MIRROR = {">=": "<=", ">": "<", "<=": ">=", "<": ">", "==": "==", "!=": "!="}
_INTEGRAL = ("count", "flag")


@lru_cache(maxsize=1024)
def _parsed(text: str) -> rules.Expr:
    return rules.parse(text)


def _simple(expr: rules.Expr) -> bool:
    """A comparison or an `and` of comparisons: each failing one is a gap to close."""
    match expr:
        case rules.Compare():
            return True
        case rules.Logical(op="and", left=left, right=right):
            return _simple(left) and _simple(right)
    return False


def distance_to_threshold(
    outcome: rules.Outcome, *, expr: rules.Expr, catalogue: Mapping[str, IndicatorInfo]
) -> str | None:
    """How far an unmet rule is from its threshold, in the indicator's own unit: "còn thiếu 2
    tin", "cần giảm thêm 3 vụ". For a comparison or an `and` of comparisons; None otherwise.
    Counts move in whole steps: the number given is the least that closes the gap."""
    if not _simple(expr):
        return None
    values = {(t.code, t.aggregation, t.years_back): t.value for t in outcome.terms}
    phrases = [
        _gap(comparison, values=values, catalogue=catalogue)
        for comparison in outcome.comparisons
        if comparison.holds is False
    ]
    return "; ".join(phrase for phrase in phrases if phrase) or None


def _reference(node: rules.Expr) -> tuple[str, str | None] | None:
    if isinstance(node, rules.Indicator):
        return node.code, None
    if isinstance(node, rules.Aggregate):
        return node.code, node.aggregation
    return None


def _gap(comparison: rules.Comparison, *, values, catalogue) -> str | None:
    left, right = _parsed(comparison.left_text), _parsed(comparison.right_text)
    op, current, target = comparison.op, comparison.left_value, comparison.right_value
    if isinstance(left, rules.Number) and not isinstance(right, rules.Number):
        left, right, op, current, target = right, left, _MIRROR[op], target, current
    if current is None or target is None:
        return None
    reference = _reference(left)
    if reference is not None:
        return _gap_of_count(reference, op=op, current=current, target=target, catalogue=catalogue)
    ratio = _ratio(left)
    if ratio is not None:
        numerator, denominator, scale = ratio
        a = values.get((*numerator, 0))
        b = values.get((*denominator, 0))
        if a is not None and b is not None:
            return _gap_of_count(
                numerator, op=op, current=a, target=target * b / scale, catalogue=catalogue
            )
    return _("còn cách ngưỡng %(gap)s (%(current)s so với %(target)s)") % {
        "gap": rules.format_number(abs(target - current)),
        "current": rules.format_number(current),
        "target": rules.format_number(target),
    }


def _ratio(node: rules.Expr):
    """(numerator reference, denominator reference, scale) of a / b or pct(a, b)."""
    if isinstance(node, rules.Binary) and node.op == "/":
        a, b, scale = _reference(node.left), _reference(node.right), Decimal(1)
    elif isinstance(node, rules.Call) and node.function == "pct":
        a, b, scale = _reference(node.args[0]), _reference(node.args[1]), Decimal(100)
    else:
        return None
    return (a, b, scale) if a and b else None


def _gap_of_count(
    reference, *, op: str, current: Decimal, target: Decimal, catalogue
) -> str | None:
    code = reference[0]
    info = catalogue.get(code)
    integral = info is not None and info.value_type in _INTEGRAL
    unit = f" {info.unit}" if info is not None and info.unit else ""
    if info is not None and info.value_type == "flag" and op in (">=", ">", "=="):
        return _("chưa có: %(name)s") % {"name": info.name}
    if op in (">=", ">"):
        needed = target
        if integral:
            needed = (
                target.to_integral_value(rounding="ROUND_CEILING")
                if op == ">="
                else target.to_integral_value(rounding="ROUND_FLOOR") + 1
            )
        if op == ">" and not integral:
            return _("cần lớn hơn %(target)s%(unit)s (hiện %(current)s)") % {
                "target": rules.format_number(target),
                "unit": unit,
                "current": rules.format_number(current),
            }
        return _("còn thiếu %(gap)s%(unit)s") % {
            "gap": rules.format_number(needed - current),
            "unit": unit,
        }
    if op in ("<=", "<"):
        allowed = target
        if integral:
            allowed = (
                target.to_integral_value(rounding="ROUND_FLOOR")
                if op == "<="
                else target.to_integral_value(rounding="ROUND_CEILING") - 1
            )
        if op == "<" and not integral:
            return _("cần nhỏ hơn %(target)s%(unit)s (hiện %(current)s)") % {
                "target": rules.format_number(target),
                "unit": unit,
                "current": rules.format_number(current),
            }
        return _("cần giảm thêm %(gap)s%(unit)s") % {
            "gap": rules.format_number(current - allowed),
            "unit": unit,
        }
    if op == "==":
        return _("cần bằng %(target)s%(unit)s (hiện %(current)s)") % {
            "target": rules.format_number(target),
            "unit": unit,
            "current": rules.format_number(current),
        }
    return None


# --- fetching values, with history rolled up ------------------------------------------------------


def _shifted(day: dt.date, years_back: int) -> dt.date:
    return add_months(day, -12 * years_back) if years_back else day


@dataclass(slots=True)
class _Notes:
    blocked: dict[tuple[str, int], str] = field(default_factory=dict)  # why there is no value
    rolled_up: dict[int, tuple[str, ...]] = field(default_factory=dict)  # years back → names


_NO_NOTES = _Notes()


@dataclass(frozen=True, slots=True)
class _Former:
    pk: int
    name: str
    valid_from: dt.date | None


@dataclass(frozen=True, slots=True)
class _RollUp:
    """Where a unit's figures for one shifted period come from when it began after its start."""

    own: bool  # the unit existed during part of the period, so its own months count too
    sources: tuple[int, ...]  # former units that existed from the period's start
    names: tuple[str, ...]
    partial_from: tuple[str, ...]  # former units only part of which became this one


class _UnitSource:
    """`rules.DataSource` of one unit over values fetched for all units. Rolled-up figures are
    worked out once per reference (several rules read the same ones)."""

    __slots__ = ("unit_id", "values", "_rolled")

    def __init__(self, unit_id: int, values: _IndicatorValues) -> None:
        self.unit_id, self.values = unit_id, values
        self._rolled: dict[tuple, tuple[Decimal | None, str | None, bool]] = {}

    def value(self, *, code: str, aggregation: str | None, years_back: int) -> Decimal | None:
        rollup = self.values.rollups.get((self.unit_id, years_back))
        if rollup is None:
            fetched = self.values.fetched.get((years_back, aggregation), _EMPTY)
            return fetched.get((self.unit_id, code))
        return self._rolled_value(code, aggregation, years_back, rollup)[0]

    def _rolled_value(self, code, aggregation, years_back, rollup):
        key = (code, aggregation, years_back)
        found = self._rolled.get(key)
        if found is None:
            found = self._rolled[key] = self.values.rolled(
                unit_id=self.unit_id,
                rollup=rollup,
                code=code,
                aggregation=aggregation,
                fetched=self.values.fetched.get((years_back, aggregation), _EMPTY),
            )
        return found

    def rolls_up(self, years: frozenset[int]) -> bool:
        rollups = self.values.rollups
        return bool(rollups) and any((self.unit_id, y) in rollups for y in years)

    def notes_for(self, outcome: rules.Outcome) -> _Notes:
        notes = None
        for term in outcome.terms:
            rollup = self.values.rollups.get((self.unit_id, term.years_back))
            if rollup is None:
                continue
            notes = notes or _Notes()
            _value, blocked, summed = self._rolled_value(
                term.code, term.aggregation, term.years_back, rollup
            )
            if blocked:
                notes.blocked[(term.code, term.years_back)] = blocked
            elif summed:
                notes.rolled_up[term.years_back] = rollup.names
        return notes or _NO_NOTES


_EMPTY: Mapping = {}


class _IndicatorValues:
    def __init__(self, *, fetched, rollups, catalogue) -> None:
        self.fetched: dict[tuple[int, str | None], Mapping[tuple[int, str], Decimal]] = fetched
        self.rollups: dict[tuple[int, int], _RollUp] = rollups
        self.catalogue: Mapping[str, IndicatorInfo] = catalogue

    def source(self, unit_id: int) -> _UnitSource:
        return _UnitSource(unit_id, self)

    @classmethod
    def fetch(cls, *, unit_ids, compiled, catalogue, start: dt.date, end: dt.date):
        from kieumau.indicators.selectors import aggregate_period, aggregate_period_as

        wanted: dict[tuple[int, str | None], set[str]] = defaultdict(set)
        for rule in compiled:
            if isinstance(rule, rules.Rule):
                for code, aggregation, years_back in rule.references:
                    wanted[(years_back, aggregation)].add(code)
        if not wanted:
            return cls(fetched={}, rollups={}, catalogue=catalogue)
        rollups = _plan_rollups(
            unit_ids=unit_ids, years=sorted({y for y, _ in wanted}), start=start, end=end
        )
        formers: dict[int, set[int]] = defaultdict(set)
        for (_unit, years_back), rollup in rollups.items():
            formers[years_back].update(rollup.sources)
        fetched = {}
        for (years_back, aggregation), codes in sorted(wanted.items(), key=str):
            # Only sums are rolled up: the former units' figures of other indicators are never
            # used, so they are not fetched (for 2025 that is ten thousand old communes).
            summed = {c for c in codes if (aggregation or _aggregation_of(catalogue, c)) == "sum"}
            found: dict[tuple[int, str], Decimal] = {}
            for group, extra in ((summed, formers.get(years_back, ())), (codes - summed, ())):
                if not group:
                    continue
                arguments = {
                    "unit_ids": [*unit_ids, *sorted(extra)],
                    "codes": sorted(group),
                    "start": _shifted(start, years_back),
                    "end": _shifted(end, years_back),
                }
                found.update(
                    aggregate_period(**arguments)
                    if aggregation is None
                    else aggregate_period_as(**arguments, aggregation=aggregation)
                )
            fetched[(years_back, aggregation)] = found
        return cls(fetched=fetched, rollups=rollups, catalogue=catalogue)

    def rolled(
        self, *, unit_id: int, rollup: _RollUp, code: str, aggregation: str | None, fetched
    ) -> tuple[Decimal | None, str | None, bool]:
        """The unit's value over a period it did not span: (value, why there is none, whether
        the value is a total over former units)."""
        own = fetched.get((unit_id, code)) if rollup.own else None
        if not rollup.sources:
            return own, None, False  # a new unit with no history: its own months only
        info = self.catalogue.get(code)
        how = aggregation or (info.aggregation if info else "sum")
        name = info.name if info else code
        if how == "last" and own is not None:
            return own, None, False  # its latest month is its own: the former units ended before
        if rollup.partial_from:
            return (
                None,
                _(
                    "Đơn vị được hình thành từ một phần của %(units)s: không tách được số "
                    "liệu “%(name)s” của phần đó."
                )
                % {"units": ", ".join(rollup.partial_from), "name": name},
                False,
            )
        if how != "sum":
            kind = _("trung bình các tháng") if how == "avg" else _("giá trị tháng gần nhất")
            return (
                None,
                _(
                    "Chỉ số “%(name)s” tính theo %(kind)s nên không cộng được số liệu của "
                    "các đơn vị cũ (%(units)s)."
                )
                % {"name": name, "kind": kind, "units": ", ".join(rollup.names)},
                False,
            )
        former = [fetched.get((source, code)) for source in rollup.sources]
        if own is None and all(part is None for part in former):
            return None, None, False  # plain missing
        missing = [n for n, part in zip(rollup.names, former, strict=True) if part is None]
        if rollup.own and own is None:
            missing.append(_("chính đơn vị (từ khi thành lập)"))
        if missing:
            return (
                None,
                _(
                    "Thiếu số liệu “%(name)s” của %(units)s nên không tính được tổng "
                    "cùng các đơn vị cũ."
                )
                % {"name": name, "units": ", ".join(missing)},
                False,
            )
        return sum(former, own or Decimal(0)), None, True


def _aggregation_of(catalogue: Mapping[str, IndicatorInfo], code: str) -> str:
    info = catalogue.get(code)
    return info.aggregation if info is not None else "sum"


def _plan_rollups(*, unit_ids, years: list[int], start: dt.date, end: dt.date):
    """For each (unit, years back) whose shifted period began before the unit did: the former
    units that existed from its start. One query for the units and one per generation of
    lineage that is needed (a single one for the 2025 reorganisation)."""

    def began_after(valid_from: dt.date | None, years_back: int) -> bool:
        return valid_from is not None and valid_from > _shifted(start, years_back)

    units = {
        pk: _Former(pk, name, valid_from)
        for pk, name, valid_from in OrgUnit.objects.filter(pk__in=unit_ids)
        .filter(valid_from__gt=_shifted(start, max(years)))
        .values_list("pk", "name", "valid_from")
    }
    lineage: dict[int, list[tuple[_Former, bool]]] = {}
    frontier = {
        pk for pk, unit in units.items() if any(began_after(unit.valid_from, y) for y in years)
    }
    while frontier:
        rows = (
            Lineage.objects.filter(successor_id__in=frontier)
            .order_by("successor_id", "predecessor__name", "predecessor_id")
            .values_list(
                "successor_id",
                "predecessor_id",
                "predecessor__name",
                "predecessor__valid_from",
                "partial",
            )
        )
        found = set()
        for successor_id, pk, name, valid_from, partial in rows:
            lineage.setdefault(successor_id, []).append((_Former(pk, name, valid_from), partial))
            if any(began_after(valid_from, y) for y in years):
                found.add(pk)
        frontier = found - set(lineage) - frontier

    plans = {}
    for pk, unit in units.items():
        for years_back in years:
            if not began_after(unit.valid_from, years_back):
                continue
            sources: list[_Former] = []
            partial_from: list[str] = []
            pending = list(lineage.get(pk, ()))
            while pending:
                former, partial = pending.pop(0)
                if partial and former.name not in partial_from:
                    partial_from.append(former.name)
                if began_after(former.valid_from, years_back) and former.pk in lineage:
                    pending.extend(lineage[former.pk])
                elif former not in sources:
                    sources.append(former)
            plans[(pk, years_back)] = _RollUp(
                own=unit.valid_from <= _shifted(end, years_back),
                sources=tuple(f.pk for f in sources),
                names=tuple(f.name for f in sources),
                partial_from=tuple(partial_from),
            )
    return plans


# --- child coverage -----------------------------------------------------------------------------


class _ChildCoverage:
    def __init__(self, *, children, recognised) -> None:
        self.children: dict[int, list[tuple[int, str]]] = children  # parent → (child, kind)
        self.recognised: dict[int, set[str]] = recognised  # child → set codes

    @classmethod
    def fetch(cls, *, criteria, unit_ids, start: dt.date, end: dt.date) -> _ChildCoverage:
        if not criteria:
            return cls(children={}, recognised={})
        from kieumau.assessments.models import Assessment

        kinds = sorted({kind for c in criteria for kind in c.child_kinds})
        codes = sorted({code for c in criteria for code in c.child_set_codes})
        placed = Placement.objects.filter(
            valid_on(end), parent_id__in=unit_ids, unit__kind__in=kinds
        )
        children: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for parent_id, child_id, kind in placed.order_by("parent_id", "unit_id").values_list(
            "parent_id", "unit_id", "unit__kind"
        ):
            children[parent_id].append((child_id, kind))
        recognised: dict[int, set[str]] = defaultdict(set)
        rows = Assessment.objects.filter(
            Q(period_end__gte=start) & Q(period_end__lte=end),
            unit_id__in=placed.values("unit_id"),
            criteria_set__code__in=codes,
            stage=RECOGNISED,
        ).values_list("unit_id", "criteria_set__code")
        for child_id, code in rows:
            recognised[child_id].add(code)
        return cls(children=children, recognised=recognised)

    def evaluator(self, criterion: Criterion) -> Callable:
        kinds = set(criterion.child_kinds)
        codes = set(criterion.child_set_codes)
        share = criterion.child_min_share if criterion.child_min_share is not None else Decimal(1)
        label = ", ".join(
            str(Kind(kind).label) for kind in criterion.child_kinds if kind in Kind.values
        )
        none_registered = CriterionEvaluation(
            criterion,
            "no_data",
            _("Chưa đủ số liệu: chưa đăng ký đơn vị cơ sở nào (%(kinds)s).") % {"kinds": label},
        )

        def evaluate(unit_id: int, source) -> CriterionEvaluation:
            children = [c for c, kind in self.children.get(unit_id, ()) if kind in kinds]
            if not children:
                return none_registered
            recognised = sum(1 for c in children if self.recognised.get(c, set()) & codes)
            return _coverage(
                criterion, recognised=recognised, total=len(children), share=share, label=label
            )

        return evaluate


def _coverage(criterion, *, recognised: int, total: int, share: Decimal, label: str):
    met = recognised >= share * total
    percent = Decimal(recognised) * 100 / total
    text = _(
        "%(word)s: %(recognised)d/%(total)d %(kinds)s được công nhận = %(percent)s%% "
        "%(op)s %(share)s%%."
    ) % {
        "word": status_word("met" if met else "not_met"),
        "recognised": recognised,
        "total": total,
        "kinds": label,
        "percent": rules.format_number(percent, max_decimals=1),
        "op": "≥" if met else "<",
        "share": rules.format_number(share * 100),
    }
    distance = None
    if not met:
        missing = math.ceil(share * total) - recognised
        distance = _("còn thiếu %(n)d đơn vị cơ sở được công nhận") % {"n": missing}
    return CriterionEvaluation(criterion, "met" if met else "not_met", text, distance)
