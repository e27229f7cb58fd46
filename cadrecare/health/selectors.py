"""Reads on health records: the policy a unit follows, who is due for a
check-up, the querysets the endpoints serve. Each costs a fixed number of
queries however many cadres it covers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from cadrecare.core import clock
from cadrecare.health.choices import AttendanceStatus, CheckupKind, DueState
from cadrecare.health.models import CampaignAttendee, Checkup, CheckupCampaign, CheckupPolicy
from cadrecare.health.rules import EffectivePolicy, checkup_next_due, due_state, overdue_days
from cadrecare.org.choices import CadreStatus
from cadrecare.org.models import PATH_STEP, Cadre, OrgUnit, User
from cadrecare.org.scoping import scoped

# Only a full (annual) check-up restarts the interval: a special examination or
# a recheck of one finding does not replace it.
PERIODIC_KINDS = (CheckupKind.ANNUAL,)
# Cadres still in post are checked; retired, deceased and departed ones are not.
CHECKED_STATUSES = (CadreStatus.SERVING, CadreStatus.SECONDED)


def _ancestor_paths(path: str) -> list[str]:
    """The unit's own path and its ancestors', nearest first."""
    step = PATH_STEP + 1
    return [path[:end] for end in range(len(path), 0, -step)]


def effective_policies(units: Iterable[OrgUnit]) -> dict[int, EffectivePolicy]:
    """The check-up policy each unit follows (issue 4): its own, else its
    nearest ancestor's, else the built-in default. One query for all units."""
    units = list(units)
    paths = {path for unit in units for path in _ancestor_paths(unit.path)}
    by_path = {
        path: EffectivePolicy(interval, tuple(sorted(days, reverse=True)), payer, unit_id)
        for path, unit_id, interval, days, payer in CheckupPolicy.objects.filter(unit__path__in=paths).values_list(
            "unit__path", "unit_id", "interval_months", "reminder_days", "payer"
        )
    }
    default = EffectivePolicy()
    return {
        unit.pk: next((by_path[path] for path in _ancestor_paths(unit.path) if path in by_path), default)
        for unit in units
    }


def effective_policy(unit: OrgUnit) -> EffectivePolicy:
    return effective_policies([unit])[unit.pk]


@dataclass(frozen=True)
class DueItem:
    """One cadre's place in the check-up cycle on ``today``."""

    cadre: Cadre
    last_checkup_date: dt.date | None
    due_date: dt.date
    state: DueState
    overdue_days: int
    policy: EffectivePolicy


def _with_last_checkup(cadres: QuerySet[Cadre]) -> QuerySet[Cadre]:
    last = Checkup.objects.filter(cadre=OuterRef("pk"), kind__in=PERIODIC_KINDS).order_by("-date").values("date")
    return cadres.annotate(last_checkup_date=Subquery(last[:1]))


def checkup_due_items(*, user: User | None = None, units_q: Q | None = None, cadres: QuerySet[Cadre] | None = None,
                      today: dt.date | None = None) -> list[DueItem]:
    """Every cadre still in post with their next check-up due date, in due-date order.

    The one place the due rule meets the data (the reminders module reads it
    too). ``user`` narrows to their scope on ``checkup-due`` (None: the whole
    city, for jobs); ``units_q`` is a Q over OrgUnit selecting whose cadres
    count (e.g. ``Q(path__startswith=county.path)``); ``cadres`` a Cadre
    queryset to start from (already filtered). Three queries in all: the
    cadres with their last annual check-up date (a subquery), and the
    policies, resolved once per unit, not per cadre.
    """
    today = today or clock.today()
    queryset = (cadres if cadres is not None else Cadre.objects.all()).filter(status__in=CHECKED_STATUSES)
    if user is not None:
        queryset = scoped(queryset, user, "checkup-due")
    if units_q is not None:
        queryset = queryset.filter(unit__in=OrgUnit.objects.filter(units_q))
    # Only what a due item is read for: a city's few thousand cadres stay well under a second.
    light = queryset.select_related("unit").only("id", "name", "unit_id", "status", "unit__name", "unit__path")
    rows = list(_with_last_checkup(light).order_by("id"))
    policies = effective_policies({cadre.unit_id: cadre.unit for cadre in rows}.values())
    items = []
    for cadre in rows:
        policy = policies[cadre.unit_id]
        due = checkup_next_due(cadre.last_checkup_date, policy.interval_months, today)
        items.append(DueItem(cadre, cadre.last_checkup_date, due, due_state(due, policy.reminder_days, today),
                             overdue_days(due, today), policy))
    items.sort(key=lambda item: (item.due_date, item.cadre.pk))
    return items


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

    return CheckupCampaign.objects.select_related("unit").annotate(
        attendee_count=Count("attendees"),
        **{f"{status}_count": counted(status) for status in AttendanceStatus.values},
    ).order_by("-date_from", "-id")


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
