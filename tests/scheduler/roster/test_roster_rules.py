"""Hard rules 1-8 of roster-problem.md, one by one, on small townships.

Every roster is judged by the shared checker (the `judge` fixture); the
assertions after it spell out the rule the test is about.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from scheduler.roster import Problem, solve
from scheduler.roster.periods import block_lengths, entitlement, month_of

Judge = Callable[..., dict[str, Any]]
LIMIT = 3.0


def march(n: int) -> dt.date:
    """A date of March 2027, which starts on a Monday."""
    return dt.date(2027, 3, n)


def solved(problem: Problem, judge: Judge) -> dict[str, tuple[dt.date, ...]]:
    solution = solve(problem, time_limit=LIMIT)
    assert solution.status in ("optimal", "feasible"), [str(r) for r in solution.reasons]
    report = judge(problem, solution)
    assert report["valid"] is True, report["violations"]
    return dict(solution.rest)


def runs(dates: tuple[dt.date, ...]) -> list[list[dt.date]]:
    out: list[list[dt.date]] = []
    for d in dates:
        if out and (d - out[-1][-1]).days == 1:
            out[-1].append(d)
        else:
            out.append([d])
    return out


# Rule 1 -------------------------------------------------------------------


def test_entitlement_rounds_half_up_exactly() -> None:
    # 7 * 2 / 28 is exactly one half: floor(0.5 + 0.5) = 1, no float drift.
    assert entitlement(7, 2, 28, 0) == 1
    assert entitlement(8, 21, 31, 2) == 5 + 2
    assert entitlement(8, 0, 31, 3) == 3


def test_each_cadre_rests_exactly_the_entitlement_on_available_days(make: Callable[..., Problem], judge: Judge) -> None:
    problem = make(
        "weekly",
        8,
        overrides={
            0: {"available_from": march(10)},
            1: {"away": ((march(3), march(9)),)},
            2: {"carry_days": 2},
            3: {"available_to": march(20), "away": ((march(5), march(6)),)},
        },
    )
    rest = solved(problem, judge)
    month = month_of(problem)
    for cadre in month.cadres:
        assert len(rest[cadre.id]) == cadre.entitlement
        assert {d.day for d in rest[cadre.id]} <= cadre.available
    assert month.cadres[2].entitlement == 10


# Rule 2 -------------------------------------------------------------------


def test_weekly_blocks_are_two_days_one_start_per_week(make: Callable[..., Problem], judge: Judge) -> None:
    rest = solved(make("weekly", 10), judge)
    for dates in rest.values():
        blocks = runs(dates)
        assert [len(b) for b in blocks] == [2, 2, 2, 2]
        weeks = [b[0].isocalendar()[1] for b in blocks]
        assert len(set(weeks)) == len(weeks)


def test_weekly_short_block_comes_last(make: Callable[..., Problem], judge: Judge) -> None:
    rest = solved(make("weekly", 6, overrides={0: {"carry_days": 1}}), judge)
    assert [len(b) for b in runs(rest["c00"])] == [2, 2, 2, 2, 1]


def test_weekly_blocks_need_a_working_day_between_not_an_away_day(make: Callable[..., Problem], judge: Judge) -> None:
    # c00 can rest only on Sat 6 - Sun 7 and Tue 9 - Wed 10 and owes 4 days.
    # With Monday 8 away nothing separates the two blocks: infeasible.
    only = {"available_from": march(6), "available_to": march(10), "carry_days": 3}
    away_monday = make("weekly", 6, overrides={0: {**only, "away": ((march(8), march(8)),)}})
    solution = solve(away_monday, time_limit=LIMIT)
    assert solution.status == "infeasible"
    assert any(r.rule == 2 and "c00" in r.cadres for r in solution.reasons)
    # With Monday 8 a working day the same four days are a valid roster.
    working_monday = make("weekly", 6, overrides={0: only})
    rest = solved(working_monday, judge)
    assert rest["c00"] == (march(6), march(7), march(9), march(10))


def test_half_month_blocks_lie_one_in_each_half_and_may_touch_at_the_16th(
    make: Callable[..., Problem], judge: Judge
) -> None:
    # c00 is available 12-19 only (entitlement 2) and owes 6 more: 4 + 4 days,
    # which fit only as 12-15 and 16-19, cut apart by the half-month boundary.
    problem = make(
        "half_month",
        8,
        "0.5",
        overrides={
            0: {"available_from": march(12), "available_to": march(19), "carry_days": 6},
        },
    )
    rest = solved(problem, judge)
    assert rest["c00"] == tuple(march(d) for d in range(12, 20))
    for cid, dates in rest.items():
        halves = [d.day <= 15 for d in dates]
        assert halves.count(True) in (0, 4) and halves.count(False) in (0, 4), cid


def test_half_month_short_block_comes_last(make: Callable[..., Problem], judge: Judge) -> None:
    problem = make("half_month", 8, "0.5", overrides={0: {"available_from": march(4), "carry_days": 0}})
    month = month_of(problem)
    assert month.cadres[0].blocks == block_lengths("half_month", 7) == (4, 3)
    rest = solved(problem, judge)
    lengths = [len(b) for b in runs(rest["c00"])]
    assert lengths in ([4, 3], [7]) and rest["c00"][0].day <= 12


def test_monthly_rest_is_one_block(make: Callable[..., Problem], judge: Judge) -> None:
    rest = solved(make("monthly", 8, "0.55", overrides={1: {"carry_days": 2}}), judge)
    assert all(len(runs(dates)) == 1 for dates in rest.values())
    assert len(rest["c01"]) == 10


# Rule 3 -------------------------------------------------------------------


def test_nobody_rests_on_a_blackout_date(make: Callable[..., Problem], judge: Judge) -> None:
    blackout = (march(5), march(13), march(20))
    rest = solved(make("weekly", 10, blackout=blackout), judge)
    assert not {d for dates in rest.values() for d in dates} & set(blackout)


# Rule 4 -------------------------------------------------------------------


def test_coverage_keeps_the_ratio_on_duty_every_date(make: Callable[..., Problem], judge: Judge) -> None:
    problem = make("weekly", 11, "0.7")
    rest = solved(problem, judge)
    for n in range(1, 32):
        resting = sum(1 for dates in rest.values() if march(n) in dates)
        assert 11 - resting >= 8  # ceil(0.7 * 11)


def test_duty_ratio_is_read_as_the_exact_decimal(make: Callable[..., Problem], judge: Judge) -> None:
    # ceil(0.7 * 10) is 7, leaving 3 resting a day: 93 >= 80 rest days fit.
    # Read as a binary float it would be 8, leaving 62 < 80: infeasible.
    rest = solved(make("weekly", 10, "0.7"), judge)
    peak = max(sum(1 for dates in rest.values() if march(n) in dates) for n in range(1, 32))
    assert peak == 3


# Rule 5 -------------------------------------------------------------------


def test_leaders_on_duty_never_drop_below_the_minimum(make: Callable[..., Problem], judge: Judge) -> None:
    problem = make("half_month", 12, "0.5", leaders=5, min_leaders_on_duty=3)
    rest = solved(problem, judge)
    leaders = [f"c{i:02d}" for i in range(5)]
    for n in range(1, 32):
        assert sum(1 for cid in leaders if march(n) in rest[cid]) <= 2


# Rule 6 -------------------------------------------------------------------


def test_each_office_keeps_its_minimum_on_duty(make: Callable[..., Problem], judge: Judge) -> None:
    problem = make("weekly", 9, "0.5", offices=("党政办", "财政所", "司法所"), min_on_duty_per_office=2)
    rest = solved(problem, judge)
    for office in range(3):
        members = [f"c{i:02d}" for i in range(office, 9, 3)]
        for n in range(1, 32):
            assert sum(1 for cid in members if march(n) in rest[cid]) <= 1


def test_a_one_person_office_is_not_held_to_the_office_minimum(make: Callable[..., Problem], judge: Judge) -> None:
    # Read naively, 司法所's only cadre could never rest and no roster would exist.
    problem = make(
        "weekly",
        6,
        "0.5",
        offices=("党政办", "党政办", "党政办", "党政办", "党政办", "司法所"),
        min_on_duty_per_office=1,
    )
    rest = solved(problem, judge)
    assert len(rest["c05"]) == 8


# Rule 7 -------------------------------------------------------------------


def test_a_never_together_pair_never_rests_on_the_same_date(make: Callable[..., Problem], judge: Judge) -> None:
    problem = make("monthly", 6, "0.5", never_together=(("c00", "c01"), ("c02", "c03")))
    rest = solved(problem, judge)
    assert not set(rest["c00"]) & set(rest["c01"])
    assert not set(rest["c02"]) & set(rest["c03"])


# Rule 8 -------------------------------------------------------------------


def test_pinned_dates_are_kept_as_rest_days(make: Callable[..., Problem], judge: Judge) -> None:
    problem = make("weekly", 8, overrides={0: {"pinned": (march(17), march(18))}, 3: {"pinned": (march(27),)}})
    rest = solved(problem, judge)
    assert {march(17), march(18)} <= set(rest["c00"])
    assert march(27) in rest["c03"]
