"""Visit obligations as due items for the reminders module (its source
contract, cadrecare.reminders.sources): every open obligation falls due on its
deadline and is chased with its owner; a vacant owner sends it to the
organisation department of the unit above the cadre's (the county for a
township). A death's condolence visit is urgent. The title names the cadre
and the visit, never the event."""

from __future__ import annotations

import datetime as dt

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Value
from django.db.models.functions import Concat

from cadrecare.care.choices import ObligationSource, ObligationStatus
from cadrecare.care.models import VisitObligation
from cadrecare.reminders.sources import api_url, due_columns, register


@register("visit_obligation", label="走访慰问", resource="visit-obligations")
def visit_obligations_due(*, today: dt.date) -> QuerySet:
    return VisitObligation.objects.filter(status=ObligationStatus.OPEN).annotate(**due_columns(
        kind="visit_obligation", cadre_id="cadre_id", unit_id="cadre__unit_id", unit_path="cadre__unit__path",
        due_date="deadline", title=Concat("cadre__name", Value("：走访慰问")), url=api_url("visit-obligations"),
        owner_id="owner_id", owner_unit_id="cadre__unit__parent_id",
        urgent=ExpressionWrapper(Q(source=ObligationSource.DEATH), output_field=BooleanField()),
    ))
