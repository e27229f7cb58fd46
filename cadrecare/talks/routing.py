"""Who talks with whom (谈话分工), and when a must-talk is due.

Seed, section 三: the county party secretary talks with township party
secretaries, the county organization-department head with township leadership
members, the township party secretary with the township's other cadres. These
are the defaults below; a county changes them with ``TalkRoute`` rows. A
must-talk is given to the talker's post (``owner_post`` in
``owner_post_unit``), and whoever holds that post when it is read or
reminded talks (cadrecare.org.posts); when nobody does (or the holder has no
login) the county organization department arranges it, the note saying which.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Expression,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from cadrecare.core import clock
from cadrecare.org import posts
from cadrecare.org.choices import LeaderPost, UnitKind
from cadrecare.org.inheritance import nearest_first
from cadrecare.org.models import Cadre, OrgUnit, User
from cadrecare.talks.choices import TalkeeGroup, TalkerPost, TriggerKind
from cadrecare.talks.models import TalkPolicy, TalkRoute

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# The seed's division of talks: talkee group -> (talker post, the leader post its holder has).
DEFAULT_ROUTES: dict[str, tuple[str, str]] = {
    TalkeeGroup.TOWNSHIP_SECRETARY: (TalkerPost.COUNTY_PARTY_SECRETARY, LeaderPost.PARTY_SECRETARY),
    TalkeeGroup.TOWNSHIP_LEADER: (TalkerPost.ORG_DEPARTMENT_HEAD, LeaderPost.HEAD),
    TalkeeGroup.TOWNSHIP_CADRE: (TalkerPost.TOWNSHIP_PARTY_SECRETARY, LeaderPost.PARTY_SECRETARY),
}
DEFAULT_CADENCE_MONTHS = 12  # regular talks: at least once a year

# Days from the event to the talk when no TalkPolicy says otherwise.
DEFAULT_DUE_DAYS = 15
URGENT_DUE_DAYS: dict[str, int] = {TriggerKind.FAMILY_EVENT: 7, TriggerKind.WARNING_SIGNS: 7}

ORG_DEPARTMENT_MARK = "组织部"
LEADERSHIP_POSTS = (LeaderPost.PARTY_SECRETARY, LeaderPost.HEAD, LeaderPost.DEPUTY, LeaderPost.MEMBER)


@dataclass(frozen=True)
class Route:
    """The effective rule for one talkee group in one county."""

    talkee_group: str
    talker_post: str
    talker_leader_post: str
    talker_unit: OrgUnit | None
    cadence_months: int


@dataclass(frozen=True)
class Routing:
    """Where one must-talk goes: a talker's post (its holder today, if any),
    or the county organization department."""

    talker: User | None
    talker_post: str
    routed_to_unit: OrgUnit | None
    note: str
    cadence_months: int
    owner_post: str = ""
    owner_post_unit: OrgUnit | None = None


def ancestor_ids(unit: OrgUnit) -> list[int]:
    """Ids on ``unit``'s materialised path, root first, the unit itself last."""
    return [int(step) for step in unit.path.split(".") if step]


def county_of(unit: OrgUnit) -> OrgUnit | None:
    """The county (县/区) ``unit`` lies in, or is."""
    return OrgUnit.objects.filter(pk__in=ancestor_ids(unit), kind=UnitKind.COUNTY).order_by("-path").first()


def talkee_group_of(cadre: Cadre) -> str | None:
    """The seed's three talkee groups are township people; others have none."""
    if cadre.unit.kind != UnitKind.TOWNSHIP:
        return None
    if cadre.leader_post == LeaderPost.PARTY_SECRETARY:
        return TalkeeGroup.TOWNSHIP_SECRETARY
    if cadre.leader_post in LEADERSHIP_POSTS:
        return TalkeeGroup.TOWNSHIP_LEADER
    return TalkeeGroup.TOWNSHIP_CADRE


def route_for(county: OrgUnit | None, talkee_group: str) -> Route:
    """The county's configured route for the group, else the seed's default."""
    row = TalkRoute.objects.filter(county=county, talkee_group=talkee_group).select_related("talker_unit").first()
    if row is not None:
        return Route(talkee_group, row.talker_post, row.talker_leader_post, row.talker_unit, row.cadence_months)
    post, leader_post = DEFAULT_ROUTES[talkee_group]
    return Route(talkee_group, post, leader_post, None, DEFAULT_CADENCE_MONTHS)


def talkee_group_expression() -> Case:
    """``talkee_group_of`` in SQL, from the same posts (only a township
    cadre's group names a route: ``with_route``)."""
    return Case(
        When(leader_post=LeaderPost.PARTY_SECRETARY, then=Value(TalkeeGroup.TOWNSHIP_SECRETARY)),
        When(leader_post__in=LEADERSHIP_POSTS, then=Value(TalkeeGroup.TOWNSHIP_LEADER)),
        default=Value(TalkeeGroup.TOWNSHIP_CADRE),
        output_field=CharField(),
    )


class RouteColumns(TypedDict):
    """What ``with_route`` adds to each cadre (None: outside a township, no route)."""

    talkee_group: str
    regular_county_id: int | None
    route_post: str | None
    route_leader_post: str | None
    regular_cadence_months: int
    route_configured_unit_id: int | None
    route_unit_id: int | None


if TYPE_CHECKING:
    Routed = WithAnnotations[Cadre, RouteColumns]


def with_route(queryset: QuerySet[Cadre], group: Expression | None = None) -> QuerySet[Routed]:
    """Annotate cadres with their route, the one definition of who
    talks with whom (``talk_routing`` reads it for one cadre, the regular
    talks' owners for every cadre at once):

    - ``talkee_group`` (``group``, else ``talkee_group_expression``);
    - ``regular_county_id``: a township cadre's county, the township's parent
      (the tree's shape: city, county, township); None for anyone else, who
      has no route (``talkee_group_of``) and so the default cadence;
    - ``route_post``, ``route_leader_post``, ``regular_cadence_months``: the
      county's ``TalkRoute`` for the group, else the seed's default;
    - ``route_unit_id``: the unit in which the talker's post sits: the
      route's own unit, else the township for its party secretary, the
      county organization department for its head, the county for a county
      post; None when there is no such unit (then the county organization
      department arranges the talk). A cadre outside a township has no
      route: no post, no unit, the default cadence (as ``talk_routing``).
    """
    if "route_unit_id" in queryset.query.annotations:
        # Routed already (a queryset through here before): mypy cannot read a query's annotations.
        return cast("QuerySet[Routed]", queryset)
    route = TalkRoute.objects.filter(county_id=OuterRef("regular_county_id"), talkee_group=OuterRef("talkee_group"))
    by_group = DEFAULT_ROUTES.items()
    township = Q(unit__kind=UnitKind.TOWNSHIP)
    org_department = (
        OrgUnit.objects.filter(
            parent_id=OuterRef("regular_county_id"),
            kind=UnitKind.COUNTY_AGENCY,
            active=True,
            name__contains=ORG_DEPARTMENT_MARK,
        )
        .order_by("path")
        .values("id")[:1]
    )
    return (
        queryset.annotate(
            talkee_group=group if group is not None else talkee_group_expression(),
            regular_county_id=Case(
                When(township, unit__parent__kind=UnitKind.COUNTY, then=F("unit__parent_id")),
                output_field=BigIntegerField(),
            ),
        )
        .annotate(
            route_post=Coalesce(
                Subquery(route.values("talker_post")[:1]),
                Case(
                    *(When(township, talkee_group=g, then=Value(post)) for g, (post, _) in by_group),
                    output_field=CharField(),
                ),
            ),
            route_leader_post=Coalesce(
                Subquery(route.values("talker_leader_post")[:1]),
                Case(
                    *(When(township, talkee_group=g, then=Value(lead)) for g, (_, lead) in by_group),
                    output_field=CharField(),
                ),
            ),
            regular_cadence_months=Coalesce(
                Subquery(route.values("cadence_months")[:1]), Value(DEFAULT_CADENCE_MONTHS)
            ),
            route_configured_unit_id=Subquery(route.values("talker_unit_id")[:1], output_field=BigIntegerField()),
        )
        .annotate(
            route_unit_id=Coalesce(
                F("route_configured_unit_id"),
                Case(
                    When(route_post=TalkerPost.TOWNSHIP_PARTY_SECRETARY, then=F("unit_id")),
                    When(route_post=TalkerPost.ORG_DEPARTMENT_HEAD, then=Subquery(org_department)),
                    default=F("regular_county_id"),
                ),
                output_field=BigIntegerField(),
            )
        )
    )


def talk_routing(cadre: Cadre, day: dt.date | None = None) -> Routing:
    """Route a must-talk about ``cadre`` by their post now (``with_route``):
    to the talker's post, held on ``day`` (default today) by ``talker``, or by nobody."""
    group = talkee_group_of(cadre)
    if group is None:
        fallback_unit = county_of(cadre.unit) or cadre.unit
        return Routing(None, "", fallback_unit, "非乡镇干部，由县委组织部安排谈话人。", DEFAULT_CADENCE_MONTHS)
    route = (
        with_route(Cadre.objects.filter(pk=cadre.pk), Value(group))
        .values("regular_county_id", "route_post", "route_leader_post", "regular_cadence_months", "route_unit_id")
        .get()
    )
    units = OrgUnit.objects.in_bulk([pk for pk in (route["regular_county_id"], route["route_unit_id"]) if pk])
    fallback_unit = units.get(route["regular_county_id"]) or cadre.unit
    post_label = TalkerPost(route["route_post"]).label
    cadence = route["regular_cadence_months"]
    unit = units.get(route["route_unit_id"])
    if unit is None:
        note = f"{post_label}{posts.VACANT}，由县委组织部安排谈话。"
        return Routing(None, post_label, fallback_unit, note, cadence)
    talker, vacancy = posts.holder(unit.pk, route["route_leader_post"], day or clock.today())
    by_post: dict[str, Any] = {"owner_post": route["route_leader_post"], "owner_post_unit": unit}
    if talker is None:
        note = f"{post_label}{vacancy}，由县委组织部安排谈话。"
        return Routing(None, post_label, fallback_unit, note, cadence, **by_post)
    return Routing(talker, post_label, unit, "", cadence, **by_post)


def trigger_due_days(unit: OrgUnit, kind: str) -> int:
    """Days allowed for a must-talk of ``kind`` about a cadre of ``unit``: the
    nearest TalkPolicy up the tree, else the defaults."""
    policy = nearest_first(TalkPolicy.objects.filter(kind=kind), unit.path).values_list("due_days", flat=True).first()
    if policy is not None:
        return policy
    return URGENT_DUE_DAYS.get(kind, DEFAULT_DUE_DAYS)


def trigger_due_date(unit: OrgUnit, kind: str, event_date: dt.date) -> dt.date:
    return event_date + dt.timedelta(days=trigger_due_days(unit, kind))
