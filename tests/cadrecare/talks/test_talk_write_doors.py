"""The talks resources through their doors: a write through the API leaves
exactly the one audit row its service writes (no second from the ViewSet),
and a write the service refuses, by a rule or as a placement outside the
user's scope, changes nothing and leaves no row. (The services called
directly: test_talk_service_audit.py; the workbench's pages:
tests/cadrecare/web/test_talk_page_audit.py.)"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import models

from cadrecare.audit.models import AuditEntry
from cadrecare.core import clock
from cadrecare.org.choices import LeaderPost, Role
from cadrecare.org.models import RoleGrant
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

pytestmark = pytest.mark.django_db

ROUTE = {
    "talkee_group": TalkeeGroup.TOWNSHIP_LEADER,
    "talker_post": TalkerPost.COUNTY_PARTY_SECRETARY,
    "talker_leader_post": LeaderPost.PARTY_SECRETARY,
    "cadence_months": 6,
}


def _route(cast: Any) -> TalkRoute:
    return TalkRoute.objects.create(county=cast.county_a, **ROUTE)


def _policy(cast: Any) -> TalkPolicy:
    return TalkPolicy.objects.create(unit=cast.town_a1, kind=TriggerKind.PETITION, due_days=10)


def _day(offset: int) -> str:
    return (clock.today() + dt.timedelta(days=offset)).isoformat()


def _trigger(cast: Any) -> TalkTrigger:
    trigger = talk_trigger_raise(
        cadre=cast.cadre_a1,
        kind=TriggerKind.ACHIEVEMENT,
        source=TriggerSource.MANUAL,
        source_key="doors",
        event_date=clock.today() - dt.timedelta(days=10),
    )
    assert trigger is not None  # cadre A1 serves
    return trigger


def _waived(cast: Any) -> TalkTrigger:
    return talk_trigger_waive(actor=cast.county_a_admin, trigger=_trigger(cast), reason="已调离本乡")


def _talk(cast: Any) -> Talk:
    talk = Talk.objects.create(talkee=cast.cadre_a1, date=clock.today(), form="face_to_face", summary="谈话内容")
    talk.talkers.set([cast.secretary_a1])
    TalkFollowUp.objects.create(talk=talk, action="协调住宿", owner=cast.secretary_a1, due_date=clock.today())
    return talk


def _flag(cast: Any) -> TeamFlag:
    return TeamFlag.objects.create(unit=cast.town_a1, date=clock.today(), note="书记乡长不团结")


def _round(cast: Any) -> InterviewRound:
    return InterviewRound.objects.create(
        unit=cast.town_a1, title="一季度约谈", start_date=clock.today(), end_date=clock.today()
    )


def _commendation(cast: Any) -> Commendation:
    return commendation_record(
        actor=None, cadre=cast.cadre_a1, level="county", title="优秀共产党员", date=clock.today(), status="recommended"
    )


def _petition(cast: Any) -> Petition:
    return Petition.objects.create(cadre=cast.cadre_a1, date=clock.today(), summary="反映作风问题", seriousness="minor")


def _rows() -> list[tuple[str, str, str, list[str]]]:
    return list(
        AuditEntry.objects.exclude(action="read")
        .order_by("pk")
        .values_list("action", "resource", "object_id", "fields")
    )


@dataclass(frozen=True)
class ApiWrite:
    """``user`` sends ``method`` to ``url`` with ``body``; the one row says ``action`` and ``fields``."""

    name: str
    user: str
    method: str
    url: Callable[[Any], tuple[str, int | None]]  # cast -> (URL, the record's id; None: the response's)
    body: Callable[[Any], dict[str, Any]]
    resource: str
    action: str
    fields: list[str]


API_WRITES = [
    ApiWrite(
        "talk-routes-create",
        "county_a_admin",
        "post",
        lambda c: ("/api/v1/talk-routes/", None),
        lambda c: {"county": c.county_a.pk, **ROUTE},
        "talk-routes",
        "create",
        ["cadence_months", "county", "talkee_group", "talker_leader_post", "talker_post"],
    ),
    ApiWrite(
        "talk-routes-update",
        "county_a_admin",
        "patch",
        lambda c: (f"/api/v1/talk-routes/{(r := _route(c)).pk}/", r.pk),
        lambda c: {"cadence_months": 3},
        "talk-routes",
        "update",
        ["cadence_months"],
    ),
    ApiWrite(
        "talk-routes-delete",
        "county_a_admin",
        "delete",
        lambda c: (f"/api/v1/talk-routes/{(r := _route(c)).pk}/", r.pk),
        lambda c: {},
        "talk-routes",
        "delete",
        [],
    ),
    ApiWrite(
        "talk-policies-create",
        "county_a_admin",
        "post",
        lambda c: ("/api/v1/talk-policies/", None),
        lambda c: {"unit": c.town_a1.pk, "kind": TriggerKind.ACHIEVEMENT, "due_days": 30},
        "talk-policies",
        "create",
        ["due_days", "kind", "unit"],
    ),
    ApiWrite(
        "talk-policies-update",
        "county_a_admin",
        "patch",
        lambda c: (f"/api/v1/talk-policies/{(p := _policy(c)).pk}/", p.pk),
        lambda c: {"due_days": 20},
        "talk-policies",
        "update",
        ["due_days"],
    ),
    ApiWrite(
        "talk-policies-delete",
        "county_a_admin",
        "delete",
        lambda c: (f"/api/v1/talk-policies/{(p := _policy(c)).pk}/", p.pk),
        lambda c: {},
        "talk-policies",
        "delete",
        [],
    ),
    ApiWrite(
        "talk-triggers-create",
        "county_a_staff",
        "post",
        lambda c: ("/api/v1/talk-triggers/", None),
        lambda c: {"cadre": c.cadre_a1.pk, "kind": "warning_signs", "event_date": _day(-1), "note": "多次迟到"},
        "talk-triggers",
        "create",
        ["cadre", "event_date", "kind", "note"],
    ),
    ApiWrite(
        "talk-triggers-update",
        "county_a_staff",
        "patch",
        lambda c: (f"/api/v1/talk-triggers/{(t := _trigger(c)).pk}/", t.pk),
        lambda c: {"due_date": _day(0)},
        "talk-triggers",
        "update",
        ["due_date"],
    ),
    ApiWrite(
        "talk-triggers-waive",
        "county_a_staff",
        "post",
        lambda c: (f"/api/v1/talk-triggers/{(t := _trigger(c)).pk}/waive/", t.pk),
        lambda c: {"reason": "已调离本乡"},
        "talk-triggers",
        "update",
        ["status", "waive_reason"],
    ),
    ApiWrite(
        "talks-create",
        "secretary_a1",
        "post",
        lambda c: ("/api/v1/talks/", None),
        lambda c: {
            "talkee": c.cadre_a1.pk,
            "talkers": [c.secretary_a1_cadre.pk],
            "date": _day(-1),
            "form": "face_to_face",
            "summary": "了解工作生活情况",
        },
        "talks",
        "create",
        ["date", "form", "summary", "talkee", "talkers"],
    ),
    ApiWrite(
        "talks-update",
        "secretary_a1",
        "patch",
        lambda c: (f"/api/v1/talks/{(t := _talk(c)).pk}/", t.pk),
        lambda c: {"place": "乡党委会议室"},
        "talks",
        "update",
        ["place"],
    ),
    ApiWrite(
        "talks-close-follow-up",
        "secretary_a1",
        "post",
        lambda c: (f"/api/v1/talks/{(t := _talk(c)).pk}/close-follow-up/", t.pk),
        lambda c: {"follow_up": TalkFollowUp.objects.get().pk},
        "talks",
        "update",
        ["follow_ups"],
    ),
    ApiWrite(
        "commendations-create",
        "hr_a1",
        "post",
        lambda c: ("/api/v1/commendations/", None),
        lambda c: {"cadre": c.cadre_a1.pk, "level": "city", "title": "脱贫攻坚先进个人", "date": _day(-1)},
        "commendations",
        "create",
        ["cadre", "date", "kind", "level", "status", "title"],
    ),
    ApiWrite(
        "commendations-update",
        "hr_a1",
        "patch",
        lambda c: (f"/api/v1/commendations/{(m := _commendation(c)).pk}/", m.pk),
        lambda c: {"level": "provincial"},
        "commendations",
        "update",
        ["level"],
    ),
    ApiWrite(
        "petitions-create",
        "county_a_staff",
        "post",
        lambda c: ("/api/v1/petitions/", None),
        lambda c: {"cadre": c.cadre_a1.pk, "date": _day(-1), "summary": "群众反映办事推诿", "seriousness": "serious"},
        "petitions",
        "create",
        ["cadre", "date", "important", "seriousness", "summary"],
    ),
    ApiWrite(
        "petitions-update",
        "county_a_staff",
        "patch",
        lambda c: (f"/api/v1/petitions/{(p := _petition(c)).pk}/", p.pk),
        lambda c: {"important": True},
        "petitions",
        "update",
        ["important"],
    ),
    ApiWrite(
        "team-flags-update",
        "county_a_staff",
        "patch",
        lambda c: (f"/api/v1/team-flags/{(f := _flag(c)).pk}/", f.pk),
        lambda c: {"note": "补充说明"},
        "team-flags",
        "update",
        ["note"],
    ),
    ApiWrite(
        "interview-rounds-update",
        "county_a_staff",
        "patch",
        lambda c: (f"/api/v1/interview-rounds/{(r := _round(c)).pk}/", r.pk),
        lambda c: {"title": "一季度约谈（调整）"},
        "interview-rounds",
        "update",
        ["title"],
    ),
]


@pytest.mark.parametrize("write", API_WRITES, ids=lambda write: write.name)
def test_a_write_through_the_api_leaves_exactly_its_services_row(cast: Any, client_for: Any, write: ApiWrite) -> None:
    url, pk = write.url(cast)
    before = len(_rows())

    response = getattr(client_for(write.user), write.method)(url, write.body(cast), format="json")

    assert response.status_code < 300, response.content[:400]
    record = pk if pk is not None else response.json()["id"]
    assert _rows()[before:] == [(write.action, write.resource, str(record), write.fields)]


def _reading_b(cast: Any) -> None:
    """County A's org admin also reads county B: its units may be named in a write, not written into."""
    RoleGrant.objects.create(user=cast.county_a_admin, role=Role.ORG_STAFF, unit=cast.county_b)


@dataclass(frozen=True)
class Refusal:
    """A write the serializer parses and the service refuses, beside ``field``."""

    name: str
    user: str
    method: str
    url: Callable[[Any], str]  # cast -> the URL (making the record it names)
    body: Callable[[Any], dict[str, Any]]
    field: str
    model: type[models.Model]
    given: Callable[[Any], object] = lambda cast: None


REFUSALS = [
    Refusal(
        "talk-routes-create-rule",
        "county_a_admin",
        "post",
        lambda c: "/api/v1/talk-routes/",
        lambda c: {"county": c.county_a.pk, **ROUTE, "talker_leader_post": LeaderPost.NONE},
        "talker_leader_post",
        TalkRoute,
    ),
    Refusal(
        "talk-routes-create-elsewhere",
        "county_a_admin",
        "post",
        lambda c: "/api/v1/talk-routes/",
        lambda c: {"county": c.county_b.pk, **ROUTE},
        "county",
        TalkRoute,
        _reading_b,
    ),
    Refusal(
        "talk-policies-create-elsewhere",
        "county_a_admin",
        "post",
        lambda c: "/api/v1/talk-policies/",
        lambda c: {"unit": c.town_b1.pk, "kind": TriggerKind.ACHIEVEMENT, "due_days": 30},
        "unit",
        TalkPolicy,
        _reading_b,
    ),
    Refusal(
        "talk-triggers-create-rule",
        "county_a_staff",
        "post",
        lambda c: "/api/v1/talk-triggers/",
        lambda c: {"cadre": c.cadre_a1.pk, "kind": "warning_signs", "event_date": _day(3)},
        "event_date",
        TalkTrigger,
    ),
    Refusal(
        "talk-triggers-update-rule",
        "county_a_staff",
        "patch",
        lambda c: f"/api/v1/talk-triggers/{_waived(c).pk}/",
        lambda c: {"due_date": _day(5)},
        "status",
        TalkTrigger,
    ),
    Refusal(
        "talk-triggers-waive-rule",
        "county_a_staff",
        "post",
        lambda c: f"/api/v1/talk-triggers/{_waived(c).pk}/waive/",
        lambda c: {"reason": "再次免谈"},
        "status",
        TalkTrigger,
    ),
    Refusal(
        "talks-create-rule",
        "secretary_a1",
        "post",
        lambda c: "/api/v1/talks/",
        lambda c: {
            "talkee": c.cadre_a1.pk,
            "talkers": [c.secretary_a1_cadre.pk],
            "date": _day(-1),
            "form": "face_to_face",
            "next_talk_date": _day(-2),
        },
        "next_talk_date",
        Talk,
    ),
    Refusal(
        "talks-update-rule",
        "secretary_a1",
        "patch",
        lambda c: f"/api/v1/talks/{_talk(c).pk}/",
        lambda c: {"next_talk_date": _day(-5)},
        "next_talk_date",
        Talk,
    ),
    Refusal(
        "commendations-create-rule",
        "hr_a1",
        "post",
        lambda c: "/api/v1/commendations/",
        lambda c: {
            "cadre": c.cadre_a1.pk,
            "level": "city",
            "title": "先进个人",
            "date": _day(-1),
            "status": "posthumous",
        },
        "status",
        Commendation,
    ),
    Refusal(
        "commendations-update-rule",
        "hr_a1",
        "patch",
        lambda c: f"/api/v1/commendations/{_commendation(c).pk}/",
        lambda c: {"status": "posthumous"},
        "status",
        Commendation,
    ),
    Refusal(
        "petitions-create-rule",
        "county_a_staff",
        "post",
        lambda c: "/api/v1/petitions/",
        lambda c: {"cadre": c.cadre_a1.pk, "date": _day(3), "summary": "群众反映", "seriousness": "serious"},
        "date",
        Petition,
    ),
    Refusal(
        "team-flags-create-rule",
        "county_a_staff",
        "post",
        lambda c: "/api/v1/team-flags/",
        lambda c: {"unit": c.town_a2.pk, "date": _day(-1), "note": "班子成员分工推诿"},
        "unit",
        TeamFlag,
    ),
    Refusal(
        "team-flags-update-rule",
        "county_a_staff",
        "patch",
        lambda c: f"/api/v1/team-flags/{_flag(c).pk}/",
        lambda c: {"note": "  "},
        "note",
        TeamFlag,
    ),
    Refusal(
        "interview-rounds-create-rule",
        "county_a_staff",
        "post",
        lambda c: "/api/v1/interview-rounds/",
        lambda c: {
            "unit": c.county_a.pk,
            "title": "约谈",
            "start_date": _day(0),
            "end_date": _day(5),
            "interviewers": [c.secretary_a1_cadre.pk],
        },
        "unit",
        InterviewRound,
    ),
]


@pytest.mark.parametrize("refusal", REFUSALS, ids=lambda refusal: refusal.name)
def test_a_write_the_service_refuses_changes_nothing_and_leaves_no_row(
    cast: Any, client_for: Any, refusal: Refusal
) -> None:
    # given a user who may write, a record (where the write names one) and what is stored
    refusal.given(cast)
    url = refusal.url(cast)
    stored, before = list(refusal.model.objects.order_by("pk").values()), len(_rows())

    # when they send a write the serializer parses but the service refuses
    response = getattr(client_for(refusal.user), refusal.method)(url, refusal.body(cast), format="json")

    # then the answer names the field, nothing changed and the audit log says nothing was written
    assert response.status_code == 400, response.content[:400]
    assert refusal.field in [error["field"] for error in response.json()["errors"]], response.json()
    assert list(refusal.model.objects.order_by("pk").values()) == stored
    assert len(_rows()) == before
