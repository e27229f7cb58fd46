"""Family information (我的家庭信息): changes wait for HR."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from cadrecare.audit.services import audit_change
from cadrecare.care import services as care
from cadrecare.care.models import FamilyMember
from cadrecare.core import clock
from cadrecare.core.errors import DomainError
from cadrecare.core.i18n import choice_label
from cadrecare.org.choices import Role
from cadrecare.org.models import Cadre, User
from cadrecare.selfservice.choices import ChangeAction, Decision
from cadrecare.selfservice.models import FamilyMemberChange
from cadrecare.selfservice.services.common import (
    CONFIRM_DAYS,
    DATE_FIELDS,
    MEMBER_FIELDS,
    _decide_check,
    _decided,
    _own_cadre,
    _rejected,
    _tell,
    _tell_outcome,
    _unit_role_users,
)


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
        member = care.family_member_create(actor=actor, cadre=change.cadre, request=request, **fields)
        change.member = member
        change.save(update_fields=["member"])
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
            care.family_member_update(actor=actor, member=member, request=request, **fields)
        else:
            care.family_member_delete(actor=actor, member=member, request=request)
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
    _rejected(
        change,
        actor=actor,
        reason=reason,
        resource="family-member-changes",
        kind="family_member_change_decided",
        title="家属信息变更未被采纳",
        body="您提交的家属信息变更未被采纳，理由请登录系统查看。",
        request=request,
    )
    return change
