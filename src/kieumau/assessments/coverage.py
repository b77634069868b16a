"""How much of an assessment's period is behind its result: which of the period's months have
data, which are still open, and so whether the result is only provisional.

A yearly criterion judged on one month of twelve must say so ("1/12 tháng có số liệu"), and an
approval before the period is over locks months nobody has entered yet: the approval says which.
The months of a period are those whose first day falls in it (`months_in_period`, as locks use);
a month has data when the unit, or a unit that merged into it, has a value for any indicator.
A month is open until its last day has passed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from kieumau.core.dates import today
from kieumau.indicators.months import month_end, months_between, months_in_period


@dataclass(frozen=True, slots=True)
class DataCoverage:
    months: tuple[dt.date, ...]  # first days of the period's months
    with_data: frozenset[dt.date]
    open: tuple[dt.date, ...]  # months not over yet on the day looked at

    @property
    def total(self) -> int:
        return len(self.months)

    @property
    def filled(self) -> int:
        return sum(1 for month in self.months if month in self.with_data)

    @property
    def without_data(self) -> tuple[dt.date, ...]:
        return tuple(month for month in self.months if month not in self.with_data)

    @property
    def complete(self) -> bool:
        """The period is over and every month of it has data."""
        return not self.open and self.filled == self.total

    @property
    def label(self) -> str:
        """ "1/12 tháng có số liệu"."""
        return _("%(filled)d/%(total)d tháng có số liệu") % {
            "filled": self.filled,
            "total": self.total,
        }

    @property
    def open_label(self) -> str:
        """ "11/2026, 12/2026": the months still open."""
        return months_text(self.open)

    @property
    def without_data_label(self) -> str:
        return months_text(self.without_data)


def months_text(months) -> str:
    return ", ".join(f"{month.month:02d}/{month.year}" for month in months)


def coverage_for(
    *, unit_ids, start: dt.date, end: dt.date, on: dt.date | None = None
) -> DataCoverage:
    """Coverage of the period start..end by the values of `unit_ids` (one query)."""
    from kieumau.indicators.models import IndicatorValue

    on = on or today()
    bounds = months_in_period(start, end)
    months = tuple(months_between(*bounds)) if bounds else ()
    if not months:
        return DataCoverage(months=(), with_data=frozenset(), open=())
    # Unscoped on purpose: callers pass units of an assessment or standing the user may see.
    filled = (
        IndicatorValue.objects.filter(
            unit_id__in=list(unit_ids),
            month__gte=months[0],
            month__lte=months[-1],
            value__isnull=False,
        )
        .values_list("month", flat=True)
        .distinct()
    )
    return DataCoverage(
        months=months,
        with_data=frozenset(filled),
        open=tuple(month for month in months if month_end(month) >= on),
    )


def unit_coverage(*, unit, start: dt.date, end: dt.date, on: dt.date | None = None):
    from kieumau.orgunits.tree import lineage_roots

    roots = [root.pk for root in lineage_roots(unit)]
    return coverage_for(unit_ids=roots, start=start, end=end, on=on)


def assessment_coverage(assessment, *, on: dt.date | None = None) -> DataCoverage:
    return unit_coverage(
        unit=assessment.unit, start=assessment.period_start, end=assessment.period_end, on=on
    )


def approval_warning(coverage: DataCoverage) -> str | None:
    """What to tell the person who approves (locks) before the period is over, or None."""
    if not coverage.open:
        return None
    return _(
        "Kỳ đánh giá chưa kết thúc: các tháng %(months)s còn mở (%(label)s). Phê duyệt sẽ khóa "
        "số liệu của cả các tháng này; kết quả chỉ là tạm tính cho đến khi kỳ kết thúc."
    ) % {"months": coverage.open_label, "label": coverage.label}


def warning_after(*, assessment, transition) -> str | None:
    """The warning for a step just taken that locked the assessment before its period ended."""
    definition = assessment.workflow.definition
    locked_now = definition.stage(transition.to_stage).locked
    if not locked_now or definition.stage(transition.from_stage).locked:
        return None
    return approval_warning(assessment_coverage(assessment))
