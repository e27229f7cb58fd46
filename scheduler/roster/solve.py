"""solve(): a roster for a problem, or the reasons none exists.

The quality terms are optimised lexicographically by sequential CP-SAT solves
(roster-problem.md, "Quality"): each phase minimises one term with the
previous terms held at their best value, starting from the previous roster.
The search is deterministic: a fixed seed and, with several workers,
CP-SAT's interleaved search, whose result does not depend on thread timing.
The wall-clock limit is a safety net; when it cuts a phase short the roster
is still valid but reported `feasible`, and may differ between machines.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence

from ortools.sat.python import cp_model

from .check import check
from .explain import explain, precheck
from .model import RosterModel, build
from .objective import Term, terms
from .periods import Month, month_of
from .problem import Problem, Reason, Solution, Status

#: Share of the remaining time each phase may use; later phases start from
#: the previous roster, so they need less.
PHASE_SHARE = (0.5, 0.5, 1.0)


class SolveTimeout(RuntimeError):
    """No roster was found, and none was proved impossible, within the time limit."""


def solve(problem: Problem, time_limit: float = 10.0, workers: int = 2) -> Solution:
    """The best roster for `problem`, or an `infeasible` solution with reasons.

    Raises SolveTimeout when the time limit passes before any roster is found
    or proved impossible.
    """
    deadline = time.monotonic() + time_limit
    month = month_of(problem)
    reasons = precheck(month)
    if reasons:
        return _infeasible(reasons)
    rm = build(month)
    status, rest = _lexicographic(rm, terms(rm), deadline, workers)
    if status == "infeasible":
        return _infeasible(explain(month, deadline, workers))
    report = check(month, rest)
    if not report.valid:
        # A bug in the model, not in the problem: never hand out a broken roster.
        raise RuntimeError(f"solver produced an invalid roster: {report.violations[0]}")
    return Solution(status=status, rest=rest, metrics=report.metrics)


def _infeasible(reasons: Sequence[Reason]) -> Solution:
    return Solution(status="infeasible", rest={}, metrics=None, reasons=tuple(reasons))


def solver_for(seconds: float, workers: int) -> cp_model.CpSolver:
    """A CP-SAT solver whose answer depends only on the model (not on thread timing)."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(seconds, 0.01)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = 0
    solver.parameters.interleave_search = workers > 1
    return solver


def _lexicographic(
    rm: RosterModel, quality: Sequence[Term], deadline: float, workers: int
) -> tuple[Status, dict[str, tuple[dt.date, ...]]]:
    """Minimise each term in turn, holding the earlier ones at their best value."""
    proved = True
    rest: dict[str, tuple[dt.date, ...]] = {}
    for share, term in zip(PHASE_SHARE, quality, strict=True):
        solver = solver_for((deadline - time.monotonic()) * share, workers)
        rm.model.minimize(term.expr)
        code = solver.solve(rm.model)
        if code == cp_model.INFEASIBLE:
            return "infeasible", {}
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if not rest:
                raise SolveTimeout(
                    f"在时限内既未找到排班，也未能证明无解；请放宽时限后重试"
                    f"（no roster found and none proved impossible within the time limit)"
                )
            proved = False
            break
        proved = proved and code == cp_model.OPTIMAL
        rest = _rest_of(rm, solver)
        rm.model.add(term.expr <= round(solver.objective_value))
        _hint(rm, solver)
    return ("optimal" if proved else "feasible"), rest


def _rest_of(rm: RosterModel, solver: cp_model.CpSolver) -> dict[str, tuple[dt.date, ...]]:
    month: Month = rm.month
    return {
        c.id: tuple(month.date(d) for d in month.days if (c.index, d) in rm.rest and solver.value(rm.rest[c.index, d]))
        for c in month.cadres
    }


def _hint(rm: RosterModel, solver: cp_model.CpSolver) -> None:
    """Start the next phase from this roster: it already satisfies the new bound."""
    rm.model.clear_hints()
    for placements in rm.placements.values():
        for p in placements:
            rm.model.add_hint(p.var, solver.boolean_value(p.var))
