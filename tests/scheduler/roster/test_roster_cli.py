"""`python -m scheduler solve` and `check`, end to end through files and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests import roster_judge

REPO = Path(__file__).resolve().parents[3]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scheduler", *args], cwd=REPO, capture_output=True, text=True, timeout=120, check=False
    )


def test_solve_then_check_round_trips_an_example(examples: Path, tmp_path: Path) -> None:
    problem = examples / "own-monthly.json"
    solved = run("solve", str(problem), "--time-limit", "20")
    assert solved.returncode == 0, solved.stderr
    solution = tmp_path / "solution.json"
    solution.write_text(solved.stdout, encoding="utf-8")

    checked = run("check", str(problem), str(solution))

    assert checked.returncode == 0
    report = json.loads(checked.stdout)
    assert report["valid"] is True
    assert report["metrics"] == json.loads(solved.stdout)["metrics"]
    if roster_judge.REFERENCE is not None:  # the reference checker's command line says the same
        shared = subprocess.run(
            [sys.executable, str(roster_judge.SHARED_CHECKER), str(problem), str(solution)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert shared.returncode == 0 and json.loads(shared.stdout)["metrics"] == report["metrics"]


def test_check_exits_1_and_names_the_rule_for_a_broken_roster(examples: Path, tmp_path: Path) -> None:
    problem = examples / "own-weekly.json"
    reference = json.loads((examples / "solutions" / "own-weekly.solution.json").read_text(encoding="utf-8"))
    reference["rest"]["m01"] = reference["rest"]["m01"][:-1]
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(reference), encoding="utf-8")

    result = run("check", str(problem), str(broken))

    assert result.returncode == 1
    assert {v["rule"] for v in json.loads(result.stdout)["violations"]} >= {1}


def test_solve_exits_1_with_reasons_for_an_infeasible_problem(examples: Path, tmp_path: Path) -> None:
    doc = json.loads((examples / "own-weekly.json").read_text(encoding="utf-8"))
    doc["policy"]["min_on_duty_ratio"] = 0.9
    problem = tmp_path / "tight.json"
    problem.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")

    result = run("solve", str(problem))

    assert result.returncode == 1
    answer = json.loads(result.stdout)
    assert answer["status"] == "infeasible" and answer["rest"] == {} and answer["reasons"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not JSON"),
        ('{"format": "cadrecare.roster-problem/1", "month": "2027-03", "policy": {}, "cadres": []}', "policy.mode"),
        ('{"format": "cadrecare.roster-problem/1", "month": "2027-13", "policy": {}, "cadres": []}', "month"),
    ],
)
def test_malformed_input_exits_2_with_a_message_not_a_traceback(tmp_path: Path, content: str, message: str) -> None:
    problem = tmp_path / "bad.json"
    problem.write_text(content, encoding="utf-8")

    for args in (("solve", str(problem)), ("check", str(problem), str(problem))):
        result = run(*args)
        assert result.returncode == 2
        assert message in result.stderr and "Traceback" not in result.stderr
        assert result.stdout == ""


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    result = run("solve", str(tmp_path / "nowhere.json"))
    assert result.returncode == 2 and "cannot read" in result.stderr
