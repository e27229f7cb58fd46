"""Reads of the rest rotation: the policy in force, a unit's active cadres,
roster grids, swap requests and the rest-compliance report."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
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
from django.utils.translation import gettext as _

from cadrecare.core.privacy import Level
from cadrecare.org import scoping
from cadrecare.org.access import STAND_IN, VIEW
from cadrecare.org.choices import CadreStatus, LeaderPost, Role, UnitKind
from cadrecare.org.inheritance import nearest_first
from cadrecare.org.models import Cadre, OrgUnit, RoleGrant, User
from cadrecare.rotation.choices import (
    REST_REDUCING_KINDS,
    DayKind,
    HolidayKind,
    MissedRestStatus,
    RestConfirmationStatus,
    RosterStatus,
    SolverStatus,
)
from cadrecare.rotation.holiday_calendar import day_type, month_calendar, month_days
from cadrecare.rotation.models import (
    GenerationItem,
    GenerationRun,
    MissedRest,
    Recall,
    RestConfirmation,
    RestFeed,
    Roster,
    RosterDay,
    RosterEntitlement,
    RotationPolicy,
    SwapRequest,
)

#: Cadres who belong on a township's roster: at work there, or seconded to it.
ROSTERED_STATUSES = (CadreStatus.SERVING, CadreStatus.SECONDED)


def policy_in_force(*, unit: OrgUnit, month: dt.date) -> RotationPolicy | None:
    """The policy a month is planned under: the deepest unit up the
    tree with a version, and of its versions the latest one effective on or
    before the month. A township override beats the county default; a later
    version never rewrites an earlier month."""
    return (
        nearest_first(RotationPolicy.objects.filter(effective_from__lte=month), unit.path)
        .select_related("unit")
        .order_by("-unit__path", "-effective_from")
        .first()
    )


def rest_reducing_kinds(*, unit: OrgUnit, month: dt.date) -> frozenset[str]:
    """The absence kinds that shorten ``unit``'s rest in ``month``: a county
    setting, read from the policy in force at the nearest county (or city)
    up the tree, whatever a township's own version says."""
    policy = (
        nearest_first(
            RotationPolicy.objects.filter(unit__kind__in=(UnitKind.COUNTY, UnitKind.CITY), effective_from__lte=month),
            unit.path,
        )
        .order_by("-unit__path", "-effective_from")
        .values_list("absence_kinds_reducing_rest", flat=True)
        .first()
    )
    return frozenset(REST_REDUCING_KINDS if policy is None else policy)


def county_bounds(*, unit: OrgUnit, month: dt.date) -> RotationPolicy | None:
    """The policy above a township in force for ``month`` (its county's, else
    its city's): the bounds the township's own policy keeps within."""
    return policy_in_force(unit=unit.parent, month=month) if unit.parent_id else None


def rostered_cadres(*, unit: OrgUnit) -> QuerySet[Cadre]:
    """The cadres a unit's roster plans, with what the problem needs."""
    return Cadre.objects.filter(unit=unit, status__in=ROSTERED_STATUSES).select_related("office").order_by("id")


def principal_leaders(cadres: list[Cadre]) -> tuple[Cadre, Cadre] | None:
    """The party secretary and the township head, found from their leader posts."""
    secretary = next((c for c in cadres if c.leader_post == LeaderPost.PARTY_SECRETARY), None)
    head = next((c for c in cadres if c.leader_post == LeaderPost.HEAD), None)
    return (secretary, head) if secretary and head else None


#: Who leads the day among the leaders on duty (带班领导): the highest post, then the longest on the roster.
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
    people = list(
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
        month = solver.month_of(problem_from_stored(roster.current.problem))  # type: ignore[union-attr]
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


def serving_secretary(*, unit: OrgUnit) -> User | None:
    """The login that publishes ``unit``'s roster: the first active holder of
    the secretary role on it, as the publish reminder's owner is
    (rotation.due); None when the post is vacant or its holder has no login."""
    grant = (
        RoleGrant.objects.filter(unit=unit, role=Role.SECRETARY, user__is_active=True)
        .select_related("user")
        .order_by("id")
        .first()
    )
    return grant.user if grant is not None else None


def stand_in_post(*, user: User, unit: OrgUnit) -> str:
    """The post ``user`` stands in for on ``unit``'s roster, as the audit row
    names it (``secretary@<code>``): the county organization department's
    while the township has no serving secretary (docs/access.md); "" otherwise."""
    if not scoping.may_in_unit(user, "rosters", STAND_IN, unit) or serving_secretary(unit=unit) is not None:
        return ""
    return f"{Role.SECRETARY}@{unit.code}"


def stand_in_or_refuse(*, user: User, unit: OrgUnit) -> str:
    """The vacant post ``user`` acts for on ``unit``'s roster (see
    ``stand_in_post``), or PermissionDenied naming the serving secretary: one
    wording for the API and the workbench."""
    post = stand_in_post(user=user, unit=unit)
    if post:
        return post
    secretary = serving_secretary(unit=unit)
    name = (secretary.get_full_name() or secretary.get_username()) if secretary is not None else ""
    raise PermissionDenied(
        _("%(unit)s有在任的党委书记（%(name)s），排班由其生成、调整和发布；书记空缺时县委组织部方可代为办理。")
        % {"unit": unit.name, "name": name}
    )


def roster_units(*, user: User, resource: str = "rosters", action: str = VIEW) -> QuerySet[OrgUnit]:
    """The townships whose rosters (or ``resource``) the user may ``action``, by county then name."""
    return (
        scoping.scoped(OrgUnit.objects.filter(kind=UnitKind.TOWNSHIP, active=True), user, resource, action)
        .select_related("parent")
        .order_by("path")
    )


def roster_list(*, user: User) -> QuerySet[Roster]:
    """Rosters in the user's scope."""
    return scoping.scoped(Roster.objects.select_related("unit"), user, "rosters", VIEW)


def roster_of_month(*, unit: OrgUnit, month: dt.date) -> Roster | None:
    """A unit's roster of a month, with its current version and publisher (there is one at most)."""
    return (
        Roster.objects.filter(unit=unit, month=month)
        .select_related("unit", "current", "current__created_by", "published_by")
        .first()
    )


def roster_cadres(*, roster: Roster) -> QuerySet[Cadre]:
    """The cadres on a roster's current version (an edit may name only them)."""
    return Cadre.objects.filter(pk__in=RosterDay.objects.filter(version_id=roster.current_id).values("cadre_id"))


def generation_item_latest(*, unit: OrgUnit, month: dt.date) -> GenerationItem | None:
    """The newest generation of a unit's month (a secretary's or the daily job's), with its run."""
    return (
        GenerationItem.objects.filter(unit=unit, run__month=month)
        .select_related("run", "run__requested_by")
        .order_by("-run__created_at", "-run_id")
        .first()
    )


def generation_run_list(*, user: User) -> QuerySet[GenerationRun]:
    """Generation runs in the user's scope, with their items."""
    return scoping.scoped(
        GenerationRun.objects.select_related("unit").prefetch_related("items__unit"), user, "generation-runs", VIEW
    )


def recall_list(*, user: User) -> QuerySet[Recall]:
    """Recalls in the user's scope, newest first."""
    return scoping.scoped(
        Recall.objects.select_related("cadre", "cadre__unit", "recorded_by"), user, "recalls", VIEW
    ).order_by("-date", "-id")


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
    problem = roster.current.problem
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
    if feed is None or not scoping.may_for_cadre(feed.cadre.user, "roster-days", VIEW, feed.cadre):
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


# ---------------------------------------------------------------------------
# Swap requests: the requester's and the counterpart's, and the unit's in scope
# ---------------------------------------------------------------------------


def swap_request_queryset() -> QuerySet[SwapRequest]:
    return SwapRequest.objects.select_related("roster__unit", "requester", "counterpart", "applied_version")


def swap_request_list(*, user: User) -> QuerySet[SwapRequest]:
    """Requests in the user's scope (a cadre's own, as requester) plus those
    that name them as the counterpart: a party to a request always sees it."""
    visible = scoping.scope_filter(user, "swap-requests", VIEW, SwapRequest)
    own = scoping.own_cadre_id(user)
    if own is not None and scoping.may(user, "swap-requests", VIEW):
        visible = Q(counterpart_id=own) if visible is None else visible | Q(counterpart_id=own)
    if visible is None:
        return SwapRequest.objects.none()
    return swap_request_queryset().filter(visible)


# ---------------------------------------------------------------------------
# Rest compliance (休息落实): entitled, planned, recalled, taken, per cadre and unit
# ---------------------------------------------------------------------------

REPORTED_STATUSES = (RosterStatus.PUBLISHED, RosterStatus.LOCKED)


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


def rest_compliance_rows() -> QuerySet[RosterEntitlement]:
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


def rest_compliance_units(rows: QuerySet[RosterEntitlement]) -> QuerySet[RosterEntitlement]:
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
