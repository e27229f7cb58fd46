"""Writes through the must-talk endpoints: recording a talk closes its
triggers; who may be named as talker, which trigger a talk may answer and
what a client may set are refused beside their field; waiving, team flags
and closing a follow-up."""

from __future__ import annotations

import datetime as dt

from cadrecare.audit.models import AuditEntry
from cadrecare.core import clock
from cadrecare.talks.choices import TriggerKind, TriggerStatus
from cadrecare.talks.models import TalkTrigger
from cadrecare.talks.services import talk_trigger_for_family_event
from tests.cadrecare.talks.api_support import EVENT
from tests.factories import cadre_of


def test_recording_a_talk_through_the_api_closes_its_triggers(cast, client_for, talkers) -> None:
    trigger = talk_trigger_for_family_event(cadre=cast.cadre_a1, event_id=5, event_date=EVENT)
    hr_a1 = cadre_of(cast.hr_a1, cast.town_a1, name="人事干事")

    response = client_for("secretary_a1").post(
        "/api/v1/talks/",
        {
            "talkee": cast.cadre_a1.pk,
            "talkers": [cast.secretary_a1_cadre.pk],
            "date": "2025-06-12",
            "form": "phone",
            "summary": "慰问",
            "triggers": [trigger.pk],
            "follow_ups": [{"action": "申请困难补助", "owner": hr_a1.pk, "due_date": "2025-07-01"}],
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    trigger.refresh_from_db()
    assert (trigger.status, trigger.talk_id) == (TriggerStatus.DONE, response.json()["id"])
    assert (
        response.json()["follow_ups"][0] | {"owner": hr_a1.pk, "owner_name": "人事干事"}
        == response.json()["follow_ups"][0]
    )
    assert response.json()["talker_names"] == ["和书记"]
    assert AuditEntry.objects.filter(resource="talks", action="create").count() == 1


def test_a_future_talk_is_refused_with_a_chinese_message_on_the_date(cast, client_for) -> None:
    tomorrow = clock.today() + dt.timedelta(days=1)

    response = client_for("secretary_a1").post(
        "/api/v1/talks/",
        {
            "talkee": cast.cadre_a1.pk,
            "talkers": [cast.secretary_a1_cadre.pk],
            "date": tomorrow.isoformat(),
            "form": "phone",
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "date", "message": "日期不能晚于今天。"}]


def test_a_talk_cannot_answer_a_trigger_the_user_cannot_see(cast, client_for, talkers) -> None:
    foreign = talk_trigger_for_family_event(cadre=cast.cadre_b1, event_id=6, event_date=EVENT)

    response = client_for("secretary_a1").post(
        "/api/v1/talks/",
        {
            "talkee": cast.cadre_a1.pk,
            "talkers": [cast.secretary_a1_cadre.pk],
            "date": "2025-06-12",
            "form": "phone",
            "triggers": [foreign.pk],
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "triggers"


def test_a_secretary_records_only_talks_they_held(cast, client_for, talkers) -> None:
    response = client_for("secretary_a1").post(
        "/api/v1/talks/",
        {
            "talkee": cast.cadre_a1.pk,
            "talkers": [cadre_of(cast.hr_a1, cast.town_a1).pk],
            "date": "2025-06-12",
            "form": "phone",
        },
        format="json",
    )

    assert response.status_code == 403
    assert response.json()["errors"][0]["field"] == "talkers"


def test_a_secretary_cannot_name_another_townships_secretary_as_talker(cast, client_for) -> None:
    # (who would then read the talk's notes)
    response = client_for("secretary_a1").post(
        "/api/v1/talks/",
        {
            "talkee": cast.cadre_a1.pk,
            "talkers": [cast.secretary_a1_cadre.pk, cadre_of(cast.secretary_b1, cast.town_b1).pk],
            "date": "2025-06-12",
            "form": "phone",
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "talkers"


def test_the_talker_and_due_date_of_a_new_trigger_are_not_the_clients_to_set(cast, client_for) -> None:
    response = client_for("county_a_staff").post(
        "/api/v1/talk-triggers/",
        {
            "cadre": cast.cadre_a1.pk,
            "kind": TriggerKind.WARNING_SIGNS,
            "event_date": "2025-06-01",
            "talker": cadre_of(cast.county_a_staff, cast.county_a).pk,
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "talker"


def test_a_retried_manual_trigger_with_the_same_key_is_one_trigger(cast, client_for, talkers) -> None:
    payload = {
        "cadre": cast.cadre_a1.pk,
        "kind": TriggerKind.WARNING_SIGNS,
        "event_date": "2025-06-01",
        "note": "苗头",
        "source_key": "req-8d1f",
    }
    first = client_for("secretary_a1").post("/api/v1/talk-triggers/", payload, format="json")
    second = client_for("secretary_a1").post("/api/v1/talk-triggers/", payload, format="json")

    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert TalkTrigger.objects.count() == 1


def test_the_org_department_waives_a_trigger_with_a_reason(cast, client_for, talkers) -> None:
    trigger = talk_trigger_for_family_event(cadre=cast.cadre_a1, event_id=5, event_date=EVENT)
    url = f"/api/v1/talk-triggers/{trigger.pk}/waive/"

    assert client_for("secretary_a1").post(url, {"reason": "x"}, format="json").status_code == 403
    missing = client_for("county_a_staff").post(url, {}, format="json")
    assert (missing.status_code, missing.json()["errors"][0]["field"]) == (400, "reason")

    response = client_for("county_a_staff").post(url, {"reason": "已由县领导当面慰问"}, format="json")

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["waive_reason"]) == ("waived", "已由县领导当面慰问")


def test_a_team_flag_through_the_api_raises_talks_for_the_leaders(cast, client_for, talkers) -> None:
    response = client_for("county_a_staff").post(
        "/api/v1/team-flags/",
        {"unit": cast.town_a1.pk, "date": "2025-06-01", "note": "书记乡长互不配合"},
        format="json",
    )

    assert response.status_code == 201
    assert set(TalkTrigger.objects.filter(kind=TriggerKind.TEAM_DISCORD).values_list("cadre", flat=True)) == {
        cast.secretary_a1_cadre.pk,
        talkers.head_a1.pk,
    }


def test_the_owner_or_a_talker_closes_a_follow_up_and_the_talkee_does_not(cast, client_for, talk_with_cadre) -> None:
    follow_up = talk_with_cadre.follow_ups.get()
    url = f"/api/v1/talks/{talk_with_cadre.pk}/close-follow-up/"

    assert client_for("cadre_a1_user").post(url, {"follow_up": follow_up.pk}, format="json").status_code == 403
    response = client_for("secretary_a1").post(url, {"follow_up": follow_up.pk}, format="json")

    assert response.status_code == 200
    assert response.json()["follow_ups"][0]["status"] == "done"
