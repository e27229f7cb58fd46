"""The month grid of a roster (cadres by days, built once and kept) and who is on duty on a day."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.cache import cache

from cadrecare.org.choices import LeaderPost
from cadrecare.org.models import Cadre
from cadrecare.rotation.choices import DayKind, HolidayKind
from cadrecare.rotation.holiday_calendar import day_type, month_calendar, month_days
from cadrecare.rotation.models import Roster, RosterDay
from cadrecare.rotation.selectors.rest import rest_days_spent_away

LEADER_ORDER = (LeaderPost.PARTY_SECRETARY, LeaderPost.HEAD, LeaderPost.DEPUTY, LeaderPost.MEMBER)


# How long a built grid is kept: it is keyed by everything it is built from,
# so an old entry is never read, only left to expire.
GRID_CACHE_SECONDS = 24 * 60 * 60


def roster_grid(*, roster: Roster) -> dict[str, Any]:
    """The month grid of a roster's current version (``roster_grid_keyed``'s grid)."""
    return roster_grid_keyed(roster=roster)[1]


def roster_grid_keyed(*, roster: Roster) -> tuple[str, dict[str, Any]]:
    """The month grid of a roster's current version: cadres by days (休/班/外出)
    with their rest blocks and rule-1 entitlement; and for each date what it is
    (workday, weekend, holiday with its name, makeup workday, blackout),
    whether it is a good day to rest, the count on duty against rule 4's
    minimum for the cadres available that day, and the day's duty leader
    (带班领导: the highest-placed leader on duty). A published rest day spent
    away on an absence recorded afterwards (still owed) reads as away.

    With the key of everything the grid is built from, under which it is
    kept (``GRID_CACHE_SECONDS``). A version's days and problem never change
    (an edit writes a new version), so the key is the version, its creation
    time and what can change under it: the month's holidays, the rest spent
    away, the cadres' names, offices and leader posts, all read here (three
    small queries; the grid of 150 cadres took 40 ms of Python to build from
    its 4,650 days, and is read on every look at the month). Four queries
    when it is built, the days as plain tuples (model instances cost 0.5 s
    for 150 cadres)."""
    calendar = month_calendar(roster.month.year, roster.month.month)
    dates = month_days(roster.month)
    away = rest_days_spent_away(first=dates[0], last=dates[-1], roster_id=roster.pk)
    # office__name is None for a cadre without an office.
    people: list[tuple[int, str, str | None, str]] = list(
        Cadre.objects.filter(
            pk__in=RosterDay.objects.filter(version_id=roster.current_id).values("cadre_id")
        ).values_list("pk", "name", "office__name", "leader_post")
    )
    people.sort()
    current = roster.current
    fingerprint = repr(
        (roster.pk, roster.current_id, current.created_at if current else None, calendar, sorted(away), people)
    )
    key = f"rotation:grid:{hashlib.sha256(fingerprint.encode()).hexdigest()}"
    grid = cache.get(key)
    if grid is None:
        grid = _roster_grid_build(roster=roster, calendar=calendar, dates=dates, away=away, people=people)
        cache.set(key, grid, GRID_CACHE_SECONDS)
    return key, grid


def _roster_grid_build(
    *,
    roster: Roster,
    calendar: Any,
    dates: list[dt.date],
    away: set[tuple[int, dt.date]],
    people: list[tuple[int, str, str | None, str]],
) -> dict[str, Any]:
    # problem imports this module; its readers of a stored problem are needed here only.
    from cadrecare.rotation.problem import cadre_key, problem_from_stored
    from scheduler import roster as solver

    rows = (
        RosterDay.objects.filter(version_id=roster.current_id)
        .order_by("cadre_id", "date")
        .values_list("cadre_id", "date", "kind", "pinned")
    )
    cadres: dict[int, dict[str, Any]] = {}
    on_duty = dict.fromkeys(dates, 0)
    available = dict.fromkeys(dates, 0)
    duty_days: dict[int, list[dt.date]] = {}
    for cadre_id, date, stored, pinned in rows:
        kind = DayKind.AWAY if stored == DayKind.REST and (cadre_id, date) in away else stored
        entry = cadres.setdefault(cadre_id, {"id": cadre_id, "days": [], "pinned": [], "rest_days": 0, "blocks": []})
        entry["days"].append(kind)
        if pinned:
            entry["pinned"].append(date.isoformat())
        if kind == DayKind.AWAY:
            continue
        available[date] += 1
        if kind == DayKind.REST:
            entry["rest_days"] += 1
            _extend_block(entry["blocks"], date, pinned)
        else:
            on_duty[date] += 1
            duty_days.setdefault(cadre_id, []).append(date)
    leaders_on_duty: dict[dt.date, list[tuple[int, int, str]]] = {d: [] for d in dates}
    for cadre_id, name, office, leader_post in people:
        if cadre_id not in cadres:
            continue
        cadres[cadre_id].update(
            name=name, office=office or "", leader=leader_post != LeaderPost.NONE, leader_post=leader_post
        )
        if leader_post in LEADER_ORDER:
            for date in duty_days.get(cadre_id, ()):
                leaders_on_duty[date].append((LEADER_ORDER.index(leader_post), cadre_id, name))
    month = None
    if cadres:
        current = roster.current
        assert current is not None  # the days just read are that version's
        month = solver.month_of(problem_from_stored(current.problem))
        entitled = {days.id: days.entitlement for days in month.cadres}
        for entry in cadres.values():
            entry["entitled"] = entitled.get(cadre_key(entry["id"]))
    holidays = set(calendar.holidays)
    listed = {day: HolidayKind.HOLIDAY for day in holidays} | {
        day: HolidayKind.MAKEUP_WORKDAY for day in calendar.makeup_workdays
    }
    names = dict(calendar.names)
    desirable = set(calendar.desirable)
    blackout = {month.date(day) for day in month.blackout} if month else set()

    def date_entry(day: dt.date) -> dict[str, Any]:
        need = month.coverage_need(available[day]) if month else 0
        leader = min(leaders_on_duty[day], default=None)
        return {
            "date": day.isoformat(),
            "weekday": day.isoweekday(),
            "day_type": day_type(day, listed.get(day)),
            "holiday_name": names.get(day, ""),
            "desirable": day in desirable,
            "holiday": day in holidays,
            "blackout": day in blackout,
            "on_duty": on_duty[day],
            "available": available[day],
            "min_on_duty": need,
            "short": max(0, need - on_duty[day]),
            "duty_leader": {"id": leader[1], "name": leader[2]} if leader else None,
        }

    return {
        "roster": roster.pk,
        "month": f"{roster.month:%Y-%m}",
        "provisional_calendar": calendar.provisional,
        "dates": [date_entry(d) for d in dates],
        "cadres": sorted(cadres.values(), key=lambda c: (not c["leader"], c["office"], c["id"])),
    }


def _extend_block(blocks: list[dict[str, Any]], day: dt.date, pinned: bool) -> None:
    """Add a rest day (in date order) to the cadre's blocks of consecutive rest days."""
    if blocks and dt.date.fromisoformat(blocks[-1]["end"]) == day - dt.timedelta(days=1):
        blocks[-1].update(end=day.isoformat(), days=blocks[-1]["days"] + 1, pinned=blocks[-1]["pinned"] or pinned)
    else:
        blocks.append({"start": day.isoformat(), "end": day.isoformat(), "days": 1, "pinned": pinned})


def roster_on_duty(*, roster: Roster, date: dt.date) -> list[dict[str, Any]]:
    """Who is on duty on a date (群众办事找得到人): leaders first, the day's
    duty leader (``roster_grid``'s) at their head, then by office."""
    rows = RosterDay.objects.filter(version_id=roster.current_id, date=date, kind=DayKind.DUTY).select_related(
        "cadre", "cadre__office"
    )
    people = [
        {
            "id": row.cadre_id,
            "name": row.cadre.name,
            "post_title": row.cadre.post_title,
            "leader": row.cadre.is_leader,
            "leader_post": row.cadre.leader_post,
            "office": row.cadre.office.name if row.cadre.office else "",
        }
        for row in rows
    ]
    rank = {post: index for index, post in enumerate(LEADER_ORDER)}
    return sorted(
        people,
        key=lambda p: (
            not p["leader"],
            rank.get(p["leader_post"], len(rank)),
            "" if p["leader"] else p["office"],
            p["id"],
        ),
    )
