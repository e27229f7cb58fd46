"""Calendar arithmetic of the roster: days, weeks, month halves, blocks, entitlement.

Days are numbered 1..m inside the month.  Every reading follows
roster_check.py: availability spans and away ranges are clipped to the month,
weeks run Monday to Sunday, the first half is days 1-15, and the entitlement
of rule 1 is computed exactly with fractions.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from .problem import Cadre, Mode, Problem, exact

HALF_MONTH_SPLIT = 15  # days 1-15 form the first half (rule 2, half_month)
BLOCK_LENGTH = {"weekly": 2, "half_month": 4}  # monthly: the entitlement itself
MODE_ZH = {"weekly": "周轮休", "half_month": "半月轮休", "monthly": "月轮休"}


def entitlement(rest_days: int, available: int, ndays: int, carry_days: int) -> int:
    """Rule 1: e = floor(rest_days * a / m + 0.5) + carry_days, exactly."""
    return math.floor(Fraction(rest_days * available, ndays) + Fraction(1, 2)) + carry_days


def block_lengths(mode: Mode, e: int) -> tuple[int, ...]:
    """Rule 2: the lengths of a cadre's blocks in date order (the short one last)."""
    if e <= 0:
        return ()
    length = e if mode == "monthly" else BLOCK_LENGTH[mode]
    count = math.ceil(e / length)
    return (length,) * (count - 1) + (e - length * (count - 1),)


def runs(days: Iterable[int]) -> list[tuple[int, int]]:
    """Maximal runs of consecutive days, as (first, last) pairs in order."""
    out: list[tuple[int, int]] = []
    for d in sorted(days):
        if out and d == out[-1][1] + 1:
            out[-1] = (out[-1][0], d)
        else:
            out.append((d, d))
    return out


def half_of(day: int) -> int:
    """0 for days 1-15, 1 for days 16-end (rule 2, half_month)."""
    return 0 if day <= HALF_MONTH_SPLIT else 1


@dataclass(frozen=True)
class CadreDays:
    """One cadre's calendar: what rule 1 allows and asks of them."""

    cadre: Cadre
    index: int
    available: frozenset[int]  # inside the span and outside every away range
    restable: frozenset[int]  # available and not a blackout date (rules 1 and 3)
    entitlement: int
    blocks: tuple[int, ...]  # rule 2 block lengths in date order
    pinned: frozenset[int]
    prefer: frozenset[int]
    avoid: frozenset[int]
    history_days: Fraction
    history_months: int

    @property
    def id(self) -> str:
        return self.cadre.id

    @property
    def weight(self) -> int:
        """Rule-free multiplier of the preference penalty: three for hardship."""
        return 3 if self.cadre.hardship else 1


@dataclass(frozen=True)
class Month:
    """A problem with every date turned into a day number, and its derived facts."""

    problem: Problem
    ndays: int
    blackout: frozenset[int]
    desirable: frozenset[int]
    cadres: tuple[CadreDays, ...]

    @property
    def mode(self) -> Mode:
        return self.problem.policy.mode

    @property
    def days(self) -> range:
        return range(1, self.ndays + 1)

    @property
    def workdays(self) -> list[int]:
        """The days smoothness is taken over (metrics v2): neither desirable nor blackout."""
        return [d for d in self.days if d not in self.desirable and d not in self.blackout]

    def date(self, day: int) -> dt.date:
        return dt.date(self.problem.year, self.problem.month, day)

    def iso(self, day: int) -> str:
        return self.date(day).isoformat()

    def week_of(self, day: int) -> int:
        """Index of the Monday-Sunday week holding `day` (rule 2, weekly)."""
        first_weekday = calendar.weekday(self.problem.year, self.problem.month, 1)
        return (day - 1 + first_weekday) // 7

    def available_on(self, day: int) -> list[CadreDays]:
        return [c for c in self.cadres if day in c.available]

    def coverage_need(self, n_available: int) -> int:
        """Rule 4: cadres that must be on duty when n are available."""
        return math.ceil(self.problem.policy.ratio * n_available)

    def leader_need(self, n_leaders: int) -> int:
        """Rule 5: leaders that must be on duty when n are available."""
        return min(self.problem.policy.min_leaders_on_duty, n_leaders)

    def office_need(self, n_office: int) -> int:
        """Rule 6, read as the checker does: min(minimum, n) when n >= 2, else 0."""
        return 0 if n_office < 2 else min(self.problem.policy.min_on_duty_per_office, n_office)

    def offices(self) -> dict[str, list[CadreDays]]:
        """Cadres by office, offices in order of first appearance."""
        groups: dict[str, list[CadreDays]] = {}
        for c in self.cadres:
            groups.setdefault(c.cadre.office, []).append(c)
        return groups

    def by_id(self) -> dict[str, CadreDays]:
        return {c.id: c for c in self.cadres}


def month_of(problem: Problem) -> Month:
    """Turn a problem into day numbers and compute rule 1 for every cadre."""
    ndays = problem.ndays
    blackout = frozenset(d.day for d in problem.policy.blackout)
    cadres = tuple(_cadre_days(problem, c, i, ndays, blackout) for i, c in enumerate(problem.cadres))
    desirable = frozenset(d.day for d in problem.desirable_dates())
    return Month(problem=problem, ndays=ndays, blackout=blackout, desirable=desirable, cadres=cadres)


def _cadre_days(problem: Problem, cadre: Cadre, index: int, ndays: int, blackout: frozenset[int]) -> CadreDays:
    first = dt.date(problem.year, problem.month, 1)
    last = dt.date(problem.year, problem.month, ndays)
    lo = max(cadre.available_from or first, first)
    hi = min(cadre.available_to or last, last)
    span = {d.day for d in _date_range(lo, hi)}
    for a, b in cadre.away:
        span -= {d.day for d in _date_range(max(a, first), min(b, last))}
    available = frozenset(span)
    e = entitlement(problem.policy.rest_days, len(available), ndays, cadre.carry_days)
    return CadreDays(
        cadre=cadre,
        index=index,
        available=available,
        restable=available - blackout,
        entitlement=e,
        blocks=block_lengths(problem.policy.mode, e),
        pinned=frozenset(d.day for d in cadre.pinned),
        prefer=frozenset(d.day for d in cadre.prefer),
        avoid=frozenset(d.day for d in cadre.avoid),
        history_days=exact(cadre.history.desirable_rest_days),
        history_months=cadre.history.months,
    )


def _date_range(lo: dt.date, hi: dt.date) -> list[dt.date]:
    return [lo + dt.timedelta(days=i) for i in range((hi - lo).days + 1)]


def block_starts(month: Month, restable: frozenset[int], length: int) -> list[int]:
    """Days where a block of `length` rest days may start (rules 1-3).

    Every day of the block must be restable, and in half_month mode the block
    may not cross from day 15 into day 16 (the checker would cut it in two).
    """
    starts = []
    for t in range(1, month.ndays - length + 2):
        span = range(t, t + length)
        if not all(d in restable for d in span):
            continue
        if month.mode == "half_month" and half_of(t) != half_of(t + length - 1):
            continue
        starts.append(t)
    return starts


def next_working_day(cadre: CadreDays, day: int, ndays: int) -> int | None:
    """The first available day after `day`: the working day that separates two weekly blocks."""
    return next((d for d in range(day + 1, ndays + 1) if d in cadre.available), None)


def longest_run(days: Sequence[int] | frozenset[int]) -> int:
    """Length of the longest run of consecutive days."""
    return max((b - a + 1 for a, b in runs(days)), default=0)
