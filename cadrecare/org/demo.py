"""The demo city: 丽江市 as in the seed report, five counties and districts,
about 65 townships with offices and leaders, county agencies, about 3,500
cadres with plausible names, a demo login for each role (each but the city's
administrator linked to a cadre of the right unit) and a login for every other
township cadre (``<unit code>-<cadre id>``, their mobile number signing in too,
with the demo password). Deterministic for a seed; ``townships=N`` scales it to a
province for benchmarks."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from cadrecare.org import services
from cadrecare.org.choices import Gender, LeaderPost, Rank, Remoteness, Role, UnitKind
from cadrecare.org.models import Cadre, Office, OrgUnit, PostChange, RoleGrant, User
from cadrecare.org.rules import citizen_id_compose

DEMO_PASSWORD = "cadrecare-demo"

COUNTIES: list[tuple[str, str, list[str]]] = [
    (
        "530702",
        "古城区",
        [
            "大东乡",
            "金江白族乡",
            "七河镇",
            "金山白族乡",
            "金安镇",
            "西安街道",
            "大研街道",
            "祥和街道",
            "束河街道",
            "开南街道",
            "文化街道",
        ],
    ),
    (
        "530721",
        "玉龙县",
        [
            "黄山镇",
            "石鼓镇",
            "巨甸镇",
            "白沙镇",
            "拉市镇",
            "奉科镇",
            "鸣音镇",
            "宝山乡",
            "大具乡",
            "太安乡",
            "龙蟠乡",
            "石头白族乡",
            "黎明傈僳族乡",
            "鲁甸乡",
            "塔城乡",
            "九河白族乡",
        ],
    ),
    (
        "530722",
        "永胜县",
        [
            "永北镇",
            "仁和镇",
            "期纳镇",
            "三川镇",
            "程海镇",
            "涛源镇",
            "片角镇",
            "顺州镇",
            "羊坪彝族乡",
            "六德傈僳族彝族乡",
            "东山傈僳族彝族乡",
            "光华傈僳族彝族乡",
            "松坪傈僳族彝族乡",
            "大安彝族纳西族乡",
            "鲁地拉镇",
        ],
    ),
    (
        "530723",
        "华坪县",
        [
            "中心镇",
            "荣将镇",
            "兴泉镇",
            "石龙坝镇",
            "新庄傈僳族傣族乡",
            "通达傈僳族乡",
            "永兴傈僳族乡",
            "船房傈僳族傣族乡",
        ],
    ),
    (
        "530724",
        "宁蒗县",
        [
            "大兴镇",
            "永宁镇",
            "拉伯乡",
            "翠玉傈僳族普米族乡",
            "红桥镇",
            "宁利乡",
            "战河镇",
            "西布河乡",
            "西川乡",
            "新营盘乡",
            "烂泥箐乡",
            "跑马坪乡",
            "金棉乡",
            "永宁坪乡",
            "蝉战河乡",
        ],
    ),
]
OFFICES = [
    "党政综合办公室",
    "经济发展办公室",
    "社会事务办公室",
    "自然资源和生态环境办公室",
    "财政所",
    "综治中心",
    "农业农村服务中心",
]
AGENCIES = ["县委组织部", "县委办公室", "县人力资源和社会保障局"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗和木习段杜李杨赵沙阿普余施"
GIVEN = "建国华明丽芳军伟强敏静磊洋勇艳杰娟涛超秀英霞平刚桂兰志文红梅海燕云龙玉春晓东雪松林峰"
ETHNICITIES = ["汉族"] * 10 + ["纳西族"] * 4 + ["彝族"] * 3 + ["白族"] * 2 + ["傈僳族"] * 2 + ["普米族", "藏族"]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    unit: str


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _province_counties(townships: int) -> Iterator[tuple[str, str, list[str]]]:
    """The city's counties, then generated ones, until ``townships`` are placed."""
    placed = 0
    for code, name, towns in COUNTIES:
        take = towns[: max(0, townships - placed)]
        placed += len(take)
        yield code, name, take
    index = 0
    while placed < townships:
        index += 1
        count = min(14, townships - placed)
        placed += count
        yield f"59{index:04d}", f"示范县{index}", [f"示范县{index}第{n}乡" for n in range(1, count + 1)]


class _CadreMaker:
    """Builds unsaved cadres with unique, valid citizen IDs."""

    def __init__(self, rng: random.Random, today: dt.date) -> None:
        self.rng = rng
        self.today = today
        self.sequence = 0

    def make(self, unit: OrgUnit, office: Office | None, leader_post: str, rank: str, title: str) -> Cadre:
        rng = self.rng
        self.sequence += 1
        gender = Gender.MALE if rng.random() < 0.62 else Gender.FEMALE
        age = rng.randint(24, 58) if leader_post == LeaderPost.NONE else rng.randint(32, 56)
        birth = dt.date(self.today.year - age, rng.randint(1, 12), rng.randint(1, 28))
        joined = dt.date(max(birth.year + 22, self.today.year - rng.randint(1, 15)), rng.randint(1, 12), 1)
        return Cadre(
            name=_name(rng),
            gender=gender,
            ethnicity=rng.choice(ETHNICITIES),
            birth_date=birth,
            id_number=citizen_id_compose(unit.code[:6].ljust(6, "0"), birth, self.sequence, gender),
            phone=f"1{rng.choice('3589')}{rng.randint(0, 999999999):09d}",
            rank=rank,
            post_title=title,
            leader_post=leader_post,
            office=office,
            unit=unit,
            establishment_unit=unit,
            township_service_start=joined if unit.kind == UnitKind.TOWNSHIP else None,
            unit_joined=joined,
        )


TOWNSHIP_LEADERS = [
    (LeaderPost.PARTY_SECRETARY, Rank.SECTION_CHIEF, "党委书记"),
    (LeaderPost.HEAD, Rank.SECTION_CHIEF, "乡镇长"),
    (LeaderPost.DEPUTY, Rank.SECTION_DEPUTY, "党委副书记"),
    (LeaderPost.DEPUTY, Rank.SECTION_DEPUTY, "副乡镇长"),
    (LeaderPost.DEPUTY, Rank.SECTION_DEPUTY, "副乡镇长"),
    (LeaderPost.MEMBER, Rank.SECTION_DEPUTY, "党委委员、组织委员"),
    (LeaderPost.MEMBER, Rank.SECTION_DEPUTY, "纪委书记"),
]


@transaction.atomic
def build_city(*, seed: int = 2014, townships: int = 65, today: dt.date | None = None) -> dict[str, int]:
    """Build the demo organisation; returns counts of what was made."""
    rng = random.Random(seed)
    today = today or dt.date.today()
    maker = _CadreMaker(rng, today)
    city = services.org_unit_create(code="5307", name="丽江市", kind=UnitKind.CITY)
    cadres: list[Cadre] = []
    offices: list[Office] = []
    units: dict[str, OrgUnit] = {"city": city}
    for code, name, towns in _province_counties(townships):
        county = services.org_unit_create(code=code, name=name, kind=UnitKind.COUNTY, parent=city)
        units.setdefault("county", county)
        cadres.append(maker.make(county, None, LeaderPost.PARTY_SECRETARY, Rank.DIVISION_CHIEF, "县委书记"))
        for index, agency_name in enumerate(AGENCIES, start=1):
            agency = services.org_unit_create(
                code=f"{code}{index:03d}", name=f"{name}{agency_name}", kind=UnitKind.COUNTY_AGENCY, parent=county
            )
            head = (LeaderPost.HEAD, Rank.SECTION_CHIEF, "部长" if "组织部" in agency_name else "主任")
            cadres.append(maker.make(agency, None, *head))
            staff_ranks = [Rank.STAFF_MEMBER, Rank.SECTION_DEPUTY]
            cadres.extend(
                maker.make(agency, None, LeaderPost.NONE, rng.choice(staff_ranks), "干部")
                for _ in range(rng.randint(6, 12))
            )
        for index, town_name in enumerate(towns, start=1):
            remote = rng.random() < 0.4
            town = services.org_unit_create(
                code=f"{code}{100 + index:03d}",
                name=town_name,
                kind=UnitKind.TOWNSHIP,
                parent=county,
                remoteness=rng.choice([Remoteness.GRADE_1, Remoteness.GRADE_2, Remoteness.GRADE_3])
                if remote
                else Remoteness.NONE,
                distance_km=rng.randint(60, 220) if remote else rng.randint(5, 60),
            )
            units.setdefault("township", town)
            town_offices = [Office(unit=town, name=office) for office in OFFICES]
            offices.extend(town_offices)
            for post, rank, title in TOWNSHIP_LEADERS:
                cadres.append(maker.make(town, town_offices[0], post, rank, title))
            for _ in range(rng.randint(36, 52)):
                rank = rng.choices([Rank.STAFF_MEMBER, Rank.SECTION_DEPUTY, Rank.CLERK, Rank.OTHER], [6, 2, 2, 1])[0]
                cadres.append(maker.make(town, None, LeaderPost.NONE, rank, "干部"))
    Office.objects.bulk_create(offices, batch_size=2000)
    by_unit: dict[int, list[Office]] = {}
    for office in Office.objects.all():
        by_unit.setdefault(office.unit_id, []).append(office)
    for cadre in cadres:
        if cadre.office is not None:
            cadre.office = next(o for o in by_unit[cadre.unit.pk] if o.name == cadre.office.name)
        elif cadre.unit.pk in by_unit:
            cadre.office = rng.choice(by_unit[cadre.unit.pk])
    Cadre.objects.bulk_create(cadres, batch_size=2000)
    PostChange.objects.bulk_create(
        [
            PostChange(
                cadre=c,
                kind="appointment",
                date=c.unit_joined,
                to_unit=c.unit,
                to_post_title=c.post_title,
                to_rank=c.rank,
                to_leader_post=c.leader_post,
            )
            for c in cadres
            if c.unit_joined is not None  # every demo cadre has one (CadreMaker.make)
        ],
        batch_size=2000,
    )
    _demo_logins(units)
    return {"units": OrgUnit.objects.count(), "offices": len(offices), "cadres": len(cadres)}


def _demo_logins(units: dict[str, OrgUnit]) -> list[DemoLogin]:
    """A login for each role; the secretary and the cadre are linked to cadres."""
    User.objects.create_superuser("admin", password=DEMO_PASSWORD, first_name="系统管理员")
    logins = [
        ("city_admin", Role.ORG_ADMIN, units["city"], "市委组织部管理员"),
        ("county_staff", Role.ORG_STAFF, units["county"], "县委组织部干部"),
        ("secretary", Role.SECRETARY, units["township"], "乡镇党委书记"),
        ("hr", Role.HR, units["township"], "乡镇人事干部"),
        ("cadre", Role.CADRE, units["township"], "乡镇干部"),
        ("county_leader", Role.COUNTY_LEADER, units["county"], "县委书记"),
    ]
    made = []
    for username, role, unit, label in logins:
        user = User.objects.create_user(username, password=DEMO_PASSWORD, first_name=label)
        RoleGrant.objects.create(user=user, role=role, unit=unit)
        made.append(DemoLogin(username, role, unit.name))
    # One person, one identity: the demo logins are the cadres who hold those posts.
    town = units["township"]
    plain = Cadre.objects.filter(unit=town, leader_post=LeaderPost.NONE).order_by("id")
    org_department = Cadre.objects.filter(unit__parent=units["county"], unit__name__endswith="委组织部")
    holders = {
        "secretary": Cadre.objects.filter(unit=town, leader_post=LeaderPost.PARTY_SECRETARY).first(),
        "cadre": plain[0],
        "hr": plain[1],
        "county_staff": org_department.filter(leader_post=LeaderPost.NONE).order_by("id").first(),
        # the county party secretary, the talker of the demo township's party secretary
        "county_leader": Cadre.objects.filter(unit=units["county"], leader_post=LeaderPost.PARTY_SECRETARY).first(),
    }
    for username, cadre in holders.items():
        assert cadre is not None  # the demo tree fills each of these posts
        Cadre.objects.filter(pk=cadre.pk).update(user=User.objects.get(username=username))
    _township_logins()
    return made


def _township_logins() -> None:
    """A login for every township cadre who has none, as ``cadre_logins_create``
    would open them by code (``<unit code>-<cadre id>``, the cadre role on their
    unit), with the demo password and no forced change, so the demo shows
    notices reaching people. One password hash for all: hashing each would take
    minutes for a province."""
    password = make_password(DEMO_PASSWORD)
    cadres = list(
        Cadre.objects.filter(unit__kind=UnitKind.TOWNSHIP, user__isnull=True).select_related("unit").order_by("id")
    )
    users = User.objects.bulk_create(
        [User(username=f"{cadre.unit.code}-{cadre.pk}", password=password, first_name=cadre.name) for cadre in cadres],
        batch_size=2000,
    )
    RoleGrant.objects.bulk_create(
        [RoleGrant(user=user, role=Role.CADRE, unit=cadre.unit) for user, cadre in zip(users, cadres, strict=True)],
        batch_size=2000,
    )
    for user, cadre in zip(users, cadres, strict=True):
        cadre.user = user
    Cadre.objects.bulk_update(cadres, ["user"], batch_size=2000)


def demo_logins() -> list[DemoLogin]:
    return [
        DemoLogin(grant.user.username, grant.get_role_display(), grant.unit.name)
        for grant in RoleGrant.objects.select_related("user", "unit").filter(
            user__username__in=["city_admin", "county_staff", "secretary", "hr", "cadre", "county_leader"]
        )
    ]
