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

from cadrecare.core import clock
from cadrecare.org import posts
from cadrecare.org.choices import LeaderPost, UnitKind
from cadrecare.org.inheritance import nearest_first
from cadrecare.org.models import Cadre, OrgUnit, User
from cadrecare.talks.choices import TalkeeGroup, TalkerPost, TriggerKind
from cadrecare.talks.models import TalkPolicy, TalkRoute

# The seed's division of talks: talkee group -> (talker post, the leader post its holder has).
DEFAULT_ROUTES: dict[str, tuple[str, str]] = {
    TalkeeGroup.TOWNSHIP_SECRETARY: (TalkerPost.COUNTY_PARTY_SECRETARY, LeaderPost.PARTY_SECRETARY),
    TalkeeGroup.TOWNSHIP_LEADER: (TalkerPost.ORG_DEPARTMENT_HEAD, LeaderPost.HEAD),
    TalkeeGroup.TOWNSHIP_CADRE: (TalkerPost.TOWNSHIP_PARTY_SECRETARY, LeaderPost.PARTY_SECRETARY),
}
DEFAULT_CADENCE_MONTHS = 12  # regular talks: at least once a year

# Days from the event to the talk when no TalkPolicy says otherwise.
DEFAULT_DUE_DAYS = 15
URGENT_DUE_DAYS = {TriggerKind.FAMILY_EVENT: 7, TriggerKind.WARNING_SIGNS: 7}

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


def org_department_of(county: OrgUnit) -> OrgUnit | None:
    """The county organization department: the active county agency directly
    under the county whose name contains 组织部."""
    return (
        OrgUnit.objects.filter(
            parent=county, kind=UnitKind.COUNTY_AGENCY, active=True, name__contains=ORG_DEPARTMENT_MARK
        )
        .order_by("path")
        .first()
    )


def talker_unit_of(route: Route, county: OrgUnit | None, township: OrgUnit) -> OrgUnit | None:
    """The unit in which the talker's post sits (see TalkRoute)."""
    if route.talker_unit is not None:
        return route.talker_unit
    if route.talker_post == TalkerPost.TOWNSHIP_PARTY_SECRETARY:
        return township
    if county is None:
        return None
    if route.talker_post == TalkerPost.ORG_DEPARTMENT_HEAD:
        return org_department_of(county)
    return county


def talk_routing(cadre: Cadre, day: dt.date | None = None) -> Routing:
    """Route a must-talk about ``cadre`` by their post now: to the talker's
    post, held on ``day`` (default today) by ``talker``, or by nobody."""
    county = county_of(cadre.unit)
    fallback_unit = county or cadre.unit
    group = talkee_group_of(cadre)
    if group is None:
        return Routing(None, "", fallback_unit, "非乡镇干部，由县委组织部安排谈话人。", DEFAULT_CADENCE_MONTHS)
    route = route_for(county, group)
    post_label = TalkerPost(route.talker_post).label
    unit = talker_unit_of(route, county, cadre.unit)
    if unit is None:
        note = f"{post_label}{posts.VACANT}，由县委组织部安排谈话。"
        return Routing(None, post_label, fallback_unit, note, route.cadence_months)
    talker, vacancy = posts.holder(unit.pk, route.talker_leader_post, day or clock.today())
    by_post = {"owner_post": route.talker_leader_post, "owner_post_unit": unit}
    if talker is None:
        note = f"{post_label}{vacancy}，由县委组织部安排谈话。"
        return Routing(None, post_label, fallback_unit, note, route.cadence_months, **by_post)
    return Routing(talker, post_label, unit, "", route.cadence_months, **by_post)


def trigger_due_days(unit: OrgUnit, kind: str) -> int:
    """Days allowed for a must-talk of ``kind`` about a cadre of ``unit``: the
    nearest TalkPolicy up the tree, else the defaults."""
    policy = nearest_first(TalkPolicy.objects.filter(kind=kind), unit.path).values_list("due_days", flat=True).first()
    if policy is not None:
        return policy
    return URGENT_DUE_DAYS.get(kind, DEFAULT_DUE_DAYS)  # type: ignore[call-overload]


def trigger_due_date(unit: OrgUnit, kind: str, event_date: dt.date) -> dt.date:
    return event_date + dt.timedelta(days=trigger_due_days(unit, kind))
