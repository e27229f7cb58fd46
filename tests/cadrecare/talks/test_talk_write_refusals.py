"""The talks resources through their API doors: a write the service refuses,
by a rule or as a placement outside the user's scope, changes nothing and
leaves no row. (Writes that succeed: test_talk_write_doors.py.)"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import models

from cadrecare.org.choices import LeaderPost, Role
from cadrecare.org.models import RoleGrant
from cadrecare.talks.choices import TriggerKind
from cadrecare.talks.models import (
    Commendation,
    InterviewRound,
    Petition,
    Talk,
    TalkPolicy,
    TalkRoute,
    TalkTrigger,
    TeamFlag,
)
from tests.cadrecare.talks.door_support import (
    ROUTE,
    audit_rows,
    iso_day,
    make_commendation,
    make_flag,
    make_talk,
    make_waived_trigger,
)

pytestmark = pytest.mark.django_db


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
        lambda c: {"cadre": c.cadre_a1.pk, "kind": "warning_signs", "event_date": iso_day(3)},
        "event_date",
        TalkTrigger,
    ),
    Refusal(
        "talk-triggers-update-rule",
        "county_a_staff",
        "patch",
        lambda c: f"/api/v1/talk-triggers/{make_waived_trigger(c).pk}/",
        lambda c: {"due_date": iso_day(5)},
        "status",
        TalkTrigger,
    ),
    Refusal(
        "talk-triggers-waive-rule",
        "county_a_staff",
        "post",
        lambda c: f"/api/v1/talk-triggers/{make_waived_trigger(c).pk}/waive/",
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
            "date": iso_day(-1),
            "form": "face_to_face",
            "next_talk_date": iso_day(-2),
        },
        "next_talk_date",
        Talk,
    ),
    Refusal(
        "talks-update-rule",
        "secretary_a1",
        "patch",
        lambda c: f"/api/v1/talks/{make_talk(c).pk}/",
        lambda c: {"next_talk_date": iso_day(-5)},
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
            "date": iso_day(-1),
            "status": "posthumous",
        },
        "status",
        Commendation,
    ),
    Refusal(
        "commendations-update-rule",
        "hr_a1",
        "patch",
        lambda c: f"/api/v1/commendations/{make_commendation(c).pk}/",
        lambda c: {"status": "posthumous"},
        "status",
        Commendation,
    ),
    Refusal(
        "petitions-create-rule",
        "county_a_staff",
        "post",
        lambda c: "/api/v1/petitions/",
        lambda c: {"cadre": c.cadre_a1.pk, "date": iso_day(3), "summary": "群众反映", "seriousness": "serious"},
        "date",
        Petition,
    ),
    Refusal(
        "team-flags-create-rule",
        "county_a_staff",
        "post",
        lambda c: "/api/v1/team-flags/",
        lambda c: {"unit": c.town_a2.pk, "date": iso_day(-1), "note": "班子成员分工推诿"},
        "unit",
        TeamFlag,
    ),
    Refusal(
        "team-flags-update-rule",
        "county_a_staff",
        "patch",
        lambda c: f"/api/v1/team-flags/{make_flag(c).pk}/",
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
            "start_date": iso_day(0),
            "end_date": iso_day(5),
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
    stored, before = list(refusal.model.objects.order_by("pk").values()), len(audit_rows())

    # when they send a write the serializer parses but the service refuses
    response = getattr(client_for(refusal.user), refusal.method)(url, refusal.body(cast), format="json")

    # then the answer names the field, nothing changed and the audit log says nothing was written
    assert response.status_code == 400, response.content[:400]
    assert refusal.field in [error["field"] for error in response.json()["errors"]], response.json()
    assert list(refusal.model.objects.order_by("pk").values()) == stored
    assert len(audit_rows()) == before
