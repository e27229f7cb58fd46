"""The reports: exchange (交流) candidates, township facility gaps, and the
organization department's overview."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Left, TruncMonth

from cadrecare.care.choices import ACTIVE_HARDSHIP, FacilityItem, FacilityStatus, ObligationStatus
from cadrecare.care.models import Facility, HardshipCase, Visit, VisitObligation
from cadrecare.care.selectors.marks import cadres_with_hardship, cadres_with_health_concern
from cadrecare.core import clock
from cadrecare.org.api.serializers import service_periods
from cadrecare.org.choices import SECTION_LEVEL_RANKS, CadreStatus, Remoteness, UnitKind
from cadrecare.org.models import Cadre, OrgUnit, PostChange, User
from cadrecare.org.rules import remote_service_years
from cadrecare.org.scoping import scoped

REMOTE_GRADES: Sequence[str] = (Remoteness.GRADE_1, Remoteness.GRADE_2, Remoteness.GRADE_3)


def transfer_candidate_queryset() -> QuerySet[Cadre]:
    """Section-level cadres serving in a remote township, with their post
    history prefetched for the years served."""
    return (
        Cadre.objects.filter(rank__in=SECTION_LEVEL_RANKS, status=CadreStatus.SERVING, unit__kind=UnitKind.TOWNSHIP)
        .exclude(unit__remoteness=Remoteness.NONE)
        .select_related("unit", "unit__parent")
        .prefetch_related(
            Prefetch("post_changes", queryset=PostChange.objects.select_related("to_unit").order_by("date", "id"))
        )
        .order_by("unit__path", "id")
    )


def years_in_remote_townships(cadre: Cadre, grades: Sequence[str]) -> float:
    """Years ``cadre`` served in townships of the given remoteness grades, from
    the prefetched post history (org.rules.remote_service_years)."""
    periods = service_periods(cadre)
    changes = list(cadre.post_changes.all())
    units = [change.to_unit for change in changes] if changes else [cadre.unit]
    counted = [
        (start, end, kind, unit.remoteness in grades)
        for (start, end, kind, _remote), unit in zip(periods, units, strict=False)
    ]
    return remote_service_years(counted)


def transfer_candidates(
    queryset: QuerySet[Cadre], *, years: float, grades: Sequence[str], today: dt.date | None = None
) -> list[Cadre]:
    """The exchange (交流) candidates of seed 三(二): section-level cadres in a
    remote township who served ``years`` or more in townships of ``grades``;
    each carries ``remote_years``, ``age``, ``hardship`` and ``health_concern``.
    Longest-serving first. A fixed number of queries."""
    today = today or clock.today()
    rows = []
    for cadre in queryset.filter(unit__remoteness__in=grades):
        served = years_in_remote_townships(cadre, grades)
        if served >= years:
            cadre.remote_years = served  # type: ignore[attr-defined]
            cadre.age = cadre.age_on(today)  # type: ignore[attr-defined]
            rows.append(cadre)
    ids = [cadre.pk for cadre in rows]
    hardship = cadres_with_hardship(ids)
    health = cadres_with_health_concern(ids)
    for cadre in rows:
        cadre.hardship = cadre.pk in hardship  # type: ignore[attr-defined]
        cadre.health_concern = cadre.pk in health  # type: ignore[attr-defined]
    rows.sort(key=lambda c: (-c.remote_years, c.pk))  # type: ignore[attr-defined]
    return rows


UNRECORDED = "unrecorded"  # no record yet: counted as a gap, shown as 未登记


def facility_gap_queryset() -> QuerySet[OrgUnit]:
    """Active townships lacking at least one facility (not recorded as
    present), with their facility records, for the gaps report."""
    present = Count("facilities", filter=Q(facilities__status=FacilityStatus.PRESENT))
    return (
        OrgUnit.objects.filter(kind=UnitKind.TOWNSHIP, active=True)
        .annotate(present_count=present)
        .filter(present_count__lt=len(FacilityItem.values))
        .select_related("parent")
        .prefetch_related(Prefetch("facilities", queryset=Facility.objects.order_by("item")))
        .order_by("path")
    )


def facility_gaps(township: OrgUnit) -> dict[str, str]:
    """item -> status for every item not present (``UNRECORDED`` when there is no record)."""
    recorded = {facility.item: facility.status for facility in township.facilities.all()}
    return {
        item: recorded.get(item, UNRECORDED)
        for item in FacilityItem.values
        if recorded.get(item) != FacilityStatus.PRESENT
    }


# ---------------------------------------------------------------------------
# The organization department's overview
# ---------------------------------------------------------------------------


def care_counts_by_area(
    *, user: User, root: OrgUnit, prefix: int, today: dt.date | None = None
) -> dict[str, dict[str, int]]:
    """area -> visits open, visits overdue and hardship cases open (being
    helped or not yet) under ``root`` in ``user``'s scope, the area being the
    first ``prefix`` characters of the cadre's unit path. Two grouped queries."""
    today = today or clock.today()
    counts: dict[str, dict[str, int]] = {}
    visits = (
        scoped(VisitObligation.objects.all(), user, "visit-obligations")
        .filter(cadre__unit__path__startswith=root.path, status=ObligationStatus.OPEN)
        .order_by()
        .values(area=Left("cadre__unit__path", prefix))
        .annotate(visits_open=Count("pk"), visits_overdue=Count("pk", filter=Q(deadline__lt=today)))
    )
    for row in visits:
        counts.setdefault(row.pop("area"), {}).update(row)
    hardship = (
        scoped(HardshipCase.objects.all(), user, "hardship-cases")
        .filter(cadre__unit__path__startswith=root.path, status__in=ACTIVE_HARDSHIP)
        .order_by()
        .values(area=Left("cadre__unit__path", prefix))
        .annotate(hardship_open=Count("pk"))
    )
    for row in hardship:
        counts.setdefault(row.pop("area"), {}).update(row)
    return counts


def visits_by_month(*, user: User, root: OrgUnit, since: dt.date) -> dict[dt.date, int]:
    """month -> visits made (by their date) to cadres under ``root`` since ``since``. One query."""
    rows = (
        scoped(Visit.objects.all(), user, "visits")
        .filter(cadre__unit__path__startswith=root.path, date__gte=since)
        .order_by()
        .values(month=TruncMonth("date"))
        .annotate(n=Count("pk"))
    )
    return {row["month"]: row["n"] for row in rows}
