"""The cadre's word on rest: month-end confirmation (月末休息确认), where a
correction is the secretary's item, and rest requests (休息意愿)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext

from cadrecare.audit.services import Access, audit_log, changed_fields
from cadrecare.core import clock
from cadrecare.core.errors import ConflictError, DomainError, ForbiddenError
from cadrecare.core.i18n import choice_label
from cadrecare.org.models import Cadre, User
from cadrecare.org.scoping import own_cadre_id
from cadrecare.rotation.choices import RestConfirmationStatus, RosterStatus
from cadrecare.rotation.holiday_calendar import month_days
from cadrecare.rotation.models import RestConfirmation, RestRequest, Roster, RosterEntitlement
from cadrecare.rotation.services.common import cadre_record_written
from cadrecare.rotation.services.notify import _holders_of, notices_send
from cadrecare.rotation.services.policies import MAX_REQUEST_DAYS, validate_span

CORRECTION_NOTICE_KIND = "rest_corrected"  # at once; the due item is "rest_correction"
CORRECTION_RESOLVE = "resolve"  # the access action of answering a cadre's correction


@transaction.atomic
def rest_confirmation_submit(
    *,
    actor: User,
    roster_obj: Roster,
    confirm: bool,
    days_rested: int | None = None,
    note: str = "",
    today: dt.date | None = None,
) -> RestConfirmation:
    """A cadre confirms their month's rest as recorded, or corrects it (how
    many days they really rested and what happened). From the month's last
    day on, on a published or locked roster they are on. A correction opens
    an item for the township's party secretary and keeps the month from
    counting as confirmed until it is answered; confirming again withdraws it."""
    today = today or clock.today()
    cadre_id = own_cadre_id(actor)
    if cadre_id is None:
        raise ForbiddenError(gettext("只有干部本人可以确认自己的休息情况。"))
    target = Roster.objects.select_related("unit").get(pk=roster_obj.pk)
    if target.status not in (RosterStatus.PUBLISHED, RosterStatus.LOCKED):
        raise DomainError(gettext("该月排班尚未发布，无需确认。"), field="roster")
    if not RosterEntitlement.objects.filter(version_id=target.current_id, cadre_id=cadre_id).exists():
        raise DomainError(gettext("您不在该月的排班中。"), field="roster")
    last = month_days(target.month)[-1]
    if today < last:
        raise DomainError(
            gettext("月末（%(month)s月%(day)s日）起才能确认本月休息情况。") % {"month": last.month, "day": last.day},
            field="roster",
        )
    if not confirm:
        note = note.strip()
        if not note:
            raise DomainError(gettext("请写明需要更正的情况（哪几天没有休息、为什么）。"), field="note")
        if days_rested is None or not 0 <= days_rested <= len(month_days(target.month)):
            raise DomainError(gettext("请填写本月实际休息的天数。"), field="days_rested")
    Cadre.objects.select_for_update().filter(pk=cadre_id).first()
    row, _ = RestConfirmation.objects.update_or_create(
        roster=target,
        cadre_id=cadre_id,
        defaults={
            "status": RestConfirmationStatus.CONFIRMED if confirm else RestConfirmationStatus.CORRECTED,
            "days_rested": None if confirm else days_rested,
            "note": "" if confirm else note,
            "submitted_on": today,
            "created_by": actor,
            "resolved_by": None,
            "resolved_at": None,
            "resolution": "",
        },
    )
    audit_log(
        actor=actor,
        action="change",
        accesses=[Access("rest-confirmations", row.pk, cadre_id, ("status", "days_rested", "note"))],
    )
    if not confirm:
        _correction_notify(row, target)
    return row


def _correction_notify(row: RestConfirmation, target: Roster) -> int:
    label = f"{target.month.year}年{target.month.month}月"
    name = row.cadre.name
    return notices_send(
        kind=CORRECTION_NOTICE_KIND,
        object_id=row.pk,
        unit_id=target.unit_id,
        period=target.month,
        due_date=row.submitted_on + dt.timedelta(days=CORRECTION_DAYS),
        url=f"/api/v1/rest-confirmations/{row.pk}/",
        messages=[
            (
                user_id,
                row.cadre_id,
                f"{name}对{label}的休息情况提出更正",
                f"{name}说{label}实际休息 {row.days_rested} 天：{row.note}。请核实后答复。",
            )
            for user_id, _ in _holders_of("rest-confirmations", CORRECTION_RESOLVE, target.unit)
        ],
    )


#: Days the secretary has to answer a correction before it is overdue.
CORRECTION_DAYS = 7


@transaction.atomic
def rest_confirmation_resolve(
    *, actor: User | None, confirmation: RestConfirmation, resolution: str
) -> RestConfirmation:
    """The secretary answers a cadre's correction (and records what follows:
    a recall, an absence, or rest taken, through their own services)."""
    row = RestConfirmation.objects.select_for_update().select_related("roster").get(pk=confirmation.pk)
    if row.status != RestConfirmationStatus.CORRECTED:
        raise ConflictError(
            gettext("该确认%(status)s，没有待处理的更正。") % {"status": choice_label(row.get_status_display())},
            field="status",
        )
    resolution = resolution.strip()
    if not resolution:
        raise DomainError(gettext("请写明处理意见。"), field="resolution")
    row.status, row.resolution, row.resolved_by, row.resolved_at = (
        RestConfirmationStatus.RESOLVED,
        resolution,
        actor,
        clock.now(),
    )
    row.save(update_fields=["status", "resolution", "resolved_by", "resolved_at", "updated_at"])
    audit_log(
        actor=actor, action="change", accesses=[Access("rest-confirmations", row.pk, row.cadre_id, ("resolution",))]
    )
    return row


# ---------------------------------------------------------------------------
# Rest requests (休息意愿)
# ---------------------------------------------------------------------------


@transaction.atomic
def rest_request_save(
    *,
    actor: User | None,
    data: Mapping[str, Any],
    rest_request: RestRequest | None = None,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> RestRequest:
    """A cadre (or the secretary for them) asks to rest, or not to rest, on
    some dates: not in the past, at most a month at a time, with a reason.
    Audited with the fields given (a new one) or changed."""
    today = today or clock.today()
    names = ("cadre", "kind", "start", "end", "reason", "poor_health", "family_hardship")
    values = {name: data.get(name, getattr(rest_request, name, None)) for name in names}
    validate_span(values["start"], values["end"], MAX_REQUEST_DAYS)
    if values["start"] < today:
        raise DomainError(gettext("不能为已经过去的日期提出休息意愿。"), field="start")
    if not str(values["reason"] or "").strip():
        raise DomainError(gettext("请写明理由。"), field="reason")
    values["poor_health"] = bool(values["poor_health"])
    values["family_hardship"] = bool(values["family_hardship"])
    if rest_request is None:
        rest_request = RestRequest.objects.create(requested_by=actor, **values)
        cadre_record_written(actor, request, "create", "rest-requests", rest_request, sorted(data))
        return rest_request
    before = {name: getattr(rest_request, name) for name in data}
    for name, value in values.items():
        setattr(rest_request, name, value)
    rest_request.save()
    cadre_record_written(actor, request, "update", "rest-requests", rest_request, changed_fields(rest_request, before))
    return rest_request


@transaction.atomic
def rest_request_delete(*, actor: User | None, rest_request: RestRequest, request: HttpRequest | None = None) -> None:
    """Withdraw a rest request."""
    cadre_record_written(actor, request, "delete", "rest-requests", rest_request)  # first: it names the record
    rest_request.delete()
