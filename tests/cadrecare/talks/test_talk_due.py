"""The must-talks as due items for the reminders: every open item, its owner
by the routing rules (vacant posts to the county organization department),
never a confidential word in a title, and gone once done."""

from __future__ import annotations

import datetime as dt

import pytest

from cadrecare.org.choices import LeaderPost
from cadrecare.org.models import Cadre
from cadrecare.reminders.sources import DueItem, due_items, iter_due_items
from cadrecare.talks.choices import TalkeeGroup, TalkerPost, TriggerKind
from cadrecare.talks.models import TalkRoute
from cadrecare.talks.routing import talk_routing
from cadrecare.talks.selectors import cadres_with_regular_talk_due, with_regular_talker
from cadrecare.talks.services import (
    interview_round_plan,
    talk_record,
    talk_trigger_create,
    talk_trigger_for_family_event,
)

TODAY = dt.date(2025, 7, 1)
EVENT = dt.date(2025, 6, 10)


def items(kind: str, user=None) -> dict[int, DueItem]:
    return {item.object_id: item for item in iter_due_items(due_items(today=TODAY, user=user, kinds=[kind]))}


def test_an_open_trigger_is_due_from_its_talker(cast, talkers) -> None:
    trigger = talk_trigger_for_family_event(cadre=cast.cadre_a1, event_id=1, event_date=EVENT)

    item = items("talk_trigger")[trigger.pk]

    assert (item.owner_id, item.due_date, item.cadre_id) == (cast.secretary_a1.pk, trigger.due_date, cast.cadre_a1.pk)
    assert item.title == "木晓梅：谈心谈话（家庭发生重大变故）"
    assert item.url == f"/api/v1/talk-triggers/{trigger.pk}/"


def test_a_trigger_with_a_vacant_talker_post_is_the_county_org_departments(cast) -> None:
    trigger = talk_trigger_for_family_event(cadre=cast.cadre_b1, event_id=1, event_date=EVENT)

    item = items("talk_trigger")[trigger.pk]

    assert (item.owner_id, item.owner_unit_id) == (None, cast.county_b.pk)


def test_a_trigger_answered_by_a_talk_is_no_longer_due(cast, talkers) -> None:
    trigger = talk_trigger_for_family_event(cadre=cast.cadre_a1, event_id=1, event_date=EVENT)
    talk_record(
        actor=cast.secretary_a1,
        talkee=cast.cadre_a1,
        talkers=[cast.secretary_a1],
        date=EVENT,
        form="phone",
        triggers=[trigger],
    )

    assert trigger.pk not in items("talk_trigger")


def test_a_confidential_trigger_is_listed_to_its_talker_and_the_org_department_without_its_kind(cast, talkers) -> None:
    trigger = talk_trigger_create(
        actor=cast.county_a_staff,
        cadre=talkers.head_a1,
        kind=TriggerKind.WARNING_SIGNS,
        event_date=EVENT,
        note="收受礼金",
    )

    assert items("confidential_talk_trigger")[trigger.pk].title == "乡长：谈心谈话"
    assert trigger.pk not in items("talk_trigger")
    assert trigger.pk in items("confidential_talk_trigger", user=talkers.org_head)
    assert trigger.pk in items("confidential_talk_trigger", user=cast.county_a_staff)
    assert trigger.pk not in items("confidential_talk_trigger", user=cast.secretary_a1)


@pytest.mark.parametrize("configured", [False, True])
def test_each_cadres_regular_talk_is_owned_by_the_talker_routing_names(cast, talkers, configured) -> None:
    # given the seed's routes, or 玉龙县 sending leadership members to its party secretary
    if configured:
        TalkRoute.objects.create(
            county=cast.county_a,
            talkee_group=TalkeeGroup.TOWNSHIP_LEADER,
            talker_post=TalkerPost.COUNTY_PARTY_SECRETARY,
            talker_leader_post=LeaderPost.PARTY_SECRETARY,
        )

    due = items("regular_talk")

    # then the owner computed in SQL for every township cadre is the talker routing picks
    cadres = [cast.cadre_a1, cast.cadre_a2, cast.cadre_b1, cast.secretary_a1_cadre, talkers.head_a1]
    for cadre in cadres:
        talker = talk_routing(cadre).talker
        assert due[cadre.pk].owner_id == (talker.pk if talker else None), cadre.name
    assert due[talkers.head_a1.pk].owner_id == (talkers.county_secretary.pk if configured else talkers.org_head.pk)
    assert due[cast.cadre_b1.pk].owner_unit_id == cast.county_b.pk


# Every way a county may route a group (each talker post, and a talker unit of its own), besides the seed's.
ROUTES = [None] + [
    (group, post, leader, own_unit)
    for group in TalkeeGroup.values
    for post, leader in (
        (TalkerPost.COUNTY_PARTY_SECRETARY, LeaderPost.PARTY_SECRETARY),
        (TalkerPost.ORG_DEPARTMENT_HEAD, LeaderPost.HEAD),
        (TalkerPost.TOWNSHIP_PARTY_SECRETARY, LeaderPost.PARTY_SECRETARY),
    )
    for own_unit in (False, True)
]


@pytest.mark.parametrize("configured", ROUTES, ids=lambda r: "seed" if r is None else "-".join(map(str, r)))
def test_routing_in_python_and_in_sql_agree_on_every_cadre_of_the_cast(cast, talkers, configured) -> None:
    """A must-talk of any kind is routed by ``talk_routing`` (the kind only
    sets its due date); the regular talks' owners and cadences come from the
    same route in SQL. Both read ``with_route``, and must name the same talker
    and cadence for everyone, township cadres or not."""
    # given the seed's routes, or one group of 玉龙县 routed elsewhere (to the agency's head, when its own unit)
    if configured is not None:
        group, post, leader, own_unit = configured
        TalkRoute.objects.create(
            county=cast.county_a,
            talkee_group=group,
            talker_post=post,
            talker_leader_post=leader,
            talker_unit=cast.agency_a if own_unit else None,
            cadence_months=6,
        )
    cadres = list(Cadre.objects.select_related("unit"))

    # when both answer for every cadre
    in_sql = {
        row.pk: (row.regular_talker_id, row.regular_cadence_months)
        for row in with_regular_talker(cadres_with_regular_talk_due(Cadre.objects.all()))
    }
    routed = {cadre.pk: talk_routing(cadre) for cadre in cadres}
    in_python = {pk: (r.talker.pk if r.talker else None, r.cadence_months) for pk, r in routed.items()}

    # then they agree
    assert len(cadres) > 6 and in_sql == in_python


def test_a_regular_talk_is_due_a_cadence_after_the_last_talk(cast, talkers) -> None:
    talk_record(
        actor=cast.secretary_a1,
        talkee=cast.cadre_a1,
        talkers=[cast.secretary_a1],
        date=dt.date(2025, 6, 20),
        form="phone",
    )

    assert items("regular_talk")[cast.cadre_a1.pk].due_date == dt.date(2026, 6, 20)


def test_follow_ups_and_interviews_are_due_from_their_owners(cast, talkers) -> None:
    talk = talk_record(
        actor=cast.secretary_a1,
        talkee=cast.cadre_a1,
        talkers=[cast.secretary_a1],
        date=EVENT,
        form="phone",
        follow_ups=[{"action": "解决住房", "owner": cast.hr_a1, "due_date": dt.date(2025, 7, 10)}],
    )
    round_ = interview_round_plan(
        actor=cast.county_a_staff,
        unit=cast.town_a1,
        title="约谈",
        start_date=EVENT,
        end_date=dt.date(2025, 7, 31),
        interviewers=[cast.county_a_staff],
    )

    follow_up = items("talk_follow_up")[talk.follow_ups.get().pk]
    interview = items("interview")[round_.items.get().pk]

    assert (follow_up.owner_id, follow_up.due_date, follow_up.title) == (
        cast.hr_a1.pk,
        dt.date(2025, 7, 10),
        "木晓梅：谈话跟进事项",
    )
    assert (interview.owner_id, interview.due_date, interview.cadre_id) == (
        cast.county_a_staff.pk,
        dt.date(2025, 7, 31),
        talkers.head_a1.pk,
    )
