"""Comparing a count with the same period a year before, honestly about small numbers; no Django.

Counts of incidents behave like Poisson variables, whose square root has a variance of about 1/4
whatever the mean. So z = 2(√current − √previous) is roughly standard normal when nothing changed:
|z| ≥ 2 means the change is unlikely to be chance. A fall from 2 cases to 1 is "−50%" but z ≈ −0.83,
which is noise; a fall from 200 to 150 is "−25%" and z ≈ −3.8, which is real.
"""

from dataclasses import dataclass
from decimal import Decimal

NOTABLE_Z = Decimal(2)


@dataclass(frozen=True, slots=True)
class CountComparison:
    current: Decimal
    previous: Decimal
    change: Decimal  # current − previous
    percent: Decimal | None  # change as a percentage of previous; None when previous is 0
    z: Decimal  # 2(√current − √previous)
    notable: bool  # |z| ≥ 2

    @property
    def direction(self) -> str:
        return "up" if self.change > 0 else "down" if self.change < 0 else "same"


def compare_counts(*, current: int | Decimal, previous: int | Decimal) -> CountComparison:
    """Absolute change, percentage and Poisson z-score of `current` against `previous`."""
    current, previous = Decimal(current), Decimal(previous)
    if current < 0 or previous < 0 or not current.is_finite() or not previous.is_finite():
        raise ValueError(f"counts must be finite and non-negative: {current}, {previous}")
    change = current - previous
    percent = None if previous == 0 else (change * 100 / previous).quantize(Decimal("0.1"))
    z = 2 * (current.sqrt() - previous.sqrt())
    return CountComparison(
        current=current,
        previous=previous,
        change=change,
        percent=percent,
        z=z,
        notable=abs(z) >= NOTABLE_Z,
    )
