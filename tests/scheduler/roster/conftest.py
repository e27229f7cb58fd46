"""Fixtures for the roster solver specs: small problems and the shared checker.

Every roster the solver returns in these tests is judged by the official
shared/roster_check.py, which lies beside the repository clone
(`<repo>/../shared`), never by the solver's own report.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from scheduler.roster import Cadre, Policy, Problem, Solution, problem_to_json
from scheduler.roster.problem import Mode

SHARED = Path(__file__).resolve().parents[3].parent / "shared"

Judge = Callable[[Problem, Solution], dict[str, Any]]


def _load_checker() -> ModuleType:
    path = SHARED / "roster_check.py"
    if not path.exists():
        pytest.exit(f"the shared roster checker is missing: {path}", returncode=2)
    spec = importlib.util.spec_from_file_location("roster_check", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["roster_check"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def roster_check() -> ModuleType:
    return _load_checker()


@pytest.fixture(scope="session")
def judge(roster_check: ModuleType) -> Judge:
    """The shared checker's report on a solution of a problem, both passed through JSON."""

    def run(problem: Problem, solution: Solution) -> dict[str, Any]:
        doc = json.loads(json.dumps(problem_to_json(problem)), parse_float=Decimal)
        parsed_problem = roster_check.parse_problem(doc)
        answer = json.loads(json.dumps(solution.to_json()), parse_float=Decimal)
        report: dict[str, Any] = roster_check.check(parsed_problem, roster_check.parse_solution(answer, parsed_problem))
        return report

    return run


@pytest.fixture(scope="session")
def examples() -> Path:
    return SHARED / "roster-examples"


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
