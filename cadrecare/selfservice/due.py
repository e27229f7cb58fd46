"""Self-service's due items for the reminders (the source contract in
cadrecare.reminders.sources).

- ``self_report`` and ``family_member_change``: what a cadre reported or
  proposed waits for confirmation, due on ``confirm_by`` (``CONFIRM_DAYS``
  after it was submitted), owned by the HR officer of the cadre's unit (else the
  organization department above); listed to whoever may see the report or
  change. A reported death is urgent.
- ``heart_message``: a 心里话 not answered by its ``answer_due`` (the care
  policy's days), owned by the addressed party secretary, or, for the county
  organization department, by that department (owner unit: the county). Its
  scope is ``message-answers``, which no role holds: nobody but the owner
  lists it, and its title names neither the sender nor what was written.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Concat
from django.utils.translation import gettext_noop

from cadrecare.care.choices import FamilyEventKind
from cadrecare.org.choices import Role
from cadrecare.org.models import User
from cadrecare.reminders.sources import (
    api_url,
    due_columns,
    kept_by_cadre_unit_role,
    org_department_unit_ids,
    register,
    role_holder_owned_within,
    unit_role_holder,
)
from cadrecare.selfservice.choices import Addressee, Decision, MessageStatus
from cadrecare.selfservice.models import FamilyMemberChange, HeartMessage, SelfReport


@register(
    "self_report",
    label=gettext_noop("本人报告待确认"),
    resource="self-reports",
    owned_within=role_holder_owned_within(Role.HR, "cadre__unit"),
)
def self_reports_due(*, today: dt.date) -> QuerySet:
    return SelfReport.objects.filter(status=Decision.PENDING).annotate(
        **kept_by_cadre_unit_role(
            Role.HR,
            kind="self_report",
            due_date="confirm_by",
            title="：本人报告待确认",
            url=api_url("self-reports"),
            today=today,
            urgent=ExpressionWrapper(Q(event_kind=FamilyEventKind.DEATH), output_field=BooleanField()),
        )
    )


@register(
    "family_member_change",
    label=gettext_noop("家属信息变更待确认"),
    resource="family-member-changes",
    owned_within=role_holder_owned_within(Role.HR, "cadre__unit"),
)
def family_member_changes_due(*, today: dt.date) -> QuerySet:
    return FamilyMemberChange.objects.filter(status=Decision.PENDING).annotate(
        **kept_by_cadre_unit_role(
            Role.HR,
            kind="family_member_change",
            due_date="confirm_by",
            title="：家属信息变更待确认",
            url=api_url("family-member-changes"),
            today=today,
        )
    )


def _heart_messages_owned_within(user: User) -> Q | None:
    """A message to a secretary is owned by the township's secretary (the
    county's department while the post is vacant); one to a county's
    department by that department."""
    to_secretary = role_holder_owned_within(Role.SECRETARY, "addressee_unit")(user)
    org_units = org_department_unit_ids(user)
    if to_secretary is None:
        return None
    return to_secretary | Q(addressee_unit_id__in=org_units)


@register(
    "heart_message",
    label=gettext_noop("心里话待回复"),
    resource="message-answers",
    owned_within=_heart_messages_owned_within,
)
def heart_messages_due(*, today: dt.date) -> QuerySet:
    # A secretary answers by name (a vacant post goes to the county above); the
    # county organization department answers as a department: the item is its own.
    to_secretary = Q(addressee=Addressee.SECRETARY)
    return HeartMessage.objects.filter(status=MessageStatus.OPEN).annotate(
        **due_columns(
            kind="heart_message",
            cadre_id=None,  # the item does not name the sender, not even by id
            unit_id="addressee_unit_id",
            unit_path="addressee_unit__path",
            due_date="answer_due",
            title=Concat(Value("心里话待回复（"), "addressee_unit__name", Value("）")),
            url=api_url("messages"),
            owner_id=Case(
                When(to_secretary, then=unit_role_holder("addressee_unit_id", Role.SECRETARY)),
                default=None,
                output_field=BigIntegerField(),
            ),
            owner_unit_id=Case(
                When(to_secretary, then=F("addressee_unit__parent_id")),
                default=F("addressee_unit_id"),
                output_field=BigIntegerField(),
            ),
        )
    )
