"""Reads on health records: the policy a unit follows, who is due for a
check-up, the querysets the endpoints serve. Each costs a fixed number of
queries however many cadres it covers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypedDict

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    Field,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth

from cadrecare.core import clock
from cadrecare.core.sql import AddMonths
from cadrecare.health.choices import AttendanceStatus, CheckupKind, DueState
from cadrecare.health.models import CampaignAttendee, Checkup, CheckupCampaign, CheckupPolicy
from cadrecare.health.rules import CheckupPolicyInForce
from cadrecare.org.choices import CadreStatus
from cadrecare.org.inheritance import nearest, nearest_case
from cadrecare.org.models import Cadre, OrgUnit, User
from cadrecare.org.scoping import scoped

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# Only a full (annual) check-up restarts the interval: a special examination or
# a recheck of one finding does not replace it.
PERIODIC_KINDS = (CheckupKind.ANNUAL,)
# Cadres still in post are checked; retired, deceased and departed ones are not.
CHECKED_STATUSES = (CadreStatus.SERVING, CadreStatus.SECONDED)


class CheckupDue(TypedDict):
    """What ``checkup_due_items`` adds to each cadre."""

    last_checkup_date: dt.date | None
    interval_months: int
    due_date: dt.date
    due_state: str


def effective_policies(units: Iterable[OrgUnit]) -> dict[int, CheckupPolicyInForce]:
    """The check-up policy each unit follows: its own, else its
    nearest ancestor's, else the built-in default. One query for all units."""
    policies = policies_by_path()
    default = CheckupPolicyInForce()
    return {unit.pk: nearest(unit.path, policies, default) for unit in units}


def effective_policy(unit: OrgUnit) -> CheckupPolicyInForce:
    return effective_policies([unit])[unit.pk]


def policies_by_path() -> dict[str, CheckupPolicyInForce]:
    """Every unit's own policy by its unit's path, for ``nearest`` and
    ``nearest_case`` (cadrecare.org.inheritance)."""
    rows = CheckupPolicy.objects.values_list("unit__path", "unit_id", "interval_months", "reminder_days", "payer")
    return {
        path: CheckupPolicyInForce(interval, tuple(sorted(days, reverse=True)), payer, unit_id)
        for path, unit_id, interval, days, payer in rows
    }


def by_policy(
    policies: Mapping[str, CheckupPolicyInForce], make: Callable[[CheckupPolicyInForce], Any], output: Field
) -> Any:
    """One SQL value per cadre from the policy of their unit (``nearest_case``),
    the built-in default where no unit above sets one."""
    by_path = {path: make(policy) for path, policy in policies.items()}
    return nearest_case("unit__path", by_path, make(CheckupPolicyInForce()), output)


def _state_of(policy: CheckupPolicyInForce, today: dt.date) -> Case:
    """rules.due_state in SQL, for one policy's reminder lead times."""
    soon = today + dt.timedelta(days=min(policy.reminder_days, default=0))
    early = today + dt.timedelta(days=max(policy.reminder_days, default=0))
    text: CharField[str, str] = CharField()
    return Case(
        When(due_date__lt=today, then=Value(DueState.OVERDUE.value, output_field=text)),
        When(due_date__lte=soon, then=Value(DueState.DUE.value, output_field=text)),
        When(due_date__lte=early, then=Value(DueState.UPCOMING.value, output_field=text)),
        default=Value(DueState.NOT_DUE.value, output_field=text),
        output_field=text,
    )


def checkup_due_items(
    *,
    user: User | None = None,
    units_q: Q | None = None,
    cadres: QuerySet[Cadre] | None = None,
    today: dt.date | None = None,
) -> QuerySet[WithAnnotations[Cadre, CheckupDue]]:
    """Every cadre still in post with their next check-up due date, soonest first.

    The one place the due rule (rules.checkup_next_due, rules.due_state)
    meets the data, in SQL so lists filter, sort and page in the database and
    the reminders module can take it as a due-item source. Each row is a
    Cadre (with its unit) annotated with ``last_checkup_date`` (last annual
    check-up, an aggregate), ``interval_months``, ``due_date`` and
    ``due_state``. ``user`` narrows to their scope on ``checkup-due`` (None:
    the whole city, for jobs); ``units_q`` is a Q over OrgUnit selecting whose
    cadres count (e.g. ``Q(path__startswith=county.path)``); ``cadres`` is a
    Cadre queryset to start from. Two queries in all: the unit policies,
    read once and resolved per unit in a CASE, and the cadres themselves.
    """
    today = today or clock.today()
    queryset = (cadres if cadres is not None else Cadre.objects.all()).filter(status__in=CHECKED_STATUSES)
    if user is not None:
        queryset = scoped(queryset, user, "checkup-due")
    if units_q is not None:
        queryset = queryset.filter(unit__in=OrgUnit.objects.filter(units_q))
    policies = policies_by_path()
    return (
        queryset.select_related("unit")
        .annotate(
            # An aggregate over a join, not a correlated subquery: the expressions
            # below reuse it, where a subquery would run again in each of them.
            last_checkup_date=Max("checkups__date", filter=Q(checkups__kind__in=PERIODIC_KINDS)),
            interval_months=by_policy(policies, lambda p: Value(p.interval_months), IntegerField()),
        )
        .annotate(
            due_date=Coalesce(
                AddMonths(F("last_checkup_date"), F("interval_months")), Value(today), output_field=DateField()
            )
        )
        .annotate(due_state=by_policy(policies, lambda p: _state_of(p, today), CharField()))
        .order_by("due_date", "id")
    )


def checkup_queryset() -> QuerySet[Checkup]:
    """Check-ups with what their serializer reads, so a page costs a fixed number of queries."""
    return Checkup.objects.select_related("cadre__unit", "paying_unit")


def follow_up_overdue(queryset: QuerySet[Checkup], *, overdue: bool, today: dt.date) -> QuerySet[Checkup]:
    """Check-ups whose recheck is past its deadline with no later check-up of
    the cadre yet (a later one of any kind closes it) — or, ``overdue`` False, the rest."""
    later = Checkup.objects.filter(cadre=OuterRef("cadre"), date__gt=OuterRef("date"))
    late = Q(follow_up_needed=True, follow_up_by__lt=today) & ~Exists(later)
    return queryset.filter(late) if overdue else queryset.exclude(late)


def campaign_queryset() -> QuerySet[CheckupCampaign]:
    """Campaigns with their attendance counted in the same query."""

    def counted(status: str) -> Count:
        return Count("attendees", filter=Q(attendees__status=status))

    return (
        CheckupCampaign.objects.select_related("unit")
        .annotate(
            attendee_count=Count("attendees"),
            **{f"{status}_count": counted(status) for status in AttendanceStatus.values},
        )
        .order_by("-date_from", "-id")
    )


def campaign_detail_queryset() -> QuerySet[CheckupCampaign]:
    """A campaign with its whole list of cadres."""
    return campaign_queryset().prefetch_related(
        Prefetch("attendees", queryset=attendee_queryset().order_by("cadre__name", "cadre_id"))
    )


def attendee_queryset() -> QuerySet[CampaignAttendee]:
    return CampaignAttendee.objects.select_related("cadre__unit", "campaign__unit")


def health_archive_queryset() -> QuerySet[Cadre]:
    """Cadres with every check-up in date order."""
    return Cadre.objects.select_related("unit").prefetch_related(
        Prefetch("checkups", queryset=checkup_queryset().order_by("date", "id"))
    )


# ---------------------------------------------------------------------------
# The organization department's overview
# ---------------------------------------------------------------------------


def checkup_coverage_by_area(
    *, user: User, root: OrgUnit, prefix: int, today: dt.date | None = None
) -> dict[str, tuple[int, int]]:
    """area -> (cadres whose check-up is not overdue, cadres in post) under
    ``root`` in ``user``'s scope, the area being the first ``prefix``
    characters of the unit path: the due rule of ``checkup_due_items`` grouped
    in one query over it (two in all, with the policies)."""
    today = today or clock.today()
    due = checkup_due_items(user=user, units_q=Q(path__startswith=root.path), today=today)
    sql, params = due.order_by().values(area_path=F("unit__path"), state=F("due_state")).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT LEFT(area_path, %s), COUNT(*) FILTER (WHERE state <> %s), COUNT(*) FROM ({sql}) AS due GROUP BY 1",
            [prefix, DueState.OVERDUE.value, *params],
        )
        return {area: (covered, total) for area, covered, total in cursor.fetchall()}


def checkups_by_month(*, user: User, root: OrgUnit, since: dt.date) -> dict[dt.date, int]:
    """month -> check-ups recorded (by their date) under ``root`` since ``since``. One query."""
    rows = (
        scoped(Checkup.objects.all(), user, "health-checkups")
        .filter(cadre__unit__path__startswith=root.path, date__gte=since)
        .order_by()
        .values(month=TruncMonth("date"))
        .annotate(n=Count("pk"))
    )
    return {row["month"]: row["n"] for row in rows}
