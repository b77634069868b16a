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
_NONE: frozenset[int] = frozenset()


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
        # Partial successors recorded above commune level, on a unit or any unit above it: few
        # (old Tiền Giang's subtree), so pushed down once here.
        self._pending: dict[int, set[int]] = defaultdict(set)
        for predecessor, successors in self.partial.items():
            if not self._finest(predecessor):
                self._push_down(predecessor, successors)
        # One memo per question; an entry is set to the empty set while it is being computed,
        # which guards against a cycle in bad data. Plain methods, no closures: this runs for
        # every unit at every tree load.
        self._inherited: dict[int, frozenset[int]] = {}
        self._own_memo: dict[int, frozenset[int]] = {}
        self._went_to_memo: dict[int, frozenset[int]] = {}
        self._reach: dict[int, frozenset[int]] = {}

    def _finest(self, unit: int) -> bool:
        return self.levels.get(unit) in FINEST_LEVELS

    def _push_down(self, top: int, successors: set[int]) -> None:
        stack, seen = [top], {top}
        while stack:
            unit = stack.pop()
            self._pending[unit] |= successors
            for child in self.children.get(unit, ()):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)

    def inherited(self, unit: int) -> frozenset[int]:
        """What `unit` passes down to the units under it: itself, what its parents pass down, and
        the reach of the units all of it went to."""
        known = self._inherited.get(unit)
        if known is not None:
            return known
        self._inherited[unit] = _NONE
        found = {unit}
        for parent in self.parents.get(unit, ()):
            found |= self.inherited(parent)
        for successor in self.whole.get(unit, ()):
            found |= self.reach(successor)
        self._inherited[unit] = result = frozenset(found)
        return result

    def _own(self, unit: int) -> frozenset[int]:
        """`inherited`, plus the new units a commune's own partial lineage names."""
        partial = self.partial.get(unit)
        if not partial or not self._finest(unit):
            return self.inherited(unit)
        known = self._own_memo.get(unit)
        if known is not None:
            return known
        self._own_memo[unit] = _NONE
        found = set(self.inherited(unit))
        for successor in partial:
            found |= self.reach(successor)
        self._own_memo[unit] = result = frozenset(found)
        return result

    def _went_to(self, unit: int) -> frozenset[int]:
        """Everything the unit's subtree (itself included) reaches by its own lineage."""
        known = self._went_to_memo.get(unit)
        if known is not None:
            return known
        self._went_to_memo[unit] = _NONE
        found = set(self._own(unit))
        for child in self.children.get(unit, ()):
            found |= self._went_to(child)
        self._went_to_memo[unit] = result = frozenset(found)
        return result

    def reach(self, unit: int) -> frozenset[int]:
        """Every unit whose users may see `unit` (as `Reach.ancestor`), `unit` itself included."""
        pending = self._pending.get(unit)
        if not pending:
            return self._own(unit)
        known = self._reach.get(unit)
        if known is not None:
            return known
        self._reach[unit] = _NONE
        found = set(self._own(unit))
        went_to = self._went_to(unit)
        for successor in pending:
            if successor in went_to:
                found |= self.reach(successor)
        self._reach[unit] = result = frozenset(found)
        return result
