"""Family members, major family events and the must-visit they oblige, a cadre's serious illness or death.

Hook for other modules: ``family_event_listeners`` is a list of callbacks
``(FamilyEvent) -> None`` run inside the recording transaction, once per
event (never on an idempotent replay); the talks module appends its
``family_event`` must-talk trigger there."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cadrecare.audit.services import changed_fields, written
from cadrecare.care.choices import (
    CadreConditionKind,
    FamilyEventKind,
    ObligationSource,
    Relation,
)
from cadrecare.care.models import (
    CadreCondition,
    FamilyEvent,
    FamilyMember,
)
from cadrecare.care.selectors import care_policy_effective
from cadrecare.care.services.common import (
    deadline_after,
    insert_once,
    not_future,
    open_obligation,
    replayed,
)
from cadrecare.core import clock
from cadrecare.core.errors import DomainError
from cadrecare.core.i18n import choice_label
from cadrecare.org.choices import CadreStatus
from cadrecare.org.models import Cadre, User
from cadrecare.org.services import cadre_status_change

# Later modules (the six must-talk triggers) subscribe here; the callbacks run
# inside the recording transaction so the trigger and the event land together.
family_event_listeners: list[Callable[[FamilyEvent], object]] = []

PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")
ONE_LIVING = {Relation.SPOUSE: "配偶", Relation.FATHER: "父亲", Relation.MOTHER: "母亲"}
PARENTS = (Relation.FATHER, Relation.MOTHER, Relation.PARENT_IN_LAW)


# ---------------------------------------------------------------------------
# Family members (家属基本信息)
# ---------------------------------------------------------------------------


def family_member_problems(member: FamilyMember, cadre: Cadre, today: dt.date) -> list[tuple[str, str]]:
    """(field, message) for each rule one member breaks on its own: no future
    dates, parents born before the cadre, children after, a valid phone. (One
    living spouse, father and mother at a time needs the rest of the family.)"""
    problems = []
    if member.birth_date is not None and member.birth_date > today:
        problems.append(("birth_date", _("出生日期不能晚于今天。")))
    if member.deceased_on is not None and member.deceased_on > today:
        problems.append(("deceased_on", _("去世日期不能晚于今天。")))
    if member.birth_date and member.deceased_on and member.deceased_on < member.birth_date:
        problems.append(("deceased_on", _("去世日期不能早于出生日期。")))
    if member.birth_date is not None:
        if member.relation in PARENTS and member.birth_date >= cadre.birth_date:
            problems.append(("birth_date", _("父母（岳父母/公婆）的出生日期应早于干部本人。")))
        if member.relation == Relation.CHILD and member.birth_date <= cadre.birth_date:
            problems.append(("birth_date", _("子女的出生日期应晚于干部本人。")))
    if member.phone and not PHONE.match(member.phone):
        problems.append(("phone", _("联系电话应为11位手机号或带区号的固定电话。")))
    return problems


def one_living_problem(relation: str) -> str:
    label = ONE_LIVING[Relation(relation)]
    return _("该干部已登记%(label)s，同一时间只能有一位%(label)s。") % {"label": choice_label(label)}


def _family_member_check(member: FamilyMember, cadre: Cadre, today: dt.date) -> None:
    """The family must be consistent: the member's own rules, and one living
    spouse, father and mother at a time."""
    for field, message in family_member_problems(member, cadre, today)[:1]:
        raise DomainError(message, field=field)
    if member.relation in ONE_LIVING and member.deceased_on is None:
        others = FamilyMember.objects.filter(cadre=cadre, relation=member.relation, deceased_on__isnull=True)
        if others.exclude(pk=member.pk).exists():
            raise DomainError(one_living_problem(member.relation), field="relation")


@transaction.atomic
def family_member_create(
    *,
    actor: User | None,
    cadre: Cadre,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
    **fields: Any,
) -> FamilyMember:
    """Add a member to a cadre's family (家属基本信息库)."""
    cadre = Cadre.objects.select_for_update().select_related("unit").get(pk=cadre.pk)  # one writer per family
    member = FamilyMember(cadre=cadre, **fields)
    _family_member_check(member, cadre, today or clock.today())
    member.save()
    written(actor, request, "create", "family-members", member, ["cadre", *fields])
    return member


@transaction.atomic
def family_member_update(
    *,
    actor: User | None,
    member: FamilyMember,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
    **fields: Any,
) -> FamilyMember:
    """Change a family member; the cadre they belong to does not change."""
    fields.pop("cadre", None)
    cadre = Cadre.objects.select_for_update().get(pk=member.cadre_id)
    before = {name: getattr(member, name) for name in fields}
    for name, value in fields.items():
        setattr(member, name, value)
    _family_member_check(member, cadre, today or clock.today())
    member.save()
    written(actor, request, "update", "family-members", member, changed_fields(member, before))
    return member


@transaction.atomic
def family_member_delete(*, actor: User | None, member: FamilyMember, request: HttpRequest | None = None) -> None:
    """Remove a family member entered by mistake; the events and visits that
    named them keep their record (their reference is cleared)."""
    Cadre.objects.select_for_update().filter(pk=member.cadre_id).first()  # one writer per family at a time
    written(actor, request, "delete", "family-members", member)  # first: the row names the member while it exists
    member.delete()


# ---------------------------------------------------------------------------
# Family events (家庭发生重大变故) and the must-visit they oblige
# ---------------------------------------------------------------------------


@transaction.atomic
def family_event_record(
    *,
    actor: User | None,
    cadre: Cadre,
    kind: str,
    date: dt.date,
    family_member: FamilyMember | None = None,
    description: str = "",
    request_key: str = "",
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> tuple[FamilyEvent, bool]:
    """Record a major family event; in the same transaction open its must-visit
    obligation (deadline from the care policy, default 7 days) and tell
    ``family_event_listeners`` (the talks module's ``family_event`` trigger).

    Exactly once: a request repeated by the same user with the same
    ``request_key`` returns the first event and creates nothing. Returns
    ``(event, created)``.
    """
    today = today or clock.today()
    same = {"cadre_id": cadre.pk, "kind": kind, "date": date}
    existing = replayed(FamilyEvent, actor, request_key, **same)
    if existing is not None:
        return existing, False
    not_future(date, today, "date", gettext_noop("发生日期"))
    if family_member is not None:
        if family_member.cadre_id != cadre.pk:
            raise DomainError(_("所选家属不属于该干部。"), field="family_member")
        if kind == FamilyEventKind.DEATH and family_member.deceased_on is not None:
            raise DomainError(_("该家属已登记去世。"), field="family_member")
        if family_member.birth_date and date < family_member.birth_date:
            raise DomainError(_("发生日期不能早于该家属的出生日期。"), field="date")
    cadre = Cadre.objects.select_related("unit").get(pk=cadre.pk)
    event = FamilyEvent(
        cadre=cadre,
        kind=kind,
        date=date,
        family_member=family_member,
        description=description,
        request_key=request_key,
        recorded_by=actor,
    )
    winner = insert_once(FamilyEvent, event, actor, request_key, **same)
    if winner is not None:
        return winner, False
    if kind == FamilyEventKind.DEATH and family_member is not None:
        FamilyMember.objects.filter(pk=family_member.pk).update(deceased_on=date, updated_at=timezone.now())
    policy = care_policy_effective(cadre.unit)
    open_obligation(
        cadre=cadre,
        source=ObligationSource.FAMILY_EVENT,
        reason=f"家庭重大变故：{event.get_kind_display()}",
        event_date=date,
        deadline=deadline_after(date, policy.family_event_days, today),
        family_event=event,
    )
    for listener in family_event_listeners:
        listener(event)
    fields = ["cadre", "kind", "date", "description", *(["family_member"] if family_member is not None else [])]
    written(actor, request, "create", "family-events", event, fields)
    return event, True


@transaction.atomic
def family_event_update(
    *, actor: User | None, event: FamilyEvent, request: HttpRequest | None = None, **fields: Any
) -> FamilyEvent:
    """Correct an event's description; what happened, to whom and when stay
    (the visit and the talk it opened were routed by them)."""
    before = {name: getattr(event, name) for name in fields}
    for name, value in fields.items():
        setattr(event, name, value)
    event.save()
    written(actor, request, "update", "family-events", event, changed_fields(event, before))
    return event


# ---------------------------------------------------------------------------
# A cadre's serious illness or death
# ---------------------------------------------------------------------------


@transaction.atomic
def cadre_condition_record(
    *,
    actor: User | None,
    cadre: Cadre,
    kind: str,
    date: dt.date,
    description: str = "",
    request_key: str = "",
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> tuple[CadreCondition, bool]:
    """Record a cadre's serious illness or death and open the condolence visit
    it obliges (default 7 days for illness, 3 for death, per care policy); a
    death also sets the cadre's status to 去世. Exactly once per
    ``request_key`` like family events. Returns ``(condition, created)``."""
    today = today or clock.today()
    same = {"cadre_id": cadre.pk, "kind": kind, "date": date}
    existing = replayed(CadreCondition, actor, request_key, **same)
    if existing is not None:
        return existing, False
    not_future(date, today, "date", gettext_noop("发生日期"))
    cadre = Cadre.objects.select_for_update().select_related("unit").get(pk=cadre.pk)
    if cadre.status == CadreStatus.DECEASED:
        raise DomainError(_("该干部已登记去世。"), field="cadre")
    if date < cadre.birth_date:
        raise DomainError(_("发生日期不能早于干部的出生日期。"), field="date")
    condition = CadreCondition(
        cadre=cadre, kind=kind, date=date, description=description, request_key=request_key, recorded_by=actor
    )
    winner = insert_once(CadreCondition, condition, actor, request_key, **same)
    if winner is not None:
        return winner, False
    policy = care_policy_effective(cadre.unit)
    if kind == CadreConditionKind.DEATH:
        # A death is recorded here; the org module's status change closes, in
        # this transaction, whatever is chased about the cadre (before the
        # condolence visit, which is for the family, is opened).
        cadre_status_change(actor=actor, cadre=cadre, status=CadreStatus.DECEASED, date=date, today=today)
        source, days, reason = ObligationSource.DEATH, policy.death_days, "干部去世慰问"
    else:
        source, days, reason = ObligationSource.ILLNESS, policy.illness_days, "干部重病慰问"
    open_obligation(
        cadre=cadre,
        source=source,
        reason=reason,
        event_date=date,
        deadline=deadline_after(date, days, today),
        condition=condition,
    )
    written(actor, request, "create", "cadre-conditions", condition, ["cadre", "kind", "date", "description"])
    return condition, True
