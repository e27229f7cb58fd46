"""A roster's problem (exchange format) carries each cadre's hardship flag,
drawn from sensitive notes: shown, and its read logged, only for readers of
rest requests' sensitive fields in the unit; left out for every other reader
(the field is optional in the format: the roster still checks)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cadrecare.audit.models import AuditEntry
from cadrecare.rotation.models import RosterVersion
from cadrecare.rotation.problem import cadre_key
from tests.cadrecare.rotation.support import Plan, hand_roster
from tests.conftest import Cast


@pytest.fixture
def roster(cast: Cast) -> Any:
    month = dt.date(2030, 3, 1)
    made = hand_roster(cast.town_a1, month, {cast.cadre_a1: Plan(), cast.secretary_a1_cadre: Plan()})
    problem = made.current.problem
    for cadre in problem["cadres"]:
        cadre["hardship"] = cadre["id"] == cadre_key(cast.cadre_a1.pk)  # poor health flagged on a request
    RosterVersion.objects.filter(pk=made.current.pk).update(problem=problem)
    return made


def _hardship(client: Any, roster: Any) -> dict[str, Any]:
    response = client.get(f"/api/v1/rosters/{roster.pk}/problem/")
    assert response.status_code == 200
    return {cadre["id"]: cadre.get("hardship", "left out") for cadre in response.json()["cadres"]}


@pytest.mark.parametrize("user", ["county_a_admin", "county_a_staff", "hr_a1"])
def test_readers_below_sensitive_rest_requests_get_no_flag_at_all(
    cast: Cast, client_for: Any, roster: Any, user: str
) -> None:
    flags = _hardship(client_for(user), roster)

    assert set(flags.values()) == {"left out"}
    assert not AuditEntry.objects.filter(resource="rosters").exists()


def test_the_townships_secretary_sees_the_flags_and_the_read_is_logged(
    cast: Cast, client_for: Any, roster: Any
) -> None:
    flags = _hardship(client_for("secretary_a1"), roster)

    assert flags == {cadre_key(cast.cadre_a1.pk): True, cadre_key(cast.secretary_a1_cadre.pk): False}
    entry = AuditEntry.objects.get(resource="rosters")
    assert (entry.actor, entry.object_id, entry.fields) == (cast.secretary_a1, str(roster.pk), ["problem.hardship"])
