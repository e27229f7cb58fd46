"""Rest compliance (休息落实): entitled, planned, recalled, taken, per cadre and
unit; and the organization department's overview per township."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Left, TruncMonth

from cadrecare.org import scoping
from cadrecare.org.models import OrgUnit, User
from cadrecare.rotation.choices import DayKind, MissedRestStatus, RestConfirmationStatus, RosterStatus, SolverStatus
from cadrecare.rotation.models import MissedRest, Recall, RestConfirmation, RosterDay, RosterEntitlement
from cadrecare.rotation.selectors.rest import REPORTED_STATUSES
from cadrecare.rotation.selectors.rosters import roster_list

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class RestComplianceColumns(TypedDict):
    """What ``rest_compliance_rows`` adds to each cadre's entitlement."""

    roster: int
    unit: int
    month: dt.date
    planned: int
    recalled: int
    away: int
    entitlement_cut: int
    away_owed: int
    confirmation: str | None
    taken: int
    owed: int
    forfeited: int
    below_entitlement: bool
    confirmed: int


def _missed_sum(column: str) -> Subquery:
    return Subquery(
        MissedRest.objects.filter(
            roster=OuterRef("version__roster"), cadre=OuterRef("cadre"), status=MissedRestStatus.OWED
        )
        .order_by()
        .values("cadre")
        .annotate(n=Sum(column))
        .values("n"),
        output_field=IntegerField(),
    )


def rest_compliance_rows() -> QuerySet[WithAnnotations[RosterEntitlement, RestComplianceColumns]]:
    """One row per cadre of every published or locked roster (its current
    version), annotated in SQL: ``entitled`` (format rule 1, prorated by the
    days available and with owed days carried in, stored with the version),
    ``planned`` (rest days on the roster), ``recalled`` (rest days lost to
    recalls in the month), ``away`` (rest days spent away on an absence
    recorded afterwards, unless the secretary recorded them as taken) and
    ``entitlement_cut`` (what such absences of a kind that reduces the
    month's rest took off the entitlement), ``taken`` = planned - recalled -
    away, ``owed`` (recalled and away days not cut, carried into a later
    month's roster), ``forfeited`` (days entitled but never planned: an
    override of rule 1, owed to nobody), ``below_entitlement`` (taken short
    of entitled less the cut) and ``confirmed`` (the days taken, once the
    roster is locked and the cadre has no open correction; else 0), with the
    cadre's ``confirmation`` (their month-end word, or null). Correlated
    subqueries per row, no query per row."""
    planned = (
        RosterDay.objects.filter(version=OuterRef("version"), cadre=OuterRef("cadre"), kind=DayKind.REST)
        .order_by()
        .values("cadre")
        .annotate(n=Count("pk"))
        .values("n")
    )
    recalled = (
        Recall.objects.annotate(recall_month=TruncMonth("date"))
        .filter(cadre=OuterRef("cadre"), recall_month=OuterRef("month"))
        .order_by()
        .values("cadre")
        .annotate(n=Sum("days_lost"))
        .values("n")
    )
    confirmation = RestConfirmation.objects.filter(roster=OuterRef("version__roster"), cadre=OuterRef("cadre"))
    return (
        RosterEntitlement.objects.filter(
            version__roster__current=F("version"), version__roster__status__in=REPORTED_STATUSES
        )
        .select_related("cadre", "version__roster__unit")
        .annotate(
            roster=F("version__roster"),
            unit=F("version__roster__unit"),
            month=F("version__roster__month"),
            planned=Coalesce(Subquery(planned, output_field=IntegerField()), 0),
            recalled=Coalesce(Subquery(recalled, output_field=IntegerField()), 0),
            away=Coalesce(_missed_sum("days"), 0),
            entitlement_cut=Coalesce(_missed_sum("entitlement_cut"), 0),
            away_owed=Coalesce(_missed_sum("owed"), 0),
            confirmation=Subquery(confirmation.values("status")[:1]),
        )
        .annotate(
            taken=F("planned") - F("recalled") - F("away"),
            owed=F("recalled") + F("away_owed"),
            forfeited=Case(
                When(entitled__gt=F("planned"), then=F("entitled") - F("planned")),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .annotate(
            below_entitlement=Case(
                When(taken__lt=F("entitled") - F("entitlement_cut"), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            confirmed=Case(
                When(
                    Q(version__roster__status=RosterStatus.LOCKED)
                    & (Q(confirmation__isnull=True) | ~Q(confirmation=RestConfirmationStatus.CORRECTED)),
                    then=F("taken"),
                ),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
    )


def rest_compliance_units(
    rows: QuerySet[WithAnnotations[RosterEntitlement, RestComplianceColumns]],
) -> QuerySet[RosterEntitlement, dict[str, Any]]:
    """``rows`` summed per roster (one unit and month): cadres, entitled,
    planned, recalled, taken, owed, forfeited and how many cadres fell short
    of their entitlement. One grouped query."""
    return (
        rows.order_by()
        .values("roster", "unit", "month", unit_name=F("version__roster__unit__name"))
        .annotate(
            cadres=Count("pk"),
            entitled_total=Sum("entitled"),
            planned_total=Sum("planned"),
            recalled_total=Sum("recalled"),
            away_total=Sum("away"),
            taken_total=Sum("taken"),
            confirmed_total=Sum("confirmed"),
            owed_total=Sum("owed"),
            forfeited_total=Sum("forfeited"),
            below_entitlement_count=Count("pk", filter=Q(below_entitlement=True)),
            open_corrections=Count("pk", filter=Q(confirmation=RestConfirmationStatus.CORRECTED)),
        )
        .order_by("-month", "version__roster__unit__path")
    )


# ---------------------------------------------------------------------------
# The organization department's overview: per township, one query each
# ---------------------------------------------------------------------------


def roster_states(*, user: User, units: QuerySet[OrgUnit], month: dt.date) -> dict[int, str]:
    """unit id -> the state of its roster for ``month``: its status, or
    ``"infeasible"`` for a draft the solver found no roster for (a unit with no
    roster is absent). One query."""
    rosters = roster_list(user=user).filter(unit__in=units, month=month).order_by()
    return {
        unit_id: "infeasible" if status == RosterStatus.DRAFT and solver == SolverStatus.INFEASIBLE else status
        for unit_id, status, solver in rosters.values_list("unit_id", "status", "current__solver_status")
    }


def rest_taken_by_area(
    *, user: User, root: OrgUnit, months: tuple[dt.date, dt.date], prefix: int
) -> dict[tuple[str, dt.date], tuple[int, int]]:
    """(area, month) -> (rest days taken, days entitled) on the published
    rosters under ``root`` of the months from ``months[0]`` to ``months[1]``;
    the area is the first ``prefix`` characters of the unit path. One grouped query."""
    rows = scoping.scoped(rest_compliance_rows(), user, "rest-compliance").filter(
        version__roster__unit__path__startswith=root.path,
        version__roster__month__gte=months[0],
        version__roster__month__lte=months[1],
    )
    grouped = (
        rows.order_by()
        .values("month", area=Left("version__roster__unit__path", prefix))
        .annotate(taken_total=Sum("taken"), entitled_total=Sum("entitled"))
    )
    return {(row["area"], row["month"]): (row["taken_total"] or 0, row["entitled_total"] or 0) for row in grouped}
