"""Secondments' due item for the reminders module (its source contract,
cadrecare.reminders.sources).

- ``secondment_decision``: a running term (挂职、跟班见习、借调) asks the home
  unit's organization department to decide — return, extend or transfer
  (转任) — from ``notice_days`` (default 60) before its planned end; it is
  due on the planned end, reminded from then and escalated like every item
  once late. The department acts for the item (no owner by name): the county's
  for a township or county agency, the unit's own for a county or city, else
  the unit above. A return or a transfer closes it; an extension moves it.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, CharField, F, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext_noop

from cadrecare.core.sql import AddDays
from cadrecare.org.choices import UnitKind
from cadrecare.org.models import User
from cadrecare.reminders.sources import api_url, due_columns, org_department_unit_ids, register
from cadrecare.secondments.choices import RUNNING
from cadrecare.secondments.models import Secondment

KIND = "secondment_decision"

#: The unit whose organization department decides: a county or a city decides for itself.
DECIDING_UNIT = Case(
    When(home_unit__kind__in=(UnitKind.COUNTY, UnitKind.CITY), then=F("home_unit_id")),
    default=F("home_unit__parent_id"),
)


#: Reminded at the term's notice days and a week before its end (``lead_days_text``'s "60,7").
LEAD_DAYS = Case(
    When(notice_days__gt=7, then=Concat(Cast("notice_days", CharField()), Value(",7"))),
    default=Cast("notice_days", CharField()),
    output_field=CharField(),
)


def _owned_within(user: User) -> Q | None:
    """The items a user acts on lie where they act for an organization department."""
    units = org_department_unit_ids(user)
    if not units:
        return None
    return Q(home_unit_id__in=units) | Q(home_unit__parent_id__in=units)


def decision_from() -> AddDays:
    """The first day the decision is asked for: the planned end less the term's notice days."""
    return AddDays(F("planned_end"), -F("notice_days"))


@register(KIND, label=gettext_noop("挂职期满决定"), resource="secondments", owned_within=_owned_within)
def secondment_decisions_due(*, today: dt.date) -> QuerySet:
    return (
        Secondment.objects.filter(status__in=RUNNING)
        .annotate(decision_from=decision_from())
        .filter(decision_from__lte=today)
        .annotate(
            **due_columns(
                kind=KIND,
                cadre_id="cadre_id",
                unit_id="home_unit_id",
                unit_path="home_unit__path",
                due_date="planned_end",
                title=Concat("cadre__name", Value("：挂职（借调）期满决定")),
                url=api_url("secondments"),
                owner_id=None,
                owner_unit_id=DECIDING_UNIT,
                remind_from="decision_from",
                lead_days=LEAD_DAYS,
            )
        )
    )
