"""What the specs of the talks resources' write doors share: a record of each
resource to write to, a day relative to today, and the audit rows written
(reads aside)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cadrecare.audit.models import AuditEntry
from cadrecare.core import clock
from cadrecare.org.choices import LeaderPost
from cadrecare.talks.choices import TalkeeGroup, TalkerPost, TriggerKind, TriggerSource
from cadrecare.talks.models import (
    Commendation,
    InterviewRound,
    Petition,
    Talk,
    TalkFollowUp,
    TalkPolicy,
    TalkRoute,
    TalkTrigger,
    TeamFlag,
)
from cadrecare.talks.services import commendation_record, talk_trigger_raise, talk_trigger_waive

ROUTE = {
    "talkee_group": TalkeeGroup.TOWNSHIP_LEADER,
    "talker_post": TalkerPost.COUNTY_PARTY_SECRETARY,
    "talker_leader_post": LeaderPost.PARTY_SECRETARY,
    "cadence_months": 6,
}


def make_route(cast: Any) -> TalkRoute:
    return TalkRoute.objects.create(county=cast.county_a, **ROUTE)


def make_policy(cast: Any) -> TalkPolicy:
    return TalkPolicy.objects.create(unit=cast.town_a1, kind=TriggerKind.PETITION, due_days=10)


def iso_day(offset: int) -> str:
    return (clock.today() + dt.timedelta(days=offset)).isoformat()


def make_trigger(cast: Any) -> TalkTrigger:
    trigger = talk_trigger_raise(
        cadre=cast.cadre_a1,
        kind=TriggerKind.ACHIEVEMENT,
        source=TriggerSource.MANUAL,
        source_key="doors",
        event_date=clock.today() - dt.timedelta(days=10),
    )
    assert trigger is not None  # cadre A1 serves
    return trigger


def make_waived_trigger(cast: Any) -> TalkTrigger:
    return talk_trigger_waive(actor=cast.county_a_admin, trigger=make_trigger(cast), reason="已调离本乡")


def make_talk(cast: Any) -> Talk:
    talk = Talk.objects.create(talkee=cast.cadre_a1, date=clock.today(), form="face_to_face", summary="谈话内容")
    talk.talkers.set([cast.secretary_a1])
    TalkFollowUp.objects.create(talk=talk, action="协调住宿", owner=cast.secretary_a1, due_date=clock.today())
    return talk


def make_flag(cast: Any) -> TeamFlag:
    return TeamFlag.objects.create(unit=cast.town_a1, date=clock.today(), note="书记乡长不团结")


def make_round(cast: Any) -> InterviewRound:
    return InterviewRound.objects.create(
        unit=cast.town_a1, title="一季度约谈", start_date=clock.today(), end_date=clock.today()
    )


def make_commendation(cast: Any) -> Commendation:
    return commendation_record(
        actor=None, cadre=cast.cadre_a1, level="county", title="优秀共产党员", date=clock.today(), status="recommended"
    )


def make_petition(cast: Any) -> Petition:
    return Petition.objects.create(cadre=cast.cadre_a1, date=clock.today(), summary="反映作风问题", seriousness="minor")


def audit_rows() -> list[tuple[str, str, str, list[str]]]:
    return list(
        AuditEntry.objects.exclude(action="read")
        .order_by("pk")
        .values_list("action", "resource", "object_id", "fields")
    )
