"""Visit obligations (必访) and the visits (走访慰问) that fulfil them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cadrecare.audit.services import changed_fields, written
from cadrecare.care.choices import (
    ObligationSource,
    ObligationStatus,
)
from cadrecare.care.models import (
    FamilyMember,
    Visit,
    VisitObligation,
)
from cadrecare.care.selectors import care_policy_effective
from cadrecare.care.services.common import (
    deadline_after,
    not_future,
    not_negative,
    open_obligation,
)
from cadrecare.core import clock
from cadrecare.core.errors import DomainError
from cadrecare.org.choices import CadreStatus
from cadrecare.org.models import Cadre, User
from cadrecare.org.services import ServiceEnded, open_items_cancel

# ---------------------------------------------------------------------------
# Visit obligations (必访)
# ---------------------------------------------------------------------------


@transaction.atomic
def visit_obligation_create(
    *,
    actor: User | None,
    cadre: Cadre,
    reason: str,
    event_date: dt.date,
    deadline: dt.date | None = None,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> VisitObligation:
    """Open a visit obligation by hand (source 人工登记), owner routed as for events."""
    today = today or clock.today()
    not_future(event_date, today, "event_date", gettext_noop("事由发生日期"))
    cadre = Cadre.objects.select_related("unit").get(pk=cadre.pk)
    if deadline is None:
        deadline = deadline_after(event_date, care_policy_effective(cadre.unit).family_event_days, today)
    if deadline < today:
        raise DomainError(_("走访期限不能早于今天。"), field="deadline")
    obligation = open_obligation(
        cadre=cadre, source=ObligationSource.MANUAL, reason=reason, event_date=event_date, deadline=deadline
    )
    written(actor, request, "create", "visit-obligations", obligation, ["cadre", "reason", "event_date", "deadline"])
    return obligation


@transaction.atomic
def visit_obligation_update(
    *,
    actor: User | None,
    obligation: VisitObligation,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
    **fields: Any,
) -> VisitObligation:
    """Reassign an open obligation's owner (a vacancy filled, a policy changed)
    or move its deadline; what happened and to whom stay. An owner named by
    hand keeps it until reassigned: it no longer follows the post."""
    today = today or clock.today()
    obligation = VisitObligation.objects.select_for_update().get(pk=obligation.pk)
    if obligation.status != ObligationStatus.OPEN:
        raise DomainError(_("只有待走访的任务可以修改。"), field="status")
    before = {name: getattr(obligation, name) for name in ("deadline", "owner", "reason") if name in fields}
    if "deadline" in fields:
        if fields["deadline"] < obligation.event_date:
            raise DomainError(_("走访期限不能早于事由发生日期。"), field="deadline")
        obligation.deadline = fields["deadline"]
    if "owner" in fields:
        obligation.owner = fields["owner"]
        obligation.owner_note = "" if fields["owner"] is not None else obligation.owner_note
        obligation.owner_post, obligation.owner_post_unit = "", None
    if "reason" in fields:
        obligation.reason = fields["reason"]
    obligation.save()
    written(actor, request, "update", "visit-obligations", obligation, changed_fields(obligation, before))
    return obligation


@transaction.atomic
def visit_obligation_waive(
    *, actor: User, obligation: VisitObligation, reason: str, request: HttpRequest | None = None
) -> VisitObligation:
    """Waive an open obligation; the reason is required and kept."""
    obligation = VisitObligation.objects.select_for_update().get(pk=obligation.pk)
    if obligation.status != ObligationStatus.OPEN:
        raise DomainError(_("只有待走访的任务可以免访。"), field="status")
    if not reason.strip():
        raise DomainError(_("请填写免于走访的理由。"), field="reason")
    obligation.status = ObligationStatus.WAIVED
    obligation.waived_reason = reason.strip()
    obligation.waived_by = actor
    obligation.save(update_fields=["status", "waived_reason", "waived_by"])
    written(actor, request, "update", "visit-obligations", obligation, ["status", "waived_reason"])
    return obligation


def visits_end_with_service(change: ServiceEnded) -> None:
    """Which visits still apply when a cadre's service ends (a listener of
    ``org.services.cadre_status_change``, inside its transaction): a retiree is
    still cared for, so their visits stay open; a death leaves only the
    condolence visit to the family; a cadre who left is cared for where they
    went. The rest are cancelled with the reason, audited."""
    if change.status == CadreStatus.RETIRED:
        return
    open_items_cancel(
        VisitObligation.objects.filter(cadre=change.cadre, status=ObligationStatus.OPEN).exclude(
            source=ObligationSource.DEATH
        ),
        resource="visit-obligations",
        cadre_field="cadre_id",
        reason=change.status,
        day=change.date,
        actor=change.actor,
    )


# ---------------------------------------------------------------------------
# Visits (走访慰问)
# ---------------------------------------------------------------------------


def _visit_check(
    *,
    cadre: Cadre,
    date: dt.date,
    family_member: FamilyMember | None,
    money_amount: Decimal | None,
    visitors: Sequence[User] | None,
    obligations: Sequence[VisitObligation],
    today: dt.date,
) -> None:
    not_future(date, today, "date", gettext_noop("走访日期"))
    not_negative(money_amount, "money_amount")
    if family_member is not None and family_member.cadre_id != cadre.pk:
        raise DomainError(_("所选家属不属于该干部。"), field="family_member")
    if visitors is not None and not visitors:
        raise DomainError(_("请至少填写一名走访人。"), field="visitors")
    for obligation in obligations:
        if obligation.cadre_id != cadre.pk:
            raise DomainError(_("所选走访任务不属于该干部。"), field="obligations")
        if date < obligation.event_date:
            raise DomainError(
                _("走访日期不能早于“%(reason)s”的发生日期（%(event_date)s）。")
                % {"reason": obligation.reason, "event_date": format(obligation.event_date, "%Y-%m-%d")},
                field="date",
            )


@transaction.atomic
def visit_record(
    *,
    actor: User | None,
    cadre: Cadre,
    date: dt.date,
    kind: str,
    visitors: Sequence[User],
    family_member: FamilyMember | None = None,
    money_amount: Decimal = Decimal(0),
    goods: str = "",
    notes: str = "",
    obligations: Sequence[VisitObligation] = (),
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Visit:
    """Record a visit; the open obligations it names (of the same cadre, whose
    event came on or before the visit) become done."""
    today = today or clock.today()
    locked = list(VisitObligation.objects.select_for_update().filter(pk__in=[o.pk for o in obligations]).order_by("pk"))
    _visit_check(
        cadre=cadre,
        date=date,
        family_member=family_member,
        money_amount=money_amount,
        visitors=visitors,
        obligations=locked,
        today=today,
    )
    for obligation in locked:
        if obligation.status != ObligationStatus.OPEN:
            status = obligation.get_status_display()
            raise DomainError(
                _("走访任务“%(reason)s”的状态为“%(status)s”，不能再次完成。")
                % {"reason": obligation.reason, "status": status},
                field="obligations",
            )
    visit = Visit.objects.create(
        cadre=cadre,
        date=date,
        kind=kind,
        family_member=family_member,
        money_amount=money_amount,
        goods=goods,
        notes=notes,
        recorded_by=actor,
    )
    visit.visitors.set(visitors)
    if locked:
        visit.obligations.set(locked)
        VisitObligation.objects.filter(pk__in=[o.pk for o in locked]).update(status=ObligationStatus.DONE, done_on=date)
    fields = ["cadre", "date", "kind", "visitors", "money_amount", "goods", "notes"]
    fields += [name for name, given in (("family_member", family_member), ("obligations", locked)) if given]
    written(actor, request, "create", "visits", visit, fields)
    return visit


@transaction.atomic
def visit_update(
    *,
    actor: User | None,
    visit: Visit,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
    **fields: Any,
) -> Visit:
    """Correct a visit's details; the cadre and the obligations it fulfilled stay."""
    today = today or clock.today()
    visitors = fields.pop("visitors", None)
    fields.pop("cadre", None)
    fields.pop("obligations", None)
    before = {name: getattr(visit, name) for name in fields}
    for name, value in fields.items():
        setattr(visit, name, value)
    obligations = list(visit.obligations.all())
    _visit_check(
        cadre=visit.cadre,
        date=visit.date,
        family_member=visit.family_member,
        money_amount=visit.money_amount,
        visitors=visitors,
        obligations=obligations,
        today=today,
    )
    visit.save()
    if visitors is not None:
        visit.visitors.set(visitors)
    if "date" in fields and obligations:
        VisitObligation.objects.filter(pk__in=[o.pk for o in obligations]).update(done_on=visit.date)
    changed = changed_fields(visit, before) + (["visitors"] if visitors is not None else [])
    written(actor, request, "update", "visits", visit, sorted(changed))
    return visit
