"""Why a cadre rests on their days: their share, the rules that bind them,
their wishes and their weekend and holiday rest against the township's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from fractions import Fraction

from ..check import blocks_of, fairness_rate
from ..periods import CadreDays, Month
from .facts import MODE_NAMES, CadreWhy, Note
from .wishes import _Trials, _wish
from .words import _day_sets, _en_days, _en_span, _num, _percent, _shape, _zh_day, _zh_days, _zh_span


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
