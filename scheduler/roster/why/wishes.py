"""A cadre's wish, honoured or not, explained by trying the one move of their
own rest that would honour it: what it costs, or which rules it breaks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Literal

from ..check import RULE_NAMES, Violation, blocks_of, check
from ..periods import CadreDays, Month
from ..problem import Metrics
from .facts import METRIC_NAMES, MODE_NAMES, Note, Wish
from .metrics import metric_changes, overall
from .words import _en_day, _en_days, _num, _shape, _zh_day, _zh_days

#: At most this many trial rosters are checked for one cadre's wishes (each a
#: full rule check, a few milliseconds for 150 cadres).
TRIALS_PER_CADRE = 240


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

    def answer(met: bool, zh: str, en: str, rule: int = 0) -> Wish:
        return Wish(date, kind, met, Note("wish", zh, en, rule=rule, dates=(date,)))

    if kind == "prefer" and rested:
        return answer(True, f"{at_zh}：如愿休息。", f"{at_en}: rests as wished.")
    if kind == "avoid" and not rested:
        return answer(True, f"{at_zh}：如愿在岗，不休息。", f"{at_en}: on duty as wished.")
    if kind == "prefer" and day not in cadre.available:
        return answer(
            False,
            f"{at_zh}：您外出或请假，不在排班之内，这天不能算作休息。",
            f"{at_en}: away (leave, training or secondment), so not a day the roster can give as rest.",
            rule=1,
        )
    if kind == "prefer" and day in month.blackout:
        return answer(
            False,
            f"{at_zh}是禁休日，这天谁都不能休息。",
            f"{at_en} is a blackout date: nobody may rest.",
            rule=3,
        )
    if kind == "avoid" and day in cadre.pinned:
        return answer(
            False,
            f"{at_zh}是书记为您固定的休息日（第 8 条），所以仍安排了休息。",
            f"{at_en} is a rest day the secretary pinned for you (rule 8), so you rest.",
            rule=8,
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
        return answer(
            False,
            f"{at_zh}{verb_zh}：{'试算的次数已用完，没有逐一试算' if moves else '您的休息段无法这样挪动'}。",
            f"{at_en}: {verb_en}; " + ("the trial budget ran out." if moves else "no move of a block can do it."),
        )
    rules = sorted({k[0] for k in broken})
    zh_parts, en_parts = zip(
        *(_broken_rule(month, cadre, rule, [k for k in broken if k[0] == rule]) for rule in rules), strict=True
    )
    how_zh = "挪到这天" if kind == "prefer" else "挪开这天"
    how_en = "onto" if kind == "prefer" else "off"
    return answer(
        False,
        f"{at_zh}{verb_zh}：只挪动您自己的一段休息{how_zh}，试了 {tried} 种挪法，每种都至少违反下列一条规则——"
        + "；".join(zh_parts)
        + "。",
        f"{at_en}: {verb_en}. Each of the {tried} ways of moving one of your blocks {how_en} it breaks at least "
        "one of these rules: " + "; ".join(en_parts) + ".",
        rule=rules[0],
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
