"""The must-talk endpoints: confidentiality per role and per talker, the
audit trail, validation messages, filters, the summary and query bounds."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from rest_framework.test import APIClient

from cadrecare.audit.models import AuditEntry
from cadrecare.core import clock
from cadrecare.talks.choices import TriggerKind, TriggerSource, TriggerStatus
from cadrecare.talks.models import Commendation, InterviewRound, Talk, TalkTrigger, TeamFlag
from cadrecare.talks.services import (
    commendation_record,
    petition_record,
    talk_record,
    talk_trigger_create,
    talk_trigger_for_family_event,
    talk_trigger_raise,
    team_flag_record,
)
from tests.factories import CadreFactory, OrgUnitFactory, cadre_of

EVENT = dt.date(2025, 6, 10)
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


@pytest.fixture
def talk_with_cadre(cast, talkers) -> Talk:
    return talk_record(
        actor=cast.secretary_a1,
        talkee=cast.cadre_a1,
        talkers=[cast.secretary_a1],
        date=EVENT,
        form="face_to_face",
        summary="谈及家庭困难",
        follow_ups=[{"action": "协调子女入学", "owner": cast.hr_a1, "due_date": EVENT + dt.timedelta(days=30)}],
    )


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
# Writes through the API
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Filters and summary
# ---------------------------------------------------------------------------


def _ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def test_trigger_filters(cast, client_for, talkers) -> None:
    today = clock.today()
    overdue = talk_trigger_for_family_event(cadre=cast.cadre_a1, event_id=1, event_date=today - dt.timedelta(days=30))
    fresh = talk_trigger_for_family_event(cadre=cast.cadre_a2, event_id=2, event_date=today)
    leader = talk_trigger_for_family_event(cadre=talkers.head_a1, event_id=3, event_date=today)
    achievement = commendation_record(actor=None, cadre=cast.cadre_a1, level="county", title="先进", date=today)
    achieved = TalkTrigger.objects.get(commendation=achievement)
    client = client_for("county_a_staff")

    assert _ids(client.get("/api/v1/talk-triggers/", {"overdue": "true"})) == {overdue.pk}
    assert _ids(client.get("/api/v1/talk-triggers/", {"unit": cast.town_a2.pk})) == {fresh.pk}
    assert _ids(client.get("/api/v1/talk-triggers/", {"kind": "achievement"})) == {achieved.pk}
    assert _ids(client.get("/api/v1/talk-triggers/", {"talker": talkers.org_head_cadre.pk})) == {leader.pk}
    assert _ids(client.get("/api/v1/talk-triggers/", {"status": "done"})) == set()
    assert _ids(client.get("/api/v1/talk-triggers/", {"event_to": (today - dt.timedelta(days=1)).isoformat()})) == {
        overdue.pk
    }
    assert _ids(client.get("/api/v1/talk-triggers/", {"unit": cast.town_b1.pk})) == set()  # outside: nothing


def test_talk_filters(cast, client_for, talkers) -> None:
    mine = talk_record(
        actor=cast.secretary_a1, talkee=cast.cadre_a1, talkers=[cast.secretary_a1], date=EVENT, form="phone"
    )
    other = talk_record(
        actor=cast.county_a_staff,
        talkee=talkers.head_a1,
        talkers=[talkers.org_head],
        date=EVENT - dt.timedelta(days=40),
        form="video",
    )
    client = client_for("county_a_staff")

    assert _ids(client.get("/api/v1/talks/", {"talker": cast.secretary_a1_cadre.pk})) == {mine.pk}
    assert _ids(client.get("/api/v1/talks/", {"form": "video"})) == {other.pk}
    assert _ids(client.get("/api/v1/talks/", {"date_from": "2025-06-01"})) == {mine.pk}
    assert _ids(client.get("/api/v1/talks/", {"talkee": cast.cadre_a1.pk})) == {mine.pk}


def test_the_summary_endpoint_counts_per_unit_in_scope(cast, client_for, talkers) -> None:
    today = clock.today()
    talk_trigger_for_family_event(cadre=cast.cadre_a1, event_id=1, event_date=today - dt.timedelta(days=30))
    talk_trigger_for_family_event(cadre=cast.cadre_a2, event_id=2, event_date=today)
    talk_trigger_for_family_event(cadre=cast.cadre_b1, event_id=3, event_date=today)

    rows = client_for("county_a_staff").get("/api/v1/talk-summary/").json()["results"]

    assert [(r["unit_name"], r["open"], r["overdue"]) for r in rows] == [("石头乡", 1, 1), ("鲁甸乡", 1, 0)]
    assert rows[0]["by_kind"]["family_event"]["overdue"] == 1


def test_the_summary_does_not_count_confidential_triggers_for_those_who_may_not_see_them(
    cast, client_for, warning_about_head
) -> None:
    assert client_for("secretary_a1").get("/api/v1/talk-summary/").json()["results"] == []
    [row] = client_for("county_a_staff").get("/api/v1/talk-summary/").json()["results"]
    assert row["by_kind"]["warning_signs"]["open"] == 1


def test_the_regular_talk_list_shows_each_cadres_next_due(cast, client_for, talkers) -> None:
    # given 木晓梅 was talked with a month ago; nobody else ever
    last_month = clock.today() - relativedelta(months=1)
    talk_record(
        actor=cast.secretary_a1, talkee=cast.cadre_a1, talkers=[cast.secretary_a1], date=last_month, form="phone"
    )

    rows = {row["id"]: row for row in client_for("secretary_a1").get("/api/v1/regular-talks/").json()["results"]}

    # then her next regular talk is due in eleven months, the others' long ago
    assert rows[cast.cadre_a1.pk]["next_regular_talk_due"] == (last_month + relativedelta(months=12)).isoformat()
    assert (rows[cast.cadre_a1.pk]["last_talk_date"], rows[cast.cadre_a1.pk]["overdue"]) == (
        last_month.isoformat(),
        False,
    )
    assert rows[talkers.head_a1.pk]["talkee_group"] == "township_leader"
    assert cast.cadre_b1.pk not in rows
    overdue = client_for("secretary_a1").get("/api/v1/regular-talks/", {"overdue": "true"}).json()["results"]
    assert {row["id"] for row in overdue} == set(rows) - {cast.cadre_a1.pk}


# ---------------------------------------------------------------------------
# Query bounds: a list costs the same for 2 rows as for 10
# ---------------------------------------------------------------------------


def _make_triggers(cast, n: int) -> None:
    for i in range(n):
        cadre = CadreFactory(unit=cast.town_a1)
        talk_trigger_raise(
            cadre=cadre, kind=TriggerKind.PETITION, source=TriggerSource.MANUAL, source_key=f"q{i}", event_date=EVENT
        )


def _make_talks(cast, n: int) -> None:
    for _ in range(n):
        cadre = CadreFactory(unit=cast.town_a1)
        talk_trigger_for_family_event(cadre=cadre, event_id=cadre.pk, event_date=EVENT)
        talk_record(
            actor=cast.secretary_a1,
            talkee=cadre,
            talkers=[cast.secretary_a1],
            date=EVENT,
            form="phone",
            summary="s",
            triggers=list(cadre.talk_triggers.all()),
            follow_ups=[{"action": "a", "due_date": EVENT}],
        )


def _make_commendations(cast, n: int) -> None:
    start = Commendation.objects.count()
    for i in range(start, start + n):
        commendation_record(actor=None, cadre=cast.cadre_a1, level="county", title=f"先进{i}", date=EVENT)


def _make_petitions(cast, n: int) -> None:
    for _ in range(n):
        petition_record(actor=None, cadre=cast.cadre_a1, date=EVENT, summary="s", seriousness="minor", important=True)


def _make_rounds(cast, n: int) -> None:
    for _ in range(n):
        round_ = InterviewRound.objects.create(unit=cast.town_a1, title="r", start_date=EVENT, end_date=EVENT)
        round_.interviewers.set([cast.county_a_staff, cast.secretary_a1])
        round_.items.create(cadre=cast.cadre_a1)


def _make_team_flags(cast, n: int) -> None:
    start = TeamFlag.objects.count()
    for i in range(start, start + n):
        team_flag_record(actor=None, unit=cast.town_a1, date=EVENT - dt.timedelta(days=i), note="n")


def _make_cadres(cast, n: int) -> None:
    for _ in range(n):
        cadre = CadreFactory(unit=cast.town_a1)
        talk_record(actor=cast.secretary_a1, talkee=cadre, talkers=[cast.secretary_a1], date=EVENT, form="phone")


def _make_units(cast, n: int) -> None:
    for _ in range(n):
        cadre = CadreFactory(unit=OrgUnitFactory(parent=cast.county_a))
        talk_trigger_for_family_event(cadre=cadre, event_id=cadre.pk, event_date=EVENT)


@pytest.mark.parametrize(
    ("url", "reader", "make"),
    [
        ("/api/v1/talk-triggers/", "county_a_staff", _make_triggers),
        ("/api/v1/talk-triggers/", "secretary_a1", _make_triggers),
        ("/api/v1/talks/", "county_a_staff", _make_talks),
        ("/api/v1/talks/", "secretary_a1", _make_talks),
        ("/api/v1/commendations/", "county_a_staff", _make_commendations),
        ("/api/v1/petitions/", "county_a_staff", _make_petitions),
        ("/api/v1/team-flags/", "county_a_staff", _make_team_flags),
        ("/api/v1/interview-rounds/", "county_a_staff", _make_rounds),
        ("/api/v1/regular-talks/", "county_a_staff", _make_cadres),
        ("/api/v1/talk-summary/", "county_a_staff", _make_units),
    ],
)
def test_a_list_costs_the_same_queries_for_two_rows_as_for_ten(
    cast, client_for, talkers, count_queries, url, reader, make
) -> None:
    client = client_for(reader)
    make(cast, 2)
    small = count_queries(lambda: client.get(url))
    make(cast, 8)
    response = client.get(url)
    large = count_queries(lambda: client.get(url))

    assert response.status_code == 200
    assert response.json()["count"] >= 10
    assert large == small
