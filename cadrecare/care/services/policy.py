"""Care policy (关爱政策): a unit's own deadlines and visit owner."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cadrecare.audit.services import audit_change, changed_fields
from cadrecare.care.models import (
    CarePolicy,
)
from cadrecare.core.errors import ConflictError, DomainError
from cadrecare.org import scoping
from cadrecare.org.access import ADD, CHANGE, DELETE
from cadrecare.org.models import OrgUnit, User

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
        fields=["unit", *fields] if created else changed_fields(policy, before),
        request=request,
    )
    return policy


@transaction.atomic
def care_policy_delete(*, actor: User | None, policy: CarePolicy, request: HttpRequest | None = None) -> None:
    """Remove a unit's own care policy: its settings follow the unit above again."""
    scoping.require_placement(actor, "care-policies", DELETE, policy.unit, field="unit")
    audit_change(
        actor=actor, action="delete", resource="care-policies", record=policy, request=request
    )  # first: it names it
    policy.delete()
