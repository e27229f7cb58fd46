"""Roster benchmark runner: `python -m benchmarks.roster [options]`.

Solves every generated township with the solver and with the round-robin
baseline, judges every answer with the shared roster_check.py (never the
solver's own report), and prints a table.  Problems and answers are written
to benchmarks/out/roster/ (git-ignored) for inspection.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import os
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

from benchmarks.roster.baseline import round_robin
from benchmarks.roster.generate import Case, suite
from scheduler.roster import SolveTimeout, loads_json, problem_from_json, solve

REPO = Path(__file__).resolve().parents[2]
DEFAULT_CHECKER = REPO.parent / "shared" / "roster_check.py"
#: The quality terms of metrics v2, in order of importance (the solver's stages).
METRICS = ("preference_penalty", "desirable_rest", "fairness_spread", "smoothness")


@dataclass(frozen=True)
class Row:
    """One problem's outcome, as judged by the shared checker."""

    case: Case
    status: str  # the solver's status, or "timeout"
    seconds: float
    cpu: float  # CPU seconds of this process during the solve, all threads
    valid: bool | None  # checker verdict on the solver's roster (None: infeasible claim)
    reasons: int
    proved: tuple[str, ...]  # the quality terms whose stage the solver proved optimal
    metrics: dict[str, Any] | None
    baseline_valid: bool
    baseline_metrics: dict[str, Any]


def load_checker(path: Path) -> ModuleType:
    """Import shared/roster_check.py by path."""
    spec = importlib.util.spec_from_file_location("roster_check", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load the checker at {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules["roster_check"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def judge(checker: ModuleType, problem_text: str, solution: dict[str, Any]) -> dict[str, Any]:
    """The checker's report on a solution document."""
    problem = checker.parse_problem(json.loads(problem_text, parse_float=Decimal))
    parsed = checker.parse_solution(json.loads(json.dumps(solution), parse_float=Decimal), problem)
    report: dict[str, Any] = checker.check(problem, parsed)
    return report


def run_case(checker: ModuleType, case: Case, time_limit: float, wall_limit: float, workers: int, out: Path) -> Row:
    text = json.dumps(case.doc, ensure_ascii=False, indent=1)
    (out / f"{case.name}.json").write_text(text, encoding="utf-8")
    problem = problem_from_json(loads_json(text))
    start, cpu_start = time.perf_counter(), time.process_time()
    try:
        solution = solve(problem, time_limit=time_limit, workers=workers, wall_limit=wall_limit)
    except SolveTimeout:
        solution = None
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    baseline = judge(checker, text, round_robin(problem))
    if solution is None:
        return Row(case, "timeout", seconds, cpu, False, 0, (), None, baseline["valid"], baseline["metrics"])
    answer = solution.to_json()
    (out / f"{case.name}.solution.json").write_text(json.dumps(answer, ensure_ascii=False, indent=1), "utf-8")
    report = judge(checker, text, answer)
    return Row(
        case,
        answer["status"],
        seconds,
        cpu,
        report["valid"],
        len(answer["reasons"]),
        solution.proved,
        report["metrics"],
        baseline["valid"],
        baseline["metrics"],
    )


def summary(rows: Sequence[Row], time_limit: float, wall_limit: float, workers: int) -> str:
    """The benchmark table in Markdown."""
    solved = [r for r in rows if r.status in ("optimal", "feasible")]
    declared = [r for r in rows if r.status == "infeasible"]
    planted = [r for r in rows if r.case.broken]

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [
        f"{len(rows)} problems ({len(rows) - len(planted)} generated at random, {len(planted)} broken on "
        f"purpose), time limit {time_limit:g} s (wall limit {wall_limit:g} s), {workers} workers, "
        f"{os.cpu_count()} cores, "
        f"load average at the end {load}",
        "",
        "| measure | solver | round-robin baseline |",
        "|---|---|---|",
        f"| valid roster (shared checker) | {sum(1 for r in solved if r.valid)}/{len(solved)} rosters returned "
        f"| {sum(1 for r in rows if r.baseline_valid)}/{len(rows)} |",
        f"| infeasible declared, with reasons | {sum(1 for r in declared if r.reasons)}/{len(declared)} "
        f"(planted: {sum(1 for r in planted if r.status == 'infeasible')}/{len(planted)}) | n/a |",
        f"| timeouts (no answer) | {sum(1 for r in rows if r.status == 'timeout')} | n/a |",
        f"| solve time median / p95 / max | {_spread([r.seconds for r in rows])} | - |",
        f"| CPU time median / p95 / max (both searches) | {_spread([r.cpu for r in rows])} | - |",
    ]
    for stage, key in enumerate(METRICS, start=1):
        lines.append(
            f"| stages 1-{stage} proved optimal (to {key}) | "
            f"{sum(1 for r in solved if len(r.proved) >= stage)}/{len(solved)} | - |"
        )
    both = [r for r in solved if r.metrics]
    for key in METRICS:
        ours = statistics.mean(float(r.metrics[key]) for r in both) if both else 0.0  # type: ignore[index]
        theirs = statistics.mean(float(r.baseline_metrics[key]) for r in both) if both else 0.0
        lines.append(f"| mean {key} (solved problems) | {ours:.2f} | {theirs:.2f} |")
    unplanned = [r for r in declared if not r.case.broken]
    if unplanned:
        lines += [
            "",
            "Declared infeasible although generated at random (the reasons are in the solution files): "
            + ", ".join(r.case.name for r in unplanned),
        ]
    return "\n".join(lines)


def _spread(values: Sequence[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{statistics.median(ordered):.2f} / {p95:.2f} / {ordered[-1]:.2f} s"


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.roster", description=__doc__)
    parser.add_argument("--count", type=int, default=60, help="problems in all (default 60)")
    parser.add_argument("--infeasible", type=int, default=12, help="of which broken on purpose (default 12)")
    parser.add_argument("--seed", type=int, default=1, help="first seed (default 1)")
    parser.add_argument("--time-limit", type=float, default=10.0, help="the solver's limit: its work and its roster")
    parser.add_argument(
        "--wall-limit",
        type=float,
        help="when the wall clock stops a search (default: the time "
        "limit); more on a loaded machine measures the roster an idle one gives",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--checker", type=Path, default=DEFAULT_CHECKER, help="path to roster_check.py")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="solve only these townships (names as printed)")
    parser.add_argument("--trace", action="store_true", help="log every search of every stage to stderr")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out" / "roster")
    args = parser.parse_args(argv)
    checker = load_checker(args.checker)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.trace:
        logging.basicConfig(format="  %(message)s", level=logging.WARNING)
        logging.getLogger("scheduler.roster").setLevel(logging.DEBUG)
    rows = []
    for case in suite(args.count, args.infeasible, args.seed):
        if args.only and case.name not in args.only:
            continue
        row = run_case(checker, case, args.time_limit, args.wall_limit or args.time_limit, args.workers, args.out)
        print(
            f"{case.name:40} {row.status:10} valid={row.valid!s:5} {row.seconds:6.2f}s cpu {row.cpu:5.2f}s "
            f"proved={len(row.proved)} metrics={row.metrics} baseline_valid={row.baseline_valid}",
            file=sys.stderr,
            flush=True,
        )
        rows.append(row)
    print(summary(rows, args.time_limit, args.wall_limit or args.time_limit, args.workers))
    return 0 if all(r.valid is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
