"""What the self-service writes share: the cadre acting, who is told and how, who may decide."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from cadrecare.audit.services import audit_change
from cadrecare.core import clock
from cadrecare.core.errors import DomainError, ForbiddenError
from cadrecare.org import scoping
from cadrecare.org.access import ADD
from cadrecare.org.models import Cadre, RoleGrant, User
from cadrecare.rotation.services import notices_send
from cadrecare.selfservice.choices import Decision, ReportKind
from cadrecare.selfservice.models import FamilyMemberChange, SelfReport

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


def _rejected(
    record: SelfReport | FamilyMemberChange,
    *,
    actor: User,
    reason: str,
    resource: str,
    kind: str,
    title: str,
    body: str,
    request: HttpRequest | None,
) -> None:
    """Close a pending ``record`` as not taken up: the reason kept (and
    required), the change audited, the cadre told the outcome."""
    _decided(record, actor, Decision.REJECTED, _reason(reason))
    audit_change(
        actor=actor,
        action="update",
        resource=resource,
        record=record,
        fields=["status", "reject_reason"],
        request=request,
    )
    _tell_outcome(kind=kind, record=record, resource=resource, title=title, body=body)


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写未采纳的理由，干部本人会看到。"), field="reason")
    return reason
