"""The CP-SAT model of a roster: variables and hard rules 1-8 of roster-problem.md.

Rest is modelled through block placements: for every cadre, one boolean per
day a block of a given length may start on.  A cadre needs `e // L` full
blocks and, when L does not divide e, one short block that must come last
(rule 2).  `rest[c, d]` is the sum of the placements covering day d.

A model can be built *relaxable*: then the rules that tie cadres together
(3-8, per date, office, pair or cadre) are each guarded by a literal, so that
explain/ can ask CP-SAT which of them cannot hold together.  Rules 1 and 2
stay hard: they describe what a cadre's month is, not a policy to relax.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .periods import CadreDays, Month, block_starts, half_of, next_working_day


@dataclass(frozen=True, order=True)
class Group:
    """A relaxable family of constraints: one hard rule on one date, office, pair or cadre."""

    rule: int
    day: int = 0
    office: str = ""
    cadres: tuple[str, ...] = ()


@dataclass(frozen=True)
class Placement:
    """A block of `length` rest days starting on `start`."""

    start: int
    length: int
    var: cp_model.IntVar

    @property
    def end(self) -> int:
        return self.start + self.length - 1


@dataclass
class RosterModel:
    """A CP-SAT model with handles on its rest and placement variables."""

    month: Month
    relaxable: bool
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    rest: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    placements: dict[int, list[Placement]] = field(default_factory=dict)
    guards: dict[Group, cp_model.IntVar] = field(default_factory=dict)
    #: The bounds a spread term adds (objective.spread): upper, lower and the
    #: values between them, so that a roster in hand can hint them.
    spreads: list[tuple[cp_model.IntVar, cp_model.IntVar, list[cp_model.LinearExprT]]] = field(default_factory=list)

    def x(self, cadre: CadreDays, day: int) -> cp_model.IntVar | int:
        """The rest literal of a cadre on a day, or 0 when it can never rest then."""
        return self.rest.get((cadre.index, day), 0)

    def guard(self, group: Group) -> list[cp_model.IntVar]:
        """The enforcement literal of a group (empty list when not relaxable)."""
        if not self.relaxable:
            return []
        if group not in self.guards:
            self.guards[group] = self.model.new_bool_var(f"g{len(self.guards)}")
        return [self.guards[group]]

    def at_most(self, terms: Sequence[cp_model.IntVar | int], cap: int, group: Group) -> None:
        """sum(terms) <= cap under the group's guard; skipped when it cannot bind."""
        variables = [t for t in terms if not isinstance(t, int)]
        if cap >= len(variables):
            return
        self.model.add(sum(variables) <= cap).only_enforce_if(self.guard(group))


def build(month: Month, relaxable: bool = False) -> RosterModel:
    """The full model with every hard rule."""
    rm = RosterModel(month=month, relaxable=relaxable)
    for cadre in month.cadres:
        add_shape(rm, cadre)
    if relaxable:
        add_blackout(rm)
    add_coverage(rm)
    add_leaders(rm)
    add_offices(rm)
    add_never_together(rm)
    add_pinned(rm)
    return rm


# --------------------------------------------------------------------------
# Rules 1 and 2: entitlement and shape, cadre by cadre
# --------------------------------------------------------------------------


def add_shape(rm: RosterModel, cadre: CadreDays) -> None:
    """Rules 1-2 (and 3 unless relaxable): e rest days on available days, in the mode's blocks."""
    m, model = rm.month, rm.model
    restable = cadre.available if rm.relaxable else cadre.restable
    full = cadre.blocks[0] if cadre.blocks else 0
    n_full = sum(1 for b in cadre.blocks if b == full)
    short = cadre.blocks[-1] if cadre.blocks and cadre.blocks[-1] != full else 0

    def place(length: int) -> list[Placement]:
        starts = block_starts(m, restable, length)
        return [Placement(t, length, model.new_bool_var(f"p{cadre.index}_{length}_{t}")) for t in starts]

    fulls = place(full) if n_full else []
    shorts = place(short) if short else []
    rm.placements[cadre.index] = fulls + shorts
    model.add(sum(p.var for p in fulls) == n_full)
    if short:
        model.add(sum(p.var for p in shorts) == 1)
        _short_block_last(rm, fulls, shorts)

    for day in sorted(restable):
        covering = [p.var for p in fulls + shorts if p.start <= day <= p.end]
        if covering:
            x = model.new_bool_var(f"x{cadre.index}_{day}")
            model.add(x == sum(covering))
            rm.rest[cadre.index, day] = x

    if m.mode == "weekly":
        _one_start_per(rm, fulls + shorts, m.week_of)
        _working_day_between(rm, cadre, fulls + shorts)
    elif m.mode == "half_month":
        _one_start_per(rm, fulls + shorts, half_of)


def _short_block_last(rm: RosterModel, fulls: Sequence[Placement], shorts: Sequence[Placement]) -> None:
    """Rule 2: the short block is the chronologically last one."""
    for p in fulls:
        earlier = [s.var for s in shorts if s.start < p.start]
        if earlier:
            rm.model.add(p.var + sum(earlier) <= 1)


def _one_start_per(rm: RosterModel, placements: Sequence[Placement], period: Callable[[int], int]) -> None:
    """Rule 2: at most one block starts in each Monday-Sunday week / lies in each half."""
    by_period: dict[int, list[cp_model.IntVar]] = {}
    for p in placements:
        by_period.setdefault(period(p.start), []).append(p.var)
    for variables in by_period.values():
        if len(variables) > 1:
            rm.model.add_at_most_one(variables)


def _working_day_between(rm: RosterModel, cadre: CadreDays, placements: Sequence[Placement]) -> None:
    """Rule 2, weekly: a working day (available, not rested) between two blocks.

    Days between blocks are never rested, so it is enough that no block starts
    on the first available day after another ends: away days do not separate.
    """
    ending: dict[int, list[cp_model.IntVar]] = {}
    starting: dict[int, list[cp_model.IntVar]] = {}
    for p in placements:
        ending.setdefault(p.end, []).append(p.var)
        starting.setdefault(p.start, []).append(p.var)
    for day, ends in ending.items():
        nxt = next_working_day(cadre, day, rm.month.ndays)
        if nxt is not None and nxt in starting:
            for a in ends:
                for b in starting[nxt]:
                    rm.model.add_bool_or([a.Not(), b.Not()])


# --------------------------------------------------------------------------
# Rules 3-8: the township's constraints
# --------------------------------------------------------------------------


def add_blackout(rm: RosterModel) -> None:
    """Rule 3 as a guarded rule (only relaxable models rest on blackout dates at all)."""
    for day in sorted(rm.month.blackout):
        resting = [rm.x(c, day) for c in rm.month.cadres]
        rm.at_most(resting, 0, Group(3, day=day))


def add_coverage(rm: RosterModel) -> None:
    """Rule 4: at most n - ceil(ratio * n) of the n available cadres rest on a date."""
    for day in rm.month.days:
        avail = rm.month.available_on(day)
        cap = len(avail) - rm.month.coverage_need(len(avail))
        rm.at_most([rm.x(c, day) for c in avail], cap, Group(4, day=day))


def add_leaders(rm: RosterModel) -> None:
    """Rule 5: at least min(min_leaders_on_duty, leaders available) leaders on duty."""
    for day in rm.month.days:
        leaders = [c for c in rm.month.available_on(day) if c.cadre.leader]
        cap = len(leaders) - rm.month.leader_need(len(leaders))
        rm.at_most([rm.x(c, day) for c in leaders], cap, Group(5, day=day))


def add_offices(rm: RosterModel) -> None:
    """Rule 6: an office with n >= 2 available keeps min(min_on_duty_per_office, n) on duty."""
    for office, members in rm.month.offices().items():
        for day in rm.month.days:
            present = [c for c in members if day in c.available]
            cap = len(present) - rm.month.office_need(len(present))
            rm.at_most([rm.x(c, day) for c in present], cap, Group(6, day=day, office=office))


def add_never_together(rm: RosterModel) -> None:
    """Rule 7: the two cadres of a never_together pair never rest on the same date."""
    by_id = rm.month.by_id()
    for a_id, b_id in rm.month.problem.policy.never_together:
        a, b = by_id[a_id], by_id[b_id]
        group = Group(7, cadres=(a_id, b_id))
        for day in rm.month.days:
            rm.at_most([rm.x(a, day), rm.x(b, day)], 1, group)


def add_pinned(rm: RosterModel) -> None:
    """Rule 8: every pinned date is a rest day of its cadre."""
    for cadre in rm.month.cadres:
        pin(rm, cadre)


def pin(rm: RosterModel, cadre: CadreDays) -> None:
    """Rule 8 for one cadre (guarded as one group per cadre)."""
    if not cadre.pinned:
        return
    guard = rm.guard(Group(8, cadres=(cadre.id,)))
    for day in sorted(cadre.pinned):
        x = rm.x(cadre, day)
        if isinstance(x, int):
            rm.model.add_bool_or([g.Not() for g in guard])
        else:
            rm.model.add(x == 1).only_enforce_if(guard)


def rest_literals(rm: RosterModel, cadre: CadreDays, days: Iterable[int]) -> list[cp_model.IntVar]:
    """The rest literals of a cadre over some days, skipping days it cannot rest."""
    return [v for d in days if not isinstance(v := rm.x(cadre, d), int)]
