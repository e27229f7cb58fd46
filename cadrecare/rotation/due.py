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
from cadrecare.reminders.sources import api_url, due_columns, register, role_holder_owned_within, unit_role_holder
from cadrecare.rotation.choices import RestConfirmationStatus, RosterStatus, SolverStatus
from cadrecare.rotation.models import RestConfirmation, Roster
from cadrecare.rotation.services import CORRECTION_DAYS

KIND = "roster_publish"


@register(
    KIND,
    label=gettext_noop("轮休排班发布"),
    resource="rosters",
    owned_within=role_holder_owned_within(Role.SECRETARY, "unit"),
)
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


CORRECTION_KIND = "rest_correction"


@register(
    CORRECTION_KIND,
    label=gettext_noop("月末休息更正"),
    resource="rest-confirmations",
    owned_within=role_holder_owned_within(Role.SECRETARY, "roster__unit"),
)
def rest_corrections_to_answer(*, today: dt.date) -> QuerySet:
    """A cadre's correction of their month's rest, owned by the township's
    party secretary, due a week after it was made (while open, the month's
    rest does not count as confirmed)."""
    return RestConfirmation.objects.filter(status=RestConfirmationStatus.CORRECTED).annotate(
        **due_columns(
            kind=CORRECTION_KIND,
            cadre_id="cadre_id",
            unit_id="roster__unit_id",
            unit_path="roster__unit__path",
            due_date=ExpressionWrapper(
                F("submitted_on") + dt.timedelta(days=CORRECTION_DAYS), output_field=DateField()
            ),
            title=Concat("cadre__name", Value("：月末休息情况有更正，请核实答复")),
            url=api_url("rest-confirmations"),
            owner_id=unit_role_holder("roster__unit_id", Role.SECRETARY, today),
            owner_unit_id="roster__unit__parent_id",
        )
    )
