"""Amending a published roster (发布后调整).

Real months change after publishing: a flood, an inspection, a wedding. The
secretary amends the days still ahead through the same checked edits as a
draft (move, swap, pin, unpin: ``services.roster_edit_plan`` and
``roster_edit_write``, every hard rule checked, a break refused naming it
unless overridden with a reason), with the reason for the change, which the
new version keeps. Days before today (Asia/Shanghai) never change: they are
the record of rest taken. Every cadre whose rest days changed, and only
they, is told what changed and why, in the app and at once by their channels.
Rest compliance follows by itself: the new version is the roster's current
one and carries its own entitlement rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from cadrecare.core import clock
from cadrecare.core.errors import ConflictError, DomainError, PreconditionFailed, PreconditionRequired
from cadrecare.core.i18n import choice_label
from cadrecare.org.access import CHANGE
from cadrecare.org.models import Cadre, User
from cadrecare.reminders.services import person_names
from cadrecare.rotation.choices import DayKind, RosterStatus
from cadrecare.rotation.models import Roster, RosterVersion
from cadrecare.rotation.services import (
    EDIT_OPS,
    EditPlan,
    _roster_for_update,
    notices_send,
    roster_acting_for,
    roster_edit_plan,
    roster_edit_write,
)

AMENDED_NOTICE_KIND = "roster_amended"


@dataclass(frozen=True)
class CadreChange:
    """One cadre's rest days before and after an amendment, and whether they
    could be told (a cadre without a login is told in person)."""

    cadre_id: int
    name: str
    before: tuple[dt.date, ...]
    after: tuple[dt.date, ...]
    told: bool


@dataclass(frozen=True)
class Amendment:
    """An amendment written: the roster, its new version and whose days changed."""

    roster: Roster
    version: RosterVersion
    changes: tuple[CadreChange, ...]


def roster_amend(
    *,
    actor: User | None,
    roster_obj: Roster,
    expected_version: int | None,
    op: str,
    cadre: Cadre,
    date: dt.date,
    reason: str,
    to_date: dt.date | None = None,
    other_cadre: Cadre | None = None,
    other_date: dt.date | None = None,
    override_reason: str = "",
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Amendment:
    """Amend a published roster's days from today on (see the module doc): no
    If-Match is 428, a stale one 412; a roster not published is a 409; a
    missing reason, a change to a day before today or a broken rule without
    ``override_reason`` is a 400. The new version's note says what changed
    and why; the cadres whose rest changed are notified. Made in the actor's
    own right or standing in for the township's vacant secretary, and audited as such."""
    if expected_version is None:
        raise PreconditionRequired(_("修改排班须在 If-Match 请求头中带上所依据的版本号（ETag）。"))
    if op not in EDIT_OPS:
        raise DomainError(_("操作只能是 move（调整）、swap（互换）、pin（固定）或 unpin（取消固定）。"), field="op")
    reason = reason.strip()
    if not reason:
        raise DomainError(_("已发布的排班调整须写明原因（如防汛、迎检、婚假），被调整的干部会收到。"), field="reason")
    today = today or clock.today()
    with transaction.atomic():
        target = _roster_for_update(roster_obj.pk)
        acting_for = roster_acting_for(actor=actor, unit=target.unit, action=CHANGE)
        if target.version != expected_version:
            raise PreconditionFailed(
                _("排班已被他人修改（当前版本 %(version)s），请刷新后重试。") % {"version": target.version},
                field="version",
            )
        if target.status != RosterStatus.PUBLISHED:
            raise ConflictError(
                _("该排班%(status)s：发布后调整只适用于已发布、尚未锁定的排班。")
                % {"status": choice_label(target.get_status_display())},
                field="status",
            )
        plan = roster_edit_plan(
            target=target,
            op=op,
            cadre=cadre,
            date=date,
            to_date=to_date,
            other_cadre=other_cadre,
            other_date=other_date,
        )
        # A cadre's login is optional (the plugin reads the nullable user_id as an int).
        people: dict[int, tuple[str, int | None]] = {
            pk: (name, user_id)
            for pk, name, user_id in Cadre.objects.filter(pk__in={row.cadre_id for row in plan.rows}).values_list(
                "pk", "name", "user_id"
            )
        }
        changed = _changed_days(plan)
        _refuse_past(changed, plan, people, today, edited=cadre)
        if not changed:
            raise DomainError(
                _("调整后与现在的排班相同，没有改动任何一天。"), field="to_date" if op == "move" else "op"
            )
        version = roster_edit_write(
            actor=actor,
            target=target,
            plan=plan,
            override_reason=override_reason,
            note_prefix=f"发布后调整（原因：{reason[:200]}）：",
            acting_for=acting_for,
            request=request,
        )
        changes = _rest_changes(plan, people)
        _notify(target, version, changes, people, reason, actor)
    return Amendment(roster=target, version=version, changes=changes)


def _changed_days(plan: EditPlan) -> set[tuple[int, dt.date]]:
    """Every (cadre, date) whose kind or pin the plan changes: the rows it
    would write, read the way ``roster_edit_write`` writes them."""
    changed = set()
    for row in plan.rows:
        if row.kind == DayKind.AWAY:
            continue
        kind = DayKind.REST if row.date in plan.rest[row.cadre_id] else DayKind.DUTY
        if kind != row.kind or (row.date in plan.pinned[row.cadre_id]) != row.pinned:
            changed.add((row.cadre_id, row.date))
    return changed


def _refuse_past(
    changed: set[tuple[int, dt.date]],
    plan: EditPlan,
    people: dict[int, tuple[str, int | None]],
    today: dt.date,
    edited: Cadre,
) -> None:
    """Days before today are the record of rest taken: an amendment never
    touches them. The error names the field to correct: the block's own date,
    where it was to go, or the other cadre's block of a swap."""
    past = sorted((day, cadre_id) for cadre_id, day in changed if day < today)
    if not past:
        return
    rested = {(row.cadre_id, row.date) for row in plan.rows if row.kind == DayKind.REST}
    day, cadre_id = past[0]
    field = "other_date" if cadre_id != edited.pk else "date" if (cadre_id, day) in rested else "to_date"
    listed = "、".join(f"{people[c][0]} {d:%m-%d}" for d, c in past[:6]) + ("等" if len(past) > 6 else "")
    raise DomainError(
        _("已经过去的日子不能改动：%(listed)s。今天是 %(today)s，只能调整今天及以后的安排。")
        % {"listed": listed, "today": format(today, "%Y-%m-%d")},
        field=field,
        code="past_day",
    )


def _rest_changes(plan: EditPlan, people: dict[int, tuple[str, int | None]]) -> tuple[CadreChange, ...]:
    """Each cadre whose rest days the plan changes, before and after."""
    before: dict[int, set[dt.date]] = {}
    for row in plan.rows:
        days = before.setdefault(row.cadre_id, set())
        if row.kind == DayKind.REST:
            days.add(row.date)
    return tuple(
        CadreChange(
            cadre_id,
            people[cadre_id][0],
            tuple(sorted(old)),
            tuple(sorted(plan.rest[cadre_id])),
            told=people[cadre_id][1] is not None,
        )
        for cadre_id, old in sorted(before.items())
        if old != set(plan.rest[cadre_id])
    )


def _days(days: Sequence[dt.date]) -> str:
    return "、".join(f"{d.month}月{d.day}日" for d in days) or "无"


def _notify(
    target: Roster,
    version: RosterVersion,
    changes: Sequence[CadreChange],
    people: dict[int, tuple[str, int | None]],
    reason: str,
    actor: User | None,
) -> int:
    """Tell each cadre whose rest changed, who has a login, what changed and
    why: an in-app notice sent on at once by email and SMS (the days may be
    close at hand; the digest would come a day late). One per version and person."""
    told = [c for c in changes if c.told]
    if not told:
        return 0
    by = person_names([actor.pk]).get(actor.pk, "") if actor else ""
    label = f"{target.unit.name}{target.month.year}年{target.month.month}月轮休排班"
    messages = []
    for change in told:
        dropped = sorted(set(change.before) - set(change.after))
        added = sorted(set(change.after) - set(change.before))
        body = (
            f"{label}有调整。您的休息日：原为 {_days(change.before)}，现为 {_days(change.after)}"
            f"（取消 {_days(dropped)}；新增 {_days(added)}）。原因：{reason}。" + (f"调整人：{by}。" if by else "")
        )
        recipient = people[change.cadre_id][1]
        assert recipient is not None  # told: the cadre has a login (_rest_changes)
        messages.append((recipient, change.cadre_id, f"{label}：您的休息日有调整", body))
    first = min(d for c in told for d in set(c.before) ^ set(c.after))
    return notices_send(
        kind=AMENDED_NOTICE_KIND,
        object_id=version.pk,
        unit_id=target.unit_id,
        period=target.month,
        due_date=first,
        url=f"/api/v1/roster-days/?month={target.month:%Y-%m}",
        messages=messages,
        urgent=True,
    )
