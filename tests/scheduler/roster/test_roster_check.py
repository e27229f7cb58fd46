"""Our checker (``python -m scheduler check``'s reading of the rules) on our
own examples: each example's solution is valid with the metrics it claims,
and each way of breaking it is named by the rule it breaks.

When shared/roster_check.py is beside the clone, every judgement here is also
held to it (tests/roster_judge.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.roster_judge import judge
from tests.scheduler.roster.conftest import EXAMPLES, OWN_EXAMPLES


def example(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    def read(path: Path) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return loaded

    return read(EXAMPLES / f"{name}.json"), read(EXAMPLES / "solutions" / f"{name}.solution.json")


@pytest.mark.parametrize("name", OWN_EXAMPLES)
def test_an_examples_solution_is_valid_with_the_metrics_it_claims(name: str) -> None:
    problem, solution = example(name)

    report = judge(problem, solution)

    assert report["valid"] is True, report["violations"]
    assert report["metrics"] == solution["metrics"]
    assert report["notes"] == []


def one_day_short(rest: dict[str, list[str]]) -> None:
    rest["m01"] = rest["m01"][:-1]


def on_the_blackout_date(rest: dict[str, list[str]]) -> None:  # 15 June is blacked out
    rest["m00"] = [day for day in rest["m00"] if day not in ("2027-06-16", "2027-06-17")] + ["2027-06-15", "2027-06-16"]


def the_pair_together(rest: dict[str, list[str]]) -> None:  # m00 and m01 may never rest together
    rest["m00"] = list(rest["m01"])


def the_pinned_day_worked(rest: dict[str, list[str]]) -> None:  # m10 is pinned to rest on 26 June
    rest["m10"] = list(rest["m00"])


def everyone_off_on_the_first_weekend(rest: dict[str, list[str]]) -> None:
    for cadre in ("m02", "m11"):
        rest[cadre] = list(rest["m01"])


@pytest.mark.parametrize(
    ("breaking", "rule"),
    [
        (one_day_short, 1),
        (on_the_blackout_date, 3),
        (everyone_off_on_the_first_weekend, 4),
        (the_pair_together, 7),
        (the_pinned_day_worked, 8),
    ],
)
def test_a_broken_roster_is_named_by_the_rule_it_breaks(
    breaking: Callable[[dict[str, list[str]]], None], rule: int
) -> None:
    problem, solution = example("own-weekly")
    breaking(solution["rest"])

    report = judge(problem, solution)

    assert report["valid"] is False
    assert rule in {violation["rule"] for violation in report["violations"]}


def test_metrics_a_solution_claims_wrongly_are_noted() -> None:
    problem, solution = example("own-monthly")
    solution["metrics"]["smoothness"] += 1

    report = judge(problem, solution)

    assert report["valid"] is True
    assert report["notes"] == [
        f"solution claims smoothness = {solution['metrics']['smoothness']}, "
        f"the roster gives {solution['metrics']['smoothness'] - 1}"
    ]
