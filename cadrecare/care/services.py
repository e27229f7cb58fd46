"""Writes of the care records (seed section 三(二)): family information,
major family events and the must-visit they oblige, a cadre's illness or
death, visits that fulfil obligations, hardship cases and their measures.

Every function is keyword-only, owns its transaction and takes ``today``
(default: Asia/Shanghai today) so tests control the clock. Each write ends in
``_written``: the record's placement checked for the actor, then its one audit
row, so the API, the workbench and the self-service confirmations that call
these leave the same trail, and a refused write none.

Hook for other modules: ``family_event_listeners`` is a list of callbacks
``(FamilyEvent) -> None`` run inside the recording transaction, once per
event (never on an idempotent replay); the talks module appends its
``family_event`` must-talk trigger there.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cadrecare.audit.services import audit_change
from cadrecare.care.choices import (
    ACTIVE_HARDSHIP,
    CadreConditionKind,
    FacilityItem,
    FamilyEventKind,
    FollowUpOutcome,
    FollowUpTrigger,
    HardshipStatus,
    ObligationSource,
    ObligationStatus,
    Relation,
)
from cadrecare.care.models import (
    CadreCondition,
    CareDecision,
    CarePolicy,
    Facility,
    FamilyEvent,
    FamilyMember,
    HardshipCase,
    HardshipMeasure,
    PostAllowance,
    Visit,
    VisitObligation,
)
from cadrecare.care.selectors import care_policy_effective, visit_owner_for
from cadrecare.core import clock
from cadrecare.core.errors import ConflictError, DomainError
from cadrecare.core.i18n import choice_label
from cadrecare.health.choices import Conclusion
from cadrecare.health.models import Checkup
from cadrecare.org import scoping
from cadrecare.org.access import ADD, CHANGE, DELETE
from cadrecare.org.choices import CadreStatus, UnitKind
from cadrecare.org.models import Cadre, OrgUnit, User
from cadrecare.org.services import ServiceEnded, cadre_status_change, open_items_cancel
from cadrecare.rotation.choices import AbsenceKind
from cadrecare.rotation.models import Absence

# Later modules (the six must-talk triggers) subscribe here; the callbacks run
# inside the recording transaction so the trigger and the event land together.
family_event_listeners: list[Callable[[FamilyEvent], object]] = []

PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")
ONE_LIVING = {Relation.SPOUSE: "配偶", Relation.FATHER: "父亲", Relation.MOTHER: "母亲"}
PARENTS = (Relation.FATHER, Relation.MOTHER, Relation.PARENT_IN_LAW)

Recorded = TypeVar("Recorded", FamilyEvent, CadreCondition)

PLACING = {"create": ADD, "update": CHANGE, "delete": DELETE}


def _written(
    actor: User | None,
    request: HttpRequest | None,
    action: str,
    resource: str,
    record: models.Model,
    fields: Iterable[str] = (),
) -> None:
    """The end of every write here, inside its transaction: the record's unit
    must be in ``actor``'s scope for the write (400 beside the field that
    places it), then its one audit row. Called before a delete, after the rest."""
    unit_field = str(getattr(type(record), "SCOPE_UNIT", "")).split("__")[0] or "unit"
    scoping.require_placement(actor, resource, PLACING[action], record, field=unit_field)
    audit_change(actor=actor, action=action, resource=resource, record=record, fields=fields, request=request)


def _changed(record: models.Model, before: dict[str, Any]) -> list[str]:
    """The fields of ``before`` (name: value before the write) whose value the write changed."""
    return sorted(name for name, old in before.items() if getattr(record, name, None) != old)


def _not_future(day: dt.date | None, today: dt.date, field: str, what: str = gettext_noop("日期")) -> None:
    if day is not None and day > today:
        raise DomainError(_("%(what)s不能晚于今天。") % {"what": _(what)}, field=field)


def _not_negative(amount: Decimal | None, field: str) -> None:
    if amount is not None and amount < 0:
        raise DomainError(_("金额不能为负数。"), field=field)


# ---------------------------------------------------------------------------
# Care policy (关爱政策): a unit's own deadlines and visit owner
# ---------------------------------------------------------------------------

CARE_POLICY_LIMITS = {
    "family_event_days": (1, 60, gettext_noop("天")),
    "illness_days": (1, 60, gettext_noop("天")),
    "death_days": (1, 60, gettext_noop("天")),
    "hardship_review_months": (1, 24, gettext_noop("个月")),
    "message_answer_days": (1, 60, gettext_noop("天")),
    "first_contact_days": (1, 60, gettext_noop("天")),
    "sick_leave_days": (1, 180, gettext_noop("天")),
}


@transaction.atomic
def care_policy_save(
    *,
    actor: User | None,
    unit: OrgUnit,
    policy: CarePolicy | None = None,
    request: HttpRequest | None = None,
    **fields: Any,
) -> CarePolicy:
    """Set a unit's own care policy; a setting left empty (None) follows the
    nearest unit above that sets it (``care_policy_effective``). The API's
    ``CarePolicyViewSet`` and the workbench's 关爱政策 form both write here."""
    # Placed first: whether a unit outside scope has a policy is not told.
    scoping.require_placement(actor, "care-policies", CHANGE if policy else ADD, unit, field="unit")
    for name, (low, high, unit_word) in CARE_POLICY_LIMITS.items():
        value = fields.get(name)
        if value is not None and not low <= value <= high:
            raise DomainError(
                _("应在 %(low)s 到 %(high)s %(unit_word)s之间，留空则沿用上级设置。")
                % {"low": low, "high": high, "unit_word": _(unit_word)},
                field=name,
            )
    owner = fields.get("visit_owner")
    if owner is not None and not owner.is_active:
        raise DomainError(_("该账号已停用，不能指定为走访责任人。"), field="visit_owner")
    if policy is None:
        if CarePolicy.objects.filter(unit=unit).exists():
            raise ConflictError(_("该单位已有关爱政策，请修改原记录。"), field="unit")
        policy = CarePolicy(unit=unit)
    elif unit.pk != policy.unit_id:
        raise DomainError(_("关爱政策所属单位不能修改。"), field="unit")
    created = policy.pk is None
    before = {name: getattr(policy, name) for name in fields}
    for name, value in fields.items():
        setattr(policy, name, value)
    policy.save()
    audit_change(
        actor=actor,
        action="create" if created else "update",
        resource="care-policies",
        record=policy,
        fields=["unit", *fields] if created else _changed(policy, before),
        request=request,
    )
    return policy


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
    _written(actor, request, "create", "family-members", member, ["cadre", *fields])
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
    _written(actor, request, "update", "family-members", member, _changed(member, before))
    return member


@transaction.atomic
def family_member_delete(*, actor: User | None, member: FamilyMember, request: HttpRequest | None = None) -> None:
    """Remove a family member entered by mistake; the events and visits that
    named them keep their record (their reference is cleared)."""
    Cadre.objects.select_for_update().filter(pk=member.cadre_id).first()  # one writer per family at a time
    _written(actor, request, "delete", "family-members", member)  # first: the row names the member while it exists
    member.delete()


# ---------------------------------------------------------------------------
# Exactly-once recording (Idempotency-Key)
# ---------------------------------------------------------------------------


def _replayed(model: type[Recorded], actor: User | None, request_key: str, **same: Any) -> Recorded | None:
    """The record ``actor`` already made with ``request_key``, if any. A key
    reused for a different record is a client bug: 409, not a silent mix-up."""
    if not request_key or actor is None:
        return None
    existing = model.objects.filter(recorded_by=actor, request_key=request_key).first()
    if existing is None:
        return None
    if any(getattr(existing, name) != value for name, value in same.items()):
        raise ConflictError(
            _("该请求编号（Idempotency-Key）已用于另一条登记，请换一个编号后重试。"), field="request_key"
        )
    return existing


def _insert_once(
    model: type[Recorded], record: Recorded, actor: User | None, request_key: str, **same: Any
) -> Recorded | None:
    """Insert ``record`` unless a concurrent request with the same key won the
    race (the unique constraint decides); returns the winner's record then."""
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        winner = _replayed(model, actor, request_key, **same)
        if winner is None:
            raise
        return winner
    return None


def _deadline(event_date: dt.date, days: int, today: dt.date) -> dt.date:
    """``days`` after the event, but never already past when recorded: an event
    recorded late is due today at the latest."""
    return max(event_date + dt.timedelta(days=days), today)


def _open_obligation(
    *,
    cadre: Cadre,
    source: str,
    reason: str,
    event_date: dt.date,
    deadline: dt.date,
    family_event: FamilyEvent | None = None,
    condition: CadreCondition | None = None,
) -> VisitObligation:
    owner = visit_owner_for(cadre, care_policy_effective(cadre.unit))
    return VisitObligation.objects.create(
        cadre=cadre,
        source=source,
        reason=reason,
        event_date=event_date,
        deadline=deadline,
        owner=owner.owner,
        owner_note=owner.note,
        owner_post=owner.post,
        owner_post_unit=owner.post_unit,
        family_event=family_event,
        condition=condition,
    )


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
    existing = _replayed(FamilyEvent, actor, request_key, **same)
    if existing is not None:
        return existing, False
    _not_future(date, today, "date", gettext_noop("发生日期"))
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
    winner = _insert_once(FamilyEvent, event, actor, request_key, **same)
    if winner is not None:
        return winner, False
    if kind == FamilyEventKind.DEATH and family_member is not None:
        FamilyMember.objects.filter(pk=family_member.pk).update(deceased_on=date, updated_at=timezone.now())
    policy = care_policy_effective(cadre.unit)
    _open_obligation(
        cadre=cadre,
        source=ObligationSource.FAMILY_EVENT,
        reason=f"家庭重大变故：{event.get_kind_display()}",
        event_date=date,
        deadline=_deadline(date, policy.family_event_days, today),
        family_event=event,
    )
    for listener in family_event_listeners:
        listener(event)
    fields = ["cadre", "kind", "date", "description", *(["family_member"] if family_member is not None else [])]
    _written(actor, request, "create", "family-events", event, fields)
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
    _written(actor, request, "update", "family-events", event, _changed(event, before))
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
    existing = _replayed(CadreCondition, actor, request_key, **same)
    if existing is not None:
        return existing, False
    _not_future(date, today, "date", gettext_noop("发生日期"))
    cadre = Cadre.objects.select_for_update().select_related("unit").get(pk=cadre.pk)
    if cadre.status == CadreStatus.DECEASED:
        raise DomainError(_("该干部已登记去世。"), field="cadre")
    if date < cadre.birth_date:
        raise DomainError(_("发生日期不能早于干部的出生日期。"), field="date")
    condition = CadreCondition(
        cadre=cadre, kind=kind, date=date, description=description, request_key=request_key, recorded_by=actor
    )
    winner = _insert_once(CadreCondition, condition, actor, request_key, **same)
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
    _open_obligation(
        cadre=cadre,
        source=source,
        reason=reason,
        event_date=date,
        deadline=_deadline(date, days, today),
        condition=condition,
    )
    _written(actor, request, "create", "cadre-conditions", condition, ["cadre", "kind", "date", "description"])
    return condition, True


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
    _not_future(event_date, today, "event_date", gettext_noop("事由发生日期"))
    cadre = Cadre.objects.select_related("unit").get(pk=cadre.pk)
    if deadline is None:
        deadline = _deadline(event_date, care_policy_effective(cadre.unit).family_event_days, today)
    if deadline < today:
        raise DomainError(_("走访期限不能早于今天。"), field="deadline")
    obligation = _open_obligation(
        cadre=cadre, source=ObligationSource.MANUAL, reason=reason, event_date=event_date, deadline=deadline
    )
    _written(actor, request, "create", "visit-obligations", obligation, ["cadre", "reason", "event_date", "deadline"])
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
    _written(actor, request, "update", "visit-obligations", obligation, _changed(obligation, before))
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
    _written(actor, request, "update", "visit-obligations", obligation, ["status", "waived_reason"])
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
    _not_future(date, today, "date", gettext_noop("走访日期"))
    _not_negative(money_amount, "money_amount")
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
    _written(actor, request, "create", "visits", visit, fields)
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
    changed = _changed(visit, before) + (["visitors"] if visitors is not None else [])
    _written(actor, request, "update", "visits", visit, sorted(changed))
    return visit


# ---------------------------------------------------------------------------
# Hardship cases (困难帮扶)
# ---------------------------------------------------------------------------


def _hardship_check(case: HardshipCase, today: dt.date) -> None:
    _not_future(case.opened_on, today, "opened_on", gettext_noop("登记日期"))
    if case.next_review and case.next_review < case.opened_on:
        raise DomainError(_("下次回访日期不能早于登记日期。"), field="next_review")
    if case.resolved_on is not None:
        _not_future(case.resolved_on, today, "resolved_on", gettext_noop("解决日期"))
        if case.resolved_on < case.opened_on:
            raise DomainError(_("解决日期不能早于登记日期。"), field="resolved_on")


def _settle_resolution(case: HardshipCase, today: dt.date) -> None:
    """A resolved case carries its resolution date; a reopened one loses it.
    An active case always has a review date: the care policy's interval after
    its last review (or its opening) unless one was given."""
    if case.status == HardshipStatus.RESOLVED:
        case.resolved_on = case.resolved_on or today
    else:
        case.resolved_on = None
        if case.next_review is None:
            case.next_review = _review_after(case, case.last_reviewed_on or case.opened_on)


def _review_after(case: HardshipCase, day: dt.date) -> dt.date:
    months = care_policy_effective(case.cadre.unit).hardship_review_months
    return day + relativedelta(months=months)


@transaction.atomic
def hardship_case_create(
    *,
    actor: User | None,
    cadre: Cadre,
    category: str,
    opened_on: dt.date | None = None,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
    **fields: Any,
) -> HardshipCase:
    """Open a hardship case; while open or being helped the cadre counts as
    ``hardship`` for the rest roster, and its review falls due on
    ``next_review`` (by default the care policy's interval after opening)."""
    today = today or clock.today()
    case = HardshipCase(cadre=cadre, category=category, opened_on=opened_on or today, recorded_by=actor, **fields)
    _settle_resolution(case, today)
    _hardship_check(case, today)
    if case.status in ACTIVE_HARDSHIP:
        days = care_policy_effective(cadre.unit).first_contact_days
        case.first_contact_due = case.opened_on + dt.timedelta(days=days)
    case.save()
    given = ["cadre", "category", *(["opened_on"] if opened_on is not None else []), *fields]
    _written(actor, request, "create", "hardship-cases", case, sorted(given))
    return case


@transaction.atomic
def hardship_first_contact_record(
    *,
    actor: User | None,
    case: HardshipCase,
    way: str,
    date: dt.date | None = None,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> HardshipCase:
    """Record the first contact with a new hardship case (及时关心问候: a
    visit, a talk or a call): its ``hardship_first_contact`` item is done."""
    today = today or clock.today()
    case = HardshipCase.objects.select_for_update().get(pk=case.pk)
    if case.first_contact_on is not None:
        raise ConflictError(
            _("该困难帮扶已于 %(first_contact_on)s 记录首次联系。")
            % {"first_contact_on": format(case.first_contact_on, "%Y-%m-%d")},
            field="date",
        )
    date = date or today
    _not_future(date, today, "date", gettext_noop("联系日期"))
    if date < case.opened_on:
        raise DomainError(
            _("联系日期不能早于该困难的登记日期（%(opened_on)s）。")
            % {"opened_on": format(case.opened_on, "%Y-%m-%d")},
            field="date",
        )
    case.first_contact_on, case.first_contact_way = date, way
    case.save(update_fields=["first_contact_on", "first_contact_way", "updated_at"])
    _written(actor, request, "update", "hardship-cases", case, ["first_contact_on", "first_contact_way"])
    return case


@transaction.atomic
def hardship_case_update(
    *,
    actor: User | None,
    case: HardshipCase,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
    **fields: Any,
) -> HardshipCase:
    """Change a case (status, review date, description); the cadre stays."""
    today = today or clock.today()
    fields.pop("cadre", None)
    before = {name: getattr(case, name) for name in fields}
    for name, value in fields.items():
        setattr(case, name, value)
    _settle_resolution(case, today)
    _hardship_check(case, today)
    case.save()
    _written(actor, request, "update", "hardship-cases", case, _changed(case, before))
    return case


@transaction.atomic
def hardship_case_review(
    *,
    actor: User | None,
    case: HardshipCase,
    date: dt.date | None = None,
    next_review: dt.date | None = None,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> HardshipCase:
    """Record a review (回访) of an active case: the review due item is done
    and the next one falls due on ``next_review``, by default the care
    policy's interval after this review."""
    today = today or clock.today()
    case = HardshipCase.objects.select_for_update().select_related("cadre__unit").get(pk=case.pk)
    if case.status not in ACTIVE_HARDSHIP:
        raise DomainError(
            _("该困难帮扶已解决，无需回访；如困难再次出现，请先把状态改回待帮扶或帮扶中。"), field="status"
        )
    date = date or today
    _not_future(date, today, "date", gettext_noop("回访日期"))
    if date < case.opened_on:
        raise DomainError(
            _("回访日期不能早于该困难的登记日期（%(opened_on)s）。")
            % {"opened_on": format(case.opened_on, "%Y-%m-%d")},
            field="date",
        )
    if next_review is not None and next_review <= date:
        raise DomainError(_("下次回访日期应晚于本次回访日期。"), field="next_review")
    case.last_reviewed_on = date
    case.next_review = next_review or _review_after(case, date)
    case.save(update_fields=["last_reviewed_on", "next_review", "updated_at"])
    _written(actor, request, "update", "hardship-cases", case, ["last_reviewed_on", "next_review"])
    return case


@transaction.atomic
def hardship_measure_add(
    *,
    actor: User | None,
    case: HardshipCase,
    date: dt.date,
    kind: str,
    amount: Decimal = Decimal(0),
    provided_by: str,
    note: str = "",
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> HardshipMeasure:
    """Record a measure taken; the first one moves an open case to 帮扶中."""
    today = today or clock.today()
    case = HardshipCase.objects.select_for_update().get(pk=case.pk)
    _not_future(date, today, "date")
    _not_negative(amount, "amount")
    if date < case.opened_on:
        raise DomainError(
            _("措施日期不能早于该困难的登记日期（%(opened_on)s）。")
            % {"opened_on": format(case.opened_on, "%Y-%m-%d")},
            field="date",
        )
    measure = HardshipMeasure.objects.create(
        case=case, date=date, kind=kind, amount=amount, provided_by=provided_by, note=note
    )
    if case.status == HardshipStatus.OPEN:
        HardshipCase.objects.filter(pk=case.pk).update(status=HardshipStatus.HELPING, updated_at=timezone.now())
    _written(
        actor,
        request,
        "create",
        "hardship-measures",
        measure,
        ["case", "date", "kind", "amount", "provided_by", "note"],
    )
    return measure


@transaction.atomic
def hardship_measure_update(
    *,
    actor: User | None,
    measure: HardshipMeasure,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
    **fields: Any,
) -> HardshipMeasure:
    """Correct a measure's details; the case it was taken on stays."""
    today = today or clock.today()
    fields.pop("case", None)
    before = {name: getattr(measure, name) for name in fields}
    for name, value in fields.items():
        setattr(measure, name, value)
    _not_future(measure.date, today, "date")
    _not_negative(measure.amount, "amount")
    if measure.date < measure.case.opened_on:
        raise DomainError(
            _("措施日期不能早于该困难的登记日期（%(opened_on)s）。")
            % {"opened_on": format(measure.case.opened_on, "%Y-%m-%d")},
            field="date",
        )
    measure.save()
    _written(actor, request, "update", "hardship-measures", measure, _changed(measure, before))
    return measure


# ---------------------------------------------------------------------------
# Care decisions: a check-up concluding 需治疗, or a long sick leave
# ---------------------------------------------------------------------------

TRIGGER_REASON = {FollowUpTrigger.TREATMENT: "体检结论需治疗", FollowUpTrigger.SICK_LEAVE: "长期病假"}


@transaction.atomic
def care_decision_record(
    *,
    actor: User | None,
    checkup: Checkup | None = None,
    absence: Absence | None = None,
    outcome: str,
    reason: str = "",
    category: str = "",
    deadline: dt.date | None = None,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> CareDecision:
    """Decide on care for a cadre whom ``checkup`` found in need of treatment,
    or who is away on the long sick leave ``absence``: open a hardship case
    (of ``category``), open a visit obligation (by ``deadline``, else the care
    policy's days), or close with ``reason``. Either way the decision item is
    done; what was opened is chased as its own item."""
    today = today or clock.today()
    if (checkup is None) == (absence is None):
        raise DomainError(_("请指明需要跟进的体检记录或病假。"), field="checkup")
    if checkup is not None:
        checkup = Checkup.objects.select_for_update().select_related("cadre__unit").get(pk=checkup.pk)
        if checkup.conclusion != Conclusion.TREATMENT:
            raise DomainError(_("只有总体结论为“需治疗”的体检需要作出关怀决定。"), field="checkup")
        trigger, cadre, taken = FollowUpTrigger.TREATMENT, checkup.cadre, CareDecision.objects.filter(checkup=checkup)
    elif absence is not None:  # exactly one of the two, checked above
        absence = Absence.objects.select_for_update().select_related("cadre__unit").get(pk=absence.pk)
        days = care_policy_effective(absence.cadre.unit).sick_leave_days
        if absence.kind != AbsenceKind.SICK_LEAVE or (absence.end - absence.start).days + 1 <= days:
            raise DomainError(_("只有超过 %(days)s 天的病假需要作出关怀决定。") % {"days": days}, field="absence")
        trigger, cadre, taken = FollowUpTrigger.SICK_LEAVE, absence.cadre, CareDecision.objects.filter(absence=absence)
    if taken.exists():
        raise ConflictError(_("已对此作出关怀决定，无需重复登记。"), field="outcome")
    reason = reason.strip()
    decision = CareDecision(
        cadre=cadre,
        trigger=trigger,
        checkup=checkup,
        absence=absence,
        outcome=outcome,
        reason=reason,
        decided_on=today,
        decided_by=actor,
    )
    if outcome == FollowUpOutcome.HARDSHIP:
        if not category:
            raise DomainError(_("登记困难帮扶请选择困难类别。"), field="category")
        decision.hardship_case = hardship_case_create(
            actor=actor, cadre=cadre, category=category, description=reason, today=today, request=request
        )
    elif outcome == FollowUpOutcome.VISIT:
        decision.visit_obligation = visit_obligation_create(
            actor=actor,
            cadre=cadre,
            reason=TRIGGER_REASON[trigger],
            event_date=checkup.date if checkup is not None else min(absence.start, today),  # type: ignore[union-attr]
            deadline=deadline,
            today=today,
            request=request,
        )
    elif not reason:
        raise DomainError(_("不需要跟进时请填写理由。"), field="reason")
    decision.save()
    given = {"checkup": checkup, "absence": absence, "outcome": outcome, "reason": reason, "category": category}
    fields = [name for name, value in {**given, "deadline": deadline}.items() if value]
    _written(actor, request, "create", "care-decisions", decision, fields)
    return decision


# ---------------------------------------------------------------------------
# Post allowances (岗位补贴): recording what was paid
# ---------------------------------------------------------------------------


@transaction.atomic
def post_allowance_pay(
    *,
    actor: User | None,
    allowance: PostAllowance,
    paid_amount: Decimal,
    paid_on: dt.date,
    note: str | None = None,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> PostAllowance:
    """Record what a township's month of post allowance has been paid, in
    all, and when: paid in full, its ``post_allowance_chase`` item is done."""
    today = today or clock.today()
    allowance = PostAllowance.objects.select_for_update().get(pk=allowance.pk)
    before = {name: getattr(allowance, name) for name in ("paid_amount", "paid_on", "note")}
    _not_negative(paid_amount, "paid_amount")
    _not_future(paid_on, today, "paid_on", gettext_noop("发放日期"))
    allowance.paid_amount, allowance.paid_on = paid_amount, paid_on
    if note is not None:
        allowance.note = note
    allowance.save(update_fields=["paid_amount", "paid_on", "note", "updated_at"])
    _written(actor, request, "update", "post-allowances", allowance, _changed(allowance, before))
    return allowance


# ---------------------------------------------------------------------------
# Township facilities (五小): one record per township and item
# ---------------------------------------------------------------------------


@transaction.atomic
def facility_save(
    *,
    actor: User | None,
    facility: Facility | None = None,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
    **fields: Any,
) -> Facility:
    """Record a township's facility (``facility`` None) or change its status;
    its township and item stay once recorded."""
    if facility is None:
        township, item = fields["township"], fields["item"]
        if township.kind != UnitKind.TOWNSHIP:
            raise DomainError(_("请选择乡镇（街道）。"), field="township")
        if Facility.objects.filter(township=township, item=item).exists():
            label = choice_label(FacilityItem(item).label)
            raise DomainError(_("该乡镇已登记“%(label)s”，请修改原记录。") % {"label": label}, field="item")
        facility = Facility()
    else:
        fields = {name: value for name, value in fields.items() if name not in ("township", "item")}
    as_of = fields.get("as_of")
    if as_of is not None and as_of > (today or clock.today()):
        raise DomainError(_("状态日期不能晚于今天。"), field="as_of")
    created = facility.pk is None
    before = {name: getattr(facility, name, None) for name in fields}
    for name, value in fields.items():
        setattr(facility, name, value)
    facility.save()
    changed = sorted(fields) if created else _changed(facility, before)
    _written(actor, request, "create" if created else "update", "facilities", facility, changed)
    return facility


@transaction.atomic
def facility_delete(*, actor: User | None, facility: Facility, request: HttpRequest | None = None) -> None:
    """Remove a facility recorded by mistake."""
    _written(actor, request, "delete", "facilities", facility)  # first: the row names it while it exists
    facility.delete()
