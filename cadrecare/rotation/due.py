"""Rest rosters as due items of the reminders app: a
township's draft must be published before its month begins. The township's
party secretary owns it (the county organization department when the post is
vacant); the reminders app chases and escalates. A draft the solver found
infeasible is urgent, so the secretary hears at once and can act on the
reasons; the county hears when it is late."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, DateField, ExpressionWrapper, F, QuerySet, Value, When
from django.db.models.functions import Concat
from django.utils.translation import gettext_noop

from cadrecare.org.choices import Role
from cadrecare.reminders.sources import api_url, due_columns, register, unit_role_holder
from cadrecare.rotation.choices import RosterStatus, SolverStatus
from cadrecare.rotation.models import Roster

KIND = "roster_publish"


@register(KIND, label=gettext_noop("轮休排班发布"), resource="rosters")
def rosters_to_publish(*, today: dt.date) -> QuerySet:
    """Draft rosters, due the day before their month starts."""
    title = Case(
        When(
            current__solver_status=SolverStatus.INFEASIBLE,
            then=Concat("unit__name", Value("：轮休排班无可行方案，请按原因调整政策后重新生成")),
        ),
        default=Concat("unit__name", Value("：轮休排班待发布")),
    )
    return Roster.objects.filter(status=RosterStatus.DRAFT).annotate(
        **due_columns(
            kind=KIND,
            cadre_id=None,
            unit_id="unit_id",
            unit_path="unit__path",
            due_date=ExpressionWrapper(F("month") - dt.timedelta(days=1), output_field=DateField()),
            title=title,
            url=api_url("rosters"),
            owner_id=unit_role_holder("unit_id", Role.SECRETARY, today),
            owner_unit_id="unit__parent_id",
            urgent=Case(When(current__solver_status=SolverStatus.INFEASIBLE, then=Value(True)), default=Value(False)),
        )
    )
