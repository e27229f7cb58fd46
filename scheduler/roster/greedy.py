"""A first roster drawn greedily: CP-SAT starts from it, and falls back on it.

On a large or loaded machine CP-SAT may spend its first phase just looking
for any valid roster.  This draws one in milliseconds when the problem is not
tight: cadres in order of how constrained they are, each one's blocks placed
by a small depth-first search over block starts, preferred and least crowded
days first, under every hard rule (roster-problem.md rules 1-8).  It may get stuck on a
feasible problem; then it returns None and CP-SAT is on its own.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from .periods import CadreDays, Month, block_starts, half_of, next_working_day

Blocks = tuple[tuple[int, int], ...]  # (start, length) in date order

#: Depth-first nodes tried per cadre before the draw gives up.
NODE_LIMIT = 400


@dataclass
class _Board:
    """Who rests when so far, against the per-date caps of rules 4-6."""

    month: Month
    load: dict[tuple[str, int], int] = field(default_factory=dict)  # (group, day) -> resting
    cap: dict[tuple[str, int], int] = field(default_factory=dict)
    resting: dict[str, set[int]] = field(default_factory=dict)
    partners: dict[str, list[str]] = field(default_factory=dict)
    start_cache: dict[tuple[str, int], list[int]] = field(default_factory=dict)
    capped: bool = True  # False: rules 4-7 ignored, to test a cadre alone

    def groups(self, cadre: CadreDays) -> list[str]:
        """The cap groups a cadre counts in: everyone, leaders, its office."""
        groups = ["*", f"office:{cadre.cadre.office}"]
        return groups + ["leaders"] if cadre.cadre.leader else groups

    def fits(self, cadre: CadreDays, start: int, length: int) -> bool:
        if not self.capped:
            return True
        for day in range(start, start + length):
            if any(self.load.get((g, day), 0) >= self.cap.get((g, day), 0) for g in self.groups(cadre)):
                return False
            if any(day in self.resting[p] for p in self.partners.get(cadre.id, ())):
                return False
        return True

    def starts(self, cadre: CadreDays, length: int) -> list[int]:
        """Rule 1-3 block starts of a cadre, computed once."""
        key = (cadre.id, length)
        if key not in self.start_cache:
            self.start_cache[key] = block_starts(self.month, cadre.restable, length)
        return self.start_cache[key]

    def crowding(self, start: int, length: int) -> int:
        return max(self.load.get(("*", d), 0) for d in range(start, start + length))

    def place(self, cadre: CadreDays, blocks: Blocks) -> None:
        for start, length in blocks:
            for day in range(start, start + length):
                self.resting[cadre.id].add(day)
                for g in self.groups(cadre):
                    self.load[g, day] = self.load.get((g, day), 0) + 1


def greedy_roster(month: Month) -> dict[str, Blocks] | None:
    """Every cadre's blocks under rules 1-8, or None when the greedy draw gets stuck."""
    board = _board(month)
    order = sorted(month.cadres, key=_urgency)
    roster: dict[str, Blocks] = {}
    for cadre in order:
        latest = _latest_starts(month, board, cadre)
        blocks = next(_placements(month, board, cadre, (), _Budget(NODE_LIMIT), latest), None)
        if blocks is None:
            return None
        board.place(cadre, blocks)
        roster[cadre.id] = blocks
    return roster


def drawable_alone(month: Month, cadre: CadreDays) -> bool:
    """Whether one cadre's blocks fit by rules 1-3 and 8 alone.

    True is certain; False may be the search giving up, so it needs a proof.
    """
    board = _Board(month=month, resting={cadre.id: set()}, capped=False)
    latest = _latest_starts(month, board, cadre)
    return next(_placements(month, board, cadre, (), _Budget(NODE_LIMIT), latest), None) is not None


def _urgency(cadre: CadreDays) -> tuple[int, int, int, bool]:
    """Draw first the cadres with pins, then the least slack, then those with wishes, then leaders."""
    wishes = cadre.weight * (len(cadre.prefer) + len(cadre.avoid))
    return -len(cadre.pinned), len(cadre.restable) - cadre.entitlement, -wishes, not cadre.cadre.leader


def _board(month: Month) -> _Board:
    board = _Board(month=month, resting={c.id: set() for c in month.cadres})
    for day in month.days:
        avail = month.available_on(day)
        board.cap["*", day] = len(avail) - month.coverage_need(len(avail))
        leaders = [c for c in avail if c.cadre.leader]
        board.cap["leaders", day] = len(leaders) - month.leader_need(len(leaders))
        for office, members in month.offices().items():
            present = [c for c in members if day in c.available]
            board.cap[f"office:{office}", day] = len(present) - month.office_need(len(present))
    for a, b in month.problem.policy.never_together:
        board.partners.setdefault(a, []).append(b)
        board.partners.setdefault(b, []).append(a)
    return board


@dataclass
class _Budget:
    """Depth-first nodes left for one cadre."""

    left: int


def _placements(
    month: Month, board: _Board, cadre: CadreDays, chosen: Blocks, budget: _Budget, latest_by_block: Sequence[int]
) -> Iterator[Blocks]:
    """Complete block choices for a cadre, extending `chosen`, best for its wishes and least crowded first."""
    if len(chosen) == len(cadre.blocks):
        covered = {d for start, length in chosen for d in range(start, start + length)}
        if cadre.pinned <= covered:
            yield chosen
        return
    length = cadre.blocks[len(chosen)]
    latest = latest_by_block[len(chosen)]
    starts = [t for t in board.starts(cadre, length) if t <= latest and _may_follow(month, cadre, chosen, t)]
    starts.sort(key=lambda t: (_preference_cost(cadre, t, length), board.crowding(t, length), t))
    for t in starts:
        budget.left -= 1
        if budget.left < 0:
            return
        if board.fits(cadre, t, length):
            yield from _placements(month, board, cadre, (*chosen, (t, length)), budget, latest_by_block)


def _preference_cost(cadre: CadreDays, start: int, length: int) -> int:
    """Quality 1 of a block: avoid dates it rests on less prefer dates it covers."""
    span = set(range(start, start + length))
    return cadre.weight * (len(cadre.avoid & span) - len(cadre.prefer & span))


def _latest_starts(month: Month, board: _Board, cadre: CadreDays) -> list[int]:
    """The latest start of each block that leaves room for the later ones by rule 2 (0: none)."""
    latest = [0] * len(cadre.blocks)
    bound = month.ndays + 1
    for j in range(len(cadre.blocks) - 1, -1, -1):
        length = cadre.blocks[j]
        fits = [
            t
            for t in board.starts(cadre, length)
            if t < bound and (j == len(cadre.blocks) - 1 or _follows(month, cadre, (t, length), latest[j + 1]))
        ]
        if not fits:
            return latest
        latest[j] = bound = fits[-1]
        bound += 1
    return latest


def _may_follow(month: Month, cadre: CadreDays, chosen: Sequence[tuple[int, int]], start: int) -> bool:
    """Rule 2 between a new block and the one before it; no pinned day may be skipped."""
    prev_end = chosen[-1][0] + chosen[-1][1] - 1 if chosen else 0
    if any(prev_end < d < start for d in cadre.pinned):
        return False
    return not chosen or _follows(month, cadre, chosen[-1], start)


def _follows(month: Month, cadre: CadreDays, prev: tuple[int, int], start: int) -> bool:
    """Rule 2: may a block start on `start` right after the block `prev`?

    Starts only grow, so checking the previous block is enough: weeks (or
    halves) then differ pairwise.
    """
    prev_start, prev_end = prev[0], prev[0] + prev[1] - 1
    if month.mode == "weekly":
        working = next_working_day(cadre, prev_end, month.ndays)
        return working is not None and working < start and month.week_of(start) != month.week_of(prev_start)
    if month.mode == "half_month":
        return start > prev_end and half_of(start) != half_of(prev_start)
    return False
