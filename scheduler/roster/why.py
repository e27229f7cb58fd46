"""Why a roster is as it is, in sentences a township party secretary can read
out to a cadre who asks "why these days?" or to the county that asks "why so
few on duty on the 6th?".

Pure, like the rest of the library: a `Month` and the roster's rest days in,
facts and sentences out, Chinese first and English after, as the reasons of
`explain.py`. Cadre ids (`c12`) stand in the sentences for names; the service
puts the names in.

A wish the roster does not honour is explained by trying the one change that
would have honoured it: moving one of the cadre's own rest blocks over the
date (or off it), everybody else's days kept. When such a move keeps every
hard rule, the answer is what it would cost in the quality metrics of
roster-problem.md, compared in their order of importance; when none does, the
answer is the rules every such move breaks.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from .check import RULE_NAMES, Violation, blocks_of, check, fairness_rate
from .periods import CadreDays, Month, runs
from .problem import Metrics

Verdict = Literal["better", "worse", "same"]

#: The quality metrics of roster-problem.md (v2) in their order of importance,
#: named for the secretary; desirable_rest alone is better higher.
METRIC_NAMES: dict[str, tuple[str, str]] = {
    "preference_penalty": ("休息意愿未满足数（困难干部按三倍计）", "wishes not met (hardship counted three times)"),
    "desirable_rest": ("周末和节假日休息人次", "weekend and holiday rest days"),
    "fairness_spread": ("周末节假日休息的月均差距", "spread of weekend and holiday rest per month"),
    "smoothness": ("工作日休息人数的起伏", "spread of rest on workdays"),
}
HIGHER_IS_BETTER = frozenset({"desirable_rest"})
MODE_NAMES: dict[str, tuple[str, str]] = {
    "weekly": ("周轮休", "weekly rotation"),
    "half_month": ("半月轮休", "half-month rotation"),
    "monthly": ("月轮休", "monthly rotation"),
}
#: At most this many trial rosters are checked for one cadre's wishes (each a
#: full rule check, a few milliseconds for 150 cadres).
TRIALS_PER_CADRE = 240


@dataclass(frozen=True)
class Note:
    """One fact about a roster in a sentence. `rule` is the hard rule of
    roster-problem.md it is about (0: the quality metrics, or none)."""

    topic: str
    zh: str
    en: str
    rule: int = 0
    dates: tuple[dt.date, ...] = ()
    cadres: tuple[str, ...] = ()
    offices: tuple[str, ...] = ()


@dataclass(frozen=True)
class MetricChange:
    """One quality metric before and after a change, and which way it went."""

    name: str
    before: int | Fraction
    after: int | Fraction
    verdict: Verdict


@dataclass(frozen=True)
class Wish:
    """A date a cadre asked to rest (`prefer`) or not to rest (`avoid`), whether
    the roster honours it, and why. When a move of one block honouring it keeps
    every rule, `alternative` is the cadre's rest under that move and `costs`
    what it does to the metrics."""

    date: dt.date
    kind: Literal["prefer", "avoid"]
    honoured: bool
    why: Note
    alternative: tuple[dt.date, ...] = ()
    costs: tuple[MetricChange, ...] = ()


@dataclass(frozen=True)
class CadreWhy:
    """A cadre's month: rest blocks, what rule 1 entitles them to, their
    weekend and holiday rest against the township's, their wishes and the rules
    that bind them (`notes`)."""

    cadre: str
    rest: tuple[dt.date, ...]
    blocks: tuple[tuple[dt.date, dt.date], ...]
    available_days: int
    carry_days: int
    entitled: int
    desirable_rested: tuple[dt.date, ...]
    history_days: Fraction
    history_months: int
    rate: Fraction
    lowest_rate: Fraction
    highest_rate: Fraction
    wishes: tuple[Wish, ...]
    notes: tuple[Note, ...]


@dataclass(frozen=True)
class OfficeDay:
    """Rule 6 on one date for one office."""

    office: str
    available: int
    on_duty: int
    need: int


@dataclass(frozen=True)
class DateWhy:
    """One date: who can be planned, who rests and who is away, what rules 4-6
    require, and why this many rest (`notes`)."""

    date: dt.date
    kind: Literal["desirable", "workday", "blackout"]
    available: tuple[str, ...]
    resting: tuple[str, ...]
    away: tuple[str, ...]
    need_on_duty: int
    leaders_available: int
    leaders_on_duty: int
    leaders_need: int
    offices: tuple[OfficeDay, ...]
    notes: tuple[Note, ...]


# --------------------------------------------------------------------------
# Metrics compared
# --------------------------------------------------------------------------


def metric_changes(before: Metrics, after: Metrics) -> tuple[MetricChange, ...]:
    """Each metric before and after, in order of importance."""
    changes = []
    for name in METRIC_NAMES:
        old, new = getattr(before, name), getattr(after, name)
        gain = (new - old) if name in HIGHER_IS_BETTER else (old - new)
        verdict: Verdict = "better" if gain > 0 else "worse" if gain < 0 else "same"
        changes.append(MetricChange(name, old, new, verdict))
    return tuple(changes)


def overall(changes: Sequence[MetricChange]) -> Verdict:
    """Better or worse as roster-problem.md compares rosters: on the first metric that differs."""
    return next((c.verdict for c in changes if c.verdict != "same"), "same")


def change_note(changes: Sequence[MetricChange]) -> Note:
    """What an edit did to the quality metrics, in one sentence."""
    moved = [c for c in changes if c.verdict != "same"]
    if not moved:
        return Note("metrics", "调整前后各项质量指标都没有变化。", "Every quality metric is as it was.")
    zh_parts = [
        f"{METRIC_NAMES[c.name][0]}由 {_num(c.before)} 变为 {_num(c.after)}"
        f"（{'变好' if c.verdict == 'better' else '变差'}）"
        for c in moved
    ]
    en_parts = [f"{METRIC_NAMES[c.name][1]} from {_num(c.before)} to {_num(c.after)} ({c.verdict})" for c in moved]
    head_zh, head_en = ("变好", "better") if overall(changes) == "better" else ("变差", "worse")
    return Note(
        "metrics",
        f"按质量指标的先后，调整后的排班{head_zh}：" + "；".join(zh_parts) + "。",
        f"By the quality metrics in their order, the roster is {head_en} after the change: "
        + "; ".join(en_parts)
        + ".",
    )


# --------------------------------------------------------------------------
# A cadre
# --------------------------------------------------------------------------


def why_cadre(
    month: Month,
    rest: Mapping[str, Iterable[dt.date]],
    cadre_id: str,
    blackout_reasons: Mapping[dt.date, str] | None = None,
) -> CadreWhy:
    """Why `cadre_id` rests on the days `rest` gives them (KeyError if not in the month)."""
    cadre = month.by_id()[cadre_id]
    days = _day_sets(month, rest)
    own = days[cadre.id]
    rates = [fairness_rate(month, c, days[c.id]) for c in month.cadres]
    rate = fairness_rate(month, cadre, own)
    trials = _Trials(month, days)
    wishes = [_wish(month, trials, cadre, d, "prefer") for d in sorted(cadre.prefer)]
    wishes += [_wish(month, trials, cadre, d, "avoid") for d in sorted(cadre.avoid)]
    wishes.sort(key=lambda w: w.date)
    notes = _cadre_rules(month, cadre, days, blackout_reasons or {})
    notes.append(_history_note(month, cadre, own, rate, min(rates), max(rates)))
    return CadreWhy(
        cadre=cadre.id,
        rest=tuple(month.date(d) for d in sorted(own)),
        blocks=tuple((month.date(a), month.date(b)) for a, b in blocks_of(month, own)),
        available_days=len(cadre.available),
        carry_days=cadre.cadre.carry_days,
        entitled=cadre.entitlement,
        desirable_rested=tuple(month.date(d) for d in sorted(own & month.desirable)),
        history_days=cadre.history_days,
        history_months=cadre.history_months,
        rate=rate,
        lowest_rate=min(rates),
        highest_rate=max(rates),
        wishes=tuple(wishes),
        notes=tuple(notes),
    )


class _Trials:
    """Trial rosters that differ from the real one in one cadre's days, judged
    by the library's own check; rules already broken in the real roster (an
    override) do not count against a trial."""

    def __init__(self, month: Month, days: Mapping[str, frozenset[int]]) -> None:
        self.month = month
        self.days = days
        self.dates = {cid: [month.date(d) for d in sorted(ds)] for cid, ds in days.items()}
        report = check(month, self.dates)
        self.broken = {_key(v) for v in report.violations}
        self.metrics = report.metrics
        self.left = TRIALS_PER_CADRE

    def judge(self, cadre: CadreDays, candidate: frozenset[int]) -> tuple[list[tuple[int, str, str, str]], Metrics]:
        """The rules a trial breaks that the roster did not, and its metrics."""
        self.left -= 1
        dates = dict(self.dates)
        dates[cadre.id] = [self.month.date(d) for d in sorted(candidate)]
        report = check(self.month, dates)
        return [k for k in map(_key, report.violations) if k not in self.broken], report.metrics


def _key(violation: Violation) -> tuple[int, str, str, str]:
    # Counts inside the messages of rules 4-6 change with every trial; the rule,
    # cadre, date and office say which break it is.
    detail = violation.message if violation.rule in (1, 2) else ""
    return (violation.rule, violation.cadre + detail, violation.date, violation.office)


def _wish(month: Month, trials: _Trials, cadre: CadreDays, day: int, kind: Literal["prefer", "avoid"]) -> Wish:
    own = trials.days[cadre.id]
    date = month.date(day)
    rested = day in own
    at_zh, at_en = _zh_day(date), _en_day(date)
    if kind == "prefer" and rested:
        return Wish(date, kind, True, Note("wish", f"{at_zh}：如愿休息。", f"{at_en}: rests as wished.", dates=(date,)))
    if kind == "avoid" and not rested:
        return Wish(
            date,
            kind,
            True,
            Note("wish", f"{at_zh}：如愿在岗，不休息。", f"{at_en}: on duty as wished.", dates=(date,)),
        )
    if kind == "prefer" and day not in cadre.available:
        return Wish(
            date,
            kind,
            False,
            Note(
                "wish",
                f"{at_zh}：您外出或请假，不在排班之内，这天不能算作休息。",
                f"{at_en}: away (leave, training or secondment), so not a day the roster can give as rest.",
                rule=1,
                dates=(date,),
            ),
        )
    if kind == "prefer" and day in month.blackout:
        return Wish(
            date,
            kind,
            False,
            Note(
                "wish",
                f"{at_zh}是禁休日，这天谁都不能休息。",
                f"{at_en} is a blackout date: nobody may rest.",
                rule=3,
                dates=(date,),
            ),
        )
    if kind == "avoid" and day in cadre.pinned:
        return Wish(
            date,
            kind,
            False,
            Note(
                "wish",
                f"{at_zh}是书记为您固定的休息日（第 8 条），所以仍安排了休息。",
                f"{at_en} is a rest day the secretary pinned for you (rule 8), so you rest.",
                rule=8,
                dates=(date,),
            ),
        )
    moves = _moves_over(month, cadre, own, day) if kind == "prefer" else _moves_off(month, cadre, own, day)
    best: tuple[frozenset[int], Metrics] | None = None
    broken: dict[tuple[int, str, str, str], None] = {}
    tried = 0
    for candidate in moves:
        if trials.left <= 0:
            break
        tried += 1
        new, metrics = trials.judge(cadre, candidate)
        if not new:
            if best is None or metrics.rank() < best[1].rank():
                best = (candidate, metrics)
        else:
            broken.update(dict.fromkeys(new))
    verb_zh = "未能安排休息" if kind == "prefer" else "仍安排了休息"
    verb_en = "not a rest day" if kind == "prefer" else "still a rest day"
    if best is not None:
        return _wish_with_alternative(month, cadre, own, date, kind, best, trials.metrics, verb_zh, verb_en)
    if not tried:
        return Wish(
            date,
            kind,
            False,
            Note(
                "wish",
                f"{at_zh}{verb_zh}：{'试算的次数已用完，没有逐一试算' if moves else '您的休息段无法这样挪动'}。",
                f"{at_en}: {verb_en}; " + ("the trial budget ran out." if moves else "no move of a block can do it."),
                dates=(date,),
            ),
        )
    rules = sorted({k[0] for k in broken})
    zh_parts, en_parts = zip(
        *(_broken_rule(month, cadre, rule, [k for k in broken if k[0] == rule]) for rule in rules), strict=True
    )
    how_zh = "挪到这天" if kind == "prefer" else "挪开这天"
    how_en = "onto" if kind == "prefer" else "off"
    return Wish(
        date,
        kind,
        False,
        Note(
            "wish",
            f"{at_zh}{verb_zh}：只挪动您自己的一段休息{how_zh}，试了 {tried} 种挪法，每种都至少违反下列一条规则——"
            + "；".join(zh_parts)
            + "。",
            f"{at_en}: {verb_en}. Each of the {tried} ways of moving one of your blocks {how_en} it breaks at least "
            "one of these rules: " + "; ".join(en_parts) + ".",
            rule=rules[0],
            dates=(date,),
        ),
    )


def _wish_with_alternative(
    month: Month,
    cadre: CadreDays,
    own: frozenset[int],
    date: dt.date,
    kind: Literal["prefer", "avoid"],
    best: tuple[frozenset[int], Metrics],
    metrics: Metrics,
    verb_zh: str,
    verb_en: str,
) -> Wish:
    candidate, after = best
    changes = metric_changes(metrics, after)
    verdict = overall(changes)
    old_zh, new_zh = _zh_days(month, own - candidate), _zh_days(month, candidate - own)
    old_en, new_en = _en_days(month, own - candidate), _en_days(month, candidate - own)
    at_zh, at_en = _zh_day(date), _en_day(date)
    head_zh = f"{at_zh}{verb_zh}。把您 {old_zh} 的休息改到 {new_zh}，各项规则都允许"
    head_en = f"{at_en}: {verb_en}. Moving your rest from {old_en} to {new_en} keeps every rule"
    if verdict == "worse":
        first = next(c for c in changes if c.verdict == "worse")
        rank = list(METRIC_NAMES).index(first.name) + 1
        zh_name, en_name = METRIC_NAMES[first.name]
        zh = (
            f"{head_zh}，但{zh_name}会由 {_num(first.before)} 变为 {_num(first.after)}"
            f"（质量指标第 {rank} 项；前面的指标相同，按重要性这一项决定），所以没有这样排。"
        )
        en = (
            f"{head_en}, but {en_name} would go from {_num(first.before)} to {_num(first.after)} "
            f"(quality metric {rank}, the first that differs), so the roster does not do it."
        )
    elif verdict == "better":
        zh = f"{head_zh}，质量指标也更好；求解器在时限内没有找到这种安排，书记可以手工调整。"
        en = (
            f"{head_en} and is better on the quality metrics: the solver did not find it in its time; "
            "the secretary may make the change by hand."
        )
    else:
        zh = f"{head_zh}，质量指标完全相同：两种安排一样好，排班选了现在这种。"
        en = f"{head_en} and scores the same on every quality metric: both are as good; the roster has this one."
    return Wish(
        date,
        kind,
        False,
        Note("wish", zh, en, dates=(date,)),
        alternative=tuple(month.date(d) for d in sorted(candidate)),
        costs=changes,
    )


def _moves_over(month: Month, cadre: CadreDays, own: frozenset[int], day: int) -> list[frozenset[int]]:
    """The cadre's rest days with one of their blocks moved so that it covers `day`."""
    out = []
    for a, b in blocks_of(month, own):
        length, others = b - a + 1, own - set(range(a, b + 1))
        for start in range(max(1, day - length + 1), min(day, month.ndays - length + 1) + 1):
            span = frozenset(range(start, start + length))
            if not span & others:
                out.append(others | span)
    return out


def _moves_off(month: Month, cadre: CadreDays, own: frozenset[int], day: int) -> list[frozenset[int]]:
    """The cadre's rest days with the block holding `day` moved off it and off every other avoided date."""
    block = next(((a, b) for a, b in blocks_of(month, own) if a <= day <= b), None)
    if block is None:
        return []
    length, others = block[1] - block[0] + 1, own - set(range(block[0], block[1] + 1))
    out = []
    for start in range(1, month.ndays - length + 2):
        span = frozenset(range(start, start + length))
        if not span & (others | cadre.avoid):
            out.append(others | span)
    return out


def _broken_rule(
    month: Month, cadre: CadreDays, rule: int, keys: Sequence[tuple[int, str, str, str]]
) -> tuple[str, str]:
    """A rule that every trial move broke, as the secretary reads it."""
    zh_name, en_name = RULE_NAMES[rule]
    dates = sorted({dt.date.fromisoformat(k[2]) for k in keys if k[2]})
    days = frozenset(d.day for d in dates)
    on_zh, on_en = (_zh_days(month, days), _en_days(month, days)) if days else ("", "")
    if rule == 1:
        detail = (
            f"您本月须恰好休 {cadre.entitlement} 天，且只在可排的日子",
            f"you rest exactly {cadre.entitlement} days, all on days you are available",
        )
    elif rule == 2:
        (mode_zh, mode_en), (shape_zh, shape_en) = MODE_NAMES[month.mode], _shape(month)
        detail = (f"{mode_zh}{shape_zh}", f"{mode_en}: {shape_en}")
    elif rule == 3:
        detail = (f"会落在禁休日 {on_zh}", f"it would fall on the blackout date(s) {on_en}")
    elif rule == 4:
        detail = (f"{on_zh}在岗人数会低于最低比例", f"fewer than the minimum share on duty on {on_en}")
    elif rule == 5:
        need = month.problem.policy.min_leaders_on_duty
        detail = (f"{on_zh}在岗的班子成员会少于 {need} 人", f"fewer than {need} leaders on duty on {on_en}")
    elif rule == 6:
        offices = "、".join(sorted({k[3] for k in keys if k[3]}))
        detail = (f"{offices}在 {on_zh} 会少于最低在岗人数", f"{offices} short of its minimum on duty on {on_en}")
    elif rule == 7:
        partners = [b if a == cadre.id else a for a, b in month.problem.policy.never_together if cadre.id in (a, b)]
        who = "、".join(partners)
        detail = (f"会与 {who} 在 {on_zh} 同时休息", f"you and {who} would both rest on {on_en}")
    else:
        detail = (f"会挪走已固定的休息日 {on_zh}", f"it would move the pinned rest day(s) {on_en}")
    return f"第 {rule} 条（{zh_name}）：{detail[0]}", f"rule {rule} ({en_name}): {detail[1]}"


def _shape(month: Month) -> tuple[str, str]:
    """Rule 2 in the township's mode, in words."""
    if month.mode == "weekly":
        return (
            "每段 2 天，每个周一至周日最多开始一段，两段之间至少隔一个工作日",
            "blocks of 2 days, at most one starting in each Monday-Sunday week, a working day between two",
        )
    if month.mode == "half_month":
        return (
            "每段 4 天，1 日至 15 日、16 日至月底各最多一段，不能跨过 15 日",
            "blocks of 4 days, at most one in days 1-15 and one in days 16-end, none across the 15th",
        )
    return "整月的休息连成一段", "the month's rest in one block"


def _cadre_rules(
    month: Month, cadre: CadreDays, days: Mapping[str, frozenset[int]], blackout_reasons: Mapping[dt.date, str]
) -> list[Note]:
    """The rules that bind a cadre this month, each with their own facts."""
    policy = month.problem.policy
    own = days[cadre.id]
    mode_zh, mode_en = MODE_NAMES[month.mode]
    shape_zh, shape_en = _shape(month)
    blocks = blocks_of(month, own)
    blocks_zh = "、".join(_zh_span(month, a, b) for a, b in blocks) or "无"
    blocks_en = ", ".join(_en_span(month, a, b) for a, b in blocks) or "none"
    notes = [
        Note(
            "mode",
            f"本乡实行{mode_zh}，{shape_zh}。您本月的休息：{blocks_zh}。",
            f"The township follows the {mode_en}: {shape_en}. Your rest this month: {blocks_en}.",
            rule=2,
            dates=tuple(month.date(d) for d in sorted(own)),
        )
    ]
    unavailable = frozenset(month.days) - cadre.available
    share_zh = f"每月 {policy.rest_days} 天"
    if unavailable:
        share_zh += f"按可排的 {len(cadre.available)} 天（共 {month.ndays} 天）折算"
    carry = cadre.cadre.carry_days
    zh = (
        f"应休 {cadre.entitlement} 天：{share_zh}" + (f"，另补往月召回欠休 {carry} 天" if carry else "") + "（第 1 条）"
    )
    en = (
        f"Entitled to {cadre.entitlement} days: {policy.rest_days} a month"
        + (f" prorated to the {len(cadre.available)} of {month.ndays} days available" if unavailable else "")
        + (f", plus {carry} owed from recalls in earlier months" if carry else "")
        + " (rule 1)"
    )
    if len(own) != cadre.entitlement:
        zh += f"；本排班实际安排 {len(own)} 天（书记打破规则调整过）"
        en += f"; this roster gives {len(own)} (a secretary overrode the rule)"
    notes.append(Note("entitlement", zh + "。", en + ".", rule=1))
    if unavailable:
        notes.append(
            Note(
                "away",
                f"外出或请假：{_zh_days(month, unavailable)}，这些天既不算在岗也不算休息。",
                f"Away (leave, training, secondment): {_en_days(month, unavailable)}; neither on duty nor resting.",
                rule=1,
                dates=tuple(month.date(d) for d in sorted(unavailable)),
            )
        )
    if month.blackout:
        listed = sorted(month.blackout)
        why = [
            f"{_zh_day(month.date(d))}（{blackout_reasons[month.date(d)]}）"
            if month.date(d) in blackout_reasons
            else _zh_day(month.date(d))
            for d in listed
        ]
        notes.append(
            Note(
                "blackout",
                f"禁休日：{'、'.join(why)}，这些天谁都不能休息（第 3 条）。",
                f"Blackout dates: {_en_days(month, month.blackout)}; nobody rests then (rule 3).",
                rule=3,
                dates=tuple(month.date(d) for d in listed),
            )
        )
    if cadre.pinned:
        notes.append(
            Note(
                "pinned",
                f"已固定的休息日：{_zh_days(month, cadre.pinned)}，重新生成也保留（第 8 条）。",
                f"Pinned rest days: {_en_days(month, cadre.pinned)}; kept when regenerated (rule 8).",
                rule=8,
                dates=tuple(month.date(d) for d in sorted(cadre.pinned)),
            )
        )
    for a, b in policy.never_together:
        if cadre.id not in (a, b):
            continue
        partner = b if a == cadre.id else a
        theirs = days.get(partner, frozenset())
        notes.append(
            Note(
                "pair",
                f"您与 {partner} 不能同时休息（第 7 条）；{partner} 本月休息：{_zh_days(month, theirs) or '无'}。",
                f"You and {partner} never rest on the same day (rule 7); {partner} rests "
                f"{_en_days(month, theirs) or 'no day'} this month.",
                rule=7,
                cadres=(partner,),
                dates=tuple(month.date(d) for d in sorted(theirs)),
            )
        )
    ratio = policy.ratio
    notes.append(
        Note(
            "coverage",
            f"全乡每天至少 {_percent(ratio)} 的可排干部在岗（第 4 条）。",
            f"Every day at least {_percent(ratio)} of the cadres available stay on duty (rule 4).",
            rule=4,
        )
    )
    if cadre.cadre.leader and policy.min_leaders_on_duty:
        leaders = sum(1 for c in month.cadres if c.cadre.leader)
        notes.append(
            Note(
                "leaders",
                f"您是班子成员：每天至少 {policy.min_leaders_on_duty} 名班子成员在岗（共 {leaders} 名，第 5 条）。",
                f"You are a leader: at least {policy.min_leaders_on_duty} of the {leaders} leaders "
                "stay on duty every day (rule 5).",
                rule=5,
            )
        )
    members = month.offices()[cadre.cadre.office]
    if len(members) >= 2 and policy.min_on_duty_per_office:
        office = cadre.cadre.office
        notes.append(
            Note(
                "office",
                f"{office}共 {len(members)} 人，每天至少 {month.office_need(len(members))} 人在岗（第 6 条）。",
                f"{office} has {len(members)} cadres; at least {month.office_need(len(members))} stay on "
                "duty every day (rule 6).",
                rule=6,
                offices=(office,),
            )
        )
    return notes


def _history_note(
    month: Month, cadre: CadreDays, own: frozenset[int], rate: Fraction, lowest: Fraction, highest: Fraction
) -> Note:
    """Their weekend and holiday rest, this month and before, against the township's."""
    here = len(own & month.desirable)
    months = cadre.history_months
    past_zh = f"前 {months} 个月在周末和节假日共休 {_num(cadre.history_days)} 天，" if months else "此前没有记录，"
    past_en = (
        f"{_num(cadre.history_days)} weekend and holiday rest days in the previous {months} months, "
        if months
        else "no earlier months on record, "
    )
    return Note(
        "history",
        f"{past_zh}本月 {here} 天，平均每月 {_num(rate)} 天；本乡干部从每月 {_num(lowest)} 天到 {_num(highest)} 天"
        "（质量指标第 2 项让周末和节假日尽量多休，第 3 项把这个差距拉平，历史少的优先）。",
        f"{past_en}{here} this month: {_num(rate)} a month on average; the township's cadres range from "
        f"{_num(lowest)} to {_num(highest)} (quality metric 2 rests as many weekend and holiday days as the rules "
        "allow, metric 3 evens this range out, those with fewer before first).",
        dates=tuple(month.date(d) for d in sorted(own & month.desirable)),
    )


# --------------------------------------------------------------------------
# A date
# --------------------------------------------------------------------------


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


# --------------------------------------------------------------------------
# Words and numbers
# --------------------------------------------------------------------------


def _day_sets(month: Month, rest: Mapping[str, Iterable[dt.date]]) -> dict[str, frozenset[int]]:
    here = (month.problem.year, month.problem.month)
    return {c.id: frozenset(d.day for d in rest.get(c.id, ()) if (d.year, d.month) == here) for c in month.cadres}


def _zh_day(date: dt.date) -> str:
    return f"{date.month}月{date.day}日"


def _en_day(date: dt.date) -> str:
    return f"{calendar.month_abbr[date.month]} {date.day}"


def _zh_span(month: Month, a: int, b: int) -> str:
    return f"{month.problem.month}月{a}日" + (f"至{b}日" if b > a else "")


def _en_span(month: Month, a: int, b: int) -> str:
    return f"{calendar.month_abbr[month.problem.month]} {a}" + (f"-{b}" if b > a else "")


def _zh_days(month: Month, days: Iterable[int]) -> str:
    return "、".join(_zh_span(month, a, b) for a, b in runs(days))


def _en_days(month: Month, days: Iterable[int]) -> str:
    return ", ".join(_en_span(month, a, b) for a, b in runs(days))


def _num(value: int | Fraction) -> str:
    """2, 2.5 or 2.33: as a person writes a number."""
    if isinstance(value, Fraction) and value.denominator != 1:
        return f"{float(value):.2f}".rstrip("0").rstrip(".")
    return str(int(value))


def _percent(ratio: Fraction) -> str:
    return f"{float(ratio) * 100:.0f}%" if (ratio * 100).denominator == 1 else f"{float(ratio) * 100:.1f}%"
