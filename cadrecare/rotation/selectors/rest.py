"""Published rest days: the days spent away, a cadre's own roster and feed, the
problem as a reader may see it, and rest days open to a swap."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import F, QuerySet

from cadrecare.core.privacy import Level
from cadrecare.org import scoping
from cadrecare.org.access import VIEW
from cadrecare.org.models import Cadre, User
from cadrecare.rotation.choices import DayKind, MissedRestStatus, RosterStatus
from cadrecare.rotation.models import MissedRest, RestFeed, Roster, RosterDay

#: The rosters whose days count as given: published or locked (a cadre's own roster, the compliance report).
REPORTED_STATUSES = (RosterStatus.PUBLISHED, RosterStatus.LOCKED)


def rest_days_spent_away(
    *, first: dt.date, last: dt.date, cadre_ids: Iterable[int] | None = None, roster_id: int | None = None
) -> set[tuple[int, dt.date]]:
    """(cadre, day) of the published rest days from ``first`` to ``last`` spent
    away on an absence recorded afterwards (still owed): shown as away, not
    rest, wherever the days are read. One query, for some cadres or a roster."""
    rows = MissedRest.objects.filter(status=MissedRestStatus.OWED, month__range=(first.replace(day=1), last))
    if cadre_ids is not None:
        rows = rows.filter(cadre_id__in=list(cadre_ids))
    if roster_id is not None:
        rows = rows.filter(roster_id=roster_id)
    return {
        (cadre_id, day)
        for cadre_id, dates in rows.values_list("cadre_id", "dates")
        for day in map(dt.date.fromisoformat, dates)
        if first <= day <= last
    }


def own_roster(*, user: User, roster_id: int) -> Roster | None:
    """A published or locked roster the user's own cadre is on (current
    version): what they may confirm their month's rest on."""
    cadre_id = scoping.own_cadre_id(user)
    if cadre_id is None:
        return None
    return (
        Roster.objects.filter(
            pk=roster_id,
            status__in=REPORTED_STATUSES,
            current__entitlements__cadre_id=cadre_id,
        )
        .select_related("unit")
        .first()
    )


def published_roster_days() -> QuerySet[RosterDay]:
    """Days of the current version of every published or locked roster."""
    return RosterDay.objects.filter(
        version__roster__current=F("version"), version__roster__status__in=[RosterStatus.PUBLISHED, RosterStatus.LOCKED]
    ).select_related("cadre", "version")


FEED_MONTHS_BACK, FEED_MONTHS_AHEAD = 3, 3


def roster_problem_for(*, user: User, roster: Roster) -> tuple[dict[str, Any], bool]:
    """The current version's problem (exchange format v1) as ``user`` may read
    it, and whether it shows hardship flags. A cadre's ``hardship`` comes from
    the health and family notes on their rest requests (sensitive) and from
    hardship cases: it is shown to readers who see rest requests' sensitive
    fields in the unit (the township's secretary). For all others every
    cadre's flag is left out: the field is optional in the format (false), the
    hard rules do not read it (the shared checker still judges the roster), and
    a flag left out for all tells nothing of anyone."""
    current = roster.current
    assert current is not None  # asked only of a roster with a version (the API answers 404 first)
    problem = current.problem
    if scoping.visible_level(user, "rest-requests", roster.unit.path, None) >= Level.SENSITIVE:
        return problem, any(cadre.get("hardship") for cadre in problem.get("cadres", []))
    cadres = [{key: value for key, value in cadre.items() if key != "hardship"} for cadre in problem.get("cadres", [])]
    return {**problem, "cadres": cadres}, False


def rest_feed_live(*, token: str) -> RestFeed | None:
    """The feed at the secret ``token`` while its cadre's own login may still
    read those rest days: it dies with the account (deactivated, or its grants
    removed), as the login's tokens do."""
    feed = (
        RestFeed.objects.select_related("cadre__unit", "cadre__user")
        .filter(token=token, cadre__user__is_active=True)
        .first()
    )
    if feed is None:
        return None
    user = feed.cadre.user
    if user is None or not scoping.may_for_cadre(user, "roster-days", VIEW, feed.cadre):
        return None
    return feed


def published_rest_days(*, cadre: Cadre, around: dt.date) -> list[tuple[dt.date, str]]:
    """A cadre's published rest days from three months back to three ahead,
    with the unit's name (the iCalendar feed)."""
    first = (around.replace(day=1) - dt.timedelta(days=FEED_MONTHS_BACK * 31)).replace(day=1)
    last = around.replace(day=1) + dt.timedelta(days=(FEED_MONTHS_AHEAD + 1) * 31)
    away = rest_days_spent_away(first=first, last=last, cadre_ids=[cadre.pk])
    days = (
        published_roster_days()
        .filter(cadre=cadre, kind=DayKind.REST, date__range=(first, last))
        .order_by("date")
        .values_list("date", "version__roster__unit__name")
    )
    return [(day, unit) for day, unit in days if (cadre.pk, day) not in away]


def rest_days_open_to_swap(*, unit_id: int, after: dt.date) -> list[tuple[int, int, str, dt.date]]:
    """(roster, cadre, cadre's name, day) of every rest day after ``after`` on
    the unit's published rosters not yet locked, by date: the blocks its cadres
    may ask to swap (names and dates, as on the township's notice board)."""
    days = published_roster_days().filter(
        version__roster__unit_id=unit_id,
        kind=DayKind.REST,
        date__gt=after,
        version__roster__status=RosterStatus.PUBLISHED,
    )
    return list(days.order_by("date").values_list("version__roster_id", "cadre_id", "cadre__name", "date"))
