"""Each talks service owns its write's audit row: called directly (as the API,
the workbench and the demo call it), a write leaves exactly one row naming
its resource and record, in the write's transaction; a write placed in a unit
outside the actor's scope is refused beside the field that places it, and
leaves none (docs/architecture.md, "One write path")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from cadrecare.audit.models import AuditEntry
from cadrecare.core import clock
from cadrecare.core.errors import DomainError
from cadrecare.org.choices import LeaderPost, Rank
from cadrecare.org.models import User
from cadrecare.talks import services as talks
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

pytestmark = pytest.mark.django_db

ROUTE = {
    "talkee_group": TalkeeGroup.TOWNSHIP_LEADER,
    "talker_post": TalkerPost.COUNTY_PARTY_SECRETARY,
    "talker_leader_post": LeaderPost.PARTY_SECRETARY,
    "cadence_months": 6,
}


@dataclass(frozen=True)
class Write:
    name: str
    resource: str
    action: str
    fields: list[str]
    call: Callable[[Any, Any], Any]  # (actor, the record given) -> the record written
    given: Callable[[Any], Any] = lambda cadre: cadre  # the cadre the write is about -> what it is on
    placed: bool = True  # False: who may is the service's own rule, wherever the record is


def _county(cadre: Any) -> Any:
    return cadre.unit.parent


def _route(cadre: Any) -> TalkRoute:
    return TalkRoute.objects.create(county=_county(cadre), **ROUTE)


def _policy(cadre: Any) -> TalkPolicy:
    return TalkPolicy.objects.create(unit=cadre.unit, kind=TriggerKind.PETITION, due_days=10)


def _days_ago(days: int) -> dt.date:
    return clock.today() - dt.timedelta(days=days)


def _trigger(cadre: Any) -> TalkTrigger | None:
    return talks.talk_trigger_raise(
        cadre=cadre,
        kind=TriggerKind.ACHIEVEMENT,
        source=TriggerSource.MANUAL,
        source_key="spec",
        event_date=_days_ago(10),
    )


def _org_admin() -> User:
    return User.objects.get(username="county_a_admin")


def _talk(cadre: Any) -> Talk:
    """A talk the county's org admin held with ``cadre``, with one follow-up they own (stored as found)."""
    talk = Talk.objects.create(talkee=cadre, date=_days_ago(3), form="face_to_face", summary="了解工作生活情况")
    talk.talkers.set([_org_admin()])
    TalkFollowUp.objects.create(talk=talk, action="协调住宿", owner=_org_admin(), due_date=_days_ago(0))
    return talk


def _commendation(cadre: Any) -> Commendation:
    return talks.commendation_record(actor=None, cadre=cadre, level="county", title="优秀共产党员", date=_days_ago(30))


def _petition(cadre: Any) -> Petition:
    return talks.petition_record(
        actor=None, cadre=cadre, date=_days_ago(9), summary="反映作风问题", seriousness="minor"
    )


def _flag(cadre: Any) -> TeamFlag:
    return TeamFlag.objects.create(unit=cadre.unit, date=_days_ago(5), note="书记乡长不团结")


def _round(cadre: Any) -> InterviewRound:
    return InterviewRound.objects.create(
        unit=cadre.unit, title="一季度约谈", start_date=_days_ago(20), end_date=_days_ago(0)
    )


def _leader(cadre: Any) -> Any:
    """``cadre``, made a serving member of their township's leadership (a team flag names them)."""
    cadre.leader_post = LeaderPost.HEAD
    cadre.save(update_fields=["leader_post"])
    return cadre


def _section_level(cadre: Any) -> Any:
    """``cadre``, ranked section-level (a round interviews those)."""
    cadre.rank = Rank.SECTION_DEPUTY
    cadre.save(update_fields=["rank"])
    return cadre


def _deleted(delete: Callable[[Any, Any], None]) -> Callable[[Any, Any], Any]:
    def call(actor: Any, record: Any) -> Any:
        pk = record.pk
        delete(actor, record)
        record.pk = pk  # the row names the record as it was
        return record

    return call


WRITES = [
    Write(
        "talk_route_save",
        "talk-routes",
        "create",
        ["cadence_months", "county", "talkee_group", "talker_leader_post", "talker_post"],
        lambda a, c: talks.talk_route_save(actor=a, county=_county(c), **ROUTE)[0],
    ),
    Write(
        "talk_route_save-update",
        "talk-routes",
        "update",
        ["cadence_months"],
        lambda a, r: talks.talk_route_save(actor=a, county=r.county, **{**ROUTE, "cadence_months": 3})[0],
        _route,
    ),
    Write(
        "talk_route_delete",
        "talk-routes",
        "delete",
        [],
        _deleted(lambda a, r: talks.talk_route_delete(actor=a, route=r)),
        _route,
    ),
    Write(
        "talk_due_days_set",
        "talk-policies",
        "create",
        ["due_days", "kind", "unit"],
        lambda a, c: talks.talk_due_days_set(actor=a, unit=c.unit, due_days={TriggerKind.PETITION: 20})[0][1],
    ),
    Write(
        "talk_due_days_set-update",
        "talk-policies",
        "update",
        ["due_days"],
        lambda a, p: talks.talk_due_days_set(actor=a, unit=p.unit, due_days={p.kind: 20})[0][1],
        _policy,
    ),
    Write(
        "talk_due_days_set-delete",
        "talk-policies",
        "delete",
        [],
        lambda a, p: talks.talk_due_days_set(actor=a, unit=p.unit, due_days={p.kind: None})[0][1],
        _policy,
    ),
    Write(
        "talk_trigger_create",
        "talk-triggers",
        "create",
        ["cadre", "event_date", "kind", "note"],
        lambda a, c: talks.talk_trigger_create(
            actor=a, cadre=c, kind=TriggerKind.WARNING_SIGNS, event_date=_days_ago(1), note="近期多次迟到早退"
        ),
    ),
    Write(
        "talk_trigger_update",
        "talk-triggers",
        "update",
        ["due_date"],
        lambda a, t: talks.talk_trigger_update(actor=a, trigger=t, data={"due_date": _days_ago(0)}),
        _trigger,
    ),
    Write(
        "talk_trigger_waive",
        "talk-triggers",
        "update",
        ["status", "waive_reason"],
        lambda a, t: talks.talk_trigger_waive(actor=a, trigger=t, reason="已调离本乡"),
        _trigger,
    ),
    Write(
        "talk_record",
        "talks",
        "create",
        ["date", "form", "summary", "talkee", "talkers"],
        lambda a, c: talks.talk_record(
            actor=a, talkee=c, talkers=[a], date=_days_ago(1), form="face_to_face", summary="谈心谈话"
        ),
    ),
    Write(
        "talk_update",
        "talks",
        "update",
        ["place"],
        lambda a, t: talks.talk_update(actor=a, talk=t, data={"place": "乡党委会议室"}),
        _talk,
    ),
    Write(
        "talk_follow_up_close",
        "talks",
        "update",
        ["follow_ups"],
        lambda a, t: talks.talk_follow_up_close(actor=a, follow_up=t.follow_ups.get()).talk,
        _talk,
        placed=False,
    ),
    Write(
        "commendation_record",
        "commendations",
        "create",
        ["cadre", "date", "kind", "level", "status", "title"],
        lambda a, c: talks.commendation_record(actor=a, cadre=c, level="city", title="先进个人", date=_days_ago(2)),
    ),
    Write(
        "commendation_update",
        "commendations",
        "update",
        ["level"],
        lambda a, m: talks.commendation_update(actor=a, commendation=m, data={"level": "provincial"}),
        _commendation,
    ),
    Write(
        "petition_record",
        "petitions",
        "create",
        ["cadre", "date", "important", "seriousness", "summary"],
        lambda a, c: talks.petition_record(
            actor=a, cadre=c, date=_days_ago(2), summary="群众反映办事推诿", seriousness="serious"
        ),
    ),
    Write(
        "petition_update",
        "petitions",
        "update",
        ["important"],
        lambda a, p: talks.petition_update(actor=a, petition=p, data={"important": True}),
        _petition,
    ),
    Write(
        "team_flag_record",
        "team-flags",
        "create",
        ["date", "note", "unit"],
        lambda a, c: talks.team_flag_record(actor=a, unit=c.unit, date=_days_ago(2), note="班子成员分工推诿"),
        _leader,
    ),
    Write(
        "team_flag_update",
        "team-flags",
        "update",
        ["note"],
        lambda a, f: talks.team_flag_update(actor=a, flag=f, note="补充说明"),
        _flag,
    ),
    Write(
        "interview_round_plan",
        "interview-rounds",
        "create",
        ["end_date", "interviewers", "start_date", "title", "unit"],
        lambda a, c: talks.interview_round_plan(
            actor=a, unit=c.unit, title="二季度约谈", start_date=_days_ago(5), end_date=_days_ago(0), interviewers=[a]
        ),
        _section_level,
    ),
    Write(
        "interview_round_update",
        "interview-rounds",
        "update",
        ["interviewers", "title"],
        lambda a, r: talks.interview_round_update(actor=a, round_=r, title="一季度约谈（调整）", interviewers=[a]),
        _round,
    ),
]


def _rows() -> list[tuple[str, str, str, list[str]]]:
    return list(
        AuditEntry.objects.exclude(action="read")
        .order_by("pk")
        .values_list("action", "resource", "object_id", "fields")
    )


@pytest.mark.parametrize("write", WRITES, ids=lambda write: write.name)
def test_a_talks_service_writes_exactly_one_audit_row(cast: Any, write: Write) -> None:
    given = write.given(cast.cadre_a1)
    before = len(_rows())

    # when the county's organization department writes about a cadre of its county
    record = write.call(cast.county_a_admin, given)

    # then one row names the write, its resource, its record and the fields written, and no other row was added
    assert _rows()[before:] == [(write.action, write.resource, str(record.pk), write.fields)]


@pytest.mark.parametrize("write", [write for write in WRITES if write.placed], ids=lambda write: write.name)
def test_a_talks_write_outside_the_actors_scope_is_refused_and_leaves_no_row(cast: Any, write: Write) -> None:
    given = write.given(cast.cadre_b1)
    before = len(_rows())

    # when county A's organization department writes about a cadre of county B
    with pytest.raises(DomainError) as refused:
        write.call(cast.county_a_admin, given)

    # then it is refused as a placement outside scope, and nothing is audited
    assert str(refused.value.message) == "所选单位不在您的管理范围内。"
    assert len(_rows()) == before
