"""The must-talk lists: their filters, the per-unit summary, the regular-talk
list, and their query bounds (a list costs the same for 2 rows as for 10)."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta

from cadrecare.core import clock
from cadrecare.talks.choices import TriggerKind, TriggerSource
from cadrecare.talks.models import Commendation, InterviewRound, TalkTrigger, TeamFlag
from cadrecare.talks.services import (
    commendation_record,
    petition_record,
    talk_record,
    talk_trigger_for_family_event,
    talk_trigger_raise,
    team_flag_record,
)
from tests.cadrecare.talks.api_support import EVENT
from tests.factories import CadreFactory, OrgUnitFactory

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
