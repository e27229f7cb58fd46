"""Cheap necessary conditions, tested before any search: a pinned date on a
blackout, a block that fits nowhere, more rest owed than the duty ratio
leaves room for."""

from __future__ import annotations

from collections.abc import Sequence

from ..periods import HALF_MONTH_SPLIT, MODE_ZH, CadreDays, Month, block_starts, longest_run
from ..problem import Reason
from .reasons import _RULE_ZH, _reason


def precheck(month: Month) -> list[Reason]:
    """Necessary conditions that need no search; an empty list proves nothing."""
    reasons: list[Reason] = []
    for cadre in month.cadres:
        reasons += _cadre_conditions(month, cadre)
    if reasons:
        return reasons
    forced = {c.index: forced_days(month, c) for c in month.cadres}
    for day in month.days:
        reasons += _date_conditions(month, day, forced)
    reasons += _pair_conditions(month, forced)
    reasons += _capacity_conditions(month)
    return reasons


def _cadre_conditions(month: Month, cadre: CadreDays) -> list[Reason]:
    """Rules 1-3 and 8 for one cadre taken alone, as far as counting can tell."""
    cid, e, mode = cadre.id, cadre.entitlement, month.mode
    out: list[Reason] = []
    for day in sorted(cadre.pinned - cadre.available):
        out.append(
            _reason(
                8,
                f"{cid} 的固定休息日 {month.iso(day)} 不在其可用期内（请假、外出或未到岗），无法安排休息",
                f"{cid} is pinned to rest on {month.iso(day)}, a day they are away",
                cadres=[cid],
                dates=[month.date(day)],
            )
        )
    for day in sorted(cadre.pinned & month.blackout):
        out.append(
            _reason(
                3,
                f"{cid} 的固定休息日 {month.iso(day)} 是禁休日；请取消该固定休息日或该禁休日",
                f"{cid} is pinned to rest on blackout date {month.iso(day)}",
                cadres=[cid],
                dates=[month.date(day)],
            )
        )
    if len(cadre.pinned) > e:
        out.append(
            _reason(
                8,
                f"{cid} 固定了 {len(cadre.pinned)} 个休息日，但本月只应休 {e} 天",
                f"{cid} has {len(cadre.pinned)} pinned rest days but is entitled to {e}",
                cadres=[cid],
            )
        )
    if mode == "half_month" and len(cadre.blocks) > 2:
        out.append(
            _reason(
                2,
                f"半月轮休每月最多两段、每段 4 天（共 8 天），但 {cid} 本月应休 {e} 天"
                f"（含结转 {cadre.cadre.carry_days} 天）；请把多出的结转天数留到下月",
                f"half-month mode holds at most two 4-day blocks, but {cid} is owed {e} days "
                f"({cadre.cadre.carry_days} carried); carry the excess to a later month",
                cadres=[cid],
            )
        )
    elif e > len(cadre.restable):
        out.append(
            _reason(
                1,
                f"{cid} 本月应休 {e} 天，但可休的日子（在岗且非禁休日）只有 {len(cadre.restable)} 天",
                f"{cid} is owed {e} rest days but has only {len(cadre.restable)} available non-blackout days",
                cadres=[cid],
            )
        )
    else:
        out += _block_fit(month, cadre)
    return out


def _block_fit(month: Month, cadre: CadreDays) -> list[Reason]:
    """Rule 2: every block length must fit somewhere between blackouts and away days."""
    cid = cadre.id
    for length in sorted(set(cadre.blocks), reverse=True):
        if block_starts(month, cadre.restable, length):
            continue
        longest = longest_run(cadre.restable)
        return [
            _reason(
                2,
                f"{MODE_ZH[month.mode]}需要 {cid} 连续 {length} 天没有禁休日、且都在岗可用，"
                f"但 {month.problem.month_label} 其最长的一段只有 {longest} 天",
                f"{month.mode} mode needs {length} consecutive available days without a blackout "
                f"date for {cid}, but the longest such run in {month.problem.month_label} is "
                f"{longest} days",
                cadres=[cid],
            )
        ]
    return []


def forced_days(month: Month, cadre: CadreDays) -> frozenset[int]:
    """Days a cadre must rest: pinned ones, and those every placement of a lone block covers."""
    forced = set(cadre.pinned)
    if len(cadre.blocks) == 1:
        length = cadre.blocks[0]
        starts = block_starts(month, cadre.restable, length)
        if starts:
            forced |= set(range(starts[-1], starts[0] + length))
    return frozenset(forced)


def _date_conditions(month: Month, day: int, forced: dict[int, frozenset[int]]) -> list[Reason]:
    """Rules 4-6 on one date against the cadres who must rest that day."""
    iso, date = month.iso(day), month.date(day)
    avail = month.available_on(day)
    out: list[Reason] = []

    def short(rule: int, group: Sequence[CadreDays], need: int, what_zh: str, what_en: str) -> None:
        resting = [c.id for c in group if day in forced[c.index]]
        if len(group) - len(resting) < need:
            names = "、".join(resting)
            out.append(
                _reason(
                    rule,
                    f"{iso} {what_zh}可用 {len(group)} 名，其中 {names} 必须休息"
                    f"（固定休息日或唯一可休时段），只剩 {len(group) - len(resting)} 名在岗，"
                    f"但政策要求至少 {need} 名在岗",
                    f"on {iso} {len(group) - len(resting)} of {len(group)} {what_en} can be on duty "
                    f"({', '.join(resting)} must rest) but {need} are required",
                    dates=[date],
                    cadres=resting,
                )
            )

    short(4, avail, month.coverage_need(len(avail)), "干部", "cadres")
    leaders = [c for c in avail if c.cadre.leader]
    short(5, leaders, month.leader_need(len(leaders)), "领导班子成员", "leaders")
    for office, members in month.offices().items():
        present = [c for c in members if day in c.available]
        short(6, present, month.office_need(len(present)), f"{office}干部", f"cadres of {office}")
    return out


def _pair_conditions(month: Month, forced: dict[int, frozenset[int]]) -> list[Reason]:
    """Rule 7 against the days both cadres of a pair must rest."""
    by_id = month.by_id()
    out = []
    for a, b in month.problem.policy.never_together:
        both = sorted(forced[by_id[a].index] & forced[by_id[b].index])
        if both:
            dates = "、".join(month.iso(d) for d in both)
            out.append(
                _reason(
                    7,
                    f"{a} 与 {b} 不得同日休息，但两人在 {dates} 都必须休息（固定休息日或唯一可休时段）；"
                    f"请调整其中一人的固定休息日或可用时段",
                    f"{a} and {b} may never rest together but both must rest on {dates}",
                    dates=[month.date(d) for d in both],
                    cadres=[a, b],
                )
            )
    return out


def _capacity_conditions(month: Month) -> list[Reason]:
    """Rules 4-6 summed over days: the rest owed must fit under the daily caps.

    Summed over the whole month this is a count of rest days.  Summed over
    every L-th day it is sharper: any L consecutive days contain exactly one
    day of each residue class mod L, so each block of length b rests on at
    least b // L of those days (the 8th, 16th and 24th for monthly blocks of 8).
    In half_month mode a cadre with two blocks has one in each half, so the
    halves are counted on their own too (the 4th, 8th and 12th).
    """
    groups: list[tuple[int, str, str, list[CadreDays], str]] = [
        (4, "全体干部", "all cadres", list(month.cadres), ""),
        (5, "领导班子成员", "leaders", [c for c in month.cadres if c.cadre.leader], ""),
    ]
    groups += [(6, f"{o}干部", f"cadres of {o}", members, o) for o, members in month.offices().items()]
    lengths = sorted({1} | {b for c in month.cadres for b in c.blocks})
    windows = [month.days]
    if month.mode == "half_month":
        windows += [range(1, HALF_MONTH_SPLIT + 1), range(HALF_MONTH_SPLIT + 1, month.ndays + 1)]
    out: list[Reason] = []
    for rule, who_zh, who_en, members, office in groups:
        room = _daily_room(month, rule, members)
        tests = (
            (length, [d for d in window if d % length == k], _blocks_in(month, members, window))
            for window in windows
            for length in lengths
            for k in range(length)
        )
        for length, days, blocks in tests:
            owed = sum(b // length for b in blocks)
            if owed > (fits := sum(room[d] for d in days)):
                out.append(_capacity_reason(month, rule, who_zh, who_en, office, length, days, owed, fits))
                break
    return out


def _blocks_in(month: Month, members: Sequence[CadreDays], window: range) -> list[int]:
    """Lengths of the blocks that certainly lie inside `window` (the month, or a half)."""
    if len(window) == month.ndays:
        return [b for c in members for b in c.blocks]
    first = window[0] == 1
    # Two half_month blocks lie one per half, the first (a full one) in days 1-15.
    return [c.blocks[0 if first else 1] for c in members if len(c.blocks) == 2]


def _daily_room(month: Month, rule: int, members: Sequence[CadreDays]) -> dict[int, int]:
    """How many of `members` may rest on each day under rule 4, 5 or 6 and the blackouts."""
    need = {4: month.coverage_need, 5: month.leader_need, 6: month.office_need}[rule]
    room = {}
    for day in month.days:
        present = [c for c in members if day in c.available]
        room[day] = min(len(present) - need(len(present)), sum(1 for c in present if day in c.restable))
    return room


def _capacity_reason(
    month: Month,
    rule: int,
    who_zh: str,
    who_en: str,
    office: str,
    length: int,
    days: Sequence[int],
    owed: int,
    fits: int,
) -> Reason:
    offices = [office] if office else []
    if length == 1:
        return _reason(
            rule,
            f"本月{who_zh}共应休 {owed} 人天，但在第 {rule} 条规则（{_RULE_ZH[rule]}）下，"
            f"扣除禁休日后最多只能安排 {fits} 人天休息；请降低在岗要求或减少禁休日",
            f"{who_en} are owed {owed} rest days this month, but rule {rule} leaves room "
            f"for at most {fits} outside blackout dates",
            offices=offices,
        )
    listed = "、".join(month.iso(d) for d in days)
    return _reason(
        rule,
        f"{MODE_ZH[month.mode]}每段连续 {length} 天的休息必然覆盖 {listed} 中的一天，"
        f"{who_zh}至少要在这些日子休息 {owed} 人次，但第 {rule} 条规则（{_RULE_ZH[rule]}）"
        f"扣除禁休日后只允许 {fits} 人次；请降低在岗要求或取消这些日子附近的禁休日",
        f"every {length}-day block covers one of {', '.join(month.iso(d) for d in days)}; {who_en} "
        f"need at least {owed} rests on those dates but rule {rule} allows {fits}",
        dates=[month.date(d) for d in days],
        offices=offices,
    )
