"""Health items that fall due, for the reminders module:
each cadre's next periodic check-up, and each recheck a check-up asked for.

Computed in SQL from the check-ups themselves (``checkup_due_items``, the
rule of ``cadrecare.health.rules.checkup_next_due``: the last annual check-up
plus the interval of the unit's policy, nearest up the tree), so nothing is
copied.
One difference: a cadre never checked is due from the day their record was
entered (not "today" every day), so the lateness grows and is escalated.
The owner is the HR officer of the cadre's unit (who records check-ups); with
none, the organization department of the unit above. A check-up is reminded
at the lead times of the unit's policy (default 60 and 30 days before), not
the reminder schedule's N days; a recheck follows the schedule.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Concat, TruncDate
from django.utils.translation import gettext_noop

from cadrecare.core.sql import AddMonths
from cadrecare.health.models import Checkup
from cadrecare.health.selectors import CHECKED_STATUSES, by_policy, checkup_due_items, policies_by_path
from cadrecare.org.choices import Role
from cadrecare.reminders.sources import (
    api_url,
    due_columns,
    kept_by_cadre_unit_role,
    lead_days_text,
    register,
    role_holder_owned_within,
    unit_role_holder,
)


@register(
    "checkup",
    label=gettext_noop("健康体检"),
    resource="checkup-due",
    owned_within=role_holder_owned_within(Role.HR, "unit"),
)
def checkups_due(*, today: dt.date) -> QuerySet:
    """Every cadre still in post has a next periodic check-up due (health's
    own due rule, in SQL: the last annual check-up, an aggregate, plus the
    interval of the nearest unit's policy)."""
    due = Coalesce(
        AddMonths(F("last_checkup_date"), F("interval_months")),
        TruncDate("created_at"),
        output_field=models.DateField(),
    )
    # The owner is reminded at the policy's lead times (default 60 and 30 days), not the unit schedule's.
    policies = policies_by_path()
    lead_days = by_policy(policies, lambda p: Value(lead_days_text(p.reminder_days)), models.CharField())
    remind_from = by_policy(
        policies,
        lambda p: ExpressionWrapper(
            due - dt.timedelta(days=max(p.reminder_days, default=0)), output_field=models.DateField()
        ),
        models.DateField(),
    )
    return checkup_due_items(today=today).annotate(
        **due_columns(
            kind="checkup",
            cadre_id="id",
            unit_id="unit_id",
            unit_path="unit__path",
            due_date=due,
            title=Concat("name", Value("：年度健康体检")),
            url=api_url("health-archives"),
            owner_id=unit_role_holder("unit_id", Role.HR, today),
            owner_unit_id="unit__parent_id",
            lead_days=lead_days,
            remind_from=remind_from,
        )
    )


@register(
    "checkup_recheck",
    label=gettext_noop("体检复查"),
    resource="health-checkups",
    owned_within=role_holder_owned_within(Role.HR, "cadre__unit"),
)
def rechecks_due(*, today: dt.date) -> QuerySet:
    """A check-up that asked for a recheck by a date, until a later check-up of the cadre."""
    later = Checkup.objects.filter(cadre=OuterRef("cadre"), date__gt=OuterRef("date"))
    return Checkup.objects.filter(
        Q(follow_up_needed=True, follow_up_by__isnull=False) & Q(cadre__status__in=CHECKED_STATUSES) & ~Exists(later)
    ).annotate(
        **kept_by_cadre_unit_role(
            Role.HR,
            kind="checkup_recheck",
            due_date="follow_up_by",
            title="：体检复查",
            url=api_url("health-checkups"),
            today=today,
        )
    )
