"""The six must-talks (六必谈) read as the seed's rules: each source event
raises its trigger exactly once, due on time, routed to the right talker."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from cadrecare.core.errors import DomainError
from cadrecare.org.choices import CadreStatus, LeaderPost, PostChangeKind, Rank
from cadrecare.org.services import post_change_record
from cadrecare.talks.choices import TalkeeGroup, TalkerPost, TriggerKind, TriggerSource, TriggerStatus
from cadrecare.talks.models import TalkPolicy, TalkRoute, TalkTrigger
from cadrecare.talks.services import (
    commendation_record,
    petition_record,
    petition_update,
    talk_trigger_create,
    talk_trigger_for_family_event,
    talk_trigger_waive,
    team_flag_record,
)
from tests.factories import CadreFactory

EVENT = dt.date(2025, 6, 10)

# ---------------------------------------------------------------------------
# One test per trigger kind
# ---------------------------------------------------------------------------


def test_a_recorded_post_change_obliges_a_position_change_talk(cast, talkers) -> None:
    # given an ordinary cadre of 石头乡
    # when a transfer within the township is recorded
    change = post_change_record(
        actor=cast.hr_a1,
        cadre=cast.cadre_a1,
        kind=PostChangeKind.TRANSFER,
        date=EVENT,
        to_unit=cast.town_a1,
        to_rank=Rank.STAFF_MEMBER,
        to_post_title="民政助理员",
    )

    # then one position_change talk is due in 15 days, with the township party secretary
    trigger = TalkTrigger.objects.get(cadre=cast.cadre_a1)
    assert (trigger.kind, trigger.source, trigger.source_key) == (
        TriggerKind.POSITION_CHANGE,
        TriggerSource.POST_CHANGE,
        str(change.pk),
    )
    assert trigger.post_change == change
    assert trigger.due_date == EVENT + dt.timedelta(days=15)
    assert trigger.talker == cast.secretary_a1
    assert not trigger.confidential


def test_a_post_change_routes_by_the_new_post(cast, talkers) -> None:
    # given an ordinary cadre promoted to deputy township head (a leadership member)
    post_change_record(
        actor=cast.hr_a1,
        cadre=cast.cadre_a1,
        kind=PostChangeKind.PROMOTION,
        date=EVENT,
        to_unit=cast.town_a1,
        to_rank=Rank.SECTION_DEPUTY,
        to_leader_post=LeaderPost.DEPUTY,
        to_post_title="副乡长",
    )

    # then the talk is the county organization-department head's
    assert TalkTrigger.objects.get(cadre=cast.cadre_a1).talker == talkers.org_head


def test_a_major_family_event_obliges_a_talk_within_seven_days(cast, talkers) -> None:
    trigger = talk_trigger_for_family_event(cadre=cast.cadre_a1, event_id=41, event_date=EVENT)

    assert (trigger.kind, trigger.source, trigger.source_key) == (
        TriggerKind.FAMILY_EVENT,
        TriggerSource.FAMILY_EVENT,
        "41",
    )
    assert trigger.due_date == EVENT + dt.timedelta(days=7)
    assert trigger.talker == cast.secretary_a1


def test_a_commendation_obliges_an_achievement_talk(cast, talkers) -> None:
    commendation = commendation_record(
        actor=cast.hr_a1, cadre=cast.cadre_a1, level="city", title="优秀共产党员", date=EVENT
    )

    trigger = TalkTrigger.objects.get(cadre=cast.cadre_a1)
    assert (trigger.kind, trigger.commendation) == (TriggerKind.ACHIEVEMENT, commendation)
    assert trigger.due_date == EVENT + dt.timedelta(days=15)


def test_only_an_important_petition_obliges_a_confidential_talk(cast, talkers) -> None:
    # given a petition not marked important
    petition = petition_record(
        actor=cast.county_a_staff, cadre=cast.cadre_a1, date=EVENT, summary="反映办事推诿", seriousness="minor"
    )
    assert not TalkTrigger.objects.exists()

    # when it is marked important
    petition_update(actor=cast.county_a_staff, petition=petition, data={"important": True})

    # then one confidential petition talk is due
    trigger = TalkTrigger.objects.get()
    assert (trigger.kind, trigger.petition, trigger.confidential) == (TriggerKind.PETITION, petition, True)


def test_a_team_flag_obliges_a_talk_with_every_serving_leader(cast, talkers) -> None:
    # given 石头乡's party secretary and head serve, a retired deputy does not, and an ordinary cadre is no leader
    CadreFactory(unit=cast.town_a1, leader_post=LeaderPost.DEPUTY, status=CadreStatus.RETIRED)

    # when the organization department flags the team
    flag = team_flag_record(actor=cast.county_a_staff, unit=cast.town_a1, date=EVENT, note="书记乡长配合不好")

    # then the two serving leaders each have a team_discord talk with their own talker
    triggers = {t.cadre: t for t in TalkTrigger.objects.filter(team_flag=flag)}
    assert set(triggers) == {cast.secretary_a1_cadre, talkers.head_a1}
    assert triggers[cast.secretary_a1_cadre].talker == talkers.county_secretary
    assert triggers[talkers.head_a1].talker == talkers.org_head
    assert {t.kind for t in triggers.values()} == {TriggerKind.TEAM_DISCORD}


def test_a_team_flag_on_a_unit_without_serving_leaders_is_refused(cast, talkers) -> None:
    with pytest.raises(DomainError) as error:
        team_flag_record(actor=cast.county_a_staff, unit=cast.town_a2, date=EVENT, note="x")
    assert error.value.field == "unit"


def test_warning_signs_are_entered_by_hand_confidential_and_due_in_seven_days(cast, talkers) -> None:
    trigger = talk_trigger_create(
        actor=cast.secretary_a1,
        cadre=cast.cadre_a1,
        kind=TriggerKind.WARNING_SIGNS,
        event_date=EVENT,
        note="多次酒后驾车",
    )

    assert (trigger.source, trigger.confidential) == (TriggerSource.MANUAL, True)
    assert trigger.due_date == EVENT + dt.timedelta(days=7)


def test_a_manual_trigger_cannot_be_dated_in_the_future(cast) -> None:
    with pytest.raises(DomainError) as error:
        talk_trigger_create(
            actor=cast.secretary_a1,
            cadre=cast.cadre_a1,
            kind=TriggerKind.WARNING_SIGNS,
            event_date=dt.date(2025, 1, 2),
            today=dt.date(2025, 1, 1),
        )
    assert error.value.field == "event_date"


# ---------------------------------------------------------------------------
# Exactly once
# ---------------------------------------------------------------------------


def test_the_same_source_event_twice_raises_one_trigger(cast, talkers) -> None:
    # when every source event is delivered twice (a retried request, a re-run listener)
    for _ in range(2):
        talk_trigger_for_family_event(cadre=cast.cadre_a1, event_id=7, event_date=EVENT)
        commendation_record(actor=None, cadre=cast.cadre_a1, level="city", title="优秀共产党员", date=EVENT)
        team_flag_record(actor=None, unit=cast.town_a1, date=EVENT, note="不团结")
        talk_trigger_create(
            actor=cast.secretary_a1,
            cadre=cast.cadre_a1,
            kind=TriggerKind.WARNING_SIGNS,
            event_date=EVENT,
            source_key="client-key-1",
        )
    petition = petition_record(
        actor=None, cadre=cast.cadre_a1, date=EVENT, summary="s", seriousness="grave", important=True
    )
    petition_update(actor=None, petition=petition, data={"important": False})
    petition_update(actor=None, petition=petition, data={"important": True})

    # then each event has one trigger per cadre
    kinds = sorted(TalkTrigger.objects.values_list("kind", flat=True))
    assert kinds == sorted(
        [
            TriggerKind.FAMILY_EVENT,
            TriggerKind.ACHIEVEMENT,
            TriggerKind.TEAM_DISCORD,
            TriggerKind.TEAM_DISCORD,
            TriggerKind.WARNING_SIGNS,
            TriggerKind.PETITION,
        ]
    )


@pytest.mark.django_db(transaction=True)
def test_two_workers_seeing_the_same_event_at_once_raise_one_trigger(cast, talkers) -> None:
    # given eight workers that receive the same family event at the same moment
    barrier = threading.Barrier(8)
    results: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            results.append(talk_trigger_for_family_event(cadre=cast.cadre_a1, event_id=99, event_date=EVENT).pk)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then all of them return the one trigger that exists
    assert errors == []
    assert TalkTrigger.objects.filter(source_key="99").count() == 1
    assert set(results) == {TalkTrigger.objects.get(source_key="99").pk}


# ---------------------------------------------------------------------------
# Routing: one test per talker pair, the vacancy path, configuration
# ---------------------------------------------------------------------------


def test_a_township_party_secretary_talks_with_the_county_party_secretary(cast, talkers) -> None:
    trigger = talk_trigger_for_family_event(cadre=cast.secretary_a1_cadre, event_id=1, event_date=EVENT)
    assert trigger.talker == talkers.county_secretary
    assert trigger.talker_post == "县（区）委书记"  # the post; its holder is read when needed (org.posts)
    assert trigger.routed_to_unit == cast.county_a


def test_a_township_leadership_member_talks_with_the_org_department_head(cast, talkers) -> None:
    trigger = talk_trigger_for_family_event(cadre=talkers.head_a1, event_id=1, event_date=EVENT)
    assert trigger.talker == talkers.org_head
    assert trigger.routed_to_unit == cast.agency_a


def test_another_township_cadre_talks_with_the_township_party_secretary(cast, talkers) -> None:
    trigger = talk_trigger_for_family_event(cadre=cast.cadre_a1, event_id=1, event_date=EVENT)
    assert trigger.talker == cast.secretary_a1
    assert trigger.routed_to_unit == cast.town_a1


def test_a_vacant_post_sends_the_talk_to_the_county_org_department(cast) -> None:
    # given 永胜县 has no township party secretary for 期纳镇 on record
    trigger = talk_trigger_for_family_event(cadre=cast.cadre_b1, event_id=1, event_date=EVENT)

    # then nobody owns it personally; the county does, and the note says why
    assert trigger.talker is None
    assert trigger.routed_to_unit == cast.county_b
    assert "岗位空缺" in trigger.routing_note


def test_a_post_holder_without_a_login_counts_as_vacant(cast, talkers) -> None:
    talkers.county_secretary_cadre.user = None
    talkers.county_secretary_cadre.save()

    trigger = talk_trigger_for_family_event(cadre=cast.secretary_a1_cadre, event_id=1, event_date=EVENT)

    assert (trigger.talker, trigger.routed_to_unit) == (None, cast.county_a)
    assert "未开通账号" in trigger.routing_note and "岗位空缺" not in trigger.routing_note


def test_a_retired_post_holder_leaves_the_post_vacant(cast, talkers) -> None:
    talkers.org_head_cadre.status = CadreStatus.RETIRED
    talkers.org_head_cadre.save()

    trigger = talk_trigger_for_family_event(cadre=talkers.head_a1, event_id=1, event_date=EVENT)

    assert trigger.talker is None
    assert "组织部部长岗位空缺" in trigger.routing_note


def test_a_county_may_route_leadership_members_to_its_party_secretary(cast, talkers) -> None:
    # given 玉龙县 decides its party secretary talks with township leadership members
    TalkRoute.objects.create(
        county=cast.county_a,
        talkee_group=TalkeeGroup.TOWNSHIP_LEADER,
        talker_post=TalkerPost.COUNTY_PARTY_SECRETARY,
        talker_leader_post=LeaderPost.PARTY_SECRETARY,
    )

    trigger = talk_trigger_for_family_event(cadre=talkers.head_a1, event_id=1, event_date=EVENT)

    assert trigger.talker == talkers.county_secretary


def test_a_configured_talker_unit_names_the_org_department(cast, talkers) -> None:
    # given the organization department's unit is not named 组织部, the county names it
    other = CadreFactory(unit=cast.town_a2, leader_post=LeaderPost.HEAD, user=cast.county_a_staff)
    TalkRoute.objects.create(
        county=cast.county_a,
        talkee_group=TalkeeGroup.TOWNSHIP_LEADER,
        talker_post=TalkerPost.ORG_DEPARTMENT_HEAD,
        talker_unit=cast.town_a2,
        talker_leader_post=LeaderPost.HEAD,
    )

    trigger = talk_trigger_for_family_event(cadre=talkers.head_a1, event_id=1, event_date=EVENT)

    assert trigger.talker == other.user


def test_due_days_are_set_per_unit_and_inherited_down_the_tree(cast, talkers) -> None:
    # given the county allows 30 days for a post-change talk and 石头乡 only 10
    TalkPolicy.objects.create(unit=cast.county_a, kind=TriggerKind.POSITION_CHANGE, due_days=30)
    TalkPolicy.objects.create(unit=cast.town_a1, kind=TriggerKind.POSITION_CHANGE, due_days=10)

    def due_for(cadre, key):  # entered by the city, whose scope holds both counties
        return talk_trigger_create(
            actor=cast.city_admin, cadre=cadre, kind=TriggerKind.POSITION_CHANGE, event_date=EVENT, source_key=key
        ).due_date

    # then the deepest setting wins, and townships without one inherit the county's
    assert due_for(cast.cadre_a1, "a1") == EVENT + dt.timedelta(days=10)
    assert due_for(cast.cadre_a2, "a2") == EVENT + dt.timedelta(days=30)
    assert due_for(cast.cadre_b1, "b1") == EVENT + dt.timedelta(days=15)


def test_an_open_trigger_can_be_waived_only_with_a_reason(cast, talkers) -> None:
    trigger = talk_trigger_for_family_event(cadre=cast.cadre_a1, event_id=1, event_date=EVENT)
    with pytest.raises(DomainError):
        talk_trigger_waive(actor=cast.county_a_staff, trigger=trigger, reason="  ")

    waived = talk_trigger_waive(actor=cast.county_a_staff, trigger=trigger, reason="本人已调离")

    assert (waived.status, waived.waive_reason) == (TriggerStatus.WAIVED, "本人已调离")
    with pytest.raises(DomainError):
        talk_trigger_waive(actor=cast.county_a_staff, trigger=trigger, reason="again")
