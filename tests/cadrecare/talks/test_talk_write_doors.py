"""The talks resources through their API doors: a write leaves exactly the
one audit row its service writes (no second from the ViewSet). (Refused
writes: test_talk_write_refusals.py; the services called directly:
test_talk_service_audit.py; the workbench's pages:
tests/cadrecare/web/test_talk_page_audit.py.)"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from cadrecare.talks.choices import TriggerKind
from cadrecare.talks.models import TalkFollowUp
from tests.cadrecare.talks.door_support import (
    ROUTE,
    audit_rows,
    iso_day,
    make_commendation,
    make_flag,
    make_petition,
    make_policy,
    make_round,
    make_route,
    make_talk,
    make_trigger,
)

pytestmark = pytest.mark.django_db


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
        lambda c: (f"/api/v1/talk-routes/{(r := make_route(c)).pk}/", r.pk),
        lambda c: {"cadence_months": 3},
        "talk-routes",
        "update",
        ["cadence_months"],
    ),
    ApiWrite(
        "talk-routes-delete",
        "county_a_admin",
        "delete",
        lambda c: (f"/api/v1/talk-routes/{(r := make_route(c)).pk}/", r.pk),
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
        lambda c: (f"/api/v1/talk-policies/{(p := make_policy(c)).pk}/", p.pk),
        lambda c: {"due_days": 20},
        "talk-policies",
        "update",
        ["due_days"],
    ),
    ApiWrite(
        "talk-policies-delete",
        "county_a_admin",
        "delete",
        lambda c: (f"/api/v1/talk-policies/{(p := make_policy(c)).pk}/", p.pk),
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
        lambda c: {"cadre": c.cadre_a1.pk, "kind": "warning_signs", "event_date": iso_day(-1), "note": "多次迟到"},
        "talk-triggers",
        "create",
        ["cadre", "event_date", "kind", "note"],
    ),
    ApiWrite(
        "talk-triggers-update",
        "county_a_staff",
        "patch",
        lambda c: (f"/api/v1/talk-triggers/{(t := make_trigger(c)).pk}/", t.pk),
        lambda c: {"due_date": iso_day(0)},
        "talk-triggers",
        "update",
        ["due_date"],
    ),
    ApiWrite(
        "talk-triggers-waive",
        "county_a_staff",
        "post",
        lambda c: (f"/api/v1/talk-triggers/{(t := make_trigger(c)).pk}/waive/", t.pk),
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
            "date": iso_day(-1),
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
        lambda c: (f"/api/v1/talks/{(t := make_talk(c)).pk}/", t.pk),
        lambda c: {"place": "乡党委会议室"},
        "talks",
        "update",
        ["place"],
    ),
    ApiWrite(
        "talks-close-follow-up",
        "secretary_a1",
        "post",
        lambda c: (f"/api/v1/talks/{(t := make_talk(c)).pk}/close-follow-up/", t.pk),
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
        lambda c: {"cadre": c.cadre_a1.pk, "level": "city", "title": "脱贫攻坚先进个人", "date": iso_day(-1)},
        "commendations",
        "create",
        ["cadre", "date", "kind", "level", "status", "title"],
    ),
    ApiWrite(
        "commendations-update",
        "hr_a1",
        "patch",
        lambda c: (f"/api/v1/commendations/{(m := make_commendation(c)).pk}/", m.pk),
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
        lambda c: {
            "cadre": c.cadre_a1.pk,
            "date": iso_day(-1),
            "summary": "群众反映办事推诿",
            "seriousness": "serious",
        },
        "petitions",
        "create",
        ["cadre", "date", "important", "seriousness", "summary"],
    ),
    ApiWrite(
        "petitions-update",
        "county_a_staff",
        "patch",
        lambda c: (f"/api/v1/petitions/{(p := make_petition(c)).pk}/", p.pk),
        lambda c: {"important": True},
        "petitions",
        "update",
        ["important"],
    ),
    ApiWrite(
        "team-flags-update",
        "county_a_staff",
        "patch",
        lambda c: (f"/api/v1/team-flags/{(f := make_flag(c)).pk}/", f.pk),
        lambda c: {"note": "补充说明"},
        "team-flags",
        "update",
        ["note"],
    ),
    ApiWrite(
        "interview-rounds-update",
        "county_a_staff",
        "patch",
        lambda c: (f"/api/v1/interview-rounds/{(r := make_round(c)).pk}/", r.pk),
        lambda c: {"title": "一季度约谈（调整）"},
        "interview-rounds",
        "update",
        ["title"],
    ),
]


@pytest.mark.parametrize("write", API_WRITES, ids=lambda write: write.name)
def test_a_write_through_the_api_leaves_exactly_its_services_row(cast: Any, client_for: Any, write: ApiWrite) -> None:
    url, pk = write.url(cast)
    before = len(audit_rows())

    response = getattr(client_for(write.user), write.method)(url, write.body(cast), format="json")

    assert response.status_code < 300, response.content[:400]
    record = pk if pk is not None else response.json()["id"]
    assert audit_rows()[before:] == [(write.action, write.resource, str(record), write.fields)]
