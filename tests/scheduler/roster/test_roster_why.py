"""Explanations of a roster (scheduler.roster.why): why a cadre rests on their
days and why a date has this many resting, on small hand-written rosters of
March 2027 (the 1st is a Monday; weekends 6-7, 13-14, 20-21, 27-28)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from fractions import Fraction

import pytest

from scheduler.roster import (
    Cadre,
    History,
    Metrics,
    Problem,
    change_note,
    metric_changes,
    month_of,
    overall,
    why_cadre,
    why_date,
)
from tests.scheduler.roster.conftest import township


def march(n: int) -> dt.date:
    return dt.date(2027, 3, n)


def days(first: int, last: int) -> list[dt.date]:
    return [march(n) for n in range(first, last + 1)]


def monthly_four(overrides: dict[int, dict[str, object]] | None = None, **policy: object) -> Problem:
    """Four cadres in monthly mode, each in an office of their own, at most two resting a day."""
    return township("monthly", 4, "0.5", offices=("甲", "乙", "丙", "丁"), overrides=overrides, **policy)


def rest(*blocks: Iterable[dt.date]) -> dict[str, list[dt.date]]:
    return {f"c{i:02d}": list(block) for i, block in enumerate(blocks)}


def test_a_wish_every_move_of_the_block_would_break_names_the_rule_and_the_date() -> None:
    # Given c00 wishes to rest on the 20th, when c01 and c02 already rest the 17th to the 24th
    problem = monthly_four({0: {"prefer": (march(20),)}})
    roster = rest(days(1, 8), days(17, 24), days(17, 24), days(9, 16))

    # When the secretary asks why c00 does not rest then
    why = why_cadre(month_of(problem), roster, "c00")

    # Then the wish is not honoured because of the duty share (rule 4), on the dates each move would strip
    wish = why.wishes[0]
    assert (wish.date, wish.kind, wish.honoured, wish.why.rule) == (march(20), "prefer", False, 4)
    assert "3月20日未能安排休息" in wish.why.zh and "第 4 条（最低在岗比例）" in wish.why.zh
    assert "3月17日至24日在岗人数会低于最低比例" in wish.why.zh and "rule 4" in wish.why.en
    assert wish.alternative == () and wish.costs == ()


def test_a_wish_a_rule_keeping_move_would_honour_is_explained_by_the_metric_it_costs() -> None:
    # Given c00 rests the 6th to the 13th (three weekend days, and the 8th they asked for) and also asks for the 30th
    problem = monthly_four({0: {"prefer": (march(8), march(30))}})
    roster = rest(days(6, 13), days(15, 22), days(23, 30), days(1, 8))

    why = why_cadre(month_of(problem), roster, "c00")

    # Then the 8th is honoured, and the 30th could be at the price of a weekend day (metric 2, after an equal metric 1)
    honoured, missed = why.wishes
    assert honoured.honoured is True and "如愿休息" in honoured.why.zh
    assert missed.honoured is False and march(30) in missed.alternative and len(missed.alternative) == 8
    assert [(c.name, c.verdict) for c in missed.costs][:2] == [
        ("preference_penalty", "same"),
        ("desirable_rest", "worse"),
    ]
    assert "周末和节假日休息人次会由 9 变为 8" in missed.why.zh and "质量指标第 2 项" in missed.why.zh
    assert "quality metric 2" in missed.why.en


def test_a_better_roster_the_solver_missed_is_pointed_out_for_the_secretary_to_make() -> None:
    problem = monthly_four({0: {"prefer": (march(20),)}})
    roster = rest(days(1, 8), days(9, 16), days(1, 8), days(24, 31))

    wish = why_cadre(month_of(problem), roster, "c00").wishes[0]

    assert wish.honoured is False and march(20) in wish.alternative
    assert overall(wish.costs) == "better" and "书记可以手工调整" in wish.why.zh


def test_rules_the_roster_already_breaks_do_not_count_against_a_move() -> None:
    # Given an overridden roster with three resting the 17th to the 24th (rule 4 already broken there)
    problem = monthly_four({0: {"prefer": (march(10),)}})
    roster = rest(days(1, 8), days(17, 24), days(17, 24), days(17, 24))

    wish = why_cadre(month_of(problem), roster, "c00").wishes[0]

    # Then moving c00 over the 10th is found to keep every rule it did not already break
    assert wish.alternative and march(10) in wish.alternative and wish.why.rule == 0


def test_a_blackout_an_absence_and_a_pin_answer_a_wish_directly() -> None:
    problem = monthly_four(
        {
            0: {
                "prefer": (march(5), march(27)),
                "avoid": (march(2),),
                "pinned": tuple(days(1, 8)),
                "away": ((march(25), march(31)),),
            }
        },
        blackout=(march(5),),
    )
    roster = rest([march(n) for n in (1, 2, 3, 4, 6, 7, 8)], days(17, 24), days(9, 16), days(9, 16))

    why = why_cadre(month_of(problem), roster, "c00")

    by_date = {w.date: w for w in why.wishes}
    assert by_date[march(2)].why.rule == 8 and "书记为您固定的休息日" in by_date[march(2)].why.zh
    assert by_date[march(5)].why.rule == 3 and "是禁休日" in by_date[march(5)].why.zh
    assert by_date[march(27)].why.rule == 1 and "外出或请假" in by_date[march(27)].why.zh


def test_the_rules_that_bind_a_cadre_come_with_their_own_facts() -> None:
    # Given a leader in weekly mode, away a week, with a partner they never rest with and a pinned block
    problem = township(
        "weekly",
        6,
        "0.5",
        leaders=2,
        offices=("党政办", "经发办"),
        min_leaders_on_duty=1,
        min_on_duty_per_office=1,
        never_together=(("c00", "c01"),),
        overrides={
            0: {
                "away": ((march(22), march(28)),),
                "pinned": (march(6), march(7)),
                "carry_days": 1,
                "history": History(desirable_rest_days=9, months=3),
            }
        },
    )
    roster = rest(
        [march(n) for n in (6, 7, 13, 14, 19, 20, 30)], days(9, 10), days(2, 3), days(4, 5), days(11, 12), days(16, 17)
    )

    why = why_cadre(month_of(problem), roster, "c00")

    notes = {note.topic: note for note in why.notes}
    # entitlement: 8 * 24 / 31 = 6.19 -> 6, plus one day owed
    assert (why.available_days, why.carry_days, why.entitled) == (24, 1, 7)
    assert "应休 7 天" in notes["entitlement"].zh and "按可排的 24 天（共 31 天）折算" in notes["entitlement"].zh
    assert "另补往月召回欠休 1 天" in notes["entitlement"].zh
    assert notes["mode"].rule == 2 and "周轮休" in notes["mode"].zh and "3月30日" in notes["mode"].zh
    assert notes["away"].dates == tuple(days(22, 28)) and "3月22日至28日" in notes["away"].zh
    assert notes["pinned"].rule == 8 and "3月6日至7日" in notes["pinned"].zh
    assert notes["pair"].cadres == ("c01",) and "c01 本月休息：3月9日至10日" in notes["pair"].zh
    assert notes["leaders"].rule == 5 and notes["office"].offices == ("党政办",)
    # five weekend days this month and nine over three months: (9 + 5) / 4 = 3.5 a month
    assert why.rate == Fraction(7, 2) and "平均每月 3.5 天" in notes["history"].zh
    assert why.lowest_rate <= why.rate <= why.highest_rate


def test_a_date_at_its_limit_says_so_with_the_numbers_and_the_rules_in_play() -> None:
    problem = township(
        "monthly",
        4,
        "0.5",
        leaders=2,
        offices=("甲", "乙"),
        min_leaders_on_duty=1,
        min_on_duty_per_office=1,
        never_together=(("c00", "c01"),),
        overrides={3: {"prefer": (march(20),)}, 2: {"avoid": (march(20),)}},
    )
    roster = rest(days(1, 8), days(17, 24), days(17, 24), days(9, 16))

    why = why_date(month_of(problem), roster, march(20), {})

    assert (why.kind, len(why.available), why.resting, why.need_on_duty) == ("desirable", 4, ("c01", "c02"), 2)
    assert (why.leaders_available, why.leaders_on_duty, why.leaders_need) == (2, 1, 1)
    notes = {note.topic: note for note in why.notes}
    assert "最多 2 人休息；这天 2 人休息、2 人在岗" in notes["coverage"].zh and "已到上限" in notes["coverage"].zh
    assert "周末或节假日" in notes["kind"].zh and "已到下限" in notes["leaders"].zh
    assert notes["offices"].offices == ("甲", "乙")
    assert notes["pair"].cadres == ("c01", "c00")
    assert [n.zh for n in why.notes if n.topic == "wishes"] == [
        "希望这天休息的：c03 未如愿（逐人原因见该干部的说明）。",
        "希望这天不休息的：c02 未如愿（逐人原因见该干部的说明）。",
    ]


def test_a_workday_and_a_blackout_date_are_told_apart() -> None:
    problem = monthly_four(blackout=(march(16),))
    roster = rest(days(1, 8), days(17, 24), days(17, 24), days(8, 15))
    month = month_of(problem)

    workday = why_date(month, roster, march(3), {})
    blackout = why_date(month, roster, march(16), {march(16): "防汛"})

    assert workday.kind == "workday" and "本月工作日每天 0 至 2 人休息，这天 1 人" in workday.notes[0].zh
    assert blackout.kind == "blackout" and "禁休日（防汛）" in blackout.notes[0].zh and blackout.notes[0].rule == 3


def test_a_date_outside_the_month_or_a_cadre_not_on_the_roster_is_refused() -> None:
    month = month_of(monthly_four())
    with pytest.raises(ValueError):
        why_date(month, {}, dt.date(2027, 4, 1))
    with pytest.raises(KeyError):
        why_cadre(month, {}, "c99")


def test_metrics_compare_in_their_order_of_importance() -> None:
    before = Metrics(preference_penalty=3, desirable_rest=40, fairness_spread=Fraction(3, 2), smoothness=2)
    worse = Metrics(preference_penalty=3, desirable_rest=39, fairness_spread=Fraction(1), smoothness=1)
    changes = metric_changes(before, worse)

    assert [c.verdict for c in changes] == ["same", "worse", "better", "better"] and overall(changes) == "worse"
    note = change_note(changes)
    assert note.zh.startswith("按质量指标的先后，调整后的排班变差") and "由 40 变为 39（变差）" in note.zh
    assert "由 1.5 变为 1（变好）" in note.zh
    assert change_note(metric_changes(before, before)).zh == "调整前后各项质量指标都没有变化。"


def test_explaining_a_large_township_stays_quick() -> None:
    # 150 cadres in monthly mode, each with two wishes the roster cannot all honour
    import time

    cadres = tuple(
        Cadre(id=f"c{i:03d}", office=f"科{i % 12}", prefer=(march(1 + i % 28), march(3 + i % 27))) for i in range(150)
    )
    problem = Problem(year=2027, month=3, policy=township("monthly", 1, "0.5").policy, cadres=cadres)
    roster = {c.id: days(1 + (i * 3) % 24, 8 + (i * 3) % 24) for i, c in enumerate(cadres)}
    month = month_of(problem)

    started = time.monotonic()
    why_cadre(month, roster, "c077")
    why_date(month, roster, march(6))

    assert time.monotonic() - started < 3.0
