"""Writes of cadre self-service: a cadre reports a family event or a
difficulty of their own, proposes changes to their family information and
writes 心里话; HR (and, for family events, the party secretary) confirms or
rejects; the addressee answers.

Each function is keyword-only, owns its transaction, checks who may act
(the signed-in person's own cadre record, or the access table for the
cadre concerned) and writes its audit row with the change. A confirmed report
or change is applied through the care services, so the obligations they raise
are the ones any family event or hardship case raises; the report's row lock
and its one-to-one link to what it became make a second or concurrent
confirmation raise nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from cadrecare.audit.services import audit_change
from cadrecare.care import services as care
from cadrecare.care.choices import FamilyEventKind
from cadrecare.care.models import FamilyMember
from cadrecare.care.selectors import care_policy_effective
from cadrecare.core import clock
from cadrecare.core.errors import DomainError, ForbiddenError
from cadrecare.core.i18n import choice_label
from cadrecare.org import scoping
from cadrecare.org.access import ADD
from cadrecare.org.choices import Role
from cadrecare.org.models import Cadre, RoleGrant, User
from cadrecare.rotation.services import notices_send
from cadrecare.selfservice import selectors
from cadrecare.selfservice.choices import Addressee, ChangeAction, Decision, MessageStatus, ReportKind
from cadrecare.selfservice.models import FamilyMemberChange, HeartMessage, SelfReport

# An item to confirm is due this many days after it was submitted: HR looks at
# what a cadre reports within the working week (a death is urgent on top).
CONFIRM_DAYS = 3
# What a change may set on a family member: the family service's own fields.
MEMBER_FIELDS = (
    "relation",
    "name",
    "gender",
    "birth_date",
    "work_unit",
    "phone",
    "lives_with_cadre",
    "health_condition",
    "notes",
    "deceased_on",
)
DATE_FIELDS = ("birth_date", "deceased_on")


def _own_cadre(actor: User) -> Cadre:
    cadre_id = scoping.own_cadre_id(actor)
    if cadre_id is None:
        raise ForbiddenError(_("您的账号未关联干部档案，无法使用本人自助。"))
    return Cadre.objects.select_related("unit").get(pk=cadre_id)


def _unit_role_users(unit_id: int, roles: Iterable[str]) -> list[int]:
    return sorted(
        set(
            RoleGrant.objects.filter(unit_id=unit_id, role__in=list(roles), user__is_active=True).values_list(
                "user_id", flat=True
            )
        )
    )


def _tell(
    *,
    kind: str,
    record: Any,
    cadre: Cadre,
    users: Iterable[int],
    title: str,
    body: str,
    url: str,
    urgent: bool = False,
) -> None:
    """An in-app notice (and its email or SMS in the digest, or at once when
    urgent). Its text never carries what was written: notices leave the system."""
    today = clock.today()
    notices_send(
        kind=kind,
        object_id=record.pk,
        unit_id=cadre.unit_id,
        period=today,
        due_date=today,
        url=url,
        messages=[(user_id, cadre.pk, title, body) for user_id in users],
        urgent=urgent,
    )


def _tell_outcome(*, kind: str, record: SelfReport | FamilyMemberChange, resource: str, title: str, body: str) -> None:
    """Tell the cadre who submitted ``record`` how it was decided (nobody when they have no login)."""
    cadre = record.cadre
    _tell(
        kind=kind,
        record=record,
        cadre=cadre,
        users=[cadre.user_id] if cadre.user_id else [],
        title=title,
        body=body,
        url=f"/api/v1/{resource}/{record.pk}/",
    )


def _decide_check(actor: User, resource: str, action: str, cadre: Cadre) -> None:
    if not scoping.may_for_cadre(actor, resource, action, cadre):
        raise ForbiddenError(_("您的角色无权确认该干部的报告。"))


def _may_record(actor: User, report: SelfReport) -> None:
    """Who decides a report is who may record what it would become: a family
    event (HR, the secretary, the organization department) or a hardship case
    (HR, the organization department); the same for taking it up or not."""
    if report.kind == ReportKind.FAMILY_EVENT:
        if not scoping.may_for_cadre(actor, "family-events", ADD, report.cadre):
            raise ForbiddenError(_("您的角色无权登记家庭重大变故。"))
    elif not scoping.may_for_cadre(actor, "hardship-cases", ADD, report.cadre):
        raise ForbiddenError(_("困难帮扶须由人事干部或组织部门确认。"))


def _decided(record: SelfReport | FamilyMemberChange, actor: User, status: str, reason: str = "") -> None:
    record.status = status
    record.reject_reason = reason
    record.decided_by = actor
    record.decided_at = clock.now()
    record.save(update_fields=["status", "reject_reason", "decided_by", "decided_at"])


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写未采纳的理由，干部本人会看到。"), field="reason")
    return reason


# ---------------------------------------------------------------------------
# Reports of a family event or a difficulty (我要报告)
# ---------------------------------------------------------------------------


@transaction.atomic
def self_report_submit(
    *,
    actor: User,
    kind: str,
    date: dt.date,
    event_kind: str = "",
    hardship_category: str = "",
    family_member: FamilyMember | None = None,
    description: str = "",
    request: HttpRequest | None = None,
    today: dt.date | None = None,
) -> SelfReport:
    """A cadre reports a family event or a difficulty of their own; HR and the
    party secretary of their unit are told at once, and HR owns the item to
    confirm (``self_report`` due item)."""
    today = today or clock.today()
    cadre = _own_cadre(actor)
    if date > today:
        raise DomainError(_("发生日期不能晚于今天。"), field="date")
    if kind == ReportKind.FAMILY_EVENT:
        if not event_kind:
            raise DomainError(_("请选择变故类型。"), field="event_kind")
        hardship_category = ""
    else:
        if not hardship_category:
            raise DomainError(_("请选择困难类别。"), field="hardship_category")
        event_kind, family_member = "", None
    if family_member is not None and family_member.cadre_id != cadre.pk:
        raise DomainError(_("所选家属不是您的家属。"), field="family_member")
    if not description.strip():
        raise DomainError(_("请简要说明情况。"), field="description")
    report = SelfReport.objects.create(
        cadre=cadre,
        kind=kind,
        event_kind=event_kind,
        hardship_category=hardship_category,
        family_member=family_member,
        date=date,
        description=description.strip(),
        confirm_by=today + dt.timedelta(days=CONFIRM_DAYS),
        created_by=actor,
    )
    audit_change(
        actor=actor,
        action="create",
        resource="self-reports",
        record=report,
        fields=["kind", "date", "description"],
        request=request,
    )
    _tell(
        kind="self_report",
        record=report,
        cadre=cadre,
        users=_unit_role_users(cadre.unit_id, (Role.HR, Role.SECRETARY)),
        title=f"{cadre.name}：本人报告待确认",
        body=f"{cadre.name}报告了{report.get_kind_display()}，请登录系统查看并确认。",
        url=f"/api/v1/self-reports/{report.pk}/",
        urgent=event_kind == FamilyEventKind.DEATH,
    )
    return report


@transaction.atomic
def self_report_confirm(
    *, actor: User, report: SelfReport, request: HttpRequest | None = None, today: dt.date | None = None
) -> tuple[SelfReport, bool]:
    """Confirm a report: it becomes the family event (its must-visit and
    must-talk raised by ``care.services.family_event_record``) or the hardship
    case (its reviews by ``care.services.hardship_case_create``). Exactly once:
    the report is locked, and one confirmed already is returned unchanged
    (``created`` False). A difficulty becomes a hardship case only by someone
    who may open one (HR, the organization department)."""
    today = today or clock.today()
    report = (
        SelfReport.objects.select_for_update(of=("self",))
        .select_related("cadre__unit", "family_member")
        .get(pk=report.pk)
    )
    _decide_check(actor, "self-reports", "confirm", report.cadre)
    _may_record(actor, report)
    if report.status == Decision.CONFIRMED:
        return report, False
    if report.status == Decision.REJECTED:
        raise DomainError(_("该报告已标为未采纳，不能再确认。"), field="status")
    if report.kind == ReportKind.FAMILY_EVENT:
        event, _created = care.family_event_record(
            actor=actor,
            cadre=report.cadre,
            kind=report.event_kind,
            date=report.date,
            family_member=report.family_member,
            description=report.description,
            today=today,
        )
        report.family_event = event
        report.save(update_fields=["family_event"])
    else:
        case = care.hardship_case_create(
            actor=actor,
            cadre=report.cadre,
            category=report.hardship_category,
            description=report.description,
            today=today,
        )
        report.hardship_case = case
        report.save(update_fields=["hardship_case"])
    _decided(report, actor, Decision.CONFIRMED)
    audit_change(
        actor=actor, action="update", resource="self-reports", record=report, fields=["status"], request=request
    )
    _tell_outcome(
        kind="self_report_decided",
        record=report,
        resource="self-reports",
        title="您的报告已确认",
        body="组织上已确认您报告的情况，将按规定走访慰问或帮扶。",
    )
    return report, True


@transaction.atomic
def self_report_reject(
    *, actor: User, report: SelfReport, reason: str, request: HttpRequest | None = None
) -> SelfReport:
    """Not take up a report, with the reason the cadre is told; nothing is raised."""
    report = SelfReport.objects.select_for_update(of=("self",)).select_related("cadre__unit").get(pk=report.pk)
    _decide_check(actor, "self-reports", "reject", report.cadre)
    _may_record(actor, report)
    if report.status != Decision.PENDING:
        raise DomainError(
            _("该报告已%(status)s，不能再处理。") % {"status": choice_label(report.get_status_display())},
            field="status",
        )
    _decided(report, actor, Decision.REJECTED, _reason(reason))
    audit_change(
        actor=actor,
        action="update",
        resource="self-reports",
        record=report,
        fields=["status", "reject_reason"],
        request=request,
    )
    _tell_outcome(
        kind="self_report_decided",
        record=report,
        resource="self-reports",
        title="您的报告未被采纳",
        body="您报告的情况未被采纳，理由请登录系统查看。",
    )
    return report


# ---------------------------------------------------------------------------
# Family information (我的家庭信息): changes wait for HR
# ---------------------------------------------------------------------------


class _Rehearsed(Exception):
    """Raised to roll back a rehearsal of the family service (see ``_rehearse``)."""


def _rehearse(action: str, cadre: Cadre, member: FamilyMember | None, fields: Mapping[str, Any]) -> None:
    """Run the family service's own rules on the proposal now, inside a
    savepoint that is always rolled back, so the cadre hears of an impossible
    change (a second living spouse, a parent younger than them) when they
    propose it, by the very rules HR's confirmation will apply."""
    try:
        with transaction.atomic():
            if action == ChangeAction.CREATE:
                care.family_member_create(actor=None, cadre=cadre, **fields)
            elif action == ChangeAction.UPDATE and member is not None:
                care.family_member_update(actor=None, member=FamilyMember.objects.get(pk=member.pk), **fields)
            raise _Rehearsed
    except _Rehearsed:
        pass


def _as_json(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value.isoformat() if isinstance(value, dt.date) else value for name, value in fields.items()}


def _from_json(proposed: Mapping[str, Any]) -> dict[str, Any]:
    return {
        name: dt.date.fromisoformat(value) if name in DATE_FIELDS and value else value
        for name, value in proposed.items()
        if name in MEMBER_FIELDS
    }


@transaction.atomic
def family_member_change_propose(
    *,
    actor: User,
    action: str,
    member: FamilyMember | None = None,
    fields: Mapping[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> FamilyMemberChange:
    """A cadre proposes a new family member, new values for one of theirs, or
    removing one; nothing changes in the family until HR confirms."""
    cadre = _own_cadre(actor)
    fields = {name: value for name, value in (fields or {}).items() if name in MEMBER_FIELDS}
    if action != ChangeAction.CREATE:
        if member is None:
            raise DomainError(_("请选择要修改或删除的家属。"), field="member")
        if member.cadre_id != cadre.pk:
            raise DomainError(_("所选家属不是您的家属。"), field="member")
        if FamilyMemberChange.objects.filter(member=member, status=Decision.PENDING).exists():
            raise DomainError(_("该家属已有一项变更在等待确认，请等确认后再提交。"), field="member")
    else:
        member = None
        for name in ("relation", "name"):
            if not fields.get(name):
                raise DomainError(_("新增家属须填写关系和姓名。"), field=name)
    if action == ChangeAction.UPDATE and not fields:
        raise DomainError(_("请至少修改一项信息。"), field="name")
    if action == ChangeAction.DELETE:
        fields = {}
    _rehearse(action, cadre, member, fields)
    change = FamilyMemberChange.objects.create(
        cadre=cadre,
        action=action,
        member=member,
        proposed=_as_json(fields),
        confirm_by=clock.today() + dt.timedelta(days=CONFIRM_DAYS),
        created_by=actor,
    )
    audit_change(
        actor=actor,
        action="create",
        resource="family-member-changes",
        record=change,
        fields=["action", "proposed"],
        request=request,
    )
    _tell(
        kind="family_member_change",
        record=change,
        cadre=cadre,
        users=_unit_role_users(cadre.unit_id, (Role.HR,)),
        title=f"{cadre.name}：家属信息变更待确认",
        body=f"{cadre.name}提交了家属信息变更，请登录系统查看并确认。",
        url=f"/api/v1/family-member-changes/{change.pk}/",
    )
    return change


@transaction.atomic
def family_member_change_confirm(
    *, actor: User, change: FamilyMemberChange, request: HttpRequest | None = None
) -> tuple[FamilyMemberChange, bool]:
    """Apply a proposed change through the family service (its rules checked
    again, now), audited as a change of the family member; once."""
    change = FamilyMemberChange.objects.select_for_update(of=("self",)).select_related("cadre__unit").get(pk=change.pk)
    _decide_check(actor, "family-member-changes", "confirm", change.cadre)
    if change.status == Decision.CONFIRMED:
        return change, False
    if change.status == Decision.REJECTED:
        raise DomainError(_("该变更已标为未采纳，不能再确认。"), field="status")
    fields = _from_json(change.proposed)
    if change.action == ChangeAction.CREATE:
        member = care.family_member_create(actor=actor, cadre=change.cadre, **fields)
        change.member = member
        change.save(update_fields=["member"])
        audit_change(
            actor=actor, action="create", resource="family-members", record=member, fields=fields, request=request
        )
    else:
        found = (
            FamilyMember.objects.filter(pk=change.member_id, cadre=change.cadre).first()
            if change.member_id is not None
            else None
        )
        if found is None:
            raise DomainError(_("该家属已被删除，请将此变更标为未采纳。"), field="member")
        member = found
        if change.action == ChangeAction.UPDATE:
            care.family_member_update(actor=actor, member=member, **fields)
            audit_change(
                actor=actor, action="update", resource="family-members", record=member, fields=fields, request=request
            )
        else:
            audit_change(
                actor=actor, action="delete", resource="family-members", record=member, fields=[], request=request
            )
            care.family_member_delete(actor=actor, member=member)
    _decided(change, actor, Decision.CONFIRMED)
    audit_change(
        actor=actor,
        action="update",
        resource="family-member-changes",
        record=change,
        fields=["status"],
        request=request,
    )
    _tell_outcome(
        kind="family_member_change_decided",
        record=change,
        resource="family-member-changes",
        title="家属信息变更已确认",
        body="您提交的家属信息变更已确认并更新。",
    )
    return change, True


@transaction.atomic
def family_member_change_reject(
    *, actor: User, change: FamilyMemberChange, reason: str, request: HttpRequest | None = None
) -> FamilyMemberChange:
    """Not apply a proposed change, with the reason the cadre is told; the family stays as it is."""
    change = FamilyMemberChange.objects.select_for_update(of=("self",)).select_related("cadre__unit").get(pk=change.pk)
    _decide_check(actor, "family-member-changes", "reject", change.cadre)
    if change.status != Decision.PENDING:
        raise DomainError(
            _("该变更已%(status)s，不能再处理。") % {"status": choice_label(change.get_status_display())},
            field="status",
        )
    _decided(change, actor, Decision.REJECTED, _reason(reason))
    audit_change(
        actor=actor,
        action="update",
        resource="family-member-changes",
        record=change,
        fields=["status", "reject_reason"],
        request=request,
    )
    _tell_outcome(
        kind="family_member_change_decided",
        record=change,
        resource="family-member-changes",
        title="家属信息变更未被采纳",
        body="您提交的家属信息变更未被采纳，理由请登录系统查看。",
    )
    return change


# ---------------------------------------------------------------------------
# 心里话
# ---------------------------------------------------------------------------


@transaction.atomic
def heart_message_send(
    *, actor: User, addressee: str, body: str, request: HttpRequest | None = None, today: dt.date | None = None
) -> HeartMessage:
    """A cadre writes to their unit's party secretary or their county's
    organization department; it is due to be answered within the care
    policy's ``message_answer_days`` (default 7), chased as a due item after."""
    today = today or clock.today()
    cadre = _own_cadre(actor)
    body = (body or "").strip()
    if not body:
        raise DomainError(_("请写下您想说的话。"), field="body")
    unit = selectors.message_addressee_unit(cadre, addressee)
    answerers = [
        user_id for user_id in (selectors.message_answerers(unit, addressee) if unit else []) if user_id != actor.pk
    ]
    if unit is None or not answerers:
        other = Addressee.ORG_DEPARTMENT if addressee == Addressee.SECRETARY else Addressee.SECRETARY
        raise DomainError(
            _("%(label)s目前无人在系统中接收心里话，可改为写给%(label2)s。")
            % {"label": choice_label(Addressee(addressee).label), "label2": choice_label(Addressee(other).label)},
            field="addressee",
        )
    message = HeartMessage.objects.create(
        sender=actor,
        sender_cadre=cadre,
        addressee=addressee,
        addressee_unit=unit,
        body=body,
        answer_due=today + dt.timedelta(days=care_policy_effective(cadre.unit).message_answer_days),
    )
    audit_change(actor=actor, action="create", resource="messages", record=message, fields=["body"], request=request)
    _tell(
        kind="heart_message",
        record=message,
        cadre=cadre,
        users=answerers,
        title="收到一条心里话",
        body=f"请于{message.answer_due:%Y-%m-%d}前登录系统查看并回复。",
        url=f"/api/v1/messages/{message.pk}/",
    )
    return message


@transaction.atomic
def heart_message_answer(
    *, actor: User, message: HeartMessage, answer: str, request: HttpRequest | None = None
) -> HeartMessage:
    """The addressee answers, once; the sender is told."""
    message = HeartMessage.objects.select_for_update(of=("self",)).select_related("sender_cadre").get(pk=message.pk)
    received = selectors.addressed_to(actor)
    if received is None or not HeartMessage.objects.filter(received, pk=message.pk).exists():
        raise ForbiddenError(_("只有收信人可以回复这条心里话。"))
    if message.status == MessageStatus.ANSWERED:
        raise DomainError(_("这条心里话已经回复过了。"), field="answer")
    answer = (answer or "").strip()
    if not answer:
        raise DomainError(_("请填写回复内容。"), field="answer")
    message.answer = answer
    message.answered_by = actor
    message.answered_at = clock.now()
    message.status = MessageStatus.ANSWERED
    message.save(update_fields=["answer", "answered_by", "answered_at", "status"])
    audit_change(
        actor=actor, action="update", resource="messages", record=message, fields=["answer", "status"], request=request
    )
    _tell(
        kind="heart_message_answered",
        record=message,
        cadre=message.sender_cadre,
        users=[message.sender_id],
        title="您的心里话已有回复",
        body="请登录系统查看回复。",
        url=f"/api/v1/messages/{message.pk}/",
    )
    return message
