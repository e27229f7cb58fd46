"""Demo data for the commendation register over three years, so its figures
for the demo city read as the seed's ("三年来对表现突出的88名优秀基层干部进行了
表彰奖励,追授了3名市级优秀共产党员,8名干部被推荐为省级先进个人"): after the
recent awards ``talks.demo`` records through the service, the earlier ones are
topped up to 88 people awarded, 8 recommended to the province (half of them
awarded since) and 3 posthumous awards to cadres who died in office.

The earlier entries are written in bulk, as a register taken over from paper
is: they raise no must-talks (their talks are long past). A random generator of
its own leaves the other apps' demo data as it was."""

from __future__ import annotations

import datetime as dt
import random

from cadrecare.core import clock
from cadrecare.org.choices import CadreStatus, Gender, LeaderPost, UnitKind
from cadrecare.org.models import Cadre, OrgUnit
from cadrecare.org.rules import citizen_id_compose
from cadrecare.talks.choices import CommendationKind, CommendationLevel, CommendationStatus
from cadrecare.talks.models import Commendation

AWARDED, RECOMMENDED, POSTHUMOUS = 88, 8, 3
YEARS = 3  # "三年来"
SEED = 88

ISSUERS = {
    CommendationLevel.COUNTY: "中共{county}委、{county}人民政府",
    CommendationLevel.CITY: "中共丽江市委、丽江市人民政府",
    CommendationLevel.PROVINCIAL: "中共云南省委、云南省人民政府",
}
AWARDS = [
    (CommendationKind.COMMENDATION, "优秀共产党员", "扎根基层十余年，带领群众发展特色产业，所在村人均收入三年翻番。"),
    (CommendationKind.COMMENDATION, "优秀党务工作者", "规范村级组织活动场所建设，党员发展和教育管理工作成效突出。"),
    (CommendationKind.CITATION, "脱贫攻坚先进个人", "包村联户，帮助 56 户贫困户稳定脱贫。"),
    (CommendationKind.MERIT_THIRD, "防汛抗旱先进个人", "强降雨期间连续值守，组织转移群众 300 余人，无一伤亡。"),
    (CommendationKind.HONORARY_TITLE, "服务群众标兵", "推行便民服务代办制，群众满意率全乡第一。"),
]
DIED = ["因公殉职", "抢险救灾中牺牲", "积劳成疾病逝"]


def populate_history(*, today: dt.date | None = None) -> None:
    """Top the register up to the seed's three-year figures (as far as the demo
    has township cadres to commend)."""
    today = today or clock.today()
    rng = random.Random(SEED)
    since = dt.date(today.year - YEARS + 1, 1, 1)
    cadres = list(
        Cadre.objects.filter(status=CadreStatus.SERVING, unit__kind=UnitKind.TOWNSHIP)
        .select_related("unit__parent")
        .order_by("id")
    )
    if not cadres:
        return
    period = Commendation.objects.filter(date__gte=since)
    awarded = set(period.filter(status=CommendationStatus.AWARDED).values_list("cadre_id", flat=True))
    recommended = set(period.filter(recommended=True).values_list("cadre_id", flat=True))
    # Before the recent awards: from the period's start to four months ago.
    last = today - dt.timedelta(days=125)

    def when() -> dt.date:
        return since + dt.timedelta(days=rng.randint(0, max(0, (last - since).days)))

    rows = []
    fresh = [cadre for cadre in cadres if cadre.pk not in awarded and cadre.pk not in recommended]
    rng.shuffle(fresh)
    to_recommend = max(0, RECOMMENDED - len(recommended))
    granted = (to_recommend + 1) // 2  # recommendations the province has granted since count as awarded too
    for cadre in fresh[: max(0, AWARDED - len(awarded) - granted)]:
        level = rng.choice([CommendationLevel.COUNTY, CommendationLevel.COUNTY, CommendationLevel.CITY])
        kind, title, citation = rng.choice(AWARDS)
        rows.append(_entry(cadre, level, kind, title, citation, when(), CommendationStatus.AWARDED))
    taken = {row.cadre_id for row in rows}
    others = [cadre for cadre in fresh if cadre.pk not in taken]
    for index, cadre in enumerate(others[:to_recommend]):
        # Half of the recommendations were granted by the province since.
        status = CommendationStatus.AWARDED if index % 2 == 0 else CommendationStatus.RECOMMENDED
        entry = _entry(
            cadre,
            CommendationLevel.PROVINCIAL,
            CommendationKind.COMMENDATION,
            "省级先进个人",
            AWARDS[0][2],
            when(),
            status,
        )
        entry.recommended = True
        rows.append(entry)
    units = sorted({cadre.unit for cadre in cadres}, key=lambda unit: unit.pk)
    for index, unit in enumerate(rng.sample(units, min(POSTHUMOUS, len(units)))):
        died = when()
        cadre = _deceased(rng, unit, died)
        rows.append(
            _entry(
                cadre,
                CommendationLevel.CITY,
                CommendationKind.HONORARY_TITLE,
                "优秀共产党员",
                f"{DIED[index % len(DIED)]}，生前长期在乡镇一线工作，追授市级优秀共产党员。",
                min(last, died + dt.timedelta(days=30)),
                CommendationStatus.POSTHUMOUS,
            )
        )
    Commendation.objects.bulk_create(rows)


def _entry(
    cadre: Cadre, level: CommendationLevel, kind: str, title: str, citation: str, date: dt.date, status: str
) -> Commendation:
    county = cadre.unit.parent.name if cadre.unit.parent else ""
    return Commendation(
        cadre=cadre,
        level=level,
        kind=kind,
        title=title,
        date=date,
        status=status,
        recommended=status == CommendationStatus.RECOMMENDED,
        issuing_body=ISSUERS[level].format(county=county),
        citation=citation,
    )


def _deceased(rng: random.Random, unit: OrgUnit, died: dt.date) -> Cadre:
    """A cadre of ``unit`` who died in office on ``died`` (a citizen ID no one else has)."""
    birth = dt.date(died.year - rng.randint(35, 55), rng.randint(1, 12), rng.randint(1, 28))
    sequence = rng.randint(0, 499)
    while Cadre.objects.filter(id_number=citizen_id_compose("533200", birth, sequence, Gender.MALE)).exists():
        sequence += 1
    return Cadre.objects.create(
        name=rng.choice(["和建国", "木春华", "杨志强", "李正清", "赵永福"]),
        gender=Gender.MALE,
        birth_date=birth,
        id_number=citizen_id_compose("533200", birth, sequence, Gender.MALE),
        post_title="科员",
        leader_post=LeaderPost.NONE,
        unit=unit,
        establishment_unit=unit,
        status=CadreStatus.DECEASED,
        status_changed_on=died,
    )
