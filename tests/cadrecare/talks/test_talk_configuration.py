"""谈话分工 and 谈话期限 written through their services (the workbench's
forms call them): a route is a county's, its talker unit within the county,
saved once per talkee group and honoured by routing; a unit's due days are
set, changed and cleared per kind, the clearing handing the kind back to the
unit above."""

from __future__ import annotations

import pytest

from cadrecare.core.errors import DomainError
from cadrecare.org.choices import LeaderPost
from cadrecare.talks.choices import TalkeeGroup, TalkerPost, TriggerKind
from cadrecare.talks.models import TalkPolicy, TalkRoute
from cadrecare.talks.routing import route_for, trigger_due_days
from cadrecare.talks.services import talk_due_days_set, talk_route_save

pytestmark = pytest.mark.django_db

ROUTE = {
    "talkee_group": TalkeeGroup.TOWNSHIP_LEADER,
    "talker_post": TalkerPost.COUNTY_PARTY_SECRETARY,
    "talker_leader_post": LeaderPost.PARTY_SECRETARY,
    "cadence_months": 6,
}


def test_a_county_saves_one_route_per_talkee_group_and_routing_follows_it(cast) -> None:
    route, created = talk_route_save(actor=cast.county_a_admin, county=cast.county_a, **ROUTE)
    again, created_again = talk_route_save(
        actor=cast.county_a_admin, county=cast.county_a, **{**ROUTE, "cadence_months": 3}
    )

    assert (created, created_again, again.pk) == (True, False, route.pk)
    assert TalkRoute.objects.filter(county=cast.county_a).count() == 1
    in_force = route_for(cast.county_a, TalkeeGroup.TOWNSHIP_LEADER)
    assert (in_force.talker_post, in_force.cadence_months) == (TalkerPost.COUNTY_PARTY_SECRETARY, 3)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"county": "town_a1"}, "county"),
        ({"talker_unit": "town_b1"}, "talker_unit"),
        ({"talker_leader_post": LeaderPost.NONE}, "talker_leader_post"),
        ({"cadence_months": 0}, "cadence_months"),
        ({"talkee_group": "village_cadre"}, "talkee_group"),
    ],
)
def test_a_route_outside_the_rules_is_refused_naming_its_field(cast, change: dict, field: str) -> None:
    values = {"county": cast.county_a, **ROUTE}
    values.update(
        {name: getattr(cast, value) if name in ("county", "talker_unit") else value for name, value in change.items()}
    )

    with pytest.raises(DomainError) as refused:
        talk_route_save(actor=cast.county_a_admin, **values)

    assert refused.value.field == field
    assert not TalkRoute.objects.exists()


def test_a_talker_unit_inside_the_county_is_kept(cast) -> None:
    route, _ = talk_route_save(actor=cast.county_a_admin, county=cast.county_a, talker_unit=cast.agency_a, **ROUTE)

    assert route.talker_unit == cast.agency_a


def test_due_days_are_set_changed_and_cleared_per_kind(cast) -> None:
    kind = TriggerKind.POSITION_CHANGE

    created = talk_due_days_set(actor=cast.county_a_admin, unit=cast.county_a, due_days={kind: 30})
    unchanged = talk_due_days_set(actor=cast.county_a_admin, unit=cast.county_a, due_days={kind: 30})
    updated = talk_due_days_set(actor=cast.county_a_admin, unit=cast.county_a, due_days={kind: 20})
    assert [action for action, _ in created + unchanged + updated] == ["create", "update"]
    assert trigger_due_days(cast.town_a1, kind) == 20  # inherited by the townships below

    cleared = talk_due_days_set(actor=cast.county_a_admin, unit=cast.county_a, due_days={kind: None})

    assert [(action, policy.pk) for action, policy in cleared] == [("delete", created[0][1].pk)]
    assert not TalkPolicy.objects.exists()
    assert trigger_due_days(cast.town_a1, kind) == 15  # the default again


@pytest.mark.parametrize("days", [0, 91])
def test_due_days_out_of_range_are_refused_and_nothing_is_saved(cast, days: int) -> None:
    with pytest.raises(DomainError) as refused:
        talk_due_days_set(
            actor=cast.county_a_admin,
            unit=cast.county_a,
            due_days={TriggerKind.TEAM_DISCORD: 10, TriggerKind.PETITION: days},
        )

    assert refused.value.field == TriggerKind.PETITION
    assert not TalkPolicy.objects.exists()


def test_a_townships_own_due_days_leave_its_neighbours_alone(cast) -> None:
    talk_due_days_set(actor=cast.county_a_admin, unit=cast.town_a1, due_days={TriggerKind.ACHIEVEMENT: 40})

    assert trigger_due_days(cast.town_a1, TriggerKind.ACHIEVEMENT) == 40
    assert trigger_due_days(cast.town_a2, TriggerKind.ACHIEVEMENT) == 15


# -- the same services behind /api/v1/talk-routes/ and /api/v1/talk-policies/ ------------------------------
def test_the_api_refuses_a_talker_unit_outside_the_county_in_chinese(cast, client_for) -> None:
    response = client_for("city_admin").post(
        "/api/v1/talk-routes/",
        {"county": cast.county_a.pk, "talker_unit": cast.town_b1.pk, **ROUTE},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "talker_unit"
    assert "玉龙县" in response.json()["errors"][0]["message"]
    assert not TalkRoute.objects.exists()


def test_the_api_changes_a_route_but_not_what_it_is_about(cast, client_for) -> None:
    route, _ = talk_route_save(actor=None, county=cast.county_a, **ROUTE)
    client = client_for("county_a_admin")

    moved = client.patch(f"/api/v1/talk-routes/{route.pk}/", {"talkee_group": "township_cadre"}, format="json")
    changed = client.patch(f"/api/v1/talk-routes/{route.pk}/", {"cadence_months": 4}, format="json")

    assert moved.status_code == 400 and moved.json()["errors"][0]["message"] == "该字段登记后不能修改。"
    assert changed.status_code == 200 and changed.json()["cadence_months"] == 4


def test_the_api_sets_due_days_once_per_unit_and_kind_and_deleting_hands_back_the_default(cast, client_for) -> None:
    client = client_for("county_a_admin")
    body = {"unit": cast.town_a1.pk, "kind": TriggerKind.ACHIEVEMENT, "due_days": 30}

    created = client.post("/api/v1/talk-policies/", body, format="json")
    twice = client.post("/api/v1/talk-policies/", body, format="json")
    too_long = client.patch(f"/api/v1/talk-policies/{created.json()['id']}/", {"due_days": 91}, format="json")

    assert created.status_code == 201 and trigger_due_days(cast.town_a1, TriggerKind.ACHIEVEMENT) == 30
    assert twice.status_code == 400 and "已设置这种谈话情形的期限" in twice.json()["errors"][0]["message"]
    assert too_long.status_code == 400 and too_long.json()["errors"][0]["field"] == "due_days"
    assert client.delete(f"/api/v1/talk-policies/{created.json()['id']}/").status_code == 204
    assert trigger_due_days(cast.town_a1, TriggerKind.ACHIEVEMENT) == 15
