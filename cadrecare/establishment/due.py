"""The establishment's due items for the reminders module (its source
contract, cadrecare.reminders.sources).

- ``establishment_borrowing``: the seed says 上级机关一般不得借用乡镇干部, so
  every borrowing of a township cadre by a county or city body is an item for
  the organization department of the county above the township (owner: none
  by name, the owner unit's organization department acts). It falls due on
  the day it is recorded, for review (审核); once reviewed, on its end date,
  and is overdue (and escalated) while the cadre stays beyond it. It closes
  when the cadre is back in the township, or leaves service.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, CharField, DateField, F, QuerySet, Value, When
from django.db.models.functions import Concat
from django.utils.translation import gettext_noop

from cadrecare.establishment.choices import FILLING_STATUSES
from cadrecare.establishment.models import Borrowing
from cadrecare.reminders.sources import api_url, due_columns, register


@register("establishment_borrowing", label=gettext_noop("乡镇干部被借用"), resource="establishment-borrowings")
def borrowings_due(*, today: dt.date) -> QuerySet:
    return Borrowing.objects.filter(returned_on__isnull=True, cadre__status__in=FILLING_STATUSES).annotate(
        **due_columns(
            kind="establishment_borrowing",
            cadre_id="cadre_id",
            unit_id="township_id",
            unit_path="township__path",
            due_date=Case(
                When(reviewed_on__isnull=True, then=F("recorded_on")), default=F("until"), output_field=DateField()
            ),
            title=Case(
                When(
                    reviewed_on__isnull=True,
                    then=Concat("cadre__name", Value("：被"), "borrower__name", Value("借用，待组织部审核")),
                ),
                default=Concat("cadre__name", Value("：借用到期，应返回"), "township__name"),
                output_field=CharField(),
            ),
            url=api_url("establishment-borrowings"),
            owner_unit_id="township__parent_id",
        )
    )
