"""A deterministic CP-SAT portfolio: single-threaded searches side by side.

CP-SAT's own multi-worker search is fast but not reproducible, and its
interleaved (deterministic) mode costs several times more on this model.  So
each worker here is a separate single-threaded search with its own strategy
and a limit in deterministic time: each search, run alone, always ends on the
same roster.  The portfolio's answer is the best objective, ties going to the
earlier strategy, which is the answer it would give if every search ran to
its own limit.  Searches may be stopped early only when that cannot change
the answer: once one proves its objective optimal, an earlier strategy may
stop as soon as it reaches that value, and a later one at once; and once the
first strategy holds a value no higher than a lower bound any search has
proved, every search stops (that value is then optimal, the first strategy
keeps its roster to its limit, and ties go to it).
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

#: At DEBUG, one line per search: what it found, the bound it proved and the
#: work it spent (benchmarks/roster --trace reads the solver's stages off it).
log = logging.getLogger(__name__)

#: One parameter set per worker, in order of precedence (the default: the
#: roster's stages each pass their own, solve.STAGE_STRATEGIES).  The first leans on
#: the full LP relaxation (linearization level 2), which proves the stages'
#: bounds: on the benchmark's townships it proved the desirable_rest stage
#: where CP-SAT's default search, after ten times the work, was still 30 %
#: off its bound.  The first alone is the search of a one-worker solve.  The second
#: is CP-SAT's default search, which finds rosters sooner on tight months.
STRATEGIES: tuple[dict[str, Any], ...] = (
    {"random_seed": 0, "linearization_level": 2},
    {"random_seed": 1},
)


@dataclass(frozen=True)
class Outcome:
    """The chosen search's status and solver (its values are the roster)."""

    code: cp_model.CpSolverStatus  # OPTIMAL, FEASIBLE, INFEASIBLE, or UNKNOWN (nothing found)
    solver: cp_model.CpSolver
    #: The best lower bound any search proved on the objective.  Deterministic
    #: when nothing was proved (every search then ran to its limit).
    bound: int | None = None

    @property
    def found(self) -> bool:
        return self.code in (cp_model.OPTIMAL, cp_model.FEASIBLE)


@dataclass
class _Race:
    """What the searches share while they run: the best proved value."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    proved: int | None = None
    proved_by: int = -1
    #: The best lower bound any search has proved so far.
    bound: int | None = None
    searches: list[_Search] = field(default_factory=list)

    def on_proof(self, rank: int, value: int) -> None:
        with self.lock:
            self.proved, self.proved_by = value, rank
            for other in self.searches:
                if other.rank > rank or (other.best is not None and other.best <= value):
                    other.solver.stop_search()

    def on_bound(self, bound: float) -> None:
        with self.lock:
            value = math.ceil(bound - 1e-6)
            if self.bound is None or value > self.bound:
                self.bound = value
            self.stop_if_first_at_bound()

    def stop_if_first_at_bound(self) -> None:
        """Stop every search once the first strategy's value meets a proved bound (lock held)."""
        first = self.searches[0].best
        if self.proved is None and first is not None and self.bound is not None and first <= self.bound:
            self.proved, self.proved_by = first, 0
            for other in self.searches:
                other.solver.stop_search()

    def on_infeasible(self) -> None:
        with self.lock:
            for other in self.searches:
                other.solver.stop_search()


class _Search(cp_model.CpSolverSolutionCallback):
    """One single-threaded search of the portfolio."""

    def __init__(self, race: _Race, rank: int, params: dict[str, Any], work: float, seconds: float) -> None:
        super().__init__()
        self.race, self.rank = race, rank
        self.best: int | None = None
        self.code = cp_model.UNKNOWN
        self.solver = cp_model.CpSolver()
        self.solver.parameters.num_workers = 1
        self.solver.parameters.max_deterministic_time = max(work, 0.01)
        self.solver.parameters.max_time_in_seconds = max(seconds, 0.01)
        for key, value in params.items():
            setattr(self.solver.parameters, key, value)
        self.solver.best_bound_callback = race.on_bound

    def on_solution_callback(self) -> None:
        value = round(self.objective_value)
        with self.race.lock:
            self.best = value
            if self.race.proved is not None and value <= self.race.proved:
                self.stop_search()
            elif self.rank == 0:
                self.race.stop_if_first_at_bound()

    def run(self, model: cp_model.CpModel) -> None:
        self.code = self.solver.solve(model, self)
        if self.code == cp_model.OPTIMAL and self.best is not None:
            self.race.on_proof(self.rank, self.best)
        elif self.code == cp_model.INFEASIBLE:
            self.race.on_infeasible()


def minimise(
    model: cp_model.CpModel,
    work: float,
    seconds: float,
    workers: int,
    *,
    lp_unhinted: bool = False,
    strategies: Sequence[dict[str, Any]] = STRATEGIES,
) -> Outcome:
    """Minimise the model's objective with `workers` deterministic searches.

    `work` bounds each search in CP-SAT deterministic time, `seconds` in wall
    time (a safety net: when it binds, the answer may vary between runs).
    With `lp_unhinted` and two workers or more, the LP-led search starts
    without the model's hint (the other searches keep it, and with it a first
    roster): on a count it dives from the LP relaxation to the optimum, where
    from the hint it stays near the previous roster.
    """
    race = _Race()
    race.searches = [
        _Search(race, rank, params, work, seconds) for rank, params in enumerate(strategies[: max(workers, 1)])
    ]
    models = [model] * len(race.searches)
    if lp_unhinted and len(race.searches) > 1:
        models[0] = model.clone()
        models[0].clear_hints()  # type: ignore[no-untyped-call]  # ortools leaves it unannotated
    threads = [threading.Thread(target=s.run, args=(m,)) for s, m in zip(race.searches[1:], models[1:], strict=True)]
    for thread in threads:
        thread.start()
    race.searches[0].run(models[0])
    for thread in threads:
        thread.join()
    # Guarded: the arguments would be computed even with DEBUG off, and
    # response_proto copies the whole response, solution included.
    if log.isEnabledFor(logging.DEBUG):
        for search in race.searches:
            log.debug(
                "search %d: %s best=%s bound=%.0f work=%.3f wall=%.2fs",
                search.rank,
                search.solver.status_name(search.code),
                search.best,
                search.solver.best_objective_bound,
                search.solver.response_proto.deterministic_time,
                search.solver.wall_time,
            )
    if any(s.code == cp_model.INFEASIBLE for s in race.searches):
        return Outcome(cp_model.INFEASIBLE, race.searches[0].solver)
    bound = max(math.ceil(s.solver.best_objective_bound - 1e-6) for s in race.searches)
    found = [s for s in race.searches if s.best is not None]
    if not found:
        return Outcome(cp_model.UNKNOWN, race.searches[0].solver, bound)
    chosen = min(found, key=lambda s: (s.best, s.rank))
    proved = race.proved is not None and chosen.best == race.proved
    if race.proved is None:
        # No search proved its own value, so none was stopped early: each ran to
        # its limit and its bound is as deterministic as its roster.  One
        # search's roster may meet another's bound (the LP-led search bounds,
        # the default search finds): that is a proof too.
        proved = chosen.best is not None and chosen.best <= bound
    return Outcome(cp_model.OPTIMAL if proved else cp_model.FEASIBLE, chosen.solver, bound)
