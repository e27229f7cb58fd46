"""solve(): a roster for a problem, or the reasons none exists.

The quality terms are optimised lexicographically by sequential CP-SAT solves
(roster-problem.md, "Quality"): each phase minimises one term with the
previous terms held at their best value, starting from the previous roster.
The search is deterministic (see search.py): its limits are in CP-SAT's
deterministic time, so the same problem gives the same roster on any
machine.  The wall-clock limit is only a safety net for a loaded machine;
when it cuts a phase short the roster is still valid, but reported
`feasible`, and may differ from run to run.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from ortools.sat.python import cp_model

from .check import check
from .explain import explain, precheck
from .greedy import Blocks, greedy_roster
from .model import RosterModel, build
from .objective import PHASES, Term
from .periods import month_of
from .problem import Problem, Reason, Solution, Status
from .search import Outcome, minimise

log = logging.getLogger(__name__)

#: Each phase's share of the deterministic work (fixed, so that the roster
#: does not depend on how fast an earlier phase ended) and of the wall time
#: left when it starts.  The largest townships prove their preference stage
#: in up to 0.46 units (weekly-134), desirable_rest in up to 1.1
#: (weekly-133) and fairness in about 1.5 when it is proved (weekly-130).
WORK_SHARE = (0.15, 0.35, 0.35, 0.15)
#: The shares when every stage before was proved optimal: then smoothness gets
#: 2.55 units instead of 0.51, as its proof counts only after the first three
#: (and after an unproved stage its work only polishes the roster).  Its LP
#: bound stays at 0 for about a unit (weekly-72: the optimum 8, bound 0 after
#: 0.51 units with 15 in hand, proved at 1.24).  With 1.5 units, 29 of the
#: benchmark's 38 townships whose first three stages are proved proved it;
#: with 2.04, 31; with 2.55, 33 (half_month-147 51 -> 32, weekly-92 5 -> 3),
#: its mean over the set 23.8 -> 21.6, for 10 more units over the set, 1-1.3 s
#: more wall on the largest; 3.06 units proved no more (seventh pass).
WORK_SHARE_PROVED = (0.15, 0.35, 0.35, 0.75)
WALL_SHARE = (0.4, 0.5, 0.6, 1.0)
#: CP-SAT deterministic time granted per second of time limit: 3.4 units at
#: the default 10 s (0.51, 1.19, 1.19 and 0.51 for the stages; the last 2.55
#: after three proofs), 6.8 for the workbench's 20 s.  Most stages are proved
#: in a small part of it (a search stops at its proof); the budget is spent
#: whole only on a stage that is not proved.  The wall-clock limit stays a
#: safety net for a loaded machine.  On the 2-core benchmark machines a unit
#: has cost 1.1-3.6 s of wall with both searches running (the most on the
#: large weekly townships), so the largest, which spend their whole budget,
#: took 8.2-9.5 s on the seventh pass's machine and 11-13 s on the sixth's,
#: where the net cut them at the default limit; 0.25 units a second lost the
#: desirable_rest stage on three of them (benchmarks/README, sixth pass).
WORK_PER_SECOND = 0.34
#: Whether the LP-led search starts each stage without the previous roster
#: (search.minimise).  On the counts (preference, desirable rest) its own dive
#: from the LP reaches the optimum sooner: weekly-130's desirable_rest stage
#: was proved in 0.88 units unhinted, 1.22 hinted, and from the placements
#: alone (the old hint) not in 4.  On the spreads the previous roster is the
#: better start: weekly-130's fairness was proved in 1.46 units hinted, while
#: unhinted it stood at 1260 against 900 after 1.5.
LP_UNHINTED = (True, True, False, False)
#: The portfolio of each stage (search.minimise), in order of precedence.  On
#: the first three stages, an LP-led search (the one that proves their
#: bounds) and CP-SAT's default search, which finds rosters sooner on tight
#: months.  On fairness the LP-led search puts every linear constraint in its
#: LP from the start rather than as it is violated: on the benchmark that
#: stage took 19.1 units over 39 townships instead of 22.0, and fairness was
#: proved on 38 instead of 36 (half_month-147 4.57 -> 4.14, half_month-129
#: 3.6 -> 3.4); weekly-133's unproved fairness went 4.67 -> 5.0, and
#: smoothness, which starts from other rosters, is better on five townships
#: and worse on four.  Leading stages 1-2 too saved their work but handed on
#: rosters from which fairness and smoothness lost proofs (stages 1-3 proved
#: on 35, all four on 26).  On smoothness the default search proved nothing
#: and held a worse roster than the LP-led search (weekly-72: 15 against 8
#: after 1.5 units), so there the full-LP search leads and the lazy one
#: follows: alone on the benchmark's dumped smoothness models the full LP
#: proved 11 of 12 within 1.6 units in 6.37 units where the lazy LP proved 9
#: in 10.38 (monthly-70: 0.26 against 1.27).  The lazy LP-led search keeps
#: the better roster where it stalls (weekly-65: 2 against 16), and its
#: bound can end the stage (search.py).
#:
#: Every search folds the LP over the model's symmetries (cadres of the same
#: office, leader flag and days are interchangeable: CP-SAT finds an orbitope
#: of 37 x 9 on monthly-77), one LP variable an orbit, which needs the
#: symmetry kept through presolve; and presolves once rather than to a fixed
#: point (each stage presolves the whole model again, and later rounds found
#: little).  On the benchmark's 39 feasible townships the first cut the work
#: from 67.3 to 58.9 units, the second to 55.0; the median wall time went
#: from 3.08 to 2.07 s and the max from 9.93 to 7.5 s, with the same stages
#: proved (38 and 29) and the same first three metrics everywhere.
#: Smoothness, where it is not proved, moved both ways (five better, six
#: worse, its mean 22.6 -> 23.8), won back with the work saved: see
#: WORK_SHARE_PROVED and benchmarks/README, seventh pass.
_COMMON = {"keep_symmetry_in_presolve": True, "use_symmetry_in_lp": True, "max_presolve_iterations": 1}
_LP_LAZY = {"random_seed": 0, "linearization_level": 2, **_COMMON}
_LP_FULL = {**_LP_LAZY, "add_lp_constraints_lazily": False}
_DEFAULT = {"random_seed": 1, **_COMMON}
STAGE_STRATEGIES = ((_LP_LAZY, _DEFAULT), (_LP_LAZY, _DEFAULT), (_LP_FULL, _DEFAULT), (_LP_FULL, _LP_LAZY))
#: The work of a second search in a stage that ended unproved: for a roster
#: whose value is the bound the searches proved (the objective's domain cut to
#: that one value), the LP-led search from its own dive.  On the fairness stage
#: of the largest townships the bound was the optimum from the start and the
#: searches stalled above it (weekly-130: 1260 in hand after 1.19 units, bound
#: 900); cut to 900 the LP-led search found it in 0.47 units.  Only for the
#: first three stages, whose proofs the roster is judged by.  Its work (0.85
#: units at 10 s; weekly-150 needed 0.71) is taken from the smoothness stage,
#: so that a solve costs about what it did: 2.55 - 0.85 units are left for
#: smoothness after such a proof, none after a search that found nothing.
AT_BOUND_SHARE = 0.25
AT_BOUND_STAGES = 3


class SolveTimeout(RuntimeError):
    """No roster was found, and none was proved impossible, within the time limit."""


def solve(problem: Problem, time_limit: float = 10.0, workers: int = 2, *, wall_limit: float | None = None) -> Solution:
    """The best roster for `problem`, or an `infeasible` solution with reasons.

    `time_limit` sets the deterministic work (and so the roster); the wall
    clock stops the search at `wall_limit`, by default the time limit (a
    benchmark on a shared machine gives it more, to measure the roster an idle
    machine would give).  Raises SolveTimeout when the wall limit passes before
    any roster is found or proved impossible.
    """
    wall = time_limit if wall_limit is None else wall_limit
    # Leave a little of the limit for the final check and the answer itself.
    deadline = time.monotonic() + wall - min(1.0, 0.1 * wall)
    month = month_of(problem)
    reasons = precheck(month)
    if reasons:
        return _infeasible(reasons)
    rm = build(month)
    drawn = greedy_roster(month)
    if drawn is not None:
        _hint_blocks(rm, drawn)
    status, rest, proved = _lexicographic(rm, PHASES, time_limit, deadline, workers, _dates(rm, drawn))
    if status == "infeasible":
        return _infeasible(explain(month, deadline, workers))
    report = check(month, rest)
    if not report.valid:
        # A bug in the model, not in the problem: never hand out a broken roster.
        raise RuntimeError(f"solver produced an invalid roster: {report.violations[0]}")
    return Solution(status=status, rest=rest, metrics=report.metrics, proved=proved)


def _infeasible(reasons: Sequence[Reason]) -> Solution:
    return Solution(status="infeasible", rest={}, metrics=None, reasons=tuple(reasons))


def _lexicographic(
    rm: RosterModel,
    phases: Sequence[Callable[[RosterModel], Term]],
    time_limit: float,
    deadline: float,
    workers: int,
    drawn: dict[str, tuple[dt.date, ...]],
) -> tuple[Status, dict[str, tuple[dt.date, ...]], tuple[str, ...]]:
    """Minimise each term in turn, holding the earlier ones at their best value.

    `drawn` is the greedy roster (empty if none): the answer when CP-SAT finds
    nothing better in time.  Also returns the terms whose stage was proved
    optimal (a stage after one not proved is optimal only under the bound the
    earlier stage reached, so it is not counted).
    """
    proved: list[str] = []
    rest = drawn
    last: cp_model.CpSolver | None = None  # the search whose roster is in hand
    borrowed = 0.0  # the work lent to searches at a bound, taken from the last stage's
    stages = zip(WORK_SHARE, WORK_SHARE_PROVED, WALL_SHARE, LP_UNHINTED, STAGE_STRATEGIES, phases, strict=True)
    for stage, (work_share, proved_share, wall_share, lp_unhinted, strategies, phase) in enumerate(stages):
        spreads = len(rm.spreads)
        term = phase(rm)
        rm.model.minimize(term.expr)
        if last is not None:
            _hint_spreads(rm, last, spreads)
        # Whether the earlier stages were proved is itself deterministic, so the
        # budget, and the roster, still are.
        work = time_limit * WORK_PER_SECOND * (proved_share if len(proved) == stage else work_share)
        if stage == len(phases) - 1:
            work = max(work - borrowed, 0.0)
        seconds = (deadline - time.monotonic()) * wall_share
        log.debug("stage %d (%s): work %.2f", stage + 1, term.name, work)
        outcome = minimise(rm.model, work, seconds, workers, lp_unhinted=lp_unhinted, strategies=strategies)
        if outcome.code == cp_model.INFEASIBLE:
            return "infeasible", {}, ()
        if not outcome.found:
            if not rest:
                raise SolveTimeout(
                    "在时限内既未找到排班，也未能证明无解；请放宽时限后重试"
                    "（no roster found and none proved impossible within the time limit）"
                )
            # Nothing new within this stage's work: hold the term at its value in
            # the roster in hand (still the hint) and go on, so that a stage that
            # stalls does not leave the later terms unoptimised.
            rm.model.add(term.expr <= _value(rm, stage, term, rest))
            continue
        if outcome.code == cp_model.FEASIBLE and len(proved) == stage < AT_BOUND_STAGES:
            lent = time_limit * WORK_PER_SECOND * AT_BOUND_SHARE
            at_bound = _at_bound(rm, outcome, lent, deadline, workers, strategies)
            borrowed += lent
            outcome = at_bound or outcome
        if outcome.code == cp_model.OPTIMAL and len(proved) == stage:
            proved.append(term.name)
        rest, last = _rest_of(rm, outcome.solver), outcome.solver
        rm.model.add(term.expr <= round(outcome.solver.objective_value))
        _hint(rm, outcome.solver)
    return ("optimal" if len(proved) == len(phases) else "feasible"), rest, tuple(proved)


def _at_bound(
    rm: RosterModel, outcome: Outcome, work: float, deadline: float, workers: int, strategies: Sequence[dict[str, Any]]
) -> Outcome | None:
    """A roster at the bound of an unproved stage, hence optimal, or None when none was found.

    The bound is deterministic (every search ran to its limit), so this search
    and its roster are too.
    """
    if outcome.bound is None:
        return None
    log.debug("at the bound %d: work %.2f", outcome.bound, work)
    capped = rm.model.clone()
    objective = capped.proto.objective
    # The domain bounds the objective's linear part, without its constant (the
    # preference term counts every prefer date and refunds those rested).
    at = outcome.bound - round(objective.offset)
    objective.domain.extend([at, at])
    found = minimise(capped, work, deadline - time.monotonic(), workers, lp_unhinted=True, strategies=strategies)
    if not found.found or round(found.solver.objective_value) != outcome.bound:
        return None
    return Outcome(cp_model.OPTIMAL, found.solver, outcome.bound)


def _value(rm: RosterModel, stage: int, term: Term, rest: dict[str, tuple[dt.date, ...]]) -> int:
    """The term's value (in its integer scale) on a roster."""
    value = check(rm.month, rest).metrics.rank()[stage] * term.scale
    if value != int(value):
        raise AssertionError(f"{term.name}: {value} is not a whole number in the term's scale")
    return int(value)


def _rest_of(rm: RosterModel, solver: cp_model.CpSolver) -> dict[str, tuple[dt.date, ...]]:
    month = rm.month
    return {
        c.id: tuple(month.date(d) for d in month.days if (c.index, d) in rm.rest and solver.value(rm.rest[c.index, d]))
        for c in month.cadres
    }


def _dates(rm: RosterModel, drawn: dict[str, Blocks] | None) -> dict[str, tuple[dt.date, ...]]:
    """A greedy roster as rest dates (empty when there is none)."""
    if drawn is None:
        return {}
    return {
        cid: tuple(rm.month.date(d) for start, length in blocks for d in range(start, start + length))
        for cid, blocks in drawn.items()
    }


def _hint_blocks(rm: RosterModel, drawn: dict[str, Blocks]) -> None:
    """Start the first phase from the greedy roster."""
    for cadre in rm.month.cadres:
        chosen = set(drawn[cadre.id])
        for p in rm.placements[cadre.index]:
            rm.model.add_hint(p.var, (p.start, p.length) in chosen)


def _hint(rm: RosterModel, solver: cp_model.CpSolver) -> None:
    """Start the next phase from this roster: it already satisfies the new bound.

    Every variable is hinted, not only the placements: CP-SAT takes a complete
    feasible hint as its first solution at once, whereas from the placements
    alone its default search spent a whole stage's work (0.75 units, 17,000
    branches on the 130-cadre weekly-130) rebuilding the roster it was given.
    """
    rm.model.clear_hints()  # type: ignore[no-untyped-call]  # ortools leaves it unannotated
    values = list(solver.response_proto.solution)
    hint = rm.model.proto.solution_hint
    hint.vars.extend(range(len(values)))
    hint.values.extend(values)


def _hint_spreads(rm: RosterModel, solver: cp_model.CpSolver, first: int) -> None:
    """Hint the bounds of the spreads added since `first` at their value in the solver's roster."""
    for top, bottom, values in rm.spreads[first:]:
        known = [solver.value(v) for v in values]
        rm.model.add_hint(top, max(known))
        rm.model.add_hint(bottom, min(known))
