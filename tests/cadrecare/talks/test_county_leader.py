"""The county leader (县领导: the county party secretary, the county head): the
seed's talker for township party secretaries records the talks routed to them,
and reads those and only those, through the API like everyone else."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cadrecare.audit.models import AuditEntry
from cadrecare.core import clock
from cadrecare.org.choices import Role
from cadrecare.talks.services import talk_trigger_for_family_event
from tests.factories import RoleGrantFactory

TRIGGERS = "/api/v1/talk-triggers/"
TALKS = "/api/v1/talks/"


def _errors(response: Any) -> dict[str, str]:
    return {error["field"]: error["message"] for error in response.json()["errors"]}


def _leader(cast: Any, talkers: Any, client_for: Any) -> Any:
    RoleGrantFactory(user=talkers.county_secretary, role=Role.COUNTY_LEADER, unit=cast.county_a)
    cast.county_secretary = talkers.county_secretary
    return client_for("county_secretary")


def test_the_county_leader_records_the_talk_routed_to_them_and_reads_its_notes(cast, talkers, client_for) -> None:
    # given a family event of 石头乡's party secretary, whose must-talk goes to the county party secretary
    day = clock.today() - dt.timedelta(days=3)
    routed = talk_trigger_for_family_event(cadre=cast.secretary_a1_cadre, event_id=1, event_date=day)
    other = talk_trigger_for_family_event(cadre=cast.cadre_a1, event_id=2, event_date=day)  # the township's own
    leader = _leader(cast, talkers, client_for)

    # when the county leader lists must-talks, then records the talk answering theirs
    listed = leader.get(TRIGGERS)
    recorded = leader.post(
        TALKS,
        {
            "talkee": cast.secretary_a1_cadre.pk,
            "talkers": [talkers.county_secretary_cadre.pk],
            "date": str(clock.today()),
            "form": "face_to_face",
            "summary": "家中变故，表示组织关心",
            "triggers": [routed.pk],
        },
        format="json",
    )

    # then they see only what is routed to them; the talk closes it, and they read back its notes
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [routed.pk]
    assert leader.get(f"{TRIGGERS}{other.pk}/").status_code == 404
    assert recorded.status_code == 201, recorded.json()
    talk = recorded.json()
    assert leader.get(f"{TRIGGERS}{routed.pk}/").json()["status"] == "done"
    assert leader.get(f"{TALKS}{talk['id']}/").json()["summary"] == "家中变故，表示组织关心"
    entry = AuditEntry.objects.get(action="create", resource="talks", object_id=str(talk["id"]))
    assert entry.actor_name == "county_secretary_a"


def test_the_county_leader_reaches_no_one_else_in_the_county(cast, talkers, client_for) -> None:
    # given a county leader with nothing routed to them
    leader = _leader(cast, talkers, client_for)
    talk_trigger_for_family_event(cadre=cast.cadre_a1, event_id=2, event_date=clock.today())

    # when they list and try to record a talk with a township cadre
    refused = leader.post(
        TALKS,
        {
            "talkee": cast.cadre_a1.pk,
            "talkers": [talkers.county_secretary_cadre.pk],
            "date": str(clock.today()),
            "form": "face_to_face",
        },
        format="json",
    )

    # then they list nothing, the cadre is not found, and cadres, rosters and visits stay closed to them
    assert leader.get(TRIGGERS).json()["results"] == []
    assert leader.get(TALKS).json()["results"] == []
    assert refused.status_code == 400 and "talkee" in _errors(refused)
    for resource in ("cadres", "rosters", "visit-obligations", "family-events"):
        assert leader.get(f"/api/v1/{resource}/").status_code == 403, resource
