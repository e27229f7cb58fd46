"""Demo care records for the demo city: families for every serving cadre
(bulk), a few family events and illnesses with their obligations (through the
services, so deadlines, owners and listeners are real), visits closing some,
hardship cases, the five small facilities and six months of post allowances."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from cadrecare.care import services
from cadrecare.care.choices import FacilityItem, FacilityStatus, HardshipCategory, Relation
from cadrecare.care.demo_follow_through import populate_follow_through
from cadrecare.care.models import Facility, FamilyMember, HardshipCase, HardshipMeasure, PostAllowance
from cadrecare.core import clock
from cadrecare.org import scoping
from cadrecare.org.access import ADD
from cadrecare.org.choices import CadreStatus, Gender, LeaderPost, UnitKind
from cadrecare.org.models import Cadre, OrgUnit

SURNAMES = "王李张刘陈杨赵黄周吴和木杨段"
GIVEN = "丽华明芳军伟敏静磊洋勇艳杰娟涛秀英霞平刚兰文红梅海燕云龙玉春晓东雪"
WORK = ["县人民医院", "乡中心小学", "县第一中学", "务农", "个体经营", "县供销社", "退休"]
HEALTH = ["健康", "健康", "健康", "高血压", "糖尿病", "腰椎间盘突出", "术后康复"]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _family(rng: random.Random, cadre: Cadre, today: dt.date) -> list[FamilyMember]:
    born = cadre.birth_date
    members = []

    def add(relation: str, birth_year: int, gender: str, **extra: object) -> None:
        birth = dt.date(min(birth_year, today.year - 1), rng.randint(1, 12), rng.randint(1, 28))
        members.append(
            FamilyMember(
                cadre=cadre,
                relation=relation,
                name=_name(rng),
                gender=gender,
                birth_date=birth,
                work_unit=rng.choice(WORK),
                phone=f"13{rng.randint(0, 999999999):09d}",
                health_condition=rng.choice(HEALTH),
                **{"lives_with_cadre": rng.random() < 0.5, **extra},
            )
        )

    if today.year - born.year > 26 and rng.random() < 0.8:
        add(
            Relation.SPOUSE,
            born.year + rng.randint(-3, 3),
            Gender.FEMALE if cadre.gender == Gender.MALE else Gender.MALE,
            lives_with_cadre=True,
        )
        for _ in range(rng.choice((0, 1, 1, 2))):
            add(Relation.CHILD, born.year + rng.randint(24, 34), rng.choice(Gender.values))
    if rng.random() < 0.6:
        add(Relation.FATHER, born.year - rng.randint(22, 32), Gender.MALE)
    if rng.random() < 0.7:
        add(Relation.MOTHER, born.year - rng.randint(20, 30), Gender.FEMALE)
    return members


@transaction.atomic
def populate(*, rng: random.Random) -> None:
    today = clock.today()
    cadres = list(Cadre.objects.filter(status=CadreStatus.SERVING).select_related("unit").order_by("id"))
    townships = list(OrgUnit.objects.filter(kind=UnitKind.TOWNSHIP).order_by("id"))
    FamilyMember.objects.bulk_create([m for cadre in cadres for m in _family(rng, cadre, today)], batch_size=2000)

    # A few events and illnesses, recorded as a person would, then some visited.
    township_cadres = [c for c in cadres if c.unit.kind == UnitKind.TOWNSHIP]
    # Half of them where the demo secretary works, so the demo logins have work to see.
    staffed = {c.unit_id for c in township_cadres if c.leader_post == LeaderPost.PARTY_SECRETARY and c.user_id}
    at_home = [c for c in township_cadres if c.unit_id in staffed and c.leader_post != LeaderPost.PARTY_SECRETARY]
    chosen = rng.sample(at_home, min(6, len(at_home))) + rng.sample(township_cadres, min(6, len(township_cadres)))
    obligations = []
    for cadre in chosen:
        kind = rng.choice(["death", "grave_illness", "accident", "disaster"])
        event, _ = services.family_event_record(
            actor=None,
            cadre=cadre,
            kind=kind,
            date=today - dt.timedelta(days=rng.randint(0, 20)),
            description="家中突发变故，需组织走访慰问",
            today=today,
        )
        obligations.append(event.obligation)
    for cadre in rng.sample(township_cadres, min(3, len(township_cadres))):
        condition, _ = services.cadre_condition_record(
            actor=None,
            cadre=cadre,
            kind="illness",
            date=today - dt.timedelta(days=rng.randint(0, 10)),
            description="住院治疗",
            today=today,
        )
        obligations.append(condition.obligation)
    for obligation in obligations[::2]:
        if obligation.owner is not None:
            # Recorded by its owner where they may record visits (a secretary), else by the system.
            may = scoping.may_in_unit(obligation.owner, "visits", ADD, obligation.cadre.unit)
            services.visit_record(
                actor=obligation.owner if may else None,
                cadre=obligation.cadre,
                date=today,
                kind="must_visit",
                visitors=[obligation.owner],
                money_amount=Decimal(1000),
                goods="米、油",
                notes="已上门看望，转达组织关怀",
                obligations=[obligation],
                today=today,
            )

    cases = [
        HardshipCase(
            cadre=cadre,
            category=rng.choice(HardshipCategory.values),
            description="家庭困难，需帮扶",
            status=rng.choice(["open", "helping", "helping"]),
            opened_on=today - dt.timedelta(days=rng.randint(30, 300)),
            next_review=today + dt.timedelta(days=rng.randint(-10, 60)),
        )
        for cadre in rng.sample(township_cadres, min(20, len(township_cadres)))
    ]
    HardshipCase.objects.bulk_create(cases)
    HardshipMeasure.objects.bulk_create(
        [
            HardshipMeasure(
                case=case,
                date=case.opened_on + dt.timedelta(days=7),
                kind="money",
                amount=Decimal(rng.choice([500, 1000, 2000])),
                provided_by="县委组织部",
            )
            for case in cases
            if case.status == "helping"
        ]
    )

    statuses = [FacilityStatus.PRESENT] * 6 + [FacilityStatus.BUILDING, FacilityStatus.MISSING]
    Facility.objects.bulk_create(
        [
            Facility(township=town, item=item, status=rng.choice(statuses), as_of=dt.date(today.year - 1, 12, 1))
            for town in townships
            for item in FacilityItem.values
        ],
        batch_size=2000,
    )

    allowances = []
    for town in townships:
        month = today.replace(day=1)
        for _ in range(6):
            month = (month - dt.timedelta(days=1)).replace(day=1)
            due_by = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
            late, short = rng.random() < 0.08, rng.random() < 0.05
            allowances.append(
                PostAllowance(
                    township=town,
                    month=month,
                    due_amount=Decimal(500),
                    due_by=due_by,
                    paid_amount=Decimal(300 if short else 500),
                    paid_on=due_by + dt.timedelta(days=rng.randint(3, 20)) if late else due_by - dt.timedelta(days=5),
                )
            )
    PostAllowance.objects.bulk_create(allowances, batch_size=2000)
    populate_follow_through(today=today)
