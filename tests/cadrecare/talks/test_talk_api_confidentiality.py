"""Who reads what through the must-talk endpoints: a confidential trigger's
note and a talk's notes are the talker's and the organization department's,
others see them masked or not at all; reading them is audited, and the
summary counts only what the reader may see."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from cadrecare.audit.models import AuditEntry
from cadrecare.talks.choices import TriggerKind
from cadrecare.talks.models import TalkTrigger
from cadrecare.talks.services import petition_record, talk_record, talk_trigger_create
from tests.cadrecare.talks.api_support import EVENT

MASKED = "***"


def _as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def warning_about_cadre(cast, talkers) -> TalkTrigger:
    """A confidential warning-signs trigger about 木晓梅, whose talker is 石头乡's secretary."""
    return talk_trigger_create(
        actor=cast.county_a_staff,
        cadre=cast.cadre_a1,
        kind=TriggerKind.WARNING_SIGNS,
        event_date=EVENT,
        note="多次酒后驾车",
    )


@pytest.fixture
def warning_about_head(cast, talkers) -> TalkTrigger:
    """A confidential warning-signs trigger about 石头乡's head, whose talker is the org-department head."""
    return talk_trigger_create(
        actor=cast.county_a_staff,
        cadre=talkers.head_a1,
        kind=TriggerKind.WARNING_SIGNS,
        event_date=EVENT,
        note="收受礼金",
    )


# ---------------------------------------------------------------------------
# Confidentiality of triggers
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reader", "sees_note"),
    [
        ("city_admin", True),
        ("county_a_admin", True),
        ("county_a_staff", True),  # the organization department
        ("secretary_a1", True),  # the talker of this trigger
    ],
)
def test_warning_signs_notes_are_read_by_the_talker_and_the_org_department(
    cast, client_for, warning_about_cadre, reader, sees_note
) -> None:
    response = client_for(reader).get(f"/api/v1/talk-triggers/{warning_about_cadre.pk}/")

    assert response.status_code == 200
    assert (response.json()["note"] == "多次酒后驾车") is sees_note


@pytest.mark.parametrize(("reader", "status"), [("cadre_a1_user", 404), ("secretary_b1", 404), ("hr_a1", 403)])
def test_nobody_else_even_learns_of_a_confidential_trigger(
    cast, client_for, warning_about_cadre, reader, status
) -> None:
    assert client_for(reader).get(f"/api/v1/talk-triggers/{warning_about_cadre.pk}/").status_code == status


def test_a_township_secretary_does_not_see_warning_signs_about_a_leader_they_do_not_talk_with(
    cast, client_for, warning_about_head
) -> None:
    response = client_for("secretary_a1").get("/api/v1/talk-triggers/")

    assert warning_about_head.pk not in {row["id"] for row in response.json()["results"]}


def test_a_talker_without_any_role_grant_reads_the_triggers_they_hold(cast, talkers, warning_about_head) -> None:
    # given the org-department head has a login but no role grant
    response = _as(talkers.org_head).get("/api/v1/talk-triggers/")

    # then they see exactly their own trigger, notes included
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert (row["id"], row["note"]) == (warning_about_head.pk, "收受礼金")
    assert _as(talkers.org_head).post("/api/v1/talk-triggers/", {}, format="json").status_code == 403


def test_a_non_confidential_trigger_shows_its_note_masked_to_others(cast, client_for, talkers) -> None:
    trigger = talk_trigger_create(
        actor=cast.county_a_staff,
        cadre=cast.cadre_a1,
        kind=TriggerKind.ACHIEVEMENT,
        event_date=EVENT,
        note="抗洪抢险表现突出",
    )

    assert client_for("cadre_a1_user").get(f"/api/v1/talk-triggers/{trigger.pk}/").json()["note"] == MASKED
    assert client_for("secretary_a1").get(f"/api/v1/talk-triggers/{trigger.pk}/").json()["note"] == "抗洪抢险表现突出"


def test_the_talker_of_a_petition_trigger_reads_the_petition_and_it_is_audited(cast, client_for, talkers) -> None:
    petition_record(
        actor=cast.county_a_staff,
        cadre=cast.cadre_a1,
        date=EVENT,
        summary="反映违规收费",
        seriousness="serious",
        important=True,
    )
    trigger = TalkTrigger.objects.get(kind=TriggerKind.PETITION)

    response = client_for("secretary_a1").get(f"/api/v1/talk-triggers/{trigger.pk}/")

    assert response.json()["petition_summary"] == "反映违规收费"
    entry = AuditEntry.objects.get(resource="talk-triggers", object_id=str(trigger.pk))
    assert (entry.actor, entry.action, entry.cadre_id) == (cast.secretary_a1, "read", cast.cadre_a1.pk)
    assert entry.fields == ["petition_summary"]


def test_petitions_themselves_are_the_org_departments_only(cast, client_for) -> None:
    petition = petition_record(
        actor=cast.county_a_staff, cadre=cast.cadre_a1, date=EVENT, summary="反映违规收费", seriousness="serious"
    )
    assert client_for("secretary_a1").get(f"/api/v1/petitions/{petition.pk}/").status_code == 403

    response = client_for("county_a_staff").get(f"/api/v1/petitions/{petition.pk}/")

    assert (response.json()["summary"], response.json()["seriousness_label"]) == ("反映违规收费", "较重")
    assert AuditEntry.objects.filter(resource="petitions", object_id=str(petition.pk), action="read").exists()


# ---------------------------------------------------------------------------
# Confidentiality of talks
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reader", "sees_notes"),
    [
        ("secretary_a1", True),  # the talker
        ("county_a_staff", True),
        ("county_a_admin", True),
        ("city_admin", True),  # the organization department
        ("cadre_a1_user", False),  # the talkee: that it took place, not the notes
    ],
)
def test_talk_notes_are_the_talkers_and_the_org_departments(
    cast, client_for, talk_with_cadre, reader, sees_notes
) -> None:
    body = client_for(reader).get(f"/api/v1/talks/{talk_with_cadre.pk}/").json()

    assert body["date"] == EVENT.isoformat()
    if sees_notes:
        assert body["summary"] == "谈及家庭困难"
        assert body["follow_ups"][0]["action"] == "协调子女入学"
    else:
        assert (body["summary"], body["follow_ups"]) == (MASKED, MASKED)


def test_a_township_secretary_who_did_not_hold_the_talk_sees_no_notes(cast, client_for, talkers) -> None:
    # given the county party secretary talked with 石头乡's party secretary
    talk = talk_record(
        actor=cast.county_a_staff,
        talkee=cast.secretary_a1_cadre,
        talkers=[talkers.county_secretary],
        date=EVENT,
        form="face_to_face",
        summary="班子团结问题",
    )

    # then the talkee (a secretary, in scope by role) sees the talk but not the notes; the talker sees them
    assert client_for("secretary_a1").get(f"/api/v1/talks/{talk.pk}/").json()["summary"] == MASKED
    assert _as(talkers.county_secretary).get(f"/api/v1/talks/{talk.pk}/").json()["summary"] == "班子团结问题"


def test_every_read_of_talk_notes_is_audited_and_masked_reads_are_not(cast, client_for, talk_with_cadre) -> None:
    client_for("county_a_staff").get("/api/v1/talks/")
    client_for("cadre_a1_user").get(f"/api/v1/talks/{talk_with_cadre.pk}/")

    entries = AuditEntry.objects.filter(resource="talks", action="read")
    assert [(e.actor, e.cadre_id, sorted(e.fields)) for e in entries] == [
        (cast.county_a_staff, cast.cadre_a1.pk, ["follow_ups", "summary"])
    ]


# ---------------------------------------------------------------------------
# Confidentiality in the summary
# ---------------------------------------------------------------------------


def test_the_summary_does_not_count_confidential_triggers_for_those_who_may_not_see_them(
    cast, client_for, warning_about_head
) -> None:
    assert client_for("secretary_a1").get("/api/v1/talk-summary/").json()["results"] == []
    [row] = client_for("county_a_staff").get("/api/v1/talk-summary/").json()["results"]
    assert row["by_kind"]["warning_signs"]["open"] == 1
