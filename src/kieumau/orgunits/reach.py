"""Who reaches whom: the closure behind `Reach`, computed in memory from the tree's edges.

A unit is reached by itself, by every unit it sat under at any time, and by the units its history
went to. Lineage comes in two strengths:

- *whole*: all of the unit went into the successor (old Bắc Kạn into Thái Nguyên, old phường Hòa
  Hiếu into Thái Hòa). The successor's reach passes to the unit and to everything under it.
- *partial*: only part of it went there. Recorded for a commune (a ward split between two new
  wards), that is the finest grain the data has: the ward is reached by each new ward it became
  part of. Recorded above commune level (old Tiền Giang "partly" into Tây Ninh and Đồng Tháp),
  it says nothing about which communes went where, so it does not pass down: a unit under it (and
  the unit itself) reaches a partial successor only when one of the communes in its own subtree
  went there by its own lineage. Old Tiền Giang's wards all went to Đồng Tháp, so a Tây Ninh
  officer reaches none of them.

No database here: `loader.rebuild_reach` feeds the edges in and writes the rows out.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping

FINEST_LEVELS = frozenset({"commune", "grassroots"})


class ReachGraph:
    def __init__(
        self,
        *,
        levels: Mapping[int, str],
        placements: Iterable[tuple[int, int]],
        lineage: Iterable[tuple[int, int, bool]],
    ) -> None:
        """`levels`: unit id → level; `placements`: (unit, parent) at any time;
        `lineage`: (predecessor, successor, partial)."""
        self.levels = levels
        self.parents: dict[int, set[int]] = defaultdict(set)
        self.children: dict[int, set[int]] = defaultdict(set)
        for unit, parent in placements:
            self.parents[unit].add(parent)
            self.children[parent].add(unit)
        self.whole: dict[int, set[int]] = defaultdict(set)
        self.partial: dict[int, set[int]] = defaultdict(set)
        for predecessor, successor, partial in lineage:
            (self.partial if partial else self.whole)[predecessor].add(successor)
        self._memo: dict[str, dict[int, frozenset[int]]] = defaultdict(dict)

    def _cached(self, kind: str, unit: int, compute) -> frozenset[int]:
        memo = self._memo[kind]
        if unit not in memo:
            memo[unit] = frozenset()  # guards against a cycle in bad data
            memo[unit] = frozenset(compute(unit))
        return memo[unit]

    def _finest(self, unit: int) -> bool:
        return self.levels.get(unit) in FINEST_LEVELS

    def inherited(self, unit: int) -> frozenset[int]:
        """What `unit` passes down to the units under it: itself, what its parents pass down, and
        the reach of the units all of it went to."""

        def compute(u):
            found = {u}
            for parent in self.parents.get(u, ()):
                found |= self.inherited(parent)
            for successor in self.whole.get(u, ()):
                found |= self.reach(successor)
            return found

        return self._cached("inherited", unit, compute)

    def _own(self, unit: int) -> frozenset[int]:
        """`inherited`, plus the new units a commune's own partial lineage names."""

        def compute(u):
            found = set(self.inherited(u))
            if self._finest(u):
                for successor in self.partial.get(u, ()):
                    found |= self.reach(successor)
            return found

        return self._cached("own", unit, compute)

    def _pending(self, unit: int) -> frozenset[int]:
        """Partial successors recorded above commune level, on the unit or any unit above it."""

        def compute(u):
            found = set() if self._finest(u) else set(self.partial.get(u, ()))
            for parent in self.parents.get(u, ()):
                found |= self._pending(parent)
            return found

        return self._cached("pending", unit, compute)

    def _went_to(self, unit: int) -> frozenset[int]:
        """Everything the unit's subtree (itself included) reaches by its own lineage."""

        def compute(u):
            found = set(self._own(u))
            for child in self.children.get(u, ()):
                found |= self._went_to(child)
            return found

        return self._cached("went_to", unit, compute)

    def reach(self, unit: int) -> frozenset[int]:
        """Every unit whose users may see `unit` (as `Reach.ancestor`), `unit` itself included."""

        def compute(u):
            found = set(self._own(u))
            pending = self._pending(u)
            if pending:
                went_to = self._went_to(u)
                for successor in pending:
                    if successor in went_to:
                        found |= self.reach(successor)
            return found

        return self._cached("reach", unit, compute)
