"""Writes of the township establishment: the approved slots and the
borrowing register (借用), each keyword-only with the actor
first, atomic, the rules in one place, the placement checked in the actor's
scope and the one audit row written once the write happened. The seed: "上级机关一般不得借用乡镇干部"
— a borrowing is recorded with its end date and reason, reviewed by the county
organization department, and ends when the cadre is back in the township."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext

from cadrecare.audit.services import audit_change, changed_fields, written
from cadrecare.core import clock
from cadrecare.core.errors import DomainError
from cadrecare.core.i18n import choice_label
from cadrecare.establishment.choices import BORROWING_BODY_KINDS
from cadrecare.establishment.models import Borrowing, EstablishmentSlot
from cadrecare.org.access import ADD
from cadrecare.org.choices import ENDED_STATUSES, CadreStatus, UnitKind
from cadrecare.org.models import Cadre, OrgUnit, User
from cadrecare.org.scoping import require_placement

BORROWINGS = "establishment-borrowings"


def _check_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise DomainError(gettext("请填写借用事由。"), field="reason")
    return reason


def _check_span(start: dt.date, until: dt.date) -> None:
    if until < start:
        raise DomainError(gettext("借用截止日期不能早于开始日期。"), field="until")


@transaction.atomic
def borrowing_record(
    *,
    actor: User | None,
    cadre: Cadre,
    borrower: OrgUnit,
    start: dt.date,
    until: dt.date,
    reason: str,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Borrowing:
    """Register that a county or city body has borrowed a township cadre. The
    borrowing belongs to the township whose establishment holds the cadre, and
    falls due at once for the county organization department's review."""
    today = today or clock.today()
    cadre = Cadre.objects.select_for_update().select_related("establishment_unit").get(pk=cadre.pk)
    township = cadre.establishment_unit
    if township.kind != UnitKind.TOWNSHIP:
        raise DomainError(gettext("%(name)s的编制不在乡镇，无需登记借用。") % {"name": cadre.name}, field="cadre")
    if cadre.status in ENDED_STATUSES:
        raise DomainError(
            gettext("%(name)s已%(label)s，不能登记借用。")
            % {"name": cadre.name, "label": choice_label(CadreStatus(cadre.status).label)},
            field="cadre",
        )
    if borrower.kind not in BORROWING_BODY_KINDS:
        raise DomainError(gettext("借用单位须为县（区）、县直机关或市级单位。"), field="borrower")
    _check_span(start, until)
    open_one = Borrowing.objects.filter(cadre=cadre, returned_on__isnull=True).select_related("borrower").first()
    if open_one is not None:
        raise DomainError(
            gettext("%(name)s已被%(name2)s借用（%(start)s起），请先登记返回乡镇。")
            % {"name": cadre.name, "name2": open_one.borrower.name, "start": open_one.start},
            field="cadre",
        )
    borrowing = Borrowing.objects.create(
        cadre=cadre,
        township=township,
        borrower=borrower,
        start=start,
        until=until,
        reason=_check_reason(reason),
        recorded_on=today,
        recorded_by=actor,
    )
    # The township is the cadre's establishment unit: the user named it by naming the cadre.
    require_placement(actor, BORROWINGS, ADD, borrowing, field="cadre")
    fields = ["borrower", "cadre", "reason", "start", "until"]
    audit_change(actor=actor, action="create", resource=BORROWINGS, record=borrowing, fields=fields, request=request)
    return borrowing


@transaction.atomic
def borrowing_update(
    *, actor: User | None, borrowing: Borrowing, data: Mapping[str, Any], request: HttpRequest | None = None
) -> Borrowing:
    """Correct the reason or move the end date. Extending a reviewed borrowing
    is a new decision: it falls due for review again."""
    borrowing = Borrowing.objects.select_for_update().get(pk=borrowing.pk)
    if borrowing.returned_on is not None:
        raise DomainError(gettext("该干部已返回乡镇，借用记录不能再修改。"))
    before = {name: getattr(borrowing, name) for name in data}
    if "reason" in data:
        borrowing.reason = _check_reason(data["reason"])
    if "until" in data:
        _check_span(borrowing.start, data["until"])
        if data["until"] > borrowing.until and borrowing.reviewed_on is not None:
            borrowing.reviewed_on, borrowing.reviewed_by, borrowing.review_note = None, None, ""
        borrowing.until = data["until"]
    borrowing.save()
    written(actor, request, "update", BORROWINGS, borrowing, changed_fields(borrowing, before))
    return borrowing


@transaction.atomic
def borrowing_review(
    *,
    actor: User | None,
    borrowing: Borrowing,
    note: str,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Borrowing:
    """The county organization department's review (审核) of a borrowing: its
    opinion is recorded and the item waits for the end date."""
    borrowing = Borrowing.objects.select_for_update().get(pk=borrowing.pk)
    if borrowing.returned_on is not None:
        raise DomainError(gettext("该干部已返回乡镇，无需审核。"))
    note = note.strip()
    if not note:
        raise DomainError(gettext("请填写审核意见。"), field="note")
    borrowing.reviewed_on, borrowing.reviewed_by, borrowing.review_note = today or clock.today(), actor, note
    fields = ["reviewed_on", "reviewed_by", "review_note"]
    borrowing.save(update_fields=fields)
    written(actor, request, "update", BORROWINGS, borrowing, fields)
    return borrowing


@transaction.atomic
def borrowing_return(
    *,
    actor: User | None,
    borrowing: Borrowing,
    returned_on: dt.date,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Borrowing:
    """The cadre is back in the township: the borrowing ends and is no longer chased."""
    borrowing = Borrowing.objects.select_for_update().get(pk=borrowing.pk)
    if borrowing.returned_on is not None:
        raise DomainError(
            gettext("该干部已于%(returned_on)s返回乡镇。") % {"returned_on": borrowing.returned_on}, field="returned_on"
        )
    if returned_on < borrowing.start:
        raise DomainError(gettext("返回日期不能早于借用开始日期。"), field="returned_on")
    if returned_on > (today or clock.today()):
        raise DomainError(gettext("返回日期不能晚于今天。"), field="returned_on")
    borrowing.returned_on = returned_on
    borrowing.save(update_fields=["returned_on"])
    written(actor, request, "update", BORROWINGS, borrowing, ["returned_on"])
    return borrowing


@transaction.atomic
def slot_save(
    *,
    actor: User | None,
    township: OrgUnit,
    approved: int,
    approved_on: dt.date | None = None,
    note: str = "",
    request: HttpRequest | None = None,
) -> EstablishmentSlot:
    """Set a township's approved slots (核定编制数): the one count per township,
    created the first time and replaced after (audited with what changed)."""
    if township.kind != UnitKind.TOWNSHIP:
        raise DomainError(gettext("请选择乡镇（街道）。"), field="township")
    if approved < 0:
        raise DomainError(gettext("核定编制数不能为负数。"), field="approved")
    if approved_on is not None and approved_on > clock.today():
        raise DomainError(gettext("核定日期不能晚于今天。"), field="approved_on")
    values = {"approved": approved, "approved_on": approved_on, "note": note.strip()}
    slot = EstablishmentSlot.objects.select_for_update().filter(township=township).first()
    if slot is None:
        slot = EstablishmentSlot.objects.create(township=township, **values)
        written(actor, request, "create", "establishment", slot, ["township", *values])
        return slot
    before = {name: getattr(slot, name) for name in values}
    for name, value in values.items():
        setattr(slot, name, value)
    slot.save()
    written(actor, request, "update", "establishment", slot, changed_fields(slot, before))
    return slot
