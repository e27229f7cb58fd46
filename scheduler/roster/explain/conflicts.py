"""After CP-SAT proved a month infeasible: one cadre alone, one rule relaxed,
then a minimal set of rule groups that cannot hold together."""

from __future__ import annotations

import time
from collections.abc import Sequence

from ortools.sat.python import cp_model

from ..greedy import drawable_alone
from ..model import Group, RosterModel, add_shape, build, pin
from ..periods import MODE_ZH, CadreDays, Month
from ..problem import Reason
from ..search import minimise
from .reasons import _RULE_ZH, _reason

#: CP-SAT deterministic work for each rule tried by _one_rule_relaxed.
RELAX_WORK = 0.3


def explain(month: Month, deadline: float, workers: int) -> list[Reason]:
    """Reasons for a problem CP-SAT proved infeasible; never empty."""
    reasons: list[Reason] = []
    for cadre in month.cadres:
        if time.monotonic() > deadline:
            break
        if not drawable_alone(month, cadre):
            reasons += _cadre_alone(month, cadre)
    if reasons:
        return reasons
    reasons = _one_rule_relaxed(month, deadline, workers)
    if reasons:
        return reasons
    core = _minimal_core(month, deadline)
    if not core:
        return [
            _reason(
                0,
                "各项规则逐条都能满足，但合在一起排不出轮休表；请适当降低在岗比例或减少禁休日",
                "every rule can be met alone but not all together; lower the duty ratio or drop blackout dates",
            )
        ]
    return _core_reasons(month, core)


def _cadre_alone(month: Month, cadre: CadreDays) -> list[Reason]:
    """Rules 1-3 and 8 for one cadre: can their own month be drawn at all?"""
    if _feasible_alone(month, cadre, pinned=True):
        return []
    cid, mode = cadre.id, month.mode
    blocks = "+".join(str(b) for b in cadre.blocks)
    if _feasible_alone(month, cadre, pinned=False):
        pins = "、".join(month.iso(d) for d in sorted(cadre.pinned))
        return [
            _reason(
                8,
                f"{cid} 的固定休息日 {pins} 不符合{MODE_ZH[mode]}的休息段要求（{blocks} 天）；请调整固定休息日",
                f"the pinned dates {pins} of {cid} do not fit the {mode} blocks ({blocks} days)",
                cadres=[cid],
                dates=[month.date(d) for d in sorted(cadre.pinned)],
            )
        ]
    rules = {
        "weekly": "每周（周一至周日）最多开始一段 2 天，两段之间至少隔一个工作日",
        "half_month": "上下半月各最多一段 4 天，不得跨 15 日",
        "monthly": "全月一段连续休息",
    }[mode]
    return [
        _reason(
            2,
            f"{cid} 本月应休 {cadre.entitlement} 天（{blocks} 天），但按{MODE_ZH[mode]}（{rules}）"
            f"在其可休日子里排不下；请减少结转天数、取消部分禁休日或调整请假时段",
            f"{cid} is owed {cadre.entitlement} days ({blocks}) but {mode} blocks do not fit "
            f"their available non-blackout days",
            cadres=[cid],
        )
    ]


def _feasible_alone(month: Month, cadre: CadreDays, pinned: bool) -> bool:
    rm = RosterModel(month=month, relaxable=False)
    add_shape(rm, cadre)
    if pinned:
        pin(rm, cadre)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 1.0
    solver.parameters.num_workers = 1
    return solver.solve(rm.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _one_rule_relaxed(month: Month, deadline: float, workers: int) -> list[Reason]:
    """Rules 3-8 one at a time: relaxing which rule alone admits a roster, and on the fewest dates.

    Each rule's groups (dates, offices, pairs, cadres) are made optional while
    every other rule holds, and CP-SAT breaks as few of them as it can; those
    are what the secretary would have to give up.
    """
    out: list[Reason] = []
    found = 0
    for rule in (4, 5, 6, 3, 7, 8):
        if time.monotonic() > deadline or found == 2:
            break
        rm = build(month, relaxable=True)
        family = sorted(g for g in rm.guards if g.rule == rule)
        if not family:
            continue
        for group, literal in rm.guards.items():
            if group.rule != rule:
                rm.model.add(literal == 1)
        rm.model.minimize(sum(1 - rm.guards[g] for g in family))
        seconds = (deadline - time.monotonic()) / 2
        outcome = minimise(rm.model, RELAX_WORK, seconds, workers) if seconds > 0 else None
        if outcome is None or not outcome.found:
            continue
        broken = [g for g in family if not outcome.solver.boolean_value(rm.guards[g])]
        alternative = "或者" if found else ""
        found += 1
        out.append(
            _reason(
                0,
                f"没有满足全部规则的轮休表。{alternative}只放宽第 {rule} 条规则（{_RULE_ZH[rule]}）"
                f"即可排出，例如放宽下列 {len(broken)} 处：",
                f"no roster meets every rule; {'alternatively, ' if alternative else ''}relaxing rule "
                f"{rule} alone admits one, e.g. in these {len(broken)} places:",
            )
        )
        out += [_group_reason(month, g) for g in broken]
    return out


def _minimal_core(month: Month, deadline: float) -> list[Group]:
    """A set of rule groups that cannot hold together, each one needed for the conflict.

    CP-SAT gives a sufficient set of assumptions; each member is then dropped
    in turn and kept out if the rest is still infeasible (deletion filter).
    """
    rm = build(month, relaxable=True)
    core = _infeasible_subset(rm, sorted(rm.guards), deadline)
    if core is None:
        return []
    for group in list(core):
        if time.monotonic() > deadline:
            break
        if group not in core:
            continue
        trial = [g for g in core if g != group]
        smaller = _infeasible_subset(rm, trial, deadline)
        if smaller is not None:
            core = smaller
    return core


def _infeasible_subset(rm: RosterModel, groups: Sequence[Group], deadline: float) -> list[Group] | None:
    """Groups (a subset of `groups`) proved infeasible together, or None."""
    rm.model.clear_assumptions()
    rm.model.add_assumptions([rm.guards[g] for g in groups])
    seconds = deadline - time.monotonic()
    if seconds <= 0:
        return None
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = min(seconds, 5.0)
    solver.parameters.num_workers = 1
    if solver.solve(rm.model) != cp_model.INFEASIBLE:
        return None
    used = set(solver.sufficient_assumptions_for_infeasibility())
    return [g for g in groups if rm.guards[g].index in used]


def _core_reasons(month: Month, core: Sequence[Group]) -> list[Reason]:
    """One reason per rule in the conflict, dates merged, and a summary first."""
    rules = sorted({g.rule for g in core})
    names = "、".join(f"第{r}条（{_RULE_ZH[r]}）" for r in rules)
    out = [
        _reason(
            0,
            f"没有满足全部规则的轮休表：{names}在下列日期、站所或人员上不能同时满足，放宽其中任意一项即可消除这一冲突",
            f"no roster meets every rule: rules {', '.join(map(str, rules))} cannot all hold on the "
            f"dates, offices or cadres below; relaxing any one of them removes this conflict",
        )
    ]
    for g in core:
        out.append(_group_reason(month, g))
    return out


def _group_reason(month: Month, g: Group) -> Reason:
    iso = month.iso(g.day) if g.day else ""
    dates = [month.date(g.day)] if g.day else []
    policy = month.problem.policy
    if g.rule == 3:
        return _reason(3, f"{iso} 是禁休日，全员不得休息", f"{iso} is a blackout date", dates=dates)
    if g.rule in (4, 5, 6):
        members = month.available_on(g.day)
        if g.rule == 5:
            members = [c for c in members if c.cadre.leader]
        if g.rule == 6:
            members = [c for c in members if c.cadre.office == g.office]
        n = len(members)
        need = {4: month.coverage_need, 5: month.leader_need, 6: month.office_need}[g.rule](n)
        who_zh = {4: "干部", 5: "领导班子成员", 6: f"{g.office}干部"}[g.rule]
        who_en = {4: "cadres", 5: "leaders", 6: f"cadres of {g.office}"}[g.rule]
        detail = f"（在岗比例 {float(policy.ratio):g}）" if g.rule == 4 else ""
        return _reason(
            g.rule,
            f"{iso} 可用{who_zh} {n} 名，要求至少 {need} 名在岗{detail}，最多 {n - need} 名可休息",
            f"on {iso} {n} {who_en} are available and {need} must be on duty, so at most {n - need} may rest",
            dates=dates,
            offices=[g.office] if g.office else [],
        )
    if g.rule == 7:
        a, b = g.cadres
        return _reason(7, f"{a} 与 {b} 不得同日休息", f"{a} and {b} may never rest on the same date", cadres=g.cadres)
    cadre = month.by_id()[g.cadres[0]]
    pins = "、".join(month.iso(d) for d in sorted(cadre.pinned))
    return _reason(
        8,
        f"{cadre.id} 的固定休息日 {pins}",
        f"the pinned rest dates {pins} of {cadre.id}",
        cadres=g.cadres,
        dates=[month.date(d) for d in sorted(cadre.pinned)],
    )
