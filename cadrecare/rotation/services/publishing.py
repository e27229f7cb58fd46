"""Publishing and locking a roster, and the notices that a draft is ready or a
roster published."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext

from cadrecare.audit.services import audit_change
from cadrecare.core import clock
from cadrecare.core.errors import ConflictError, DomainError
from cadrecare.core.i18n import choice_label
from cadrecare.org.access import STAND_IN
from cadrecare.org.models import OrgUnit, User
from cadrecare.org.scoping import may_in_unit, require_placement
from cadrecare.rotation.choices import SWAP_OPEN, DayKind, RosterStatus, SolverStatus, SwapStatus
from cadrecare.rotation.holiday_calendar import month_calendar, month_days
from cadrecare.rotation.models import Roster, RosterDay, SwapRequest
from cadrecare.rotation.selectors import stand_in_or_refuse
from cadrecare.rotation.services.notify import _holders_of, notices_send

PUBLISHED_NOTICE_KIND = "roster_published"
DRAFT_READY_NOTICE_KIND = "roster_draft_ready"  # to whoever may publish the township's roster
PUBLISH = "publish"  # the access action of publishing a roster
LOCK = "lock"  # and of locking it


def roster_acting_for(*, actor: User | None, unit: OrgUnit, action: str) -> str:
    """Whom ``actor`` writes ``unit``'s roster as, for ``action``: "" in their
    own right (or the system); else the vacant township secretary's post they
    stand in for (``<role>@<unit code>``, for the audit row), refused naming
    the serving secretary while it is filled; refused beside ``unit`` where
    neither (docs/access.md)."""
    if actor is None or may_in_unit(actor, "rosters", action, unit):
        return ""
    if may_in_unit(actor, "rosters", STAND_IN, unit):
        return stand_in_or_refuse(user=actor, unit=unit)
    require_placement(actor, "rosters", action, unit, field="unit")  # outside scope: refused here
    return ""


def roster_written(
    actor: User | None, request: HttpRequest | None, target: Roster, fields: list[str], acting_for: str = ""
) -> None:
    """The one audit row of a write to a roster (its status, its days, a new
    run for it), as acting for the post stood in for, if any."""
    audit_change(
        actor=actor,
        action="update",
        resource="rosters",
        record=target,
        fields=fields,
        request=request,
        acting_for=acting_for,
    )


def _roster_for_update(roster_id: int) -> Roster:
    """The roster row locked for this transaction, then read with its current
    version: every writer of a roster's days (edits, swap approvals, publish,
    lock) takes it first (B4). The lock and the read are two statements: a
    writer that waited for the lock must work on what the holder committed,
    and PostgreSQL re-reads only the locked row of a FOR UPDATE query, so the
    join to the current version came back empty (null) for it."""
    Roster.objects.select_for_update().filter(pk=roster_id).values_list("pk").get()
    return Roster.objects.select_related("current", "unit").get(pk=roster_id)


@transaction.atomic
def roster_publish(
    *,
    actor: User | None,
    roster_obj: Roster,
    confirm_provisional: bool = False,
    request: HttpRequest | None = None,
) -> Roster:
    """Publish a draft, in the actor's own right or standing in for the
    township's vacant secretary: it needs a valid current version, and
    confirmation when the month's holidays are still provisional. Audited."""
    target = _roster_for_update(roster_obj.pk)
    acting_for = roster_acting_for(actor=actor, unit=target.unit, action=PUBLISH)
    if target.status != RosterStatus.DRAFT:
        raise ConflictError(
            gettext("该排班已%(status)s。") % {"status": choice_label(target.get_status_display())},
            field="status",
        )
    if target.current is None or target.current.solver_status == SolverStatus.INFEASIBLE:
        raise DomainError(gettext("该排班还没有可行的方案，不能发布；请先根据原因调整政策后重新生成。"), field="status")
    provisional = month_calendar(target.month.year, target.month.month).provisional
    if provisional and not confirm_provisional:
        raise DomainError(
            gettext(
                "%(year)s 年的节假日安排尚未按国务院通知确认（暂定），排班中的节假日可能变动。"
                "确认知悉后方可发布（confirm_provisional=true）。"
            )
            % {"year": target.month.year},
            field="confirm_provisional",
        )
    target.status = RosterStatus.PUBLISHED
    target.provisional_calendar = provisional
    target.published_at = clock.now()
    target.published_by = actor
    target.version += 1
    target.save()
    roster_written(actor, request, target, ["status"], acting_for)
    roster_published_notify(roster_obj=target)
    return target


def roster_draft_ready_notify(*, roster_obj: Roster) -> int:
    """Tell whoever may publish the township's roster, as soon as its first
    valid draft of the month is written, that it is ready to review and by when
    it must be published (the day before the month, as the ``roster_publish``
    item says). Once per roster: a regenerated draft is the secretary's own doing."""
    deadline = roster_obj.month - dt.timedelta(days=1)
    label = f"{roster_obj.month.year}年{roster_obj.month.month}月"
    return notices_send(
        kind=DRAFT_READY_NOTICE_KIND,
        object_id=roster_obj.pk,
        unit_id=roster_obj.unit_id,
        period=roster_obj.month,
        due_date=deadline,
        url=f"/api/v1/rosters/{roster_obj.pk}/",
        messages=[
            (
                user_id,
                None,
                f"{roster_obj.unit.name}{label}轮休排班草稿已生成",
                f"{roster_obj.unit.name}{label}的轮休排班草稿已生成，请审核，"
                f"并于{deadline.month}月{deadline.day}日前发布。",
            )
            for user_id, _ in _holders_of("rosters", PUBLISH, roster_obj.unit)
        ],
    )


def roster_published_notify(*, roster_obj: Roster) -> int:
    """Tell each cadre of a published roster, who has a login, their rest days
    : an in-app notice in the
     reminders inbox, sent on in their daily digest. Unique per roster and
     person, so it is written once."""
    rest: dict[int, list[dt.date]] = defaultdict(list)
    users: dict[int, int] = {}
    days = RosterDay.objects.filter(version_id=roster_obj.current_id, cadre__user__isnull=False).values_list(
        "cadre_id", "cadre__user_id", "date", "kind"
    )
    for cadre_id, user_id, day, kind in days:
        users[cadre_id] = user_id
        if kind == DayKind.REST:
            rest[cadre_id].append(day)
    label = f"{roster_obj.month.year}年{roster_obj.month.month}月"
    return notices_send(
        kind=PUBLISHED_NOTICE_KIND,
        object_id=roster_obj.pk,
        unit_id=roster_obj.unit_id,
        period=roster_obj.month,
        due_date=roster_obj.month,
        url=f"/api/v1/roster-days/?month={roster_obj.month:%Y-%m}",
        messages=[
            (
                user_id,
                cadre_id,
                f"{roster_obj.unit.name}{label}轮休排班已发布",
                f"您{label}的休息日："
                + ("、".join(f"{d.month}月{d.day}日" for d in sorted(rest[cadre_id])) or "本月无休息日（外出或请假）")
                + "。",
            )
            for cadre_id, user_id in users.items()
        ],
    )


@transaction.atomic
def roster_lock(
    *, actor: User | None, roster_obj: Roster, today: dt.date | None = None, request: HttpRequest | None = None
) -> Roster:
    """Lock a published roster once its month has ended: it is then the record
    of rest planned. The county locks in its own right, never standing in. Audited."""
    today = today or clock.today()
    target = Roster.objects.select_for_update(of=("self",)).select_related("unit").get(pk=roster_obj.pk)
    require_placement(actor, "rosters", LOCK, target.unit, field="unit")
    if target.status != RosterStatus.PUBLISHED:
        raise ConflictError(gettext("只有已发布的排班才能锁定。"), field="status")
    if today <= month_days(target.month)[-1]:
        raise DomainError(
            gettext("%(month)s 还没有结束，月底之后才能锁定。") % {"month": format(target.month, "%Y-%m")},
            field="status",
        )
    target.status = RosterStatus.LOCKED
    target.locked_at = clock.now()
    target.version += 1
    target.save()
    SwapRequest.objects.filter(roster=target, status__in=SWAP_OPEN).update(
        status=SwapStatus.EXPIRED, decided_at=target.locked_at, note="排班已锁定，未办结的换休申请失效。"
    )
    roster_written(actor, request, target, ["status"])
    return target
