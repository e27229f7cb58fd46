"""Care's due items for the reminders module (its source contract,
cadrecare.reminders.sources).

- ``visit_obligation``: every open obligation falls due on its deadline and
  is chased with its owner: the holder of its post on the day
  (cadrecare.org.posts), or the person named by hand; a vacant owner sends it to the organisation
  department of the unit above the cadre's (the county for a township). A
  death's condolence visit is urgent. The title names the cadre and the
  visit, never the event.
- ``hardship_review``: every open or in-progress hardship case is reviewed
  (回访) by ``next_review``, owned by the HR officer of the cadre's unit (who
  keeps the cases), else the organisation department above. Recording a
  review moves the date on; a resolved case has none, nor has the case of a
  cadre who died or left (a retiree's is still reviewed). The title does not
  name the hardship.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext_noop

from cadrecare.care.choices import ACTIVE_HARDSHIP, ObligationSource, ObligationStatus
from cadrecare.care.models import HardshipCase, VisitObligation
from cadrecare.org import posts
from cadrecare.org.choices import CadreStatus, Role
from cadrecare.reminders.sources import api_url, due_columns, post_items_owned_within, register, unit_role_holder


@register(
    "visit_obligation",
    label=gettext_noop("走访慰问"),
    resource="visit-obligations",
    owned_within=post_items_owned_within("owner_id", "cadre__unit__parent_id"),
)
def visit_obligations_due(*, today: dt.date) -> QuerySet:
    return VisitObligation.objects.filter(status=ObligationStatus.OPEN).annotate(
        **due_columns(
            kind="visit_obligation",
            cadre_id="cadre_id",
            unit_id="cadre__unit_id",
            unit_path="cadre__unit__path",
            due_date="deadline",
            title=Concat("cadre__name", Value("：走访慰问")),
            url=api_url("visit-obligations"),
            owner_id=posts.owner_id("owner", today),
            owner_unit_id="cadre__unit__parent_id",
            urgent=ExpressionWrapper(Q(source=ObligationSource.DEATH), output_field=BooleanField()),
        )
    )


@register("hardship_review", label=gettext_noop("困难帮扶回访"), resource="hardship-cases")
def hardship_reviews_due(*, today: dt.date) -> QuerySet:
    # A retiree is still helped; after a death or a departure the case is no longer reviewed here.
    return HardshipCase.objects.filter(
        status__in=ACTIVE_HARDSHIP,
        next_review__isnull=False,
        cadre__status__in=[CadreStatus.SERVING, CadreStatus.SECONDED, CadreStatus.RETIRED],
    ).annotate(
        **due_columns(
            kind="hardship_review",
            cadre_id="cadre_id",
            unit_id="cadre__unit_id",
            unit_path="cadre__unit__path",
            due_date="next_review",
            title=Concat("cadre__name", Value("：困难帮扶回访")),
            url=api_url("hardship-cases"),
            owner_id=unit_role_holder("cadre__unit_id", Role.HR, today),
            owner_unit_id="cadre__unit__parent_id",
        )
    )
