"""Reads of the rest rotation: the policy in force, a unit's active cadres."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, QuerySet
from django.db.models.functions import Length

from cadrecare.org.choices import CadreStatus, LeaderPost
from cadrecare.org.models import PATH_STEP, Cadre, OrgUnit
from cadrecare.rotation.choices import DayKind, RosterStatus
from cadrecare.rotation.holiday_calendar import month_calendar, month_days
from cadrecare.rotation.models import Roster, RosterDay, RotationPolicy

#: Cadres who belong on a township's roster: at work there, or seconded to it.
ROSTERED_STATUSES = (CadreStatus.SERVING, CadreStatus.SECONDED)


def unit_path_prefixes(unit: OrgUnit) -> list[str]:
    """The unit's own path and each ancestor's (materialised path prefixes)."""
    step = PATH_STEP + 1
    return [unit.path[:end] for end in range(step, len(unit.path) + 1, step)]


def policy_in_force(*, unit: OrgUnit, month: dt.date) -> RotationPolicy | None:
    """The policy a month is planned under (issue 3): the deepest unit up the
    tree with a version, and of its versions the latest one effective on or
    before the month. A township override beats the county default; a later
    version never rewrites an earlier month."""
    return (
        RotationPolicy.objects.filter(unit__path__in=unit_path_prefixes(unit), effective_from__lte=month)
        .select_related("unit")
        .annotate(depth=Length("unit__path"))
        .order_by("-depth", "-effective_from")
        .first()
    )


def rostered_cadres(*, unit: OrgUnit) -> QuerySet[Cadre]:
    """The cadres a unit's roster plans, with what the problem needs."""
    return (
        Cadre.objects.filter(unit=unit, status__in=ROSTERED_STATUSES)
        .select_related("office")
        .order_by("id")
    )


def principal_leaders(cadres: list[Cadre]) -> tuple[Cadre, Cadre] | None:
    """The party secretary and the township head, found from their leader posts."""
    secretary = next((c for c in cadres if c.leader_post == LeaderPost.PARTY_SECRETARY), None)
    head = next((c for c in cadres if c.leader_post == LeaderPost.HEAD), None)
    return (secretary, head) if secretary and head else None


def roster_grid(*, roster: Roster) -> dict[str, Any]:
    """The month grid of a roster's current version: cadres by days (休/班/外出),
    with desirable days and holidays marked and the count on duty per date."""
    calendar = month_calendar(roster.month.year, roster.month.month)
    dates = month_days(roster.month)
    rows = (RosterDay.objects.filter(version_id=roster.current_id)
            .select_related("cadre", "cadre__office").order_by("cadre_id", "date"))
    cadres: dict[int, dict[str, Any]] = {}
    on_duty = dict.fromkeys(dates, 0)
    for row in rows:
        entry = cadres.setdefault(row.cadre_id, {
            "id": row.cadre_id, "name": row.cadre.name, "office": row.cadre.office.name if row.cadre.office else "",
            "leader": row.cadre.is_leader, "days": [], "pinned": [], "rest_days": 0,
        })
        entry["days"].append(row.kind)
        if row.pinned:
            entry["pinned"].append(row.date.isoformat())
        if row.kind == DayKind.REST:
            entry["rest_days"] += 1
        elif row.kind == DayKind.DUTY:
            on_duty[row.date] += 1
    holidays = set(calendar.holidays)
    desirable = set(calendar.desirable)
    return {
        "roster": roster.pk,
        "month": f"{roster.month:%Y-%m}",
        "provisional_calendar": calendar.provisional,
        "dates": [{"date": d.isoformat(), "weekday": d.isoweekday(), "desirable": d in desirable,
                   "holiday": d in holidays, "on_duty": on_duty[d]} for d in dates],
        "cadres": sorted(cadres.values(), key=lambda c: (not c["leader"], c["office"], c["id"])),
    }


def roster_on_duty(*, roster: Roster, date: dt.date) -> list[dict[str, Any]]:
    """Who is on duty on a date (群众办事找得到人): leaders first, then by office."""
    rows = (RosterDay.objects.filter(version_id=roster.current_id, date=date, kind=DayKind.DUTY)
            .select_related("cadre", "cadre__office"))
    people = [{"id": row.cadre_id, "name": row.cadre.name, "post_title": row.cadre.post_title,
               "leader": row.cadre.is_leader, "office": row.cadre.office.name if row.cadre.office else ""}
              for row in rows]
    return sorted(people, key=lambda p: (not p["leader"], p["office"], p["id"]))


def published_roster_days() -> QuerySet[RosterDay]:
    """Days of the current version of every published or locked roster."""
    return (RosterDay.objects.filter(version__roster__current=F("version"),
                                     version__roster__status__in=[RosterStatus.PUBLISHED, RosterStatus.LOCKED])
            .select_related("cadre", "version"))


FEED_MONTHS_BACK, FEED_MONTHS_AHEAD = 3, 3


def published_rest_days(*, cadre: Cadre, around: dt.date) -> list[tuple[dt.date, str]]:
    """A cadre's published rest days from three months back to three ahead,
    with the unit's name (the iCalendar feed)."""
    first = (around.replace(day=1) - dt.timedelta(days=FEED_MONTHS_BACK * 31)).replace(day=1)
    last = around.replace(day=1) + dt.timedelta(days=(FEED_MONTHS_AHEAD + 1) * 31)
    return list(published_roster_days().filter(cadre=cadre, kind=DayKind.REST, date__range=(first, last))
                .order_by("date").values_list("date", "version__roster__unit__name"))
