"""Reads of the oversight records: the querysets the endpoints list, and the
townships annotated with where they stand on the county's interview plan and
on the head's visits. The due items (cadrecare.oversight.due), the API and the
workbench pages all read the townships through the same two functions, so a
township due in 我的待办 is the one the page shows as behind."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, TypedDict

from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThan

from cadrecare.org.choices import UnitKind
from cadrecare.org.models import OrgUnit
from cadrecare.oversight.choices import Checkpoints, LineStatus, VisitCadence
from cadrecare.oversight.models import (
    FieldVisit,
    FieldVisitPolicy,
    InterviewPlan,
    InterviewPlanLine,
    TransferDecision,
    TransferReview,
)
from cadrecare.oversight.rules import checkpoint_dates, visit_periods

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

DEFAULT_CADENCE = VisitCadence.YEARLY


class InterviewProgress(TypedDict):
    """What ``townships_with_interviews`` adds to each township."""

    plan_id: int
    plan_checkpoints: int
    lines_total: int
    lines_done: int
    interview_due: dt.date | None


class VisitProgress(TypedDict):
    """What ``townships_with_visits`` adds to each township."""

    last_visit: dt.date | None
    visit_cadence: int
    visit_due: dt.date | None


# ---------------------------------------------------------------------------
# What the endpoints list
# ---------------------------------------------------------------------------


def transfer_review_queryset() -> QuerySet[TransferReview]:
    decisions = TransferDecision.objects.select_related("cadre", "township", "decided_by__cadre")
    return TransferReview.objects.select_related("county").prefetch_related(Prefetch("decisions", queryset=decisions))


def interview_plan_queryset() -> QuerySet[InterviewPlan]:
    lines = InterviewPlanLine.objects.select_related("cadre", "township")
    return InterviewPlan.objects.select_related("county").prefetch_related(
        "interviewers__cadre", Prefetch("lines", queryset=lines)
    )


def field_visit_queryset() -> QuerySet[FieldVisit]:
    return FieldVisit.objects.select_related("township", "township__parent").prefetch_related("visitors__cadre")


# ---------------------------------------------------------------------------
# Townships and the county's interview plan
# ---------------------------------------------------------------------------


def _count(lines: QuerySet) -> Coalesce:
    counted = lines.order_by().values("township").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _interview_due(year: int, today: dt.date) -> Case:
    """The checkpoint by which the township must catch up: the last one passed
    if it fell short of it (overdue), else the next one if it is short of that."""
    whens: list[When] = []
    for checkpoints in Checkpoints.values:
        dates = checkpoint_dates(year, checkpoints)
        passed = sum(1 for day in dates if day < today)
        for reached in (passed, passed + 1):
            if 1 <= reached <= checkpoints:
                behind: LessThan[int] = LessThan(F("lines_done") * checkpoints, F("lines_total") * reached)
                whens.append(When(Q(behind), plan_checkpoints=checkpoints, then=Value(dates[reached - 1])))
    return Case(*whens, default=None, output_field=DateField())


def townships_with_interviews(*, year: int, today: dt.date) -> QuerySet[WithAnnotations[OrgUnit, InterviewProgress]]:
    """Townships in a county with an interview plan for ``year``, each with
    ``plan_id``, ``lines_total`` (cadres to interview), ``lines_done`` and
    ``interview_due`` (None: on track)."""
    lines = InterviewPlanLine.objects.filter(township=OuterRef("pk"), plan__year=year).exclude(
        status=LineStatus.CANCELLED
    )
    plans = InterviewPlan.objects.filter(county=OuterRef("parent_id"), year=year)
    return (
        OrgUnit.objects.filter(kind=UnitKind.TOWNSHIP)
        .annotate(
            plan_id=Subquery(plans.values("pk")[:1]),
            plan_checkpoints=Subquery(plans.values("checkpoints")[:1]),
            lines_total=_count(lines),
            lines_done=_count(lines.filter(status=LineStatus.DONE)),
        )
        .filter(plan_id__isnull=False, lines_total__gt=0)
        .annotate(interview_due=_interview_due(year, today))
    )


def interview_progress(plan: InterviewPlan, today: dt.date) -> list[WithAnnotations[OrgUnit, InterviewProgress]]:
    """The plan's townships with their progress, those behind first."""
    townships = townships_with_interviews(year=plan.year, today=today).filter(parent_id=plan.county_id)
    return sorted(townships, key=lambda t: (t.interview_due is None, t.interview_due or today, t.path))


# ---------------------------------------------------------------------------
# Townships and the head's visits
# ---------------------------------------------------------------------------


def _visit_due(today: dt.date) -> Case:
    """Visited in the current period: nothing due. Visited in the previous one
    (or never recorded): due by the current period's end. Else overdue since
    the previous period's end."""
    whens = []
    for months in VisitCadence.values:
        previous_start, previous_end, current_start, current_end = visit_periods(today, months)
        whens += [
            When(visit_cadence=months, last_visit__gte=current_start, then=Value(None, output_field=DateField())),
            When(visit_cadence=months, last_visit__gte=previous_start, then=Value(current_end)),
            When(visit_cadence=months, last_visit__isnull=True, then=Value(current_end)),
            When(visit_cadence=months, then=Value(previous_end)),
        ]
    return Case(*whens, default=None, output_field=DateField())


def townships_with_visits(*, today: dt.date) -> QuerySet[WithAnnotations[OrgUnit, VisitProgress]]:
    """Active townships with ``last_visit``, ``visit_cadence`` (months, the
    county's policy or once a year) and ``visit_due`` (None: visited this period)."""
    last = FieldVisit.objects.filter(township=OuterRef("pk"), date__lte=today).order_by("-date")
    cadence = FieldVisitPolicy.objects.filter(county=OuterRef("parent_id")).values("cadence_months")[:1]
    return (
        OrgUnit.objects.filter(kind=UnitKind.TOWNSHIP, active=True)
        .annotate(
            last_visit=Subquery(last.values("date")[:1]),
            visit_cadence=Coalesce(Subquery(cadence), Value(int(DEFAULT_CADENCE))),
        )
        .annotate(visit_due=_visit_due(today))
    )
