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
