"""A round-robin roster, drawn the way a secretary would draw it by hand.

Cadres are taken in list order and given staggered block starts: in weekly
mode the i-th cadre rests on weekday i mod 7 of every week, in half-month
mode at offset 4 * (i mod 3) of each half, in monthly mode in the
(i mod k)-th slot of the month.  A block that hits a blackout or an away day
slides to the next day that fits.  Pinned dates, preferences and the duty
limits are not looked at, as on paper.  It is judged by the shared checker
like the solver's answer.
"""

from __future__ import annotations

import calendar
import math
from typing import Any

from scheduler.roster import Problem, month_of
from scheduler.roster.periods import CadreDays, Month, block_starts


def round_robin(problem: Problem) -> dict[str, Any]:
    """A format-v1 solution document with the round-robin roster."""
    month = month_of(problem)
    rest = {c.id: [month.iso(d) for d in sorted(_cadre_rest(month, c))] for c in month.cadres}
    return {"format": "cadrecare.roster-solution/1", "status": "feasible", "rest": rest, "reasons": []}


def _cadre_rest(month: Month, cadre: CadreDays) -> set[int]:
    wanted = _wanted_starts(month, cadre)
    days: set[int] = set()
    for length, start in zip(cadre.blocks, wanted, strict=False):
        # A free day on each side keeps blocks apart, as the rules ask.
        starts = block_starts(month, cadre.restable, length)
        fits = [t for t in starts if t >= start and not days & _span(t - 1, length + 2)]
        if fits:
            days |= _span(fits[0], length)
    return days


def _wanted_starts(month: Month, cadre: CadreDays) -> list[int]:
    i = cadre.index
    if month.mode == "weekly":
        first_weekday = calendar.weekday(month.problem.year, month.problem.month, 1)
        monday = 1 - first_weekday  # may be before the 1st
        return [d for d in (monday + 7 * w + i % 7 for w in range(6)) if 1 <= d <= month.ndays]
    if month.mode == "half_month":
        return [1 + 4 * (i % 3), 16 + 4 * (i % 3)]
    e = max(cadre.entitlement, 1)
    slots = max(1, math.floor(month.ndays / e))
    return [1 + e * (i % slots)]


def _span(start: int, length: int) -> set[int]:
    return set(range(start, start + length))
