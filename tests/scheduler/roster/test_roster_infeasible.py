"""Infeasible problems are declared so, never half-solved, with reasons a secretary can act on.

Each reason names the roster-problem.md rule it comes from and, Chinese
first, the dates, cadres or offices involved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from scheduler.roster import Problem, Solution, solve

LIMIT = 10.0


def march(n: int) -> dt.date:
    return dt.date(2027, 3, n)


def declared_infeasible(problem: Problem) -> Solution:
    solution = solve(problem, time_limit=LIMIT)
    assert solution.status == "infeasible"
    assert solution.rest == {} and solution.metrics is None
    assert solution.reasons
    doc = solution.to_json()
    assert doc["rest"] == {} and all(isinstance(r, str) and r for r in doc["reasons"])
    return solution


def test_a_duty_ratio_no_roster_can_keep_is_blamed_on_rule_4(make: Callable[..., Problem]) -> None:
    solution = declared_infeasible(make("weekly", 20, "0.8"))
    assert any(r.rule == 4 and "在岗比例" in r.zh for r in solution.reasons)


def test_a_pinned_date_on_a_blackout_names_the_cadre_and_date(make: Callable[..., Problem]) -> None:
    problem = make("weekly", 8, blackout=(march(12),), overrides={3: {"pinned": (march(12),)}})
    [reason] = declared_infeasible(problem).reasons
    assert reason.rule == 3 and reason.cadres == ("c03",) and reason.dates == (march(12),)
    assert "2027-03-12" in reason.zh and "禁休日" in reason.zh


def test_monthly_mode_without_a_long_enough_blackout_free_run_says_how_long_the_longest_is(
    make: Callable[..., Problem],
) -> None:
    blackout = tuple(march(d) for d in range(7, 32, 7))
    reasons = declared_infeasible(make("monthly", 6, "0.5", blackout=blackout)).reasons
    assert any(r.rule == 2 and "连续 8 天" in r.zh and "最长的一段只有 6 天" in r.zh for r in reasons)


def test_a_never_together_pair_pinned_on_the_same_date_is_named(make: Callable[..., Problem]) -> None:
    problem = make(
        "weekly",
        8,
        never_together=(("c00", "c01"),),
        overrides={0: {"pinned": (march(10),)}, 1: {"pinned": (march(10),)}},
    )
    reasons = declared_infeasible(problem).reasons
    assert any(r.rule == 7 and set(r.cadres) == {"c00", "c01"} and march(10) in r.dates for r in reasons)


def test_leaders_who_must_all_stay_on_duty_cannot_rest(make: Callable[..., Problem]) -> None:
    problem = make("half_month", 10, "0.5", leaders=2, min_leaders_on_duty=2)
    assert any(r.rule == 5 and "领导" in r.zh for r in declared_infeasible(problem).reasons)


def test_an_office_whose_minimum_is_its_whole_staff_is_named(make: Callable[..., Problem]) -> None:
    problem = make(
        "weekly",
        8,
        "0.5",
        offices=("党政办", "党政办", "党政办", "财政所", "党政办", "财政所"),
        min_on_duty_per_office=2,
    )
    reasons = declared_infeasible(problem).reasons
    assert any(r.rule == 6 and r.offices == ("财政所",) and "财政所" in r.zh for r in reasons)


def test_half_month_carry_beyond_two_blocks_asks_to_carry_the_rest_over(make: Callable[..., Problem]) -> None:
    problem = make("half_month", 8, "0.5", overrides={2: {"carry_days": 2}})
    [reason] = declared_infeasible(problem).reasons
    assert reason.rule == 2 and reason.cadres == ("c02",) and "下月" in reason.zh


def test_pinned_dates_that_break_the_block_shape_are_named(make: Callable[..., Problem]) -> None:
    problem = make("weekly", 8, overrides={4: {"pinned": (march(9), march(10), march(11))}})
    reasons = declared_infeasible(problem).reasons
    assert any(r.rule == 8 and r.cadres == ("c04",) for r in reasons)


def test_a_conflict_only_the_search_finds_says_which_single_rule_to_relax_and_where(
    make: Callable[..., Problem],
) -> None:
    # Three cadres who may never rest together, 8-day blocks, and blackouts
    # on the 9th and 17th of February: only days 1-8 and 18-28 hold a block,
    # room for two disjoint blocks, not three.  No counting pre-check sees it.
    feb = (dt.date(2027, 2, 9), dt.date(2027, 2, 17))
    pairs = (("c00", "c01"), ("c00", "c02"), ("c01", "c02"))
    problem = make("monthly", 3, "0", month=2, blackout=feb, never_together=pairs)
    reasons = declared_infeasible(problem).reasons
    assert reasons[0].rule == 0 and "只放宽第 3 条规则（禁休日）" in reasons[0].zh
    assert reasons[1].rule == 3 and reasons[1].dates[0] in feb
    assert any(r.rule == 0 and "或者只放宽第 7 条规则" in r.zh for r in reasons)
    assert any(r.rule == 7 for r in reasons)
