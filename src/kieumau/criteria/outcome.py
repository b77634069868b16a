"""The outcome of an assessment from the results of its criteria: pure, no database.

Three kinds of outcome rule:
- ``all``: every criterion must be met (model ward; Thông tư 124/2021's đạt / chưa đạt);
- ``at_least``: at least N of the M criteria (e.g. 28/34 against a threshold);
- ``points``: the points earned place the unit in a grade band (xuất sắc / khá / …).

A criterion may still be undecided (``no_data``: an indicator has no value yet; ``manual``: a
person has not judged it). The outcome is then decided only if no way of settling the open
criteria could change it; otherwise ``qualifies`` is None.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final, Literal

from django.utils.translation import gettext, ngettext

from kieumau.criteria.rules import format_number

RuleKind = Literal["all", "at_least", "points"]
Status = Literal["met", "not_met", "no_data", "manual"]
STATUSES: Final = ("met", "not_met", "no_data", "manual")
OPEN: Final = frozenset({"no_data", "manual"})
_ZERO: Final = Decimal(0)


@dataclass(frozen=True, slots=True, kw_only=True)
class GradeBand:
    name: str
    min_points: Decimal
    passing: bool = True  # a bottom band such as "yếu" is graded but not recognised


@dataclass(frozen=True, slots=True, kw_only=True)
class OutcomeRule:
    kind: RuleKind
    min_met: int | None = None  # for at_least
    grade_bands: tuple[GradeBand, ...] = ()  # for points, any order

    @classmethod
    def of(cls, criteria_set: Any) -> OutcomeRule:
        """The rule of a CriteriaSet (anything with outcome_rule, min_met and grade_bands)."""
        return cls(
            kind=criteria_set.outcome_rule,
            min_met=criteria_set.min_met,
            grade_bands=bands_from_json(criteria_set.grade_bands or []),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class CriterionResult:
    """One criterion's result. ``points`` is what was earned; when it is None a met criterion
    earns ``max_points`` and any other earns nothing."""

    status: Status
    points: Decimal | None = None
    max_points: Decimal | None = None

    @property
    def earned(self) -> Decimal:
        if self.points is not None:
            return self.points
        if self.status == "met" and self.max_points is not None:
            return self.max_points
        return _ZERO


@dataclass(frozen=True, slots=True, kw_only=True)
class OutcomeResult:
    met: int
    total: int
    qualifies: bool | None  # None: undecided criteria could still change the outcome
    grade: str | None  # points sets only, and only once the band is certain
    label: str
    points: Decimal | None = None  # points sets only: earned so far
    open: int = 0  # criteria still no_data or manual
    kind: RuleKind = "all"
    needed: int | None = None  # at_least sets only
    tentative: str | None = None  # points sets only: the band reached so far, while undecided

    def describe(self, *, with_count: bool = True) -> str:
        """The label in the language of the request (`label` stays Vietnamese: it is stored)."""
        return describe(
            kind=self.kind,
            met=self.met,
            total=self.total,
            qualifies=self.qualifies,
            open_count=self.open,
            needed=self.needed,
            points=self.points,
            grade=self.grade,
            tentative=self.tentative,
            with_count=with_count,
        )


def describe(
    *,
    kind: str,
    met: int,
    total: int,
    qualifies: bool | None,
    open_count: int | None = None,
    needed: int | None = None,
    points: Decimal | None = None,
    grade: str | None = None,
    tentative: str | None = None,
    with_count: bool = True,
) -> str:
    """An outcome in words, through gettext. `open_count` None: not known (a stored result)."""
    if kind == "points":
        shown = format_number(points or _ZERO)
        if grade:
            return gettext("xếp loại %(grade)s (%(points)s điểm)") % {
                "grade": grade,
                "points": shown,
            }
        if qualifies is False or not open_count:
            return gettext("chưa đạt mức xếp loại nào (%(points)s điểm)") % {"points": shown}
        text = ngettext(
            "%(points)s điểm, %(n)d tiêu chí chưa có kết quả",
            "%(points)s điểm, %(n)d tiêu chí chưa có kết quả",
            open_count,
        ) % {"points": shown, "n": open_count}
        if tentative:
            text += gettext(", tạm xếp loại %(grade)s") % {"grade": tentative}
        return text
    if qualifies is True:
        verdict = gettext("đạt")
    elif qualifies is False:
        verdict = gettext("chưa đạt")
    elif open_count:
        verdict = ngettext(
            "chưa xác định (%(n)d tiêu chí chưa có kết quả)",
            "chưa xác định (%(n)d tiêu chí chưa có kết quả)",
            open_count,
        ) % {"n": open_count}
    else:
        verdict = gettext("chưa xác định")
    if not with_count:
        return verdict
    count = ngettext("%(met)d/%(total)d tiêu chí", "%(met)d/%(total)d tiêu chí", total) % {
        "met": met,
        "total": total,
    }
    if kind == "at_least" and needed is not None:
        count += gettext(" (cần %(needed)d)") % {"needed": needed}
    return f"{count} — {verdict}"


def bands_from_json(items: Iterable[Mapping[str, Any]]) -> tuple[GradeBand, ...]:
    """Grade bands as stored on a set: [{"name": "khá", "min_points": 70, "passing": true}]."""
    return tuple(
        GradeBand(
            name=str(item["name"]),
            min_points=Decimal(str(item["min_points"])),
            passing=bool(item.get("passing", True)),
        )
        for item in items
    )


def band_for(points: Decimal, bands: Iterable[GradeBand]) -> GradeBand | None:
    """The highest band whose threshold `points` reaches."""
    reached = [band for band in bands if points >= band.min_points]
    return max(reached, key=lambda band: band.min_points, default=None)


def compute_outcome(*, rule: OutcomeRule, results: Sequence[CriterionResult]) -> OutcomeResult:
    for result in results:
        if result.status not in STATUSES:
            raise ValueError(f"unknown criterion status {result.status!r}")
    total = len(results)
    met = sum(1 for r in results if r.status == "met")
    open_count = sum(1 for r in results if r.status in OPEN)
    if rule.kind == "all":
        return _all(met=met, total=total, open_count=open_count)
    if rule.kind == "at_least":
        if rule.min_met is None:
            raise ValueError("an at_least rule needs min_met")
        return _at_least(met=met, total=total, open_count=open_count, needed=rule.min_met)
    if rule.kind == "points":
        return _points(rule=rule, results=results, met=met, total=total, open_count=open_count)
    raise ValueError(f"unknown outcome rule {rule.kind!r}")


def _verdict(qualifies: bool | None, open_count: int) -> str:
    if qualifies is True:
        return "đạt"
    if qualifies is False:
        return "chưa đạt"
    return f"chưa xác định ({open_count} tiêu chí chưa có kết quả)"


def _all(*, met: int, total: int, open_count: int) -> OutcomeResult:
    failed = total - met - open_count
    qualifies = False if failed else (None if open_count else True)
    label = f"{met}/{total} tiêu chí — {_verdict(qualifies, open_count)}"
    return OutcomeResult(
        met=met,
        total=total,
        qualifies=qualifies,
        grade=None,
        label=label,
        open=open_count,
        kind="all",
    )


def _at_least(*, met: int, total: int, open_count: int, needed: int) -> OutcomeResult:
    if met >= needed:
        qualifies: bool | None = True
    elif met + open_count < needed:
        qualifies = False
    else:
        qualifies = None
    label = f"{met}/{total} tiêu chí (cần {needed}) — {_verdict(qualifies, open_count)}"
    return OutcomeResult(
        met=met,
        total=total,
        qualifies=qualifies,
        grade=None,
        label=label,
        open=open_count,
        kind="at_least",
        needed=needed,
    )


def _points(
    *, rule: OutcomeRule, results: Sequence[CriterionResult], met: int, total: int, open_count: int
) -> OutcomeResult:
    earned = sum((r.earned for r in results if r.status not in OPEN), _ZERO)
    # The most the open criteria could still add; unknown when one of them has no maximum.
    still_possible: Decimal | None = _ZERO
    for r in results:
        if r.status in OPEN:
            ceiling = r.max_points if r.max_points is not None else r.points
            if ceiling is None or still_possible is None:
                still_possible = None
            else:
                still_possible += ceiling
    now = band_for(earned, rule.grade_bands)
    best = None if still_possible is None else band_for(earned + still_possible, rule.grade_bands)
    qualifies: bool | None
    if now is not None and now.passing:
        qualifies = True  # points only grow as open criteria are settled
    elif not open_count or (still_possible is not None and (best is None or not best.passing)):
        qualifies = False
    else:
        qualifies = None
    certain = not open_count or (still_possible is not None and best == now)
    grade = now.name if certain and now is not None else None
    shown = format_number(earned)
    if open_count and grade is None:
        tentative = f", tạm xếp loại {now.name}" if now else ""
        label = f"{shown} điểm, {open_count} tiêu chí chưa có kết quả{tentative}"
    elif grade is not None:
        label = f"xếp loại {grade} ({shown} điểm)"
    else:
        label = f"chưa đạt mức xếp loại nào ({shown} điểm)"
    return OutcomeResult(
        met=met,
        total=total,
        qualifies=qualifies,
        grade=grade,
        label=label,
        points=earned,
        open=open_count,
        kind="points",
        tentative=now.name if open_count and grade is None and now else None,
    )
