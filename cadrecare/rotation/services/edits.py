"""Manual edits of a roster: move, swap, pin a block; every hard rule re-checked."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from dataclasses import replace as dc_replace
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils.translation import gettext as _

from cadrecare.core.errors import ConflictError, DomainError, PreconditionFailed, PreconditionRequired
from cadrecare.core.i18n import zh_or_en
from cadrecare.org.access import CHANGE
from cadrecare.org.models import Cadre, User
from cadrecare.rotation.choices import DayKind, RosterStatus, SolverStatus
from cadrecare.rotation.models import Roster, RosterDay, RosterEntitlement, RosterVersion
from cadrecare.rotation.problem import cadre_key, cadre_pk, problem_from_stored, with_names
from cadrecare.rotation.services.generation import SOLUTION_FORMAT, roster_entitlement_rows
from cadrecare.rotation.services.publishing import _roster_for_update, roster_acting_for, roster_written
from scheduler import roster as solver

RULE_ZH = {rule: zh for rule, (zh, _en) in solver.RULE_NAMES.items()}
EDIT_OPS = ("move", "swap", "pin", "unpin")


def _block_at(rest: Sequence[dt.date], day: dt.date) -> list[dt.date]:
    """The run of consecutive rest days containing ``day``."""
    days = set(rest)
    if day not in days:
        return []
    start = day
    while start - dt.timedelta(days=1) in days:
        start -= dt.timedelta(days=1)
    block = []
    while start in days:
        block.append(start)
        start += dt.timedelta(days=1)
    return block


def roster_edit(
    *,
    actor: User | None,
    roster_obj: Roster,
    expected_version: int | None,
    op: str,
    cadre: Cadre,
    date: dt.date,
    to_date: dt.date | None = None,
    other_cadre: Cadre | None = None,
    other_date: dt.date | None = None,
    override_reason: str = "",
    request: HttpRequest | None = None,
) -> Roster:
    """Move a cadre's rest block to start on ``to_date``, swap it with another
    cadre's block, or pin / unpin it. The edited
    roster is checked against every hard rule of the format; a break is a 400
    naming the rule, the dates and the cadres, unless the secretary writes a
    reason to override, which is kept with the version. The edit carries the
    roster version it was made on: none is 428, a stale one 412 (B4). Made
    in the actor's own right or standing in for the township's vacant
    secretary (``roster_acting_for``), and audited as such."""
    if expected_version is None:
        raise PreconditionRequired(_("修改排班须在 If-Match 请求头中带上所依据的版本号（ETag）。"))
    if op not in EDIT_OPS:
        raise DomainError(_("操作只能是 move（调整）、swap（互换）、pin（固定）或 unpin（取消固定）。"), field="op")
    with transaction.atomic():
        target = _roster_for_update(roster_obj.pk)
        acting_for = roster_acting_for(actor=actor, unit=target.unit, action=CHANGE)
        if target.version != expected_version:
            raise PreconditionFailed(
                _("排班已被他人修改（当前版本 %(version)s），请刷新后重试。") % {"version": target.version},
                field="version",
            )
        if target.status != RosterStatus.DRAFT or target.current is None:
            raise ConflictError(_("只有草稿状态、已生成方案的排班可以手工调整。"), field="status")
        plan = roster_edit_plan(
            target=target,
            op=op,
            cadre=cadre,
            date=date,
            to_date=to_date,
            other_cadre=other_cadre,
            other_date=other_date,
        )
        roster_edit_write(
            actor=actor,
            target=target,
            plan=plan,
            override_reason=override_reason,
            acting_for=acting_for,
            request=request,
        )
    return target


@dataclass(frozen=True)
class EditPlan:
    """An edit worked out on the current version, not yet written: the days it
    leaves, what it did in words, and the rule check of the result."""

    rows: list[RosterDay]
    rest: dict[int, list[dt.date]]
    pinned: dict[int, set[dt.date]]
    description: str
    problem: solver.Problem
    month: solver.Month
    report: solver.Report


def roster_edit_plan(
    *,
    target: Roster,
    op: str,
    cadre: Cadre,
    date: dt.date,
    to_date: dt.date | None = None,
    other_cadre: Cadre | None = None,
    other_date: dt.date | None = None,
) -> EditPlan:
    """Apply an edit to the current version's days in memory and check every
    hard rule of the result (the manual edit and the swap requests share it)."""
    if target.current is None or target.current.solver_status == SolverStatus.INFEASIBLE:
        raise ConflictError(_("该排班没有可行方案，无从调整；请先调整政策后重新生成。"), field="status")
    rows = list(RosterDay.objects.filter(version_id=target.current_id))
    rest: dict[int, list[dt.date]] = defaultdict(list)
    pinned: dict[int, set[dt.date]] = defaultdict(set)
    for row in rows:
        if row.kind == DayKind.REST:
            rest[row.cadre_id].append(row.date)
        if row.pinned:
            pinned[row.cadre_id].add(row.date)
    if cadre.pk not in {row.cadre_id for row in rows}:
        raise DomainError(_("%(name)s 不在这份排班中。") % {"name": cadre.name}, field="cadre")
    block = _block_at(rest[cadre.pk], date)
    if not block:
        raise DomainError(_("%(name)s 在 %(date)s 没有休息。") % {"name": cadre.name, "date": date}, field="date")
    description = _apply_edit(
        op,
        cadre,
        block,
        rest,
        pinned,
        to_date=to_date,
        other_cadre=other_cadre,
        other_date=other_date,
        month=target.month,
    )
    problem = _problem_with_pins(target.current.problem, pinned)
    month = solver.month_of(problem)
    report = solver.check(month, {cadre_key(c): days for c, days in rest.items()})
    return EditPlan(
        rows=rows, rest=rest, pinned=pinned, description=description, problem=problem, month=month, report=report
    )


def rules_broken(plan: EditPlan, target: Roster) -> DomainError | None:
    """The 400 a plan's broken rules make, naming each rule, date and cadre."""
    if not plan.report.violations:
        return None
    errors = _violation_errors(plan)
    return DomainError(errors[0]["message"], code="rule_broken", errors=errors)


def roster_edit_write(
    *,
    actor: User | None,
    target: Roster,
    plan: EditPlan,
    override_reason: str = "",
    note_prefix: str = "",
    acting_for: str = "",
    request: HttpRequest | None = None,
) -> RosterVersion:
    """Write a checked plan as the roster's new version (the caller holds the
    roster row lock): refused with the broken rules unless ``override_reason``
    says why; the pointer flips last and the version (ETag) goes up by one.
    Audited on the roster (its days), as acting for ``acting_for``, if given."""
    override_reason = override_reason.strip()
    if not override_reason and (broken := rules_broken(plan, target)) is not None:
        raise broken
    violations = plan.report.violations
    note = note_prefix + plan.description + (f"；打破规则仍调整，理由：{override_reason}" if violations else "")
    solution = {
        "format": SOLUTION_FORMAT,
        "status": "feasible",
        "rest": {cadre_key(c): sorted(d.isoformat() for d in days) for c, days in plan.rest.items()},
        "metrics": plan.report.metrics.to_json(),
        "reasons": [],
    }
    version = RosterVersion.objects.create(
        roster=target,
        number=target.versions.aggregate(top=Max("number"))["top"] + 1,
        solver_status=SolverStatus.EDITED,
        metrics=plan.report.metrics.to_json(),
        reasons=_violation_errors(plan),
        problem=solver.problem_to_json(plan.problem),
        solution=solution,
        note=note[:500],
        created_by=actor,
    )
    resting = {(c, d) for c, days in plan.rest.items() for d in days}
    RosterDay.objects.bulk_create(
        RosterDay(
            version=version,
            cadre_id=row.cadre_id,
            date=row.date,
            kind=row.kind
            if row.kind == DayKind.AWAY
            else DayKind.REST
            if (row.cadre_id, row.date) in resting
            else DayKind.DUTY,
            pinned=row.date in plan.pinned[row.cadre_id],
        )
        for row in plan.rows
    )
    kept = dict(RosterEntitlement.objects.filter(version_id=target.current_id).values_list("cadre_id", "leave_kept"))
    RosterEntitlement.objects.bulk_create(roster_entitlement_rows(version, plan.month, kept))
    target.current = version
    target.version += 1
    target.save(update_fields=["current", "version", "updated_at"])
    roster_written(actor, request, target, ["days"] + (["override"] if violations else []), acting_for)
    return version


def _apply_edit(
    op: str,
    cadre: Cadre,
    block: list[dt.date],
    rest: dict[int, list[dt.date]],
    pinned: dict[int, set[dt.date]],
    *,
    to_date: dt.date | None,
    other_cadre: Cadre | None,
    other_date: dt.date | None,
    month: dt.date,
) -> str:
    """Change ``rest`` / ``pinned`` in place; returns what was done, in words."""
    span = f"{block[0]:%m-%d}至{block[-1]:%m-%d}"
    if op in ("pin", "unpin"):
        if op == "pin":
            pinned[cadre.pk].update(block)
        else:
            pinned[cadre.pk].difference_update(block)
        return f"{'固定' if op == 'pin' else '取消固定'} {cadre.name} {span} 的休息"
    if op == "move":
        if to_date is None:
            raise DomainError(_("请指定新的开始日期。"), field="to_date")
        moved = [to_date + dt.timedelta(days=i) for i in range(len(block))]
        if moved[0].replace(day=1) != month or moved[-1].replace(day=1) != month:
            raise DomainError(_("调整后的休息段须在本月之内。"), field="to_date")
        rest[cadre.pk] = sorted(set(rest[cadre.pk]) - set(block) | set(moved))
        was_pinned = bool(pinned[cadre.pk] & set(block))
        pinned[cadre.pk].difference_update(block)
        if was_pinned:  # a pinned block stays pinned where the secretary put it
            pinned[cadre.pk].update(moved)
        return f"{cadre.name} 的休息由 {span} 调到 {moved[0]:%m-%d}至{moved[-1]:%m-%d}"
    if other_cadre is None or other_date is None:
        raise DomainError(_("互换须指定另一名干部及其休息日。"), field="other_cadre")
    if other_cadre.pk == cadre.pk:
        raise DomainError(_("互换须是两名不同的干部。"), field="other_cadre")
    theirs = _block_at(rest[other_cadre.pk], other_date)
    if not theirs:
        raise DomainError(
            _("%(name)s 在 %(other_date)s 没有休息。") % {"name": other_cadre.name, "other_date": other_date},
            field="other_date",
        )
    rest[cadre.pk] = sorted(set(rest[cadre.pk]) - set(block) | set(theirs))
    rest[other_cadre.pk] = sorted(set(rest[other_cadre.pk]) - set(theirs) | set(block))
    for who, old in ((cadre.pk, block), (other_cadre.pk, theirs)):
        pinned[who].difference_update(old)
    return f"{cadre.name}（{span}）与 {other_cadre.name}（{theirs[0]:%m-%d}至{theirs[-1]:%m-%d}）互换休息"


def _problem_with_pins(doc: Mapping[str, Any], pinned: Mapping[int, set[dt.date]]) -> solver.Problem:
    problem = problem_from_stored(doc)
    cadres = tuple(dc_replace(c, pinned=tuple(sorted(pinned.get(cadre_pk(c.id), ())))) for c in problem.cadres)
    return dc_replace(problem, cadres=cadres)


def _violation_errors(plan: EditPlan) -> list[dict[str, Any]]:
    """A plan's broken rules as the secretary reads them: the rule by number
    and name, the cadre (or office) and date, and what is wrong, in Chinese
    with the cadres named (one query for the names)."""
    if not plan.report.violations:
        return []
    names = {
        cadre_key(pk): name
        for pk, name in Cadre.objects.filter(pk__in={row.cadre_id for row in plan.rows}).values_list("pk", "name")
    }
    errors = []
    for v in plan.report.violations:
        who = f"{names.get(v.cadre, v.cadre)} " if v.cadre else ""
        what = with_names(zh_or_en(v.zh or v.message, v.message), names)
        errors.append(
            {
                "field": "days",
                "rule": v.rule,
                "cadre": cadre_pk(v.cadre) if v.cadre else None,
                "date": v.date or None,
                "office": v.office or None,
                "message": _("违反第 %(rule)s 条规则（%(name)s）：%(who)s%(what)s")
                % {
                    "rule": v.rule,
                    "name": zh_or_en(*solver.RULE_NAMES.get(v.rule, ("", ""))),
                    "who": who,
                    "what": what,
                },
            }
        )
    return errors
