"""Fixtures for the roster solver specs: small problems, our own examples,
and the judge of every roster a spec sees (tests/roster_judge.py: our
checker, held to shared/roster_check.py when it is beside the clone).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from scheduler.roster import Cadre, Policy, Problem, Solution, problem_to_json
from scheduler.roster.problem import Mode
from tests import roster_judge

EXAMPLES = Path(__file__).resolve().parent / "examples"
OWN_EXAMPLES = ["own-weekly", "own-half-month", "own-monthly"]

Judge = Callable[[Problem, Solution], dict[str, Any]]


@pytest.fixture(scope="session")
def judge() -> Judge:
    """The report on a solution of a problem, both passed through JSON."""

    def run(problem: Problem, solution: Solution) -> dict[str, Any]:
        return roster_judge.judge(problem_to_json(problem), solution.to_json())

    return run


@pytest.fixture(scope="session")
def examples() -> Path:
    """Our examples: one problem per rest mode, every field of the format, with a solution each."""
    return EXAMPLES


@pytest.fixture(scope="session")
def shared_examples() -> Path:
    """The exchange format's public examples and their proved-optimal references, when beside the clone."""
    folder = roster_judge.SHARED_CHECKER.parent / "roster-examples"
    if not folder.exists():
        pytest.skip(f"the shared roster examples are not beside the clone ({folder})")
    return folder


def township(
    mode: Mode,
    size: int,
    ratio: str = "0.6",
    *,
    month: int = 3,
    leaders: int = 0,
    offices: Sequence[str] = ("党政办",),
    overrides: dict[int, dict[str, Any]] | None = None,
    **policy: Any,
) -> Problem:
    """A plain township: `size` cadres c00.., the first `leaders` of them leaders,
    offices dealt round-robin; `overrides` replaces fields of cadre i."""
    cadres = []
    for i in range(size):
        fields: dict[str, Any] = {"id": f"c{i:02d}", "office": offices[i % len(offices)], "leader": i < leaders}
        fields.update((overrides or {}).get(i, {}))
        cadres.append(Cadre(**fields))
    return Problem(
        year=2027,
        month=month,
        policy=Policy(mode=mode, min_on_duty_ratio=Decimal(ratio), **policy),
        cadres=tuple(cadres),
        unit_id="t",
        unit_name="测试乡",
    )


@pytest.fixture(scope="session")
def make() -> Callable[..., Problem]:
    return township
