"""The quality terms of roster-problem.md as CP-SAT expressions, in order of importance.

solve.py optimises them lexicographically (metrics v2): the best
preference_penalty first, then the most desirable_rest at that penalty, then
the lowest fairness_spread, then the lowest smoothness over workdays.  Every
term is an integer expression to minimise (desirable_rest is negated, as it is
better higher); fairness_spread, a rational, is scaled by a common denominator
so that no precision is lost.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .model import RosterModel, rest_literals


@dataclass(frozen=True)
class Term:
    """A metric as an integer expression; the metric is `expr / scale`."""

    name: str
    expr: cp_model.LinearExprT
    scale: int = 1


def preference_penalty(rm: RosterModel) -> Term:
    """Quality 1: prefer dates not rested plus avoid dates rested, counted 3x for hardship."""
    constant = 0
    parts: list[cp_model.LinearExprT] = []
    for c in rm.month.cadres:
        prefer = rest_literals(rm, c, sorted(c.prefer))
        avoid = rest_literals(rm, c, sorted(c.avoid))
        # An unrested prefer date costs weight: count all, refund those rested.
        constant += c.weight * len(c.prefer)
        parts += [-c.weight * v for v in prefer] + [c.weight * v for v in avoid]
    return Term("preference_penalty", sum(parts) + constant)


def desirable_rest(rm: RosterModel) -> Term:
    """Quality 2, negated: the (cadre, weekend-or-holiday) rest days, the more the better."""
    desirable = sorted(rm.month.desirable)
    rested = [v for c in rm.month.cadres for v in rest_literals(rm, c, desirable)]
    return Term("desirable_rest", -sum(rested))


def fairness_spread(rm: RosterModel) -> Term:
    """Quality 3: max minus min of (history + desirable days rested) / (months + 1).

    Rates are multiplied by the least common multiple of their denominators.
    """
    cadres = rm.month.cadres
    scale = math.lcm(1, *((c.history_months + 1) * c.history_days.denominator for c in cadres))
    rates: list[cp_model.LinearExprT] = []
    lo, hi = math.inf, -math.inf
    for c in cadres:
        per_day = scale // (c.history_months + 1)
        base = c.history_days * per_day  # an integer: scale clears every denominator
        desirable = rest_literals(rm, c, sorted(rm.month.desirable))
        rates.append(int(base) + per_day * sum(desirable))
        lo = min(lo, int(base))
        hi = max(hi, int(base) + per_day * min(len(desirable), c.entitlement))
    if not rates:
        return Term("fairness_spread", 0, scale)
    return Term("fairness_spread", spread(rm, rates, int(lo), int(hi), "rate"), scale)


def smoothness(rm: RosterModel) -> Term:
    """Quality 4: over workdays (neither desirable nor blackout), the most cadres resting minus the fewest."""
    month = rm.month
    counts = [sum(v for c in month.cadres for v in rest_literals(rm, c, [d])) for d in month.workdays]
    if len(counts) < 2:
        return Term("smoothness", 0)
    return Term("smoothness", spread(rm, counts, 0, len(month.cadres), "count"))


def spread(rm: RosterModel, values: Sequence[cp_model.LinearExprT], lo: int, hi: int, name: str) -> cp_model.LinearExpr:
    """An upper bound minus a lower bound of `values`: their spread once minimised.

    Plain inequalities rather than max/min equalities keep the LP relaxation
    tight, and minimisation pushes the bounds onto the extreme values.
    """
    top = rm.model.new_int_var(lo, hi, f"{name}_max")
    bottom = rm.model.new_int_var(lo, hi, f"{name}_min")
    for value in values:
        rm.model.add(bottom <= value)
        rm.model.add(value <= top)
    rm.spreads.append((top, bottom, list(values)))
    return top - bottom


#: The quality terms in their order of importance.  Each is added to the model
#: only when its phase starts, so earlier phases search a smaller model.
PHASES: tuple[Callable[[RosterModel], Term], ...] = (preference_penalty, desirable_rest, fairness_spread, smoothness)
