"""Obligations follow the post, not the person (issue 11, item 2).

石头乡's party secretary 和书记 owns a family event's must-talk and visit
about 木晓梅, both given to the post. He is posted to 鲁甸乡 and keeps his
login; the post stands vacant, then the HR officer acts in it for three days
(an acting grant), then it is vacant again, then the township head is
appointed without a login, then he gets one. Day by day, through the API and
the reminders scan, the items are owned by whoever holds the post that day
(the organization department while nobody does, the note saying why), and
never again by 和书记. A must-talk given to a person by hand stays with them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from cadrecare.care import services as care
from cadrecare.core import clock
from cadrecare.org.models import Cadre
from cadrecare.reminders.choices import Stage
from cadrecare.reminders.models import Notice
from cadrecare.reminders.services import reminders_scan
from cadrecare.talks.models import TalkTrigger
from tests.factories import UserFactory

TODAY = dt.date(2026, 5, 4)
EVENT = TODAY - dt.timedelta(days=10)  # the must-talk is overdue, the visit due today
OWNER_STAGES = (Stage.UPCOMING, Stage.DUE, Stage.OVERDUE)


@pytest.fixture
def on_day(monkeypatch: pytest.MonkeyPatch) -> Callable[[dt.date], None]:
    def move(day: dt.date) -> None:
        monkeypatch.setattr(clock, "today", lambda: day)

    move(TODAY)
    return move


@pytest.fixture
def items(cast: Any, talkers: Any, on_day: Any) -> dict[str, Any]:
    event, _ = care.family_event_record(actor=cast.hr_a1, cadre=cast.cadre_a1, kind="accident", date=EVENT, today=TODAY)
    return {
        "talk_trigger": TalkTrigger.objects.get(cadre=cast.cadre_a1, kind="family_event"),
        "visit_obligation": event.obligation,
    }


def _owners_notified(items: dict[str, Any], day: dt.date) -> dict[str, set[str]]:
    """Who the scan of ``day`` told, as owner, about each item."""
    notices = Notice.objects.filter(period=day, stage__in=OWNER_STAGES).select_related("recipient")
    return {
        kind: {n.recipient.username for n in notices.filter(kind=kind, object_id=item.pk)}
        for kind, item in items.items()
    }


def _mine(client: Any) -> set[tuple[str, int]]:
    response = client.get("/api/v1/due-items/", {"mine": "1"})
    assert response.status_code == 200, response.content.decode()[:300]
    return {(row["kind"], row["object_id"]) for row in response.json()["results"]}


def _shown(client: Any, items: dict[str, Any]) -> set[tuple[Any, Any, str]]:
    """(owner, owner's name, note) each item's own endpoint shows."""
    trigger = client.get(f"/api/v1/talk-triggers/{items['talk_trigger'].pk}/").json()
    visit = client.get(f"/api/v1/visit-obligations/{items['visit_obligation'].pk}/").json()
    return {
        (trigger["talker"], trigger["talker_name"], trigger["routing_note"]),
        (visit["owner"], visit["owner_name"], visit["owner_note"]),
    }


def _move(client: Any, cadre: Cadre, day: dt.date, to_unit: Any, kind: str = "transfer") -> None:
    response = client.post(
        "/api/v1/post-changes/",
        {
            "cadre": cadre.pk,
            "kind": kind,
            "date": day.isoformat(),
            "to_unit": to_unit.pk,
            "to_rank": "section_chief",
            "to_leader_post": "party_secretary",
            "to_post_title": "党委书记",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()


def test_the_items_follow_the_secretarys_post_day_by_day(cast, talkers, items, client_for, on_day) -> None:
    admin = client_for("county_a_admin")
    keys = {(kind, item.pk) for kind, item in items.items()}
    department = {"county_a_admin", "county_a_staff"}
    successor = UserFactory(username="successor_a1")
    expected: dict[int, set[str]] = {}
    for offset in range(0, 10):
        day = TODAY + dt.timedelta(days=offset)
        on_day(day)
        if offset == 1:  # 和书记 is posted to 鲁甸乡 and keeps his login
            _move(admin, cast.secretary_a1_cadre, day, cast.town_a2)
        if offset == 3:  # the HR officer acts as party secretary for three days
            response = admin.post(
                "/api/v1/role-grants/",
                {
                    "user": cast.hr_a1.pk,
                    "role": "secretary",
                    "unit": cast.town_a1.pk,
                    "acting_post": "party_secretary",
                    "acting_from": day.isoformat(),
                    "acting_until": (day + dt.timedelta(days=2)).isoformat(),
                },
                format="json",
            )
            assert response.status_code == 201, response.json()
        if offset == 7:  # the township head is appointed, without a login
            _move(admin, talkers.head_a1, day, cast.town_a1, kind="promotion")
        if offset == 8:  # ... and is given one, with the secretary's role
            Cadre.objects.filter(pk=talkers.head_a1.pk).update(user=successor)
            granted = admin.post(
                "/api/v1/role-grants/",
                {"user": successor.pk, "role": "secretary", "unit": cast.town_a1.pk},
                format="json",
            )
            assert granted.status_code == 201, granted.json()

        reminders_scan(today=day)

        shown = _shown(admin, items)
        notified = _owners_notified(items, day)
        if offset == 0:
            expected[offset] = {"secretary_a1"}
            assert _mine(client_for("secretary_a1")) >= keys
            assert shown == {(cast.secretary_a1_cadre.pk, "和书记", "")}
        elif offset in (1, 2, 6):
            expected[offset] = department
            assert shown == {(None, None, "岗位空缺")}
            assert _mine(client_for("county_a_staff")) >= keys
            unowned = admin.get("/api/v1/visit-obligations/", {"unowned": "true"}).json()["results"]
            assert items["visit_obligation"].pk in {row["id"] for row in unowned}
            english = admin.get(f"/api/v1/talk-triggers/{items['talk_trigger'].pk}/", HTTP_ACCEPT_LANGUAGE="en")
            assert english.json()["routing_note"] == "Post vacant"
        elif offset in (3, 4, 5):
            expected[offset] = {"hr_a1"}
            assert shown == {(None, "hr_a1", "")}  # the HR officer has a login but no cadre record
            assert _mine(client_for("hr_a1")) >= keys
            mine = client_for("hr_a1").get("/api/v1/visit-obligations/", {"mine": "true"}).json()["results"]
            assert items["visit_obligation"].pk in {row["id"] for row in mine}
            assert not _mine(client_for("county_a_staff")) & keys
        elif offset == 7:
            expected[offset] = department
            assert shown == {(None, None, "未开通账号")}
        else:
            expected[offset] = {"successor_a1"}
            assert shown == {(talkers.head_a1.pk, "乡长", "")}
            successor_client = client_for("county_a_admin")
            successor_client.force_authenticate(successor)
            assert _mine(successor_client) >= keys
            by_talker = admin.get("/api/v1/talk-triggers/", {"talker": talkers.head_a1.pk}).json()["results"]
            assert [row["id"] for row in by_talker] == [items["talk_trigger"].pk]
        assert notified == {kind: expected[offset] for kind in items}, (offset, notified)
        if offset >= 1:
            assert not _mine(client_for("secretary_a1")) & keys

    # and, from the day he moved on, the old holder was told nothing about them
    assert not Notice.objects.filter(
        recipient=cast.secretary_a1, kind__in=list(items), period__gt=TODAY, stage__in=OWNER_STAGES
    ).exists()


def test_a_talker_named_by_hand_keeps_the_talk_after_the_post_changes(cast, talkers, items, client_for) -> None:
    trigger = items["talk_trigger"]
    reassigned = client_for("county_a_admin").patch(
        f"/api/v1/talk-triggers/{trigger.pk}/", {"talker": cast.secretary_a1_cadre.pk}, format="json"
    )
    assert reassigned.status_code == 200, reassigned.json()

    _move(client_for("county_a_admin"), cast.secretary_a1_cadre, TODAY, cast.town_a2)

    shown = client_for("county_a_admin").get(f"/api/v1/talk-triggers/{trigger.pk}/").json()
    assert shown["talker"] == cast.secretary_a1_cadre.pk
    assert ("talk_trigger", trigger.pk) in _mine(client_for("secretary_a1"))
    assert ("visit_obligation", items["visit_obligation"].pk) not in _mine(client_for("secretary_a1"))


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"acting_post": "party_secretary"}, {"field": "acting_from", "message": "代理授权请填写代理开始日期。"}),
        ({"acting_from": "2026-05-04"}, {"field": "acting_until", "message": "代理授权请填写代理结束日期。"}),
        (
            {"acting_from": "2026-05-04", "acting_until": "2026-05-03"},
            {"field": "acting_until", "message": "代理结束日期不能早于开始日期。"},
        ),
        (
            {"acting_post": "deputy", "acting_from": "2026-05-04", "acting_until": "2026-05-05"},
            {"field": "acting_post", "message": "代理岗位只能是党委书记或乡镇长（主要负责人）。"},
        ),
    ],
)
def test_an_acting_grant_needs_its_span_in_order(cast, client_for, fields, error) -> None:
    response = client_for("county_a_admin").post(
        "/api/v1/role-grants/",
        {"user": cast.hr_a1.pk, "role": "secretary", "unit": cast.town_a1.pk, **fields},
        format="json",
    )

    assert response.status_code == 400
    assert error in response.json()["errors"]


def test_an_acting_grant_gives_its_scope_only_while_it_runs(cast, client_for, on_day) -> None:
    hr_a2 = UserFactory(username="hr_a2")
    client_for("county_a_admin").post(
        "/api/v1/role-grants/",
        {
            "user": hr_a2.pk,
            "role": "secretary",
            "unit": cast.town_a2.pk,
            "acting_post": "party_secretary",
            "acting_from": (TODAY + dt.timedelta(days=1)).isoformat(),
            "acting_until": (TODAY + dt.timedelta(days=1)).isoformat(),
        },
        format="json",
    )
    client = client_for("county_a_admin")
    client.force_authenticate(hr_a2)
    seen = {}
    for offset in range(3):
        on_day(TODAY + dt.timedelta(days=offset))
        seen[offset] = client.get(f"/api/v1/cadres/{cast.cadre_a2.pk}/").status_code

    assert seen == {0: 403, 1: 200, 2: 403}
