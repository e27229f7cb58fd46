"""Properties over random small townships.

Every roster the solver returns passes the checker; every refusal carries
reasons; and, when shared/roster_check.py is beside the clone, our own
validator reads any roster, valid or not, exactly as that reference does.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.roster import Cadre, Policy, Problem, Solution, SolveTimeout, check, month_of, problem_to_json, solve
from tests import roster_judge

MODES = ("weekly", "half_month", "monthly")


@st.composite
def townships(draw: st.DrawFn) -> Problem:
    month = draw(st.integers(1, 12))
    ndays = calendar.monthrange(2027, month)[1]
    days = st.integers(1, ndays).map(lambda d: dt.date(2027, month, d))
    size = draw(st.integers(5, 9))
    offices = draw(st.lists(st.sampled_from(("党政办", "财政所", "司法所")), min_size=size, max_size=size))
    cadres = []
    for i in range(size):
        away = ()
        if draw(st.booleans()):
            start = draw(days)
            away = ((start, start + dt.timedelta(days=draw(st.integers(0, 4)))),)
        cadres.append(
            Cadre(
                id=f"c{i}",
                office=offices[i],
                leader=draw(st.booleans()),
                available_from=draw(st.none() | days),
                away=away,
                carry_days=draw(st.sampled_from((0, 0, 0, 1, 2))),
                pinned=tuple(draw(st.lists(days, max_size=1, unique=True))),
                hardship=draw(st.booleans()),
                prefer=tuple(draw(st.lists(days, max_size=2, unique=True))),
                avoid=tuple(draw(st.lists(days, max_size=2, unique=True))),
            )
        )
    policy = Policy(
        mode=draw(st.sampled_from(MODES)),
        min_on_duty_ratio=Decimal(draw(st.sampled_from(("0.4", "0.5", "0.6")))),
        min_leaders_on_duty=draw(st.integers(0, 2)),
        min_on_duty_per_office=draw(st.integers(0, 1)),
        never_together=(("c0", "c1"),) if draw(st.booleans()) else (),
        blackout=tuple(draw(st.lists(days, max_size=2, unique=True))),
    )
    return Problem(year=2027, month=month, policy=policy, cadres=tuple(cadres))


@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(problem=townships())
def test_every_roster_the_solver_returns_passes_the_checker(
    problem: Problem, judge: Callable[[Problem, Solution], dict[str, Any]]
) -> None:
    try:
        solution = solve(problem, time_limit=2.0)
    except SolveTimeout:
        return  # neither a roster nor a claim: nothing to judge
    report = judge(problem, solution)
    if solution.status == "infeasible":
        assert solution.reasons and report["valid"] is None
    else:
        assert report["valid"] is True, report["violations"]
        assert report["notes"] == []


@pytest.mark.skipif(roster_judge.REFERENCE is None, reason="shared/roster_check.py is not beside the clone")
@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(problem=townships(), data=st.data())
def test_our_validator_reads_any_roster_as_the_shared_checker_does(problem: Problem, data: st.DataObject) -> None:
    ndays = problem.ndays
    rest = {
        c.id: tuple(
            sorted(
                data.draw(st.sets(st.integers(1, ndays).map(lambda d: dt.date(2027, problem.month, d)), max_size=10))
            )
        )
        for c in problem.cadres
    }
    ours = check(month_of(problem), rest)
    answer = Solution(status="feasible", rest=rest, metrics=None).to_json()
    theirs = roster_judge.reference(problem_to_json(problem), answer)
    assert ours.valid == theirs["valid"]
    assert sorted({v.rule for v in ours.violations}) == sorted({v["rule"] for v in theirs["violations"]})
    assert ours.metrics.to_json() == theirs["metrics"]
