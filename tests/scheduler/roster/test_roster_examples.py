"""Examples solve to valid rosters at least as good as their reference ones:
our own (one per rest mode, under tests/) always, and the exchange format's
public examples, whose references are proved optimal, when they are beside the clone.

"At least as good" is lexicographic, as roster-problem.md orders the
quality terms (metrics v2): preference_penalty, then desirable_rest (higher is
better), then fairness_spread, then smoothness.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from scheduler.roster import load_problem, solve
from tests.scheduler.roster.conftest import OWN_EXAMPLES


@pytest.mark.parametrize("name", OWN_EXAMPLES)
def test_our_example_solves_valid_and_no_worse_than_its_solution(
    name: str, examples: Path, judge: Callable[..., dict[str, Any]]
) -> None:
    solves_valid_and_no_worse_than_the_reference(examples, name, judge)


@pytest.mark.parametrize("name", ["example-weekly", "example-half-month", "example-monthly"])
def test_shared_example_solves_valid_and_no_worse_than_the_reference(
    name: str, shared_examples: Path, judge: Callable[..., dict[str, Any]]
) -> None:
    solves_valid_and_no_worse_than_the_reference(shared_examples, name, judge)


def solves_valid_and_no_worse_than_the_reference(folder: Path, name: str, judge: Callable[..., dict[str, Any]]) -> None:
    problem = load_problem(str(folder / f"{name}.json"))
    reference = json.loads((folder / "solutions" / f"{name}.solution.json").read_text(encoding="utf-8"))

    solution = solve(problem, time_limit=30.0)
    report = judge(problem, solution)

    assert report["valid"] is True, report["violations"]
    assert report["notes"] == []  # the metrics the solver claims are the checker's
    assert rank(report["metrics"]) <= rank(reference["metrics"])


def rank(metrics: dict[str, Any]) -> tuple[float, ...]:
    """Metrics v2 as a key under which smaller is better: desirable_rest counts the other way."""
    return (
        metrics["preference_penalty"],
        -metrics["desirable_rest"],
        metrics["fairness_spread"],
        metrics["smoothness"],
    )
