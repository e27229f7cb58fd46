"""Our own verification of a roster: hard rules 1-8 and the quality metrics.

This reads the rules exactly as the shared roster_check.py does (see its
docstring), so that the solver can report metrics without depending on a file
outside the repository, and so that `python -m scheduler check` works alone.
The tests hold the two to the same answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from .periods import MODE_ZH, CadreDays, Month, half_of, runs
from .problem import Metrics

#: The hard rules of roster-problem.md by number, as a secretary names them
#: (Chinese) and in English: the one naming of the rules the service shows.
RULE_NAMES: dict[int, tuple[str, str]] = {
    1: ("休息天数", "rest days"),
    2: ("休息段形式", "shape of rest blocks"),
    3: ("禁休日", "blackout dates"),
    4: ("最低在岗比例", "minimum share on duty"),
    5: ("班子成员在岗", "leaders on duty"),
    6: ("科室在岗", "offices on duty"),
    7: ("不得同时休息", "never together"),
    8: ("固定休息日", "pinned days"),
}


@dataclass(frozen=True)
class Violation:
    """One broken hard rule (roster-problem.md numbering): ``message`` in
    English, ``zh`` in Chinese for the secretary (naming other cadres by id;
    the cadre the violation is about is in ``cadre``, not in the sentence)."""

    rule: int
    message: str
    cadre: str = ""
    date: str = ""
    office: str = ""
    zh: str = ""


@dataclass(frozen=True)
class Report:
    """The verdict on a roster: valid when no rule is broken."""

    violations: tuple[Violation, ...]
    metrics: Metrics

    @property
    def valid(self) -> bool:
        return not self.violations


def check(month: Month, rest: Mapping[str, Sequence[dt.date]]) -> Report:
    """Judge a roster (cadre id -> rest dates) against every hard rule."""
    days: dict[str, set[int]] = {}
    found: list[Violation] = []
    this_month = (month.problem.year, month.problem.month)
    for cadre in month.cadres:
        dates = list(rest.get(cadre.id, ()))
        outside = [d for d in dates if (d.year, d.month) != this_month or d.day not in cadre.available]
        days[cadre.id] = {d.day for d in dates if d not in outside}
        found += _entitlement(cadre, dates, outside)
        found += [Violation(2, en, cadre=cadre.id, zh=zh) for en, zh in shape_problems(month, cadre, days[cadre.id])]
        found += [
            Violation(
                3,
                f"rests on blackout date {month.iso(d)}",
                cadre=cadre.id,
                date=month.iso(d),
                zh=f"在禁休日 {month.iso(d)} 休息",
            )
            for d in sorted(days[cadre.id] & month.blackout)
        ]
    for day in month.days:
        found += _per_date(month, day, {cid for cid, ds in days.items() if day in ds})
    for a, b in month.problem.policy.never_together:
        found += [
            Violation(
                7,
                f"{a} and {b} both rest on {month.iso(d)}",
                date=month.iso(d),
                zh=f"{a} 与 {b} 不得同时休息，但两人都在 {month.iso(d)} 休息",
            )
            for d in sorted(days[a] & days[b])
        ]
    for cadre in month.cadres:
        found += [
            Violation(
                8,
                f"pinned rest date {month.iso(d)} is not rested",
                cadre=cadre.id,
                date=month.iso(d),
                zh=f"固定的休息日 {month.iso(d)} 没有安排休息",
            )
            for d in sorted(cadre.pinned - days[cadre.id])
        ]
    found.sort(key=lambda v: (v.rule, v.cadre, v.date))
    return Report(violations=tuple(found), metrics=metrics(month, days))


def _entitlement(cadre: CadreDays, dates: Sequence[dt.date], outside: Sequence[dt.date]) -> list[Violation]:
    """Rule 1: exactly e rest days, all on available days."""
    found = []
    if outside:
        listed = ", ".join(d.isoformat() for d in outside)
        found.append(
            Violation(
                1,
                f"rests on {listed}, which are not available days",
                cadre=cadre.id,
                zh=f"在 {listed} 休息，但这些天不在岗可排（请假、外出或未到岗）",
            )
        )
    if len(dates) != cadre.entitlement:
        found.append(
            Violation(
                1,
                f"rests {len(dates)} days; entitled to exactly {cadre.entitlement}",
                cadre=cadre.id,
                zh=f"休息 {len(dates)} 天，本月应休恰好 {cadre.entitlement} 天",
            )
        )
    return found


def blocks_of(month: Month, days: set[int] | frozenset[int]) -> list[tuple[int, int]]:
    """Rule 2: the blocks of a set of rest days, runs cut at day 15/16 in half_month mode."""
    if month.mode != "half_month":
        return runs(days)
    return [b for h in (0, 1) for b in runs(d for d in days if half_of(d) == h)]


def shape_problems(month: Month, cadre: CadreDays, days: set[int]) -> list[tuple[str, str]]:
    """Rule 2 for one cadre: block count, lengths and spacing for the mode,
    each problem in English and in Chinese."""
    found: list[tuple[str, str]] = []
    blocks = blocks_of(month, days)
    if month.mode == "weekly":
        weeks = [month.week_of(a) for a, _ in blocks]
        if len(set(weeks)) != len(weeks):
            found.append(("two blocks start in the same Monday-Sunday week", "有两段休息在同一周（周一至周日）内开始"))
        for (_, end), (start, _) in zip(blocks, blocks[1:], strict=False):
            if not any(d in cadre.available for d in range(end + 1, start)):
                found.append(
                    (
                        f"no working day between {month.iso(end)} and {month.iso(start)}",
                        f"{month.iso(end)} 与 {month.iso(start)} 两段休息之间没有上班日",
                    )
                )
    elif month.mode == "half_month":
        halves = [half_of(a) for a, _ in blocks]
        if len(set(halves)) != len(halves):
            found.append(("two blocks lie in the same half of the month", "有两段休息落在同一个半月内"))
    elif len(blocks) > 1:
        found.append(
            (
                f"rest days form {len(blocks)} blocks; monthly mode needs one",
                f"休息分成了 {len(blocks)} 段，月轮休只能连休一段",
            )
        )
    lengths = tuple(b - a + 1 for a, b in blocks)
    if len(days) == cadre.entitlement and lengths != cadre.blocks:
        found.append(
            (
                f"blocks of {lengths} days; {month.mode} mode needs {cadre.blocks}",
                f"休息段为 {'、'.join(map(str, lengths))} 天，{MODE_ZH[month.mode]}应为 "
                f"{'、'.join(map(str, cadre.blocks))} 天",
            )
        )
    return found


def _per_date(month: Month, day: int, resting: set[str]) -> list[Violation]:
    """Rules 4-6 on one date."""
    found = []
    iso = month.iso(day)
    avail = month.available_on(day)
    on = sum(1 for c in avail if c.id not in resting)
    if on < (need := month.coverage_need(len(avail))):
        found.append(
            Violation(
                4,
                f"{on} of {len(avail)} available cadres on duty; {need} needed",
                date=iso,
                zh=f"{iso} 可排班 {len(avail)} 人，只有 {on} 人在岗，政策要求至少 {need} 人",
            )
        )
    leaders = [c for c in avail if c.cadre.leader]
    on = sum(1 for c in leaders if c.id not in resting)
    if on < (need := month.leader_need(len(leaders))):
        found.append(
            Violation(
                5,
                f"{on} of {len(leaders)} available leaders on duty; {need} needed",
                date=iso,
                zh=f"{iso} 可排班的班子成员 {len(leaders)} 人，只有 {on} 人在岗，至少需要 {need} 人",
            )
        )
    for office, members in month.offices().items():
        present = [c for c in members if day in c.available]
        on = sum(1 for c in present if c.id not in resting)
        if on < (need := month.office_need(len(present))):
            found.append(
                Violation(
                    6,
                    f"{office}: {on} of {len(present)} on duty; {need} needed",
                    date=iso,
                    office=office,
                    zh=f"{iso} {office}可排班 {len(present)} 人，只有 {on} 人在岗，至少需要 {need} 人",
                )
            )
    return found


# --------------------------------------------------------------------------
# Quality metrics
# --------------------------------------------------------------------------


def metrics(month: Month, days: Mapping[str, set[int] | frozenset[int]]) -> Metrics:
    """The four quality metrics of roster-problem.md (v2) for cadre id -> rest days."""
    return Metrics(
        preference_penalty=preference_penalty(month, days),
        desirable_rest=desirable_rest(month, days),
        fairness_spread=fairness_spread(month, days),
        smoothness=smoothness(month, days),
    )


def preference_penalty(month: Month, days: Mapping[str, set[int] | frozenset[int]]) -> int:
    """Quality 1: prefer dates not rested plus avoid dates rested, x3 for hardship."""
    total = 0
    for c in month.cadres:
        rested = days.get(c.id, set())
        total += c.weight * (len(c.prefer - rested) + len(c.avoid & rested))
    return total


def desirable_rest(month: Month, days: Mapping[str, set[int] | frozenset[int]]) -> int:
    """Quality 2: (cadre, desirable date) pairs rested, the roster's weekend and holiday rest."""
    return sum(len(month.desirable & days.get(c.id, set())) for c in month.cadres)


def fairness_rate(month: Month, cadre: CadreDays, rested: set[int] | frozenset[int]) -> Fraction:
    """Quality 3: desirable days rested per month, history included."""
    return (cadre.history_days + len(month.desirable & rested)) / (cadre.history_months + 1)


def fairness_spread(month: Month, days: Mapping[str, set[int] | frozenset[int]]) -> Fraction:
    """Quality 3: the largest fairness rate minus the smallest, over all cadres."""
    rates = [fairness_rate(month, c, days.get(c.id, set())) for c in month.cadres]
    return max(rates) - min(rates) if rates else Fraction(0)


def smoothness(month: Month, days: Mapping[str, set[int] | frozenset[int]]) -> int:
    """Quality 4: over workdays (neither desirable nor blackout), most cadres resting on one minus fewest."""
    counts = [sum(1 for ds in days.values() if d in ds) for d in month.workdays]
    return max(counts) - min(counts) if len(counts) >= 2 else 0
