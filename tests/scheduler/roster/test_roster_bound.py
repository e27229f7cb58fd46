"""The bound a search proves, and the second search at that bound (search.minimise, solve._at_bound).

A stage of the first three that ends unproved is searched again with its
objective cut to the bound its searches proved: a roster found there is
optimal by definition.  The first specs use tiny CP-SAT models whose
optimum is known, so that they pin the bookkeeping (the bound, the
objective's constant) rather than the roster model; the last one solves a
small generated township whose fairness stage stalls above its bound.
"""

from __future__ import annotations

import importlib
import json
import random
import time
from collections.abc import Callable
from typing import Any

import pytest
from ortools.sat.python import cp_model

from benchmarks.roster.generate import township
from scheduler.roster import Problem, loads_json, problem_from_json, solve
from scheduler.roster.check import check
from scheduler.roster.model import RosterModel, build
from scheduler.roster.objective import fairness_spread
from scheduler.roster.periods import month_of
from scheduler.roster.search import Outcome, _Race, _Search, minimise
from scheduler.roster.solve import STAGE_STRATEGIES, _at_bound

#: The module itself (the package exports its function `solve` under the same name).
solve_module = importlib.import_module("scheduler.roster.solve")

#: The optimum of `vertex_cover()`, proved by CP-SAT in well under a unit of work.
COVER_OPTIMUM = 43


def vertex_cover() -> cp_model.CpModel:
    """The fewest of 60 vertices touching every edge of a fixed random graph,
    hinted with all of them: the LP bound is far below the optimum, so a
    search with almost no work holds a cover it cannot prove."""
    rng = random.Random(1)
    model = cp_model.CpModel()
    xs = [model.new_bool_var(f"x{i}") for i in range(60)]
    for i in range(60):
        for j in range(i + 1, 60):
            if rng.random() < 0.2:
                model.add_bool_or([xs[i], xs[j]])
    for x in xs:
        model.add_hint(x, 1)
    model.minimize(sum(xs))
    return model


def refunds(prefer: int = 5, room: int = 3) -> cp_model.CpModel:
    """Shaped like the preference term: every prefer date counts, each one
    rested is refunded (a constant minus a sum), at most `room` rested.
    Its optimum is prefer - room, and its objective has a constant offset."""
    model = cp_model.CpModel()
    rested = [model.new_bool_var(f"r{i}") for i in range(prefer)]
    model.add(sum(rested) <= room)
    model.minimize(prefer - sum(rested))
    return model


def plain() -> cp_model.CpModel:
    """min 2x + 3y with x + y >= 7 over 0..10: 14 at x = 7, no constant."""
    model = cp_model.CpModel()
    x, y = model.new_int_var(0, 10, "x"), model.new_int_var(0, 10, "y")
    model.add(x + y >= 7)
    model.minimize(2 * x + 3 * y)
    return model


def holding(model: cp_model.CpModel, make: Callable[..., Problem]) -> RosterModel:
    """A roster model whose CP-SAT model is `model` (_at_bound reads only that)."""
    return RosterModel(month_of(make("weekly", 3)), relaxable=False, model=model)


def unproved(bound: int | None) -> Outcome:
    """A stage's outcome: a roster in hand, not proved, with this bound."""
    return Outcome(cp_model.FEASIBLE, cp_model.CpSolver(), bound)


def at_bound(model: cp_model.CpModel, bound: int | None, make: Callable[..., Problem]) -> Outcome | None:
    fairness = STAGE_STRATEGIES[2]
    return _at_bound(holding(model, make), unproved(bound), 1.0, time.monotonic() + 30.0, 2, fairness)


# search.minimise: the bound on its outcome


def test_a_proved_search_returns_its_optimum_as_the_bound() -> None:
    for workers in (1, 2):
        outcome = minimise(plain(), 1.0, 30.0, workers)
        assert outcome.code == cp_model.OPTIMAL
        assert outcome.bound == round(outcome.solver.objective_value) == 14


def test_the_bound_counts_the_objectives_constant() -> None:
    # The bound is on the objective as the stage reads it (offset included),
    # which is what _at_bound compares its roster's value with.
    outcome = minimise(refunds(), 1.0, 30.0, 1)
    assert outcome.code == cp_model.OPTIMAL
    assert outcome.bound == round(outcome.solver.objective_value) == 2


def test_an_unproved_search_returns_the_lower_bound_it_proved() -> None:
    # One single-threaded search run to its limit of work is deterministic,
    # its bound too; the second worker's search may only raise it.
    for workers in (1, 2):
        outcomes = [minimise(vertex_cover(), 0.01, 30.0, workers) for _ in range(2)]
        first = outcomes[0]
        assert first.code == cp_model.FEASIBLE
        assert first.bound is not None
        assert first.bound >= int(first.solver.best_objective_bound - 1e-6)
        assert 0 < first.bound <= COVER_OPTIMUM < round(first.solver.objective_value)
        assert outcomes[1].bound == first.bound
    assert minimise(vertex_cover(), 1.0, 30.0, 1).bound == COVER_OPTIMUM


def test_the_first_search_meeting_a_proved_bound_ends_the_race() -> None:
    # Its value is then optimal and, ties going to it, the answer: every
    # search may stop.  A later search meeting the bound may not stop the
    # first, which could still reach that value and take precedence.
    race = _Race()
    race.searches = [_Search(race, rank, {}, 1.0, 30.0) for rank in range(2)]
    race.searches[0].best, race.searches[1].best = 45, 43
    race.on_bound(43.0)
    assert race.proved is None
    race.searches[0].best = 43
    race.stop_if_first_at_bound()
    assert (race.proved, race.proved_by) == (43, 0)


# solve._at_bound: a roster at the bound, or None


def test_at_the_true_optimum_the_search_returns_an_optimal_roster_there(make: Callable[..., Problem]) -> None:
    found = at_bound(plain(), 14, make)
    assert found is not None
    assert found.code == cp_model.OPTIMAL
    assert found.bound == round(found.solver.objective_value) == 14


def test_the_cut_subtracts_the_objectives_constant(make: Callable[..., Problem]) -> None:
    # The domain bounds the linear part (-sum(rested) here, at -3 for the
    # optimum 2): cut at the bound itself it would ask for -sum = 2, which no
    # roster meets, and the search would wrongly find nothing.
    model = refunds()
    assert model.proto.objective.offset == 5
    found = at_bound(model, 2, make)
    assert found is not None
    assert found.code == cp_model.OPTIMAL
    assert found.bound == round(found.solver.objective_value) == 2


def test_the_cut_leaves_the_stages_model_as_it_was(make: Callable[..., Problem]) -> None:
    # The later stages go on from the stage's model: the cut is on a copy.
    model = refunds()
    at_bound(model, 2, make)
    assert list(model.proto.objective.domain) == []
    assert minimise(model, 1.0, 30.0, 1).bound == 2


def test_a_bound_below_the_optimum_gives_nothing(make: Callable[..., Problem]) -> None:
    assert at_bound(plain(), 13, make) is None
    assert at_bound(refunds(), 1, make) is None
    assert at_bound(vertex_cover(), COVER_OPTIMUM - 1, make) is None


def test_an_outcome_without_a_bound_gives_nothing(make: Callable[..., Problem]) -> None:
    assert at_bound(plain(), None, make) is None


# solve(): a stage that ends unproved, proved at its bound


def test_a_stage_stalled_above_its_bound_is_proved_at_the_bound(
    monkeypatch: pytest.MonkeyPatch, judge: Callable[[Problem, Any], dict[str, Any]]
) -> None:
    # A generated 12-cadre weekly township whose fairness stage, with 0.3 s of
    # work and one search, holds a roster above the bound it proved; cut to
    # the bound, the search finds a roster there.  One search and a wall limit
    # far beyond the work make every limit deterministic.
    problem = problem_from_json(loads_json(json.dumps(township(9, size=12).doc)))
    searched: list[tuple[Outcome, Outcome | None]] = []

    def spy(rm: RosterModel, outcome: Outcome, *rest: Any) -> Outcome | None:
        found = _at_bound(rm, outcome, *rest)
        searched.append((outcome, found))
        return found

    monkeypatch.setattr(solve_module, "_at_bound", spy)
    solution = solve(problem, time_limit=0.3, workers=1, wall_limit=60.0)

    [(stalled, found)] = searched
    assert stalled.code == cp_model.FEASIBLE
    assert stalled.bound is not None and stalled.bound < round(stalled.solver.objective_value)
    assert found is not None and found.code == cp_model.OPTIMAL
    # Smoothness may be proved too, with the work the stage has left.
    assert solution.proved[:3] == ("preference_penalty", "desirable_rest", "fairness_spread")
    report = judge(problem, solution)
    assert report["valid"] is True, report["violations"]
    month = month_of(problem)
    scale = fairness_spread(build(month)).scale
    assert check(month, solution.rest).metrics.fairness_spread * scale == stalled.bound
