"""The querysets the endpoints list: what their serializers read, fetched once,
and the lists that add what a user owns to what they may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import BooleanField, ExpressionWrapper, F, OuterRef, Prefetch, Q, QuerySet, Subquery

from cadrecare.care.models import (
    CadreCondition,
    CareDecision,
    FamilyEvent,
    FamilyMember,
    HardshipCase,
    HardshipMeasure,
    PostAllowance,
    Visit,
    VisitObligation,
)
from cadrecare.core import clock
from cadrecare.org import posts as org_posts
from cadrecare.org.access import VIEW
from cadrecare.org.models import User
from cadrecare.org.scoping import scope_filter


def family_member_queryset() -> QuerySet[FamilyMember]:
    return FamilyMember.objects.select_related("cadre", "cadre__unit")


def family_event_queryset() -> QuerySet[FamilyEvent]:
    return FamilyEvent.objects.select_related("cadre", "cadre__unit", "family_member", "obligation")


def family_event_list(*, user: User) -> QuerySet[FamilyEvent]:
    """Events in scope plus those whose visit ``user`` owns: the owner reads
    what the visit is for, wherever it lies (api.views.FamilyEventViewSet).
    Each row carries its visit's owner today (``visit_owner_now_id``), in the
    list's one query."""
    in_scope = scope_filter(user, "family-events", VIEW, FamilyEvent)
    visits = VisitObligation.objects.filter(family_event=OuterRef("pk"))
    visit = org_posts.with_owner(visits, hand="owner", hand_note="owner_note", day=clock.today())
    return (
        family_event_queryset()
        .filter(_or_own(in_scope, Q(obligation__owner=user)))
        .annotate(visit_owner_now_id=Subquery(visit.values("owner_now_id")[:1]))
    )


def _or_own(in_scope: Q | None, own: Q) -> Q:
    return own if in_scope is None else in_scope | own


def cadre_condition_queryset() -> QuerySet[CadreCondition]:
    return CadreCondition.objects.select_related("cadre", "cadre__unit", "obligation")


def visit_obligation_queryset(day: dt.date | None = None) -> QuerySet[VisitObligation]:
    """Obligations with what their serializer reads, and their owner on
    ``day`` (default today; ``owner_now_*``, cadrecare.org.posts)."""
    obligations = VisitObligation.objects.select_related("cadre", "cadre__unit", "owner__cadre").prefetch_related(
        Prefetch("visits", queryset=Visit.objects.only("id", "date"))
    )
    return org_posts.with_owner(obligations, hand="owner", hand_note="owner_note", day=day or clock.today())


def visit_queryset() -> QuerySet[Visit]:
    return Visit.objects.select_related("cadre", "cadre__unit", "family_member").prefetch_related(
        "visitors__cadre", Prefetch("obligations", queryset=VisitObligation.objects.only("id", "cadre_id"))
    )


def visit_list(*, user: User) -> QuerySet[Visit]:
    """Visits in scope plus those ``user`` recorded, whose notes they read back."""
    return visit_queryset().filter(_or_own(scope_filter(user, "visits", VIEW, Visit), Q(recorded_by=user)))


def hardship_case_queryset() -> QuerySet[HardshipCase]:
    return HardshipCase.objects.select_related("cadre", "cadre__unit").prefetch_related(
        Prefetch("measures", queryset=HardshipMeasure.objects.order_by("date", "id"))
    )


def care_decision_queryset() -> QuerySet[CareDecision]:
    return CareDecision.objects.select_related("cadre", "cadre__unit", "decided_by__cadre")


def hardship_measure_queryset() -> QuerySet[HardshipMeasure]:
    return HardshipMeasure.objects.select_related("case", "case__cadre", "case__cadre__unit")


def post_allowance_queryset(today: dt.date | None = None) -> QuerySet[PostAllowance]:
    """Allowances with ``is_late`` and ``is_short`` worked out in SQL, so the
    report filter and the row agree: late = paid after the due date, or not
    paid and the due date passed; short = less paid than due, once paid or due."""
    today = today or clock.today()
    settled = Q(paid_on__isnull=False) | Q(due_by__lt=today)
    return PostAllowance.objects.select_related("township", "township__parent").annotate(
        is_late=ExpressionWrapper(
            Q(paid_on__gt=F("due_by")) | Q(paid_on__isnull=True, due_by__lt=today), output_field=BooleanField()
        ),
        is_short=ExpressionWrapper(Q(paid_amount__lt=F("due_amount")) & settled, output_field=BooleanField()),
    )
