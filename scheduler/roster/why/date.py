"""Why a date has as many on duty as it has: the rules 4-7 on that day, the
pinned days and the wishes on it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Literal

from ..periods import Month
from .facts import DateWhy, Note, OfficeDay
from .words import _day_sets, _en_day, _percent, _zh_day


def why_date(
    month: Month,
    rest: Mapping[str, Iterable[dt.date]],
    date: dt.date,
    blackout_reasons: Mapping[dt.date, str] | None = None,
) -> DateWhy:
    """Why this many rest and work on `date` (ValueError outside the month)."""
    if (date.year, date.month) != (month.problem.year, month.problem.month):
        raise ValueError(f"{date} is outside {month.problem.month_label}")
    day = date.day
    days = _day_sets(month, rest)
    policy = month.problem.policy
    available = month.available_on(day)
    resting = [c for c in available if day in days[c.id]]
    ids = {c.id for c in resting}
    need = month.coverage_need(len(available))
    leaders = [c for c in available if c.cadre.leader]
    leaders_on = sum(1 for c in leaders if c.id not in ids)
    offices = []
    for office, members in month.offices().items():
        present = [c for c in members if day in c.available]
        offices.append(
            OfficeDay(office, len(present), sum(1 for c in present if c.id not in ids), month.office_need(len(present)))
        )
    kind: Literal["desirable", "workday", "blackout"] = (
        "blackout" if day in month.blackout else "desirable" if day in month.desirable else "workday"
    )
    notes = [_kind_note(month, days, date, kind, len(resting), (blackout_reasons or {}).get(date))]
    notes.append(
        _coverage_note(date, len(available), len(resting), need, policy.ratio, len(month.cadres) - len(available), kind)
    )
    if leaders and policy.min_leaders_on_duty:
        needed = month.leader_need(len(leaders))
        tight = "，已到下限" if leaders_on == needed and leaders_on < len(leaders) else ""
        notes.append(
            Note(
                "leaders",
                f"班子成员可排 {len(leaders)} 人，{leaders_on} 人在岗，至少要 {needed} 人（第 5 条）{tight}。",
                f"{leaders_on} of the {len(leaders)} leaders available are on duty; {needed} needed "
                f"(rule 5){', the limit' if tight else ''}.",
                rule=5,
                dates=(date,),
            )
        )
    tight_offices = [o for o in offices if o.need and o.on_duty == o.need and o.available > o.need]
    if tight_offices:
        zh = "、".join(f"{o.office}（{o.available} 人中 {o.on_duty} 人在岗）" for o in tight_offices)
        en = ", ".join(f"{o.office} ({o.on_duty} of {o.available} on duty)" for o in tight_offices)
        notes.append(
            Note(
                "offices",
                f"这些科室已到在岗下限，其余人员不能再休息：{zh}（第 6 条）。",
                f"These offices are at their minimum on duty, nobody else there may rest: {en} (rule 6).",
                rule=6,
                dates=(date,),
                offices=tuple(o.office for o in tight_offices),
            )
        )
    for a, b in policy.never_together:
        resting_one = [x for x in (a, b) if x in ids]
        if resting_one:
            other = b if resting_one[0] == a else a
            notes.append(
                Note(
                    "pair",
                    f"{resting_one[0]} 休息，{other} 就不能同时休息（第 7 条）。",
                    f"{resting_one[0]} rests, so {other} may not (rule 7).",
                    rule=7,
                    dates=(date,),
                    cadres=(resting_one[0], other),
                )
            )
    pinned = tuple(c.id for c in available if day in c.pinned)
    if pinned:
        notes.append(
            Note(
                "pinned",
                f"书记固定在这天休息的：{'、'.join(pinned)}（第 8 条）。",
                f"Pinned to rest this day: {', '.join(pinned)} (rule 8).",
                rule=8,
                dates=(date,),
                cadres=pinned,
            )
        )
    notes += _wishes_on(month, days, day, date)
    return DateWhy(
        date=date,
        kind=kind,
        available=tuple(c.id for c in available),
        resting=tuple(c.id for c in resting),
        away=tuple(c.id for c in month.cadres if day not in c.available),
        need_on_duty=need,
        leaders_available=len(leaders),
        leaders_on_duty=leaders_on,
        leaders_need=month.leader_need(len(leaders)) if policy.min_leaders_on_duty else 0,
        offices=tuple(offices),
        notes=tuple(notes),
    )


def _kind_note(
    month: Month, days: Mapping[str, frozenset[int]], date: dt.date, kind: str, resting: int, reason: str | None
) -> Note:
    """What sort of day it is, and what the roster aims for on such a day."""
    if kind == "blackout":
        why = f"（{reason}）" if reason else ""
        return Note(
            "kind",
            f"{_zh_day(date)}是禁休日{why}：谁都不能休息（第 3 条）。",
            f"{_en_day(date)} is a blackout date{f' ({reason})' if reason else ''}: nobody rests (rule 3).",
            rule=3,
            dates=(date,),
        )
    if kind == "desirable":
        return Note(
            "kind",
            f"{_zh_day(date)}是周末或节假日：排班让尽量多的人在这些日子休息（质量指标第 2 项），"
            "再把周末和节假日的休息在干部之间拉平（第 3 项）。",
            f"{_en_day(date)} is a weekend day or holiday: the roster rests as many as the rules allow on "
            "such days (quality metric 2), then shares them out fairly (metric 3).",
            dates=(date,),
        )
    counts = [sum(1 for ds in days.values() if d in ds) for d in month.workdays]
    low, high = min(counts), max(counts)
    return Note(
        "kind",
        f"{_zh_day(date)}是工作日：排班让每个工作日休息的人数尽量接近（质量指标第 4 项）；"
        f"本月工作日每天 {low} 至 {high} 人休息，这天 {resting} 人。",
        f"{_en_day(date)} is a workday: the roster keeps the number resting on workdays as even as it can "
        f"(quality metric 4); this month {low} to {high} rest on a workday, {resting} on this one.",
        dates=(date,),
    )


def _coverage_note(
    date: dt.date, available: int, resting: int, need: int, ratio: Fraction, away: int, kind: str
) -> Note:
    """Rule 4 on the date: how many may rest at most, and how many do."""
    room = available - need
    away_zh = f"（另有 {away} 人外出或请假）" if away else ""
    away_en = f" ({away} more away)" if away else ""
    zh = (
        f"可排干部 {available} 人{away_zh}；最低在岗比例 {_percent(ratio)} 要求至少 {need} 人在岗，"
        f"所以最多 {room} 人休息；这天 {resting} 人休息、{available - resting} 人在岗"
    )
    en = (
        f"{available} cadres can be planned{away_en}; the minimum share on duty of {_percent(ratio)} keeps at "
        f"least {need} on duty, so at most {room} may rest; {resting} rest and {available - resting} are on duty"
    )
    if resting >= room and room > 0:
        zh += "，已到上限"
        en += ", the limit"
    elif kind == "desirable" and resting < room:
        zh += (
            f"。还能多休 {room - resting} 人而不低于比例，但每人每月的休息天数和休息段的形式是定的，"
            "多一人在这天休息就要从他别的休息日挪来，其余科室、班子成员和不同时休息的规则也要守住"
        )
        en += (
            f". {room - resting} more could rest without breaking the share, but each cadre's days and blocks "
            "are fixed by the rules: one more resting here means moving their rest from another day, with the "
            "office, leader and never-together rules kept"
        )
    return Note("coverage", zh + "（第 4 条）。", en + " (rule 4).", rule=4, dates=(date,))


def _wishes_on(month: Month, days: Mapping[str, frozenset[int]], day: int, date: dt.date) -> list[Note]:
    """Who wished to rest, or not to rest, on the date and whether they do."""
    notes = []
    for kind, zh_ask, en_ask in (
        ("prefer", "希望这天休息", "asked to rest"),
        ("avoid", "希望这天不休息", "asked not to rest"),
    ):
        asked = [c for c in month.cadres if day in getattr(c, kind)]
        if not asked:
            continue
        met = [c.id for c in asked if (day in days[c.id]) == (kind == "prefer")]
        unmet = [c.id for c in asked if c.id not in met]
        zh = "；".join(
            part
            for part in (f"{'、'.join(met)} 如愿" if met else "", f"{'、'.join(unmet)} 未如愿" if unmet else "")
            if part
        )
        en = "; ".join(
            part
            for part in (f"met for {', '.join(met)}" if met else "", f"not met for {', '.join(unmet)}" if unmet else "")
            if part
        )
        notes.append(
            Note(
                "wishes",
                f"{zh_ask}的：{zh}（逐人原因见该干部的说明）。",
                f"{en_ask.capitalize()}: {en} (each cadre's explanation says why).",
                dates=(date,),
                cadres=tuple(met + unmet),
            )
        )
    return notes
