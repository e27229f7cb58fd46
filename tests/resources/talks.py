"""The talks' resources: routes, policies, triggers, talks, commendations,
petitions, team flags, interviews and the summaries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cadrecare.org.choices import LeaderPost, Rank
from cadrecare.talks.choices import TalkeeGroup, TalkerPost, TriggerKind, TriggerSource
from cadrecare.talks.models import InterviewRound, Petition, Talk, TalkPolicy, TalkRoute, TeamFlag
from cadrecare.talks.services import commendation_record, talk_trigger_raise
from tests.factories import CadreFactory, cadre_of
from tests.resources.common import Factory, ResourceCase


def _trigger_about(cadre_attr: str) -> Factory:
    def make(cast: Any) -> Any:
        return talk_trigger_raise(
            cadre=getattr(cast, cadre_attr),
            kind=TriggerKind.ACHIEVEMENT,
            source=TriggerSource.MANUAL,
            source_key=f"matrix-{cadre_attr}",
            event_date=dt.date(2025, 3, 1),
        )

    return make


def _talk_with(cadre_attr: str, talker_attr: str) -> Factory:
    def make(cast: Any) -> Talk:
        talk = Talk.objects.create(talkee=getattr(cast, cadre_attr), date=dt.date(2025, 3, 2), summary="谈话内容")
        talk.talkers.set([getattr(cast, talker_attr)])
        return talk

    return make


def _units_with_triggers(cadre_attr: str, unit_attr: str) -> Factory:
    def make(cast: Any) -> Any:
        _trigger_about(cadre_attr)(cast)
        return getattr(cast, unit_attr)

    return make


def _interview_payload(cast: Any) -> dict[str, Any]:
    CadreFactory(unit=cast.town_a1, rank=Rank.SECTION_DEPUTY)
    return {
        "unit": cast.town_a1.pk,
        "title": "2025年二季度约谈",
        "start_date": "2025-04-01",
        "end_date": "2025-04-30",
        "interviewers": [cadre_of(cast.county_a_staff, cast.agency_a).pk],
    }


CASES: list[ResourceCase] = [
    ResourceCase(
        "talk-routes",  # a county's, so "in A1's scope" means county A's
        make_in=lambda c: TalkRoute.objects.create(
            county=c.county_a,
            talkee_group=TalkeeGroup.TOWNSHIP_LEADER,
            talker_post=TalkerPost.COUNTY_PARTY_SECRETARY,
            talker_leader_post=LeaderPost.PARTY_SECRETARY,
        ),
        make_out=lambda c: TalkRoute.objects.create(
            county=c.county_b,
            talkee_group=TalkeeGroup.TOWNSHIP_LEADER,
            talker_post=TalkerPost.COUNTY_PARTY_SECRETARY,
            talker_leader_post=LeaderPost.PARTY_SECRETARY,
        ),
        payload=lambda c: {
            "county": c.county_a.pk,
            "talkee_group": TalkeeGroup.TOWNSHIP_CADRE,
            "talker_post": TalkerPost.TOWNSHIP_PARTY_SECRETARY,
            "talker_leader_post": LeaderPost.PARTY_SECRETARY,
            "cadence_months": 6,
        },
        update=lambda c: {"cadence_months": 6},
        methods=frozenset({"list", "retrieve", "create", "update", "delete"}),
        self_visible=False,
    ),
    ResourceCase(
        "talk-policies",
        make_in=lambda c: TalkPolicy.objects.create(unit=c.town_a1, kind=TriggerKind.PETITION, due_days=10),
        make_out=lambda c: TalkPolicy.objects.create(unit=c.town_b1, kind=TriggerKind.PETITION, due_days=10),
        payload=lambda c: {"unit": c.town_a1.pk, "kind": TriggerKind.ACHIEVEMENT, "due_days": 30},
        update=lambda c: {"due_days": 20},
        methods=frozenset({"list", "retrieve", "create", "update", "delete"}),
        self_visible=False,
    ),
    ResourceCase(
        "talk-triggers",
        make_in=_trigger_about("cadre_a1"),
        make_out=_trigger_about("cadre_b1"),
        payload=lambda c: {
            "cadre": c.cadre_a1.pk,
            "kind": TriggerKind.WARNING_SIGNS,
            "event_date": "2025-02-01",
            "note": "近期多次迟到早退",
        },
        update=lambda c: {"due_date": "2025-04-30"},
        methods=frozenset({"list", "retrieve", "create", "update"}),
    ),
    ResourceCase(
        "talks",
        make_in=_talk_with("cadre_a1", "secretary_a1"),
        make_out=_talk_with("cadre_b1", "secretary_b1"),
        payload=lambda c: {
            "talkee": c.cadre_a1.pk,
            "talkers": [c.secretary_a1_cadre.pk],
            "date": "2025-03-05",
            "form": "face_to_face",
            "summary": "了解工作生活情况",
        },
        update=lambda c: {"place": "乡党委会议室"},
        methods=frozenset({"list", "retrieve", "create", "update"}),
    ),
    ResourceCase(
        "commendations",
        make_in=lambda c: commendation_record(
            actor=None, cadre=c.cadre_a1, level="county", title="优秀共产党员", date=dt.date(2025, 7, 1)
        ),
        make_out=lambda c: commendation_record(
            actor=None, cadre=c.cadre_b1, level="county", title="优秀共产党员", date=dt.date(2025, 7, 1)
        ),
        payload=lambda c: {"cadre": c.cadre_a1.pk, "level": "city", "title": "脱贫攻坚先进个人", "date": "2025-06-01"},
        update=lambda c: {"level": "provincial"},
        methods=frozenset({"list", "retrieve", "create", "update"}),
    ),
    ResourceCase(
        "petitions",
        make_in=lambda c: Petition.objects.create(
            cadre=c.cadre_a1, date=dt.date(2025, 5, 1), summary="反映作风问题", seriousness="minor"
        ),
        make_out=lambda c: Petition.objects.create(
            cadre=c.cadre_b1, date=dt.date(2025, 5, 1), summary="反映作风问题", seriousness="minor"
        ),
        payload=lambda c: {
            "cadre": c.cadre_a1.pk,
            "date": "2025-05-02",
            "summary": "群众反映办事推诿",
            "seriousness": "serious",
            "important": True,
        },
        update=lambda c: {"important": True},
        methods=frozenset({"list", "retrieve", "create", "update"}),
    ),
    ResourceCase(
        "team-flags",
        make_in=lambda c: TeamFlag.objects.create(unit=c.town_a1, date=dt.date(2025, 4, 1), note="书记乡长不团结"),
        make_out=lambda c: TeamFlag.objects.create(unit=c.town_b1, date=dt.date(2025, 4, 1), note="书记镇长不团结"),
        payload=lambda c: {"unit": c.town_a1.pk, "date": "2025-04-02", "note": "班子成员分工推诿"},
        update=lambda c: {"note": "补充说明"},
        methods=frozenset({"list", "retrieve", "create", "update"}),
        self_visible=False,
    ),
    ResourceCase(
        "interview-rounds",
        make_in=lambda c: InterviewRound.objects.create(
            unit=c.town_a1, title="一季度约谈", start_date=dt.date(2025, 1, 6), end_date=dt.date(2025, 1, 31)
        ),
        make_out=lambda c: InterviewRound.objects.create(
            unit=c.town_b1, title="一季度约谈", start_date=dt.date(2025, 1, 6), end_date=dt.date(2025, 1, 31)
        ),
        payload=_interview_payload,
        update=lambda c: {"title": "一季度约谈（调整）"},
        methods=frozenset({"list", "retrieve", "create", "update"}),
        self_visible=False,
    ),
    ResourceCase(
        "regular-talks",
        make_in=lambda c: c.cadre_a1,
        make_out=lambda c: c.cadre_b1,
        methods=frozenset({"list"}),
        self_visible=False,
    ),
    ResourceCase(
        "talk-summary",
        make_in=_units_with_triggers("cadre_a1", "town_a1"),
        make_out=_units_with_triggers("cadre_b1", "town_b1"),
        methods=frozenset({"list"}),
        self_visible=False,
    ),
]
