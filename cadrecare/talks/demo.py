"""Demo data for the six must-talks: commendations, petitions, a team flag and
warning signs raising their triggers through the services (so routing and
due dates are real), some of them answered by talks, and the last regular
talk of every township cadre written in bulk: within the year for most, a
little overdue for a few percent, and overdue (some of them escalated) for a
few cadres of the demo secretary's township. Deterministic from ``rng``; the
triggers are bounded in number whatever the size of the org data."""

from __future__ import annotations

import datetime as dt
import random

from dateutil.relativedelta import relativedelta

from cadrecare.core import clock
from cadrecare.org.choices import CadreStatus, LeaderPost, UnitKind
from cadrecare.org.models import Cadre
from cadrecare.talks.choices import TalkForm, TriggerKind, TriggerStatus
from cadrecare.talks.demo_commendations import populate_history
from cadrecare.talks.models import Talk, TalkTrigger
from cadrecare.talks.services import (
    commendation_record,
    petition_record,
    talk_record,
    talk_trigger_create,
    team_flag_record,
)

COMMENDATIONS = 40
PETITIONS = 12
WARNING_SIGNS = 8
REGULAR_TALK_OVERDUE = 0.03  # share of township cadres whose last regular talk is over a year old
OVERDUE_DAYS = (1, 60)
# Days overdue of the regular talks of the first cadres of the demo
# secretary's township: reminded, escalated to the county, and to the city.
SHOWCASE_OVERDUE = (3, 10, 30)

ISSUERS = {"township": "乡镇党委", "county": "县委、县人民政府", "city": "市委、市人民政府"}
TITLES = ["优秀共产党员", "优秀党务工作者", "脱贫攻坚先进个人", "防汛抗旱先进个人", "乡村振兴先进工作者"]
PETITION_SUMMARIES = ["群众反映办事推诿、态度生硬", "反映低保评定不公", "反映征地补偿款发放迟缓", "反映工作日饮酒"]
WARNING_NOTES = ["近期多次无故缺勤", "与服务对象发生争执", "工作日午间饮酒", "家庭矛盾影响工作"]
PLACES = ["乡党委书记办公室", "乡政府小会议室", "县委组织部谈话室"]


def populate(*, rng: random.Random) -> None:
    today = clock.today()
    cadres = list(
        Cadre.objects.filter(status=CadreStatus.SERVING, unit__kind=UnitKind.TOWNSHIP)
        .select_related("unit")
        .order_by("id")
    )
    if not cadres:
        return
    secretaries = {
        unit_id: user_id
        for unit_id, user_id in Cadre.objects.filter(
            status=CadreStatus.SERVING,
            leader_post=LeaderPost.PARTY_SECRETARY,
            unit__kind=UnitKind.TOWNSHIP,
            user__isnull=False,
        ).values_list("unit_id", "user_id")
    }

    # Half of each sample comes from townships whose party secretary can log
    # in, so the demo secretary has must-talks of their own to hold.
    staffed = [c for c in cadres if c.unit_id in secretaries and c.leader_post == LeaderPost.NONE]

    def sample(size: int) -> list[Cadre]:
        mine = rng.sample(staffed, min(size // 2, len(staffed)))
        chosen = {c.pk for c in mine}
        rest = [c for c in cadres if c.pk not in chosen]
        return mine + rng.sample(rest, min(size - len(mine), len(rest)))

    def days_ago(low: int, high: int) -> dt.date:
        return today - dt.timedelta(days=rng.randint(low, high))

    for index, cadre in enumerate(sample(COMMENDATIONS)):
        level = rng.choice(["county", "city", "township"])
        commendation_record(
            actor=None,
            cadre=cadre,
            level=level,
            title=rng.choice(TITLES),
            date=days_ago(0, 120),
            status="recommended" if index % 8 == 7 else "awarded",
            issuing_body=ISSUERS[level],
        )
    for index, cadre in enumerate(sample(PETITIONS)):
        petition_record(
            actor=None,
            cadre=cadre,
            date=days_ago(0, 90),
            summary=rng.choice(PETITION_SUMMARIES),
            seriousness=rng.choice(["minor", "serious", "grave"]),
            important=index % 2 == 0,
        )
    for cadre in sample(WARNING_SIGNS):
        talk_trigger_create(
            actor=None,
            cadre=cadre,
            kind=TriggerKind.WARNING_SIGNS,
            event_date=days_ago(0, 30),
            note=rng.choice(WARNING_NOTES),
            source_key=f"demo-{cadre.pk}",
        )
    led_units = sorted({c.unit_id for c in cadres if c.leader_post != LeaderPost.NONE})
    if led_units:
        unit = next(c.unit for c in cadres if c.unit_id == rng.choice(led_units))
        team_flag_record(actor=None, unit=unit, date=days_ago(5, 40), note="书记与乡镇长工作配合不畅，班子议事效率低")

    _answer_some_triggers(rng, today)
    _regular_talks(rng, today, cadres, secretaries)
    populate_history(today=today)


def _answer_some_triggers(rng: random.Random, today: dt.date) -> None:
    """Half of the routed triggers are answered by their talker, some late."""
    for trigger in (
        TalkTrigger.objects.filter(status=TriggerStatus.OPEN, talker__isnull=False)
        .select_related("cadre__unit", "talker")
        .order_by("id")
    ):
        if rng.random() < 0.5:
            continue
        talker = trigger.talker
        assert talker is not None  # read with talker__isnull=False
        date = min(today, trigger.event_date + dt.timedelta(days=rng.randint(1, 25)))
        talk_record(
            actor=None,  # the demo's own record: the talker may hold no grant the API would ask for
            talkee=trigger.cadre,
            talkers=[talker],
            date=date,
            form=rng.choice(TalkForm.values),
            place=rng.choice(PLACES),
            summary="了解思想、工作和生活情况，提出要求。",
            triggers=[trigger],
            today=today,
        )


def _regular_talks(rng: random.Random, today: dt.date, cadres: list[Cadre], secretaries: dict[int, int]) -> None:
    """Each township cadre's last regular talk, in bulk: held by the township's
    party secretary where they can log in (elsewhere entered without a
    talker, as records taken over from paper are)."""
    demo_secretary = Cadre.objects.filter(user__username="secretary").values_list("unit_id", flat=True).first()
    talked = set(Talk.objects.values_list("talkee_id", flat=True))  # must-talks just held
    showcase = [
        c for c in cadres if c.unit_id == demo_secretary and c.leader_post == LeaderPost.NONE and c.pk not in talked
    ]
    late = dict(zip((c.pk for c in showcase), SHOWCASE_OVERDUE, strict=False))
    talks = []
    for cadre in cadres:
        year_ago = today - relativedelta(years=1)
        if cadre.pk in late:
            date = year_ago - dt.timedelta(days=late[cadre.pk])
        elif rng.random() < REGULAR_TALK_OVERDUE:
            date = year_ago - dt.timedelta(days=rng.randint(*OVERDUE_DAYS))
        else:
            date = today - dt.timedelta(days=rng.randint(5, 360))
        # The township secretary talks with the township's other cadres; the
        # county with its leaders (no login in the demo).
        talker = secretaries.get(cadre.unit_id) if cadre.leader_post == LeaderPost.NONE else None
        talks.append(
            Talk(
                talkee=cadre,
                date=date,
                form=TalkForm.FACE_TO_FACE,
                place=PLACES[0],
                summary="经常性谈心谈话。",
                recorded_by_id=talker,
            )
        )
    talks = Talk.objects.bulk_create(talks, batch_size=2000)
    Talk.talkers.through.objects.bulk_create(
        (Talk.talkers.through(talk_id=talk.pk, user_id=talk.recorded_by_id) for talk in talks if talk.recorded_by_id),
        batch_size=2000,
    )
