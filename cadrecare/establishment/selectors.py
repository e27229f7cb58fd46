"""Reads of the establishment: slots with their counts worked out in SQL (one
query whatever the number of townships) and borrowings with their state."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, CharField, Count, F, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest

from cadrecare.core import clock
from cadrecare.establishment.choices import FILLING_STATUSES, BorrowingState
from cadrecare.establishment.models import Borrowing, EstablishmentSlot
from cadrecare.org.models import Cadre


def _count(queryset: QuerySet, group: str) -> Coalesce:
    """The rows of ``queryset`` per ``group`` (a field pointing at the slot's township), as a subquery."""
    counted = queryset.filter(**{group: OuterRef("township_id")}).order_by().values(group).annotate(n=Count("id"))
    return Coalesce(Subquery(counted.values("n")[:1], output_field=IntegerField()), 0)


def slot_queryset(today: dt.date | None = None) -> QuerySet[EstablishmentSlot]:
    """Slots with ``filled`` (cadres on the township's establishment still in
    service, wherever they work), ``borrowed`` (those a county or city body has
    borrowed as of ``today``), ``vacant`` and ``over`` (超编: filled beyond
    the approved number)."""
    today = today or clock.today()
    # A borrowed cadre who has since left service holds no slot, borrowed or not.
    borrowed = Borrowing.objects.filter(returned_on__isnull=True, start__lte=today, cadre__status__in=FILLING_STATUSES)
    return (
        EstablishmentSlot.objects.select_related("township", "township__parent")
        .annotate(
            filled=_count(Cadre.objects.filter(status__in=FILLING_STATUSES), "establishment_unit"),
            borrowed=_count(borrowed, "township"),
        )
        .annotate(
            vacant=Greatest(Value(0), F("approved") - F("filled"), output_field=IntegerField()),
            over=Greatest(Value(0), F("filled") - F("approved"), output_field=IntegerField()),
        )
        .order_by("township__path")
    )


def borrowing_state() -> Case:
    """A borrowing's ``state`` (BorrowingState) as of today, in SQL."""
    return Case(
        When(returned_on__isnull=False, then=Value(BorrowingState.RETURNED)),
        When(reviewed_on__isnull=True, then=Value(BorrowingState.PENDING)),
        When(until__lt=clock.today(), then=Value(BorrowingState.OVERDUE)),
        default=Value(BorrowingState.ACTIVE),
        output_field=CharField(),
    )


def borrowing_queryset() -> QuerySet[Borrowing]:
    """Borrowings with their ``state`` and what their rows name, open ones first."""
    return (
        Borrowing.objects.select_related("cadre", "township", "township__parent", "borrower")
        .annotate(state=borrowing_state())
        .order_by(F("returned_on").desc(nulls_first=True), "-start", "id")
    )
