"""The rest-roster solver: a pure library, no Django (style.md convention 9).

    from scheduler.roster import Cadre, Policy, Problem, solve
    solution = solve(Problem(year=2027, month=3, policy=Policy(...), cadres=(...)), time_limit=10.0)

Problems and solutions follow exchange format v1 (shared/roster-problem.md).
"""

from .check import Report, Violation, check
from .periods import Month, month_of
from .problem import (
    MODES,
    Cadre,
    History,
    Metrics,
    Policy,
    Problem,
    ProblemError,
    Reason,
    Solution,
    load_problem,
    loads_json,
    problem_from_json,
    problem_to_json,
    read_json,
    solution_from_json,
)
from .solve import SolveTimeout, solve

__all__ = [
    "MODES",
    "Cadre",
    "History",
    "Metrics",
    "Month",
    "Policy",
    "Problem",
    "ProblemError",
    "Reason",
    "Report",
    "Solution",
    "SolveTimeout",
    "Violation",
    "check",
    "load_problem",
    "loads_json",
    "month_of",
    "problem_from_json",
    "problem_to_json",
    "read_json",
    "solution_from_json",
    "solve",
]
