"""Demo secondments and post histories for the demo city, so the experience
report and the due items show real numbers: each county's leadership team
(县委书记 with six government members) gets a history of township posts in
the proportions the seed reports (of 35 members, 31 served in townships, 8 led
one for three years or more, 6 were its party secretary), and a few terms of
挂职、跟班见习 and 借调 run through the services, one of them ending soon so
its decision is on the county organization department's list."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from cadrecare.core import clock
from cadrecare.org.choices import Gender, LeaderPost, PostChangeKind, Rank, UnitKind
from cadrecare.org.models import Cadre, OrgUnit, PostChange
from cadrecare.org.rules import citizen_id_compose
from cadrecare.secondments.choices import SecondmentDecision, SecondmentKind
from cadrecare.secondments.services import secondment_decide, secondment_start

TEAM = [
    (LeaderPost.HEAD, Rank.DIVISION_CHIEF, "县长"),
    (LeaderPost.DEPUTY, Rank.DIVISION_DEPUTY, "常务副县长"),
    (LeaderPost.DEPUTY, Rank.DIVISION_DEPUTY, "副县长"),
    (LeaderPost.DEPUTY, Rank.DIVISION_DEPUTY, "副县长"),
    (LeaderPost.DEPUTY, Rank.DIVISION_DEPUTY, "副县长"),
    (LeaderPost.MEMBER, Rank.DIVISION_DEPUTY, "县委常委"),
]
# Township stays before the county post, (years, in a township?, leader post), oldest first.
SECRETARY = [(3, True, LeaderPost.DEPUTY), (4, True, LeaderPost.PARTY_SECRETARY)]
LONG_LEADER = [(2, True, LeaderPost.NONE), (4, True, LeaderPost.DEPUTY)]
SHORT_LEADER = [(3, True, LeaderPost.NONE), (2, True, LeaderPost.DEPUTY)]
STAFF = [(4, True, LeaderPost.NONE)]
AGENCY_ONLY = [(5, False, LeaderPost.NONE)]
# 35 members of the five county teams: 6 former secretaries, 2 more with 3+ years leading, 23 more with
# township service, 4 without (the seed's 31 of 35, 8 and 6).
PROFILES = [SECRETARY] * 6 + [LONG_LEADER] * 2 + [SHORT_LEADER] * 12 + [STAFF] * 11 + [AGENCY_ONLY] * 4


def _years(n: float) -> dt.timedelta:
    return dt.timedelta(days=round(365.25 * n))


def _team_histories(rng: random.Random, today: dt.date) -> int:
    """Six government members for each county, and a township history for every member."""
    counties = list(OrgUnit.objects.filter(kind=UnitKind.COUNTY).order_by("path"))[:5]
    sequence = 0
    members: list[Cadre] = []
    for county in counties:
        members += list(Cadre.objects.filter(unit=county, leader_post=LeaderPost.PARTY_SECRETARY))
        for post, rank, title in TEAM:
            sequence += 1
            gender = Gender.MALE if rng.random() < 0.7 else Gender.FEMALE
            birth = dt.date(today.year - rng.randint(42, 56), rng.randint(1, 12), rng.randint(1, 28))
            joined = today - _years(rng.randint(1, 4))
            members.append(
                Cadre.objects.create(
                    name=rng.choice("和木杨李赵段王张") + rng.choice("建国华明志文海云龙晓东雪松"),
                    gender=gender,
                    birth_date=birth,
                    id_number=citizen_id_compose("530700", birth, sequence, gender),
                    rank=rank,
                    post_title=title,
                    leader_post=post,
                    unit=county,
                    establishment_unit=county,
                    unit_joined=joined,
                )
            )
    # The seed's proportions for the whole city; a demo cut to fewer counties takes a random share.
    profiles = rng.sample(PROFILES, len(PROFILES))[: len(members)]
    changes = []
    for cadre, profile in zip(members, profiles, strict=False):
        # The county's own townships; in a demo cut short, whichever the city has.
        towns = list(OrgUnit.objects.filter(parent_id=cadre.unit.pk, kind=UnitKind.TOWNSHIP).order_by("path")) or list(
            OrgUnit.objects.filter(kind=UnitKind.TOWNSHIP).order_by("path")
        )
        towns = rng.sample(towns, min(2, len(towns)))
        agencies = OrgUnit.objects.filter(parent_id=cadre.unit.pk, kind=UnitKind.COUNTY_AGENCY).order_by("path")
        arrived = cadre.unit_joined or today - _years(2)
        start = arrived - _years(sum(years for years, _, _ in profile))
        previous: OrgUnit | None = None
        for years, township, post in profile:
            unit = rng.choice(towns) if township and towns else agencies.first() or cadre.unit
            changes.append(
                PostChange(
                    cadre=cadre,
                    kind=PostChangeKind.APPOINTMENT,
                    date=start,
                    from_unit=previous,
                    to_unit=unit,
                    to_post_title="党委书记" if post == LeaderPost.PARTY_SECRETARY else "",
                    to_rank=Rank.SECTION_CHIEF if post != LeaderPost.NONE else Rank.STAFF_MEMBER,
                    to_leader_post=post,
                )
            )
            previous, start = unit, start + _years(years)
        # The county post itself: the change the demo city recorded (the secretary), or a new one.
        county_post = cadre.post_changes.first()
        if county_post is not None:
            PostChange.objects.filter(pk=county_post.pk).update(from_unit=previous)
        else:
            changes.append(
                PostChange(
                    cadre=cadre,
                    kind=PostChangeKind.APPOINTMENT,
                    date=arrived,
                    from_unit=previous,
                    to_unit=cadre.unit,
                    to_post_title=cadre.post_title,
                    to_rank=cadre.rank,
                    to_leader_post=cadre.leader_post,
                )
            )
    PostChange.objects.bulk_create(changes)
    return len(members)


def _terms(today: dt.date) -> int:
    """A few terms through the services: one ending within the notice days."""
    county = OrgUnit.objects.filter(kind=UnitKind.COUNTY).order_by("path").first()
    if county is None:
        return 0
    towns = list(OrgUnit.objects.filter(parent=county, kind=UnitKind.TOWNSHIP).order_by("path"))
    agencies = list(OrgUnit.objects.filter(parent=county, kind=UnitKind.COUNTY_AGENCY).order_by("path"))
    if len(towns) < 3 or len(agencies) < 3:
        return 0

    def plain(unit: OrgUnit) -> Cadre:
        # The sixth plain cadre: past those the demo logins are (the first of a township or an office).
        return Cadre.objects.filter(unit=unit, leader_post=LeaderPost.NONE).order_by("id")[5]

    # 挂职: a county office's cadre deputy in the demo township for two years, ending in 40 days.
    secondment_start(
        actor=None,
        cadre=plain(agencies[1]),
        kind=SecondmentKind.HANG_POST,
        host_unit=towns[0],
        start=today - _years(2) + dt.timedelta(days=40),
        post_title="挂职副乡长",
        host_leader_post=LeaderPost.DEPUTY,
        note="县委办公室选派，挂任党政副职",
    )
    # 跟班见习: a township cadre shadowing at the county organization department for six months.
    secondment_start(
        actor=None,
        cadre=plain(towns[0]),
        kind=SecondmentKind.SHADOWING,
        host_unit=agencies[0],
        start=today - dt.timedelta(days=90),
        planned_end=today + dt.timedelta(days=92),
        post_title="跟班见习",
    )
    # 借调: borrowed by the county HR bureau for a year, due in 20 days.
    secondment_start(
        actor=None,
        cadre=plain(towns[1]),
        kind=SecondmentKind.LOAN,
        host_unit=agencies[2],
        start=today - dt.timedelta(days=345),
        planned_end=today + dt.timedelta(days=20),
        post_title="借调工作人员",
    )
    # A 挂职 that ended: returned last month.
    returned = secondment_start(
        actor=None,
        cadre=plain(agencies[2]),
        kind=SecondmentKind.HANG_POST,
        host_unit=towns[2],
        start=today - _years(2) - dt.timedelta(days=30),
        post_title="挂职副镇长",
        host_leader_post=LeaderPost.DEPUTY,
    )
    secondment_decide(
        actor=None,
        secondment=returned,
        decision=SecondmentDecision.RETURN,
        date=today - dt.timedelta(days=28),
        note="挂职期满，考核称职，返回原单位",
    )
    return 4


@transaction.atomic
def populate(*, rng: random.Random) -> None:
    today = clock.today()
    _team_histories(rng, today)
    _terms(today)
