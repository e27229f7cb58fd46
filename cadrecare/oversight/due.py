"""The oversight records' due items for the reminders (the source contract
in cadrecare.reminders.sources). Every one is the county organization
department's: no owner by name, the owner unit is the county, so whoever acts
for its organization department has it in 我的待办, and escalation goes up
from there as for every kind.

- ``transfer_decision``: a candidate of a yearly exchange review not decided
  yet, due by the review's deadline (a cadre no longer serving is left out).
- ``interview_plan``: a township short of its share of the year's interviews
  at a checkpoint of the county's plan (selectors.townships_with_interviews).
- ``field_visit``: a township the organization-department head has not visited
  in the current period of the county's cadence (selectors.townships_with_visits).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext_noop

from cadrecare.org.choices import CadreStatus
from cadrecare.oversight.choices import TransferOutcome
from cadrecare.oversight.models import TransferDecision
from cadrecare.oversight.selectors import townships_with_interviews, townships_with_visits
from cadrecare.reminders.sources import api_url, due_columns, register


@register("transfer_decision", label=gettext_noop("交流人选研判"), resource="transfer-reviews")
def transfer_decisions_due(*, today: dt.date) -> QuerySet:
    return TransferDecision.objects.filter(outcome=TransferOutcome.PENDING, cadre__status=CadreStatus.SERVING).annotate(
        **due_columns(
            kind="transfer_decision",
            cadre_id="cadre_id",
            unit_id="township_id",
            unit_path="township__path",
            due_date="review__decide_by",
            title=Concat("cadre__name", Value("：交流人选研判"), output_field=CharField()),
            url=api_url("transfer-reviews", "review_id"),
            owner_unit_id="review__county_id",
        )
    )


@register("interview_plan", label=gettext_noop("定期约谈进度"), resource="interview-plans")
def interview_plans_due(*, today: dt.date) -> QuerySet:
    return (
        townships_with_interviews(year=today.year, today=today)
        # The plugin types an annotation's __isnull lookup as the annotation itself (a date), not a bool.
        .filter(interview_due__isnull=False)  # type: ignore[misc]
        .annotate(
            **due_columns(
                kind="interview_plan",
                cadre_id=None,
                unit_id="id",
                unit_path="path",
                due_date="interview_due",
                title=Concat("name", Value("：定期约谈进度落后"), output_field=CharField()),
                url=api_url("interview-plans", "plan_id"),
                owner_unit_id="parent_id",
            )
        )
    )


@register("field_visit", label=gettext_noop("组织部长下基层"), resource="field-visits")
def field_visits_due(*, today: dt.date) -> QuerySet:
    return (
        townships_with_visits(today=today)
        # As above: __isnull of an annotation takes a bool.
        .filter(visit_due__isnull=False)  # type: ignore[misc]
        .annotate(
            **due_columns(
                kind="field_visit",
                cadre_id=None,
                unit_id="id",
                unit_path="path",
                due_date="visit_due",
                title=Concat("name", Value("：组织部长下基层"), output_field=CharField()),
                url="/api/v1/field-visits/",
                owner_unit_id="parent_id",
            )
        )
    )
