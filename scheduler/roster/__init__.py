"""The rest-roster solver: a pure library, no Django (style.md convention 9).

    from scheduler.roster import Problem, Policy, Cadre, History, solve
    solution = solve(problem, time_limit=10.0)

Problems and solutions follow exchange format v1 (shared/roster-problem.md).
"""

from .check import Report, Violation
from .check import check as check_rest
from .periods import month_of
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
