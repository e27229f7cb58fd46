"""Swap requests (换休): A asks, B accepts, the secretary approves, applied as an edit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cadrecare.audit.services import Access, audit_log
from cadrecare.core import clock
from cadrecare.core.errors import ConflictError, DomainError, ForbiddenError
from cadrecare.core.i18n import choice_label
from cadrecare.org.models import Cadre, OrgUnit, User
from cadrecare.org.scoping import own_cadre_id
from cadrecare.rotation.choices import SWAP_OPEN, DayKind, RosterStatus, SwapStatus
from cadrecare.rotation.models import Roster, RosterDay, SwapRequest
from cadrecare.rotation.services.edits import EditPlan, _block_at, roster_edit_plan, roster_edit_write, rules_broken
from cadrecare.rotation.services.notify import _holders_of, notices_send
from cadrecare.rotation.services.publishing import _roster_for_update

SWAP_NOTICE_ASKED = "swap_request"  # to the counterpart
SWAP_NOTICE_TO_APPROVE = "swap_request_approval"  # to whoever may approve in the unit
SWAP_NOTICE_OUTCOME = "swap_request_outcome"  # to the parties
SWAP_APPROVE = "approve"  # the access action of the secretary's decision


def _span(start: dt.date, end: dt.date) -> str:
    return f"{start:%m-%d}至{end:%m-%d}" if start != end else f"{start:%m-%d}"


def _rest_by_cadre(version_id: int | None, cadre_ids: Sequence[int]) -> dict[int, list[dt.date]]:
    rest: dict[int, list[dt.date]] = {cadre_id: [] for cadre_id in cadre_ids}
    for cadre_id, day in RosterDay.objects.filter(
        version_id=version_id, cadre_id__in=cadre_ids, kind=DayKind.REST
    ).values_list("cadre_id", "date"):
        rest[cadre_id].append(day)
    return rest


def _named_block(
    cadre: Cadre, rest: Sequence[dt.date], start: dt.date, end: dt.date | None, field: str
) -> list[dt.date]:
    """The whole rest block a request names: it must begin on ``start`` (and
    end on ``end`` when given), so both sides know exactly what is exchanged."""
    block = _block_at(rest, start)
    if not block:
        raise DomainError(
            _("按已发布的排班，%(name)s 在 %(start)s 没有休息。") % {"name": cadre.name, "start": start}, field=field
        )
    if block[0] != start or (end is not None and block[-1] != end):
        raise DomainError(
            _("%(name)s 的这段休息是 %(block)s 至 %(block2)s，请按整段申请互换。")
            % {"name": cadre.name, "block": block[0], "block2": block[-1]},
            field=field,
        )
    return block


def _swap_lapsed(swap: SwapRequest, target: Roster, today: dt.date) -> str | None:
    """Why a request can no longer be applied as asked, or None: the roster
    is locked, a block has begun, or the roster changed so that a named block
    is no longer exactly that cadre's rest."""
    if target.status == RosterStatus.LOCKED:
        return gettext_noop("排班已锁定，不能再换休。")
    if target.status != RosterStatus.PUBLISHED or target.current_id is None:
        return gettext_noop("排班已不在发布状态。")
    if min(swap.requester_start, swap.counterpart_start) <= today:
        return gettext_noop("要互换的休息已经开始或已经过去。")
    rest = _rest_by_cadre(target.current_id, [swap.requester_id, swap.counterpart_id])
    for cadre, start, end in (
        (swap.requester, swap.requester_start, swap.requester_end),
        (swap.counterpart, swap.counterpart_start, swap.counterpart_end),
    ):
        named = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
        if _block_at(rest[cadre.pk], start) != named:
            return f"排班已变动：{cadre.name} 在 {_span(start, end)} 已不是一段完整的休息。"
    return None


def _roster_with_current(roster_id: int) -> Roster:
    return Roster.objects.select_related("current", "unit").get(pk=roster_id)


def _swap_plan(swap: SwapRequest, target: Roster) -> EditPlan:
    """The exchange as the manual ``swap`` edit makes it, checked against every rule."""
    return roster_edit_plan(
        target=target,
        op="swap",
        cadre=swap.requester,
        date=swap.requester_start,
        other_cadre=swap.counterpart,
        other_date=swap.counterpart_start,
    )


def _swap_locked(swap_id: int) -> SwapRequest:
    return (
        SwapRequest.objects.select_for_update(of=("self",))
        .select_related("roster__unit", "requester", "counterpart")
        .get(pk=swap_id)
    )


def _swap_lapse(swap: SwapRequest, reason: str) -> ConflictError:
    """Mark a request lapsed (kept after the refusal: the caller commits it)
    and the 409 that says why."""
    swap.status = SwapStatus.EXPIRED
    swap.decided_at = clock.now()
    swap.note = reason
    swap.save(update_fields=["status", "decided_at", "note"])
    _swap_notify_outcome(swap)
    return ConflictError(
        _("%(reason)s该换休申请已失效，如仍需换休请重新提出。") % {"reason": _(reason)},
        field="status",
        code="swap_lapsed",
    )


def _swap_state(swap: SwapRequest, *allowed: str) -> None:
    if swap.status not in allowed:
        raise ConflictError(
            _("该换休申请%(status)s，不能再办理此操作。") % {"status": choice_label(swap.get_status_display())},
            field="status",
        )


def _swap_label(swap: SwapRequest) -> str:
    return (
        f"{swap.requester.name}（{_span(swap.requester_start, swap.requester_end)}）与 "
        f"{swap.counterpart.name}（{_span(swap.counterpart_start, swap.counterpart_end)}）互换休息"
    )


def _swap_url(swap: SwapRequest) -> str:
    return f"/api/v1/swap-requests/{swap.pk}/"


def _swap_notify(
    swap: SwapRequest, kind: str, recipients: Iterable[tuple[int | None, int | None]], title: str, body: str
) -> int:
    """In-app notices about a request, through the rotation's one notice path."""
    return notices_send(
        kind=kind,
        object_id=swap.pk,
        unit_id=swap.roster.unit_id,
        period=swap.roster.month,
        due_date=min(swap.requester_start, swap.counterpart_start),
        url=_swap_url(swap),
        messages=[(user_id, cadre_id, title, body) for user_id, cadre_id in recipients if user_id is not None],
    )


def _swap_notify_outcome(swap: SwapRequest) -> int:
    parties = [(swap.requester.user_id, swap.requester_id), (swap.counterpart.user_id, swap.counterpart_id)]
    if swap.status == SwapStatus.DECLINED:
        parties = parties[:1]
    note = f"（{swap.note}）" if swap.note else ""
    return _swap_notify(
        swap,
        SWAP_NOTICE_OUTCOME,
        parties,
        f"换休申请{swap.get_status_display()}",
        f"{_swap_label(swap)}：{swap.get_status_display()}{note}。",
    )


def _approvers(unit: OrgUnit) -> list[tuple[int, None]]:
    """Who may approve a swap in ``unit``."""
    return _holders_of("swap-requests", SWAP_APPROVE, unit)


def swap_request_create(
    *,
    actor: User,
    roster_id: int,
    counterpart_id: int,
    requester_start: dt.date,
    counterpart_start: dt.date,
    reason: str,
    requester_end: dt.date | None = None,
    counterpart_end: dt.date | None = None,
    today: dt.date | None = None,
) -> SwapRequest:
    """A cadre asks to exchange a rest block of a published roster with a
    colleague's. Both blocks are named whole and
    must lie ahead; the exchange must keep every hard rule (checked now, and
    again when approved). The colleague is notified in the app."""
    today = today or clock.today()
    own = own_cadre_id(actor)
    requester = Cadre.objects.filter(pk=own).select_related("unit").first() if own is not None else None
    if requester is None:
        raise ForbiddenError(_("您的账号没有关联干部档案，不能申请换休。"))
    reason = reason.strip()
    if not reason:
        raise DomainError(_("请写明换休理由。"), field="reason")
    with transaction.atomic():
        target = Roster.objects.select_related("current", "unit").filter(pk=roster_id).first()
        rest = _rest_by_cadre(target.current_id if target else None, [requester.pk, counterpart_id])
        if target is None or target.status == RosterStatus.DRAFT or not rest[requester.pk]:
            raise DomainError(_("该排班不存在、尚未发布，或其中没有您的休息安排。"), field="roster")
        if target.status == RosterStatus.LOCKED:
            raise ConflictError(_("该排班已锁定，不能再换休。"), field="roster")
        counterpart = Cadre.objects.filter(pk=counterpart_id).first()
        if counterpart is None or counterpart.pk == requester.pk or not rest[counterpart.pk]:
            raise DomainError(_("对方须是这份排班中有休息安排的另一名干部。"), field="counterpart")
        mine = _named_block(requester, rest[requester.pk], requester_start, requester_end, "requester_start")
        theirs = _named_block(
            counterpart, rest[counterpart.pk], counterpart_start, counterpart_end, "counterpart_start"
        )
        if mine == theirs:
            raise DomainError(_("两段休息的日期相同，无需互换。"), field="counterpart_start")
        if min(mine[0], theirs[0]) <= today:
            raise DomainError(
                _("只能互换尚未开始的休息。"), field="requester_start" if mine[0] <= today else "counterpart_start"
            )
        swap = SwapRequest(
            roster=target,
            roster_version=target.version,
            requester=requester,
            requester_start=mine[0],
            requester_end=mine[-1],
            counterpart=counterpart,
            counterpart_start=theirs[0],
            counterpart_end=theirs[-1],
            reason=reason[:300],
            requested_by=actor,
        )
        if (broken := rules_broken(_swap_plan(swap, target), target)) is not None:
            raise broken
        swap.save()
        _swap_notify(
            swap,
            SWAP_NOTICE_ASKED,
            [(counterpart.user_id, counterpart.pk)],
            f"{requester.name}请求与您换休",
            f"{_swap_label(swap)}，理由：{reason}。请确认或拒绝。",
        )
        audit_log(
            actor=actor,
            action="create",
            accesses=[Access("swap-requests", swap.pk, requester.pk, ["requester_start", "counterpart", "reason"])],
        )
    return swap


def swap_request_respond(*, actor: User, swap: SwapRequest, accept: bool, today: dt.date | None = None) -> SwapRequest:
    """The counterpart accepts (the request goes to the secretary, who is
    notified) or declines (the requester is notified). Only they may answer,
    and only while it waits for them; a request the roster has overtaken lapses."""
    today = today or clock.today()
    refusal: ConflictError | None = None
    with transaction.atomic():
        swap = _swap_locked(swap.pk)
        if own_cadre_id(actor) != swap.counterpart_id:
            raise ForbiddenError(_("只有 %(name)s 本人才能确认或拒绝这项换休申请。") % {"name": swap.counterpart.name})
        _swap_state(swap, SwapStatus.PENDING_COUNTERPART)
        swap.responded_at = clock.now()
        if not accept:
            swap.status = SwapStatus.DECLINED
            swap.save(update_fields=["status", "responded_at"])
            _swap_notify_outcome(swap)
        elif (lapsed := _swap_lapsed(swap, target := _roster_with_current(swap.roster_id), today)) is not None:
            refusal = _swap_lapse(swap, lapsed)
        else:
            if (broken := rules_broken(_swap_plan(swap, target), target)) is not None:
                raise broken
            swap.status = SwapStatus.PENDING_APPROVAL
            swap.save(update_fields=["status", "responded_at"])
            _swap_notify(
                swap,
                SWAP_NOTICE_TO_APPROVE,
                _approvers(swap.roster.unit),
                "换休申请待审批",
                f"{_swap_label(swap)}，双方已同意，理由：{swap.reason}。请审批。",
            )
        audit_log(
            actor=actor, action="update", accesses=[Access("swap-requests", swap.pk, swap.requester_id, ["status"])]
        )
    if refusal is not None:
        raise refusal
    return swap


def swap_request_withdraw(*, actor: User, swap: SwapRequest) -> SwapRequest:
    """The requester takes the request back while it is still pending."""
    with transaction.atomic():
        swap = _swap_locked(swap.pk)
        if own_cadre_id(actor) != swap.requester_id:
            raise ForbiddenError(_("只有申请人 %(name)s 本人才能撤回这项换休申请。") % {"name": swap.requester.name})
        _swap_state(swap, *SWAP_OPEN)
        swap.status = SwapStatus.WITHDRAWN
        swap.decided_at = clock.now()
        swap.save(update_fields=["status", "decided_at"])
        audit_log(
            actor=actor, action="update", accesses=[Access("swap-requests", swap.pk, swap.requester_id, ["status"])]
        )
    return swap


def swap_request_decide(
    *, actor: User, swap: SwapRequest, approve: bool, note: str = "", today: dt.date | None = None
) -> SwapRequest:
    """The secretary's decision on a request both cadres agreed to. A
    rejection needs a reason. An approval applies the exchange atomically,
    through the same plan and write as the manual ``swap`` edit, under the
    roster's row lock (taken before the request's, like every roster writer):
    every hard rule is checked again and a break is a 400 naming it (the
    request stays pending); a locked roster, a block begun or a roster changed
    under the named blocks lapses the request (409). The roster version goes
    up by one; both cadres are notified."""
    today = today or clock.today()
    note = note.strip()
    if not approve and not note:
        raise DomainError(_("不批准时请写明理由，申请人和对方都会看到。"), field="note")
    refusal: ConflictError | None = None
    with transaction.atomic():
        roster_id = SwapRequest.objects.values_list("roster_id", flat=True).get(pk=swap.pk)
        target = _roster_for_update(roster_id)
        swap = _swap_locked(swap.pk)
        _swap_state(swap, SwapStatus.PENDING_APPROVAL)
        if not approve:
            swap.status = SwapStatus.REJECTED
        elif (lapsed := _swap_lapsed(swap, target, today)) is not None:
            refusal = _swap_lapse(swap, lapsed)
        else:
            version = roster_edit_write(
                actor=actor, target=target, plan=_swap_plan(swap, target), note_prefix=f"换休申请 #{swap.pk}："
            )
            swap.status = SwapStatus.APPLIED
            swap.applied_version = version
        if refusal is None:
            swap.decided_by, swap.decided_at, swap.note = actor, clock.now(), note[:500]
            swap.save(update_fields=["status", "applied_version", "decided_by", "decided_at", "note"])
            _swap_notify_outcome(swap)
        audit_log(
            actor=actor, action="update", accesses=[Access("swap-requests", swap.pk, swap.requester_id, ["status"])]
        )
    if refusal is not None:
        raise refusal
    return swap
