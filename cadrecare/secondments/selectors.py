"""Reads of secondments and of grassroots experience, scoped by the one scope
logic (cadrecare.org.scoping)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from cadrecare.org.choices import CadreStatus, UnitKind
from cadrecare.org.models import Cadre, OrgUnit, User
from cadrecare.org.scoping import scoped
from cadrecare.secondments.due import decision_from
from cadrecare.secondments.experience import TEAM_POSTS, TeamExperience, experiences, team_of, with_history
from cadrecare.secondments.models import Secondment

EXPERIENCE = "experience"
#: Whose experience is counted: cadres still in service (at home or seconded).
COUNTED_STATUSES = (CadreStatus.SERVING, CadreStatus.SECONDED)


def secondment_queryset() -> QuerySet[Secondment]:
    """Secondments with what their rows show, and the day the decision is asked from."""
    return Secondment.objects.select_related("cadre", "home_unit", "host_unit").annotate(decision_from=decision_from())


def cadre_secondments(*, user: User, cadre: Cadre) -> QuerySet[Secondment]:
    """A cadre's terms the user may see, latest first (the cadre's page)."""
    return scoped(secondment_queryset().filter(cadre=cadre), user, "secondments").order_by("-start", "-id")


def experience_cadres(*, user: User) -> QuerySet[Cadre]:
    """The cadres in service whose experience ``user`` may read, with their post history."""
    cadres = Cadre.objects.filter(status__in=COUNTED_STATUSES).select_related("unit").order_by("unit__path", "id")
    return with_history(scoped(cadres, user, EXPERIENCE))


@dataclass(frozen=True)
class TeamReport:
    """The leadership teams of ``kind`` under ``unit`` (everything in scope
    when None), each with its counts, and all of them together."""

    kind: str
    unit: OrgUnit | None
    teams: list[TeamExperience]
    total: TeamExperience | None


def team_report(*, user: User, kind: str = UnitKind.COUNTY, unit: OrgUnit | None = None, today: dt.date) -> TeamReport:
    """Per leadership team (班子) of the units of ``kind`` in ``user``'s scope:
    the members (serving cadres holding a leadership post of the unit) and how
    many have grassroots experience, three years of township leadership, and
    have been a township party secretary. For counties this is the seed's
    statistic of the county governments' teams; the total is the city's."""
    members = experience_cadres(user=user).filter(unit__kind=kind, leader_post__in=TEAM_POSTS)
    if unit is not None:
        members = members.filter(unit__path__startswith=unit.path)
    cadres = list(members)
    found = experiences(cadres, today)
    by_unit: dict[int, list[Cadre]] = {}
    units: dict[int, OrgUnit] = {}
    for cadre in cadres:
        by_unit.setdefault(cadre.unit_id, []).append(cadre)
        units[cadre.unit_id] = cadre.unit
    teams = [team_of(units[unit_id], by_unit[unit_id], found) for unit_id in by_unit]
    total = None
    if teams:
        whole = unit or OrgUnit(name="合计")
        total = team_of(whole, cadres, found)
    return TeamReport(kind=kind, unit=unit, teams=teams, total=total)
