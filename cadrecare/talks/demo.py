"""Demo data for the six must-talks: commendations, petitions, a team flag and
warning signs raising their triggers through the services (so routing and
due dates are real), some of them answered by talks, and a year of regular
talks written in bulk. Deterministic from ``rng``; bounded in size whatever
the size of the org data, so it stays fast."""

from __future__ import annotations

import datetime as dt
import random

from cadrecare.core import clock
from cadrecare.org.choices import CadreStatus, LeaderPost, UnitKind
from cadrecare.org.models import Cadre
from cadrecare.talks.choices import TalkForm, TriggerKind, TriggerStatus
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
REGULAR_TALK_SHARE = 0.6  # share of township cadres talked with in the last year
MAX_REGULAR_TALKS = 20000

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
            status=CadreStatus.SERVING, leader_post=LeaderPost.PARTY_SECRETARY, unit__kind=UnitKind.TOWNSHIP,
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

    for cadre in sample(COMMENDATIONS):
        commendation_record(actor=None, cadre=cadre, level=rng.choice(["county", "city", "township"]),
                            title=rng.choice(TITLES), date=days_ago(0, 120))
    for index, cadre in enumerate(sample(PETITIONS)):
        petition_record(actor=None, cadre=cadre, date=days_ago(0, 90), summary=rng.choice(PETITION_SUMMARIES),
                        seriousness=rng.choice(["minor", "serious", "grave"]), important=index % 2 == 0)
    for cadre in sample(WARNING_SIGNS):
        talk_trigger_create(actor=None, cadre=cadre, kind=TriggerKind.WARNING_SIGNS, event_date=days_ago(0, 30),
                            note=rng.choice(WARNING_NOTES), source_key=f"demo-{cadre.pk}")
    led_units = sorted({c.unit_id for c in cadres if c.leader_post != LeaderPost.NONE})
    if led_units:
        unit = next(c.unit for c in cadres if c.unit_id == rng.choice(led_units))
        team_flag_record(actor=None, unit=unit, date=days_ago(5, 40), note="书记与乡镇长工作配合不畅，班子议事效率低")

    _answer_some_triggers(rng, today)
    _regular_talks(rng, today, cadres, secretaries)


def _answer_some_triggers(rng: random.Random, today: dt.date) -> None:
    """Half of the routed triggers are answered by their talker, some late."""
    for trigger in TalkTrigger.objects.filter(status=TriggerStatus.OPEN, talker__isnull=False).select_related(
        "cadre__unit", "talker"
    ).order_by("id"):
        if rng.random() < 0.5:
            continue
        date = min(today, trigger.event_date + dt.timedelta(days=rng.randint(1, 25)))
        talk_record(actor=trigger.talker, talkee=trigger.cadre, talkers=[trigger.talker], date=date,
                    form=rng.choice(TalkForm.values), place=rng.choice(PLACES),
                    summary="了解思想、工作和生活情况，提出要求。", triggers=[trigger], today=today)


def _regular_talks(rng: random.Random, today: dt.date, cadres: list[Cadre], secretaries: dict[int, int]) -> None:
    """A year of regular talks by township party secretaries, in bulk."""
    talkees = [c for c in cadres if c.unit_id in secretaries and secretaries[c.unit_id] != c.user_id]
    chosen = rng.sample(talkees, min(int(len(talkees) * REGULAR_TALK_SHARE), MAX_REGULAR_TALKS))
    talks = Talk.objects.bulk_create(
        Talk(talkee=cadre, date=today - dt.timedelta(days=rng.randint(10, 400)), form=TalkForm.FACE_TO_FACE,
             place=PLACES[0], summary="经常性谈心谈话。", recorded_by_id=secretaries[cadre.unit_id])
        for cadre in chosen
    )
    Talk.talkers.through.objects.bulk_create(
        Talk.talkers.through(talk_id=talk.pk, user_id=secretaries[talk.talkee.unit_id]) for talk in talks
    )
