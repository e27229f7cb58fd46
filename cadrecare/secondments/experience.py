"""Grassroots experience (基层经历) computed from the post history: per
cadre, the years served in townships, the years in a township's leadership
team, and whether they have been a township party secretary; per leadership
team, how many members have each (seed 三(一): "新一届区县政府班子成员中，有基层一线
工作经历的31名，占89%；有3年以上乡镇基层领导工作经历的8名，占80%；担任过乡镇党委书记的6名，占75%").

The history is the cadre's post changes (``org.PostChange``), each a stay in
``to_unit`` with ``to_leader_post`` from its date to the next change (or to
today, or to the day their service ended). Before the first recorded change a
cadre whose ``township_service_start`` is known was in the change's
``from_unit`` since then; a cadre with no history is in their current unit
since they joined it. A secondment (挂职) to a township counts as township
service: it is a 借调 post change to the township.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from cadrecare.org.choices import ENDED_STATUSES, LeaderPost, UnitKind
from cadrecare.org.models import Cadre, OrgUnit, PostChange

#: "3年以上乡镇基层领导工作经历": the seed's threshold, in years.
LEADERSHIP_YEARS = 3
DAYS_PER_YEAR = 365.25
TEAM_POSTS = (LeaderPost.PARTY_SECRETARY, LeaderPost.HEAD, LeaderPost.DEPUTY, LeaderPost.MEMBER)


@dataclass(frozen=True)
class Stay:
    start: dt.date
    end: dt.date
    unit_id: int
    leader_post: str


@dataclass(frozen=True)
class Experience:
    """One cadre's grassroots experience, from their post history."""

    township_days: int
    township_leader_days: int
    was_township_secretary: bool

    @property
    def township_years(self) -> float:
        return round(self.township_days / DAYS_PER_YEAR, 1)

    @property
    def township_leader_years(self) -> float:
        return round(self.township_leader_days / DAYS_PER_YEAR, 1)

    @property
    def grassroots(self) -> bool:
        """有基层一线工作经历: any time served in a township."""
        return self.township_days > 0

    @property
    def long_leadership(self) -> bool:
        """有3年以上乡镇基层领导工作经历."""
        return self.township_leader_days >= LEADERSHIP_YEARS * DAYS_PER_YEAR


def stays(cadre: Cadre, changes: Sequence[PostChange], today: dt.date) -> list[Stay]:
    """The cadre's stays in units, oldest first (``changes`` ordered by date)."""
    stop = cadre.status_changed_on if cadre.status in ENDED_STATUSES and cadre.status_changed_on else today
    if not changes:
        since = cadre.township_service_start or cadre.unit_joined
        return [Stay(since, stop, cadre.unit_id, cadre.leader_post)] if since and since < stop else []
    found = []
    first = changes[0]
    before = cadre.township_service_start
    if first.from_unit_id is not None and before is not None and before < first.date:
        found.append(Stay(before, first.date, first.from_unit_id, first.from_leader_post or LeaderPost.NONE))
    for change, following in zip(changes, [*changes[1:], None], strict=True):
        end = following.date if following is not None else stop
        if change.date < end:
            found.append(Stay(change.date, end, change.to_unit_id, change.to_leader_post))
    return found


def experience_of(cadre: Cadre, changes: Sequence[PostChange], townships: set[int], today: dt.date) -> Experience:
    """``townships``: the ids of township units (the stays' units looked up once for a whole list)."""
    township_days = leader_days = 0
    secretary = False
    for stay in stays(cadre, changes, today):
        if stay.unit_id not in townships:
            continue
        days = (stay.end - stay.start).days
        township_days += days
        if stay.leader_post in TEAM_POSTS:
            leader_days += days
        secretary = secretary or stay.leader_post == LeaderPost.PARTY_SECRETARY
    return Experience(township_days, leader_days, secretary)


def with_history(cadres: QuerySet[Cadre]) -> QuerySet[Cadre]:
    """``cadres`` with their post changes in date order (one query more for the lot)."""
    ordered = PostChange.objects.order_by("date", "id").only(
        "id", "cadre_id", "date", "from_unit_id", "to_unit_id", "from_leader_post", "to_leader_post"
    )
    return cadres.prefetch_related(Prefetch("post_changes", queryset=ordered, to_attr="history"))


def township_ids(cadres: Iterable[Cadre]) -> set[int]:
    """The township units among every unit the cadres' histories name, in one query."""
    units = set()
    for cadre in cadres:
        units.add(cadre.unit_id)
        for change in getattr(cadre, "history", ()):
            units.update(unit for unit in (change.from_unit_id, change.to_unit_id) if unit is not None)
    return set(OrgUnit.objects.filter(pk__in=units, kind=UnitKind.TOWNSHIP).values_list("id", flat=True))


def experiences(cadres: Sequence[Cadre], today: dt.date) -> dict[int, Experience]:
    """Each cadre's experience (the cadres read through ``with_history``), by cadre id."""
    townships = township_ids(cadres)
    return {cadre.pk: experience_of(cadre, cadre.history, townships, today) for cadre in cadres}  # type: ignore[attr-defined]


@dataclass(frozen=True)
class TeamExperience:
    """A leadership team's counts: the seed's three figures and their shares."""

    unit: OrgUnit
    members: int
    grassroots: int
    long_leadership: int
    former_secretaries: int

    def share(self, count: int) -> int:
        """Percent of the members, rounded (the seed's "占89%")."""
        return round(100 * count / self.members) if self.members else 0

    @property
    def sentence(self) -> str:
        """The seed's sentence for this team."""
        return (
            f"{self.unit.name}班子成员{self.members}名，有基层一线工作经历的{self.grassroots}名，"
            f"占{self.share(self.grassroots)}%；有{LEADERSHIP_YEARS}年以上乡镇基层领导工作经历的"
            f"{self.long_leadership}名，占{self.share(self.long_leadership)}%；担任过乡镇党委书记的"
            f"{self.former_secretaries}名，占{self.share(self.former_secretaries)}%。"
        )


def team_of(unit: OrgUnit, members: Sequence[Cadre], found: dict[int, Experience]) -> TeamExperience:
    mine = [found[cadre.pk] for cadre in members]
    return TeamExperience(
        unit=unit,
        members=len(mine),
        grassroots=sum(e.grassroots for e in mine),
        long_leadership=sum(e.long_leadership for e in mine),
        former_secretaries=sum(e.was_township_secretary for e in mine),
    )
