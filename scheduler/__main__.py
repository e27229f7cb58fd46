"""Command line of the roster solver.

    python -m scheduler solve PROBLEM.json [--time-limit SECONDS] [--workers N] > SOLUTION.json
    python -m scheduler check PROBLEM.json SOLUTION.json

solve prints a format-v1 solution and exits 0 with a roster, 1 when the
problem is infeasible (the solution then carries the reasons), 3 when the
time limit passed with neither.  check prints a JSON report like
shared/roster_check.py and exits 0 when the roster is valid (or is an
infeasible claim), 1 when it breaks a hard rule.  Both exit 2 with a message
on stderr when an input is malformed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any

from scheduler.roster import (
    Problem,
    ProblemError,
    SolveTimeout,
    check,
    load_problem,
    month_of,
    read_json,
    solution_from_json,
    solve,
)


def main(argv: Sequence[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "solve":
            return _solve(args.problem, args.time_limit, args.workers)
        return _check(args.problem, args.solution)
    except ProblemError as exc:
        print(f"scheduler: malformed input: {exc}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scheduler", description="Rest-roster solver (format v1).")
    commands = parser.add_subparsers(dest="command", required=True)
    solve_cmd = commands.add_parser("solve", help="solve a problem; the solution goes to stdout")
    solve_cmd.add_argument("problem", help="PROBLEM.json")
    solve_cmd.add_argument("--time-limit", type=_positive, default=10.0, help="seconds (default 10)")
    solve_cmd.add_argument("--workers", type=int, default=2, help="CP-SAT workers (default 2)")
    check_cmd = commands.add_parser("check", help="verify a solution against its problem")
    check_cmd.add_argument("problem", help="PROBLEM.json")
    check_cmd.add_argument("solution", help="SOLUTION.json")
    return parser


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError("must be positive")
    return value


def _solve(path: str, time_limit: float, workers: int) -> int:
    problem = load_problem(path)
    try:
        solution = solve(problem, time_limit=time_limit, workers=workers)
    except SolveTimeout as exc:
        print(f"scheduler: {exc}", file=sys.stderr)
        return 3
    print(json.dumps(solution.to_json(), ensure_ascii=False, indent=1))
    return 1 if solution.status == "infeasible" else 0


def _check(problem_path: str, solution_path: str) -> int:
    problem = load_problem(problem_path)
    doc = read_json(solution_path, "solution")
    try:
        status, rest = solution_from_json(doc, problem)
    except ProblemError as exc:
        raise ProblemError(f"solution.{exc.field}", exc.message) from None
    report = check_report(problem, doc, status, rest)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 1 if report["valid"] is False else 0


def check_report(
    problem: Problem, doc: Mapping[str, Any], status: str, rest: Mapping[str, Sequence[dt.date]]
) -> dict[str, Any]:
    """The report roster_check.py prints, from our own reading of the rules."""
    notes: list[str] = []
    if status == "infeasible":
        if any(rest.values()):
            notes.append("status is infeasible but rest is not empty; the rest days were ignored")
        if not doc.get("reasons"):
            notes.append("an infeasible claim should give reasons")
        return {
            "valid": None,
            "status": status,
            "violations": [],
            "metrics": None,
            "reasons": doc.get("reasons", []),
            "notes": notes,
        }
    report = check(month_of(problem), rest)
    metrics = report.metrics.to_json()
    claimed = doc.get("metrics") or {}
    for key, value in metrics.items():
        if key in claimed and not _same(claimed[key], value):
            notes.append(f"solution claims {key} = {claimed[key]}, the roster gives {value}")
    violations = [{k: v for k, v in asdict(x).items() if v != ""} for x in report.violations]
    return {"valid": report.valid, "status": status, "violations": violations, "metrics": metrics, "notes": notes}


def _same(claimed: Any, value: float) -> bool:
    try:
        return abs(float(claimed) - value) < 5e-6
    except (TypeError, ValueError):
        return False


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
