"""The rest-roster solver: a pure library, no Django (style.md convention 9).

    from scheduler.roster import Cadre, Policy, Problem, solve
    solution = solve(Problem(year=2027, month=3, policy=Policy(...), cadres=(...)), time_limit=10.0)

Problems and solutions follow exchange format v1 (shared/roster-problem.md).
"""

from .check import RULE_NAMES, Report, Violation, check
from .exchange import (
    load_problem,
    loads_json,
    problem_from_json,
    problem_to_json,
    read_json,
    solution_from_json,
)
from .periods import Month, month_of
from .problem import (
    MODES,
    Cadre,
    History,
    Metrics,
    Mode,
    Policy,
    Problem,
    ProblemError,
    Reason,
    Solution,
)
from .solve import SolveTimeout, solve
from .why import (
    METRIC_NAMES,
    MODE_NAMES,
    CadreWhy,
    DateWhy,
    MetricChange,
    Note,
    Wish,
    change_note,
    metric_changes,
    overall,
    why_cadre,
    why_date,
)

__all__ = [
    "METRIC_NAMES",
    "MODES",
    "MODE_NAMES",
    "RULE_NAMES",
    "Cadre",
    "CadreWhy",
    "DateWhy",
    "History",
    "MetricChange",
    "Metrics",
    "Mode",
    "Month",
    "Note",
    "Policy",
    "Problem",
    "ProblemError",
    "Reason",
    "Report",
    "Solution",
    "SolveTimeout",
    "Violation",
    "Wish",
    "change_note",
    "check",
    "load_problem",
    "loads_json",
    "metric_changes",
    "month_of",
    "overall",
    "problem_from_json",
    "problem_to_json",
    "read_json",
    "solution_from_json",
    "solve",
    "why_cadre",
    "why_date",
]
