"""The same problem gives the same roster, run after run, with one worker or two."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from scheduler.roster import Problem, load_problem, solve


def test_solving_twice_gives_the_same_roster(make: Callable[..., Problem]) -> None:
    problem = make(
        "weekly", 12, leaders=3, min_leaders_on_duty=2, offices=("党政办", "财政所"), min_on_duty_per_office=1
    )
    first = solve(problem, time_limit=30.0, workers=2)
    second = solve(problem, time_limit=30.0, workers=2)
    assert first.status == second.status == "optimal"
    assert first.rest == second.rest


def test_an_example_gives_the_same_roster_on_every_run(examples: Path) -> None:
    problem = load_problem(str(examples / "own-half-month.json"))
    rosters = [solve(problem, time_limit=30.0).rest for _ in range(3)]
    assert rosters[0] == rosters[1] == rosters[2]
