"""Talks held: a talk closes the must-talks it answers and resets the
regular-talk clock; scheduled interviews close their items."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from cadrecare.core.errors import DomainError
from cadrecare.org.choices import LeaderPost, Rank
from cadrecare.org.models import Cadre
from cadrecare.talks import demo
from cadrecare.talks.choices import FollowUpStatus, InterviewItemStatus, TalkeeGroup, TalkerPost, TriggerStatus
from cadrecare.talks.models import TalkRoute, TalkTrigger
from cadrecare.talks.selectors import (
    cadres_with_regular_talk_due,
    interview_item_due_items,
    regular_talk_due_items,
    talk_follow_up_due_items,
    talk_summary,
    talk_trigger_due_items,
)
from cadrecare.talks.services import (
    commendation_record,
    interview_round_plan,
    talk_follow_up_close,
    talk_record,
    talk_trigger_for_family_event,
    talk_trigger_waive,
)
from tests.factories import CadreFactory

EVENT = dt.date(2025, 6, 10)


def _next_regular_due(cadre: Cadre) -> dt.date:
    return cadres_with_regular_talk_due(Cadre.objects.filter(pk=cadre.pk)).get().next_regular_talk_due


def test_recording_a_talk_closes_every_trigger_it_answers(cast, talkers) -> None:
    # given two open must-talks with 木晓梅
    family = talk_trigger_for_family_event(cadre=cast.cadre_a1, event_id=1, event_date=EVENT)
    commendation_record(actor=None, cadre=cast.cadre_a1, level="county", title="先进", date=EVENT)
    achievement = cast.cadre_a1.talk_triggers.exclude(pk=family.pk).get()

    # when the township party secretary records one talk answering both
    talk = talk_record(
        actor=cast.secretary_a1,
        talkee=cast.cadre_a1,
        talkers=[cast.secretary_a1],
        date=EVENT + dt.timedelta(days=3),
        form="face_to_face",
        summary="了解家中困难",
        triggers=[family, achievement],
    )

    # then both are done by that talk, on its date
    for trigger in (family, achievement):
        trigger.refresh_from_db()
        assert (trigger.status, trigger.talk, trigger.done_date) == (
            TriggerStatus.DONE,
            talk,
            EVENT + dt.timedelta(days=3),
        )


def test_a_talk_answers_only_open_triggers_of_its_own_talkee(cast, talkers) -> None:
    other = talk_trigger_for_family_event(cadre=cast.cadre_a2, event_id=2, event_date=EVENT)
    waived = talk_trigger_for_family_event(cadre=cast.cadre_a1, event_id=3, event_date=EVENT)
    talk_trigger_waive(actor=cast.county_a_staff, trigger=waived, reason="已调离")

    for trigger in (other, waived):
        with pytest.raises(DomainError) as error:
            talk_record(
                actor=cast.county_a_staff,
                talkee=cast.cadre_a1,
                talkers=[cast.secretary_a1],
                date=EVENT,
                form="phone",
                triggers=[trigger],
            )
        assert error.value.field == "triggers"


def test_a_talk_cannot_be_dated_in_the_future(cast) -> None:
    with pytest.raises(DomainError) as error:
        talk_record(
            actor=cast.secretary_a1,
            talkee=cast.cadre_a1,
            talkers=[cast.secretary_a1],
            date=dt.date(2025, 1, 2),
            form="phone",
            today=dt.date(2025, 1, 1),
        )
    assert error.value.field == "date"


def test_only_a_talker_or_the_org_department_records_a_talk(cast, talkers) -> None:
    # given the township secretary is not among the talkers
    with pytest.raises(DomainError) as error:
        talk_record(
            actor=cast.secretary_a1,
            talkee=cast.secretary_a1_cadre,
            talkers=[talkers.county_secretary],
            date=EVENT,
            form="face_to_face",
        )
    assert error.value.field == "talkers"

    # the county organization department records it on the county secretary's behalf
    talk = talk_record(
        actor=cast.county_a_staff,
        talkee=cast.secretary_a1_cadre,
        talkers=[talkers.county_secretary],
        date=EVENT,
        form="face_to_face",
    )
    assert list(talk.talkers.all()) == [talkers.county_secretary]


def test_recording_a_talk_resets_the_regular_talk_clock(cast, talkers) -> None:
    # given 木晓梅 joined 石头乡 on 2015-03-01 and was never talked with: due a year after
    assert _next_regular_due(cast.cadre_a1) == dt.date(2016, 3, 1)

    # when any talk is held with her
    talk_record(actor=cast.secretary_a1, talkee=cast.cadre_a1, talkers=[cast.secretary_a1], date=EVENT, form="phone")

    # then the next regular talk is due twelve months later
    assert _next_regular_due(cast.cadre_a1) == dt.date(2026, 6, 10)


def test_the_regular_cadence_comes_from_the_county_route(cast, talkers) -> None:
    # given 玉龙县 wants township leaders talked with every 6 months
    TalkRoute.objects.create(
        county=cast.county_a,
        talkee_group=TalkeeGroup.TOWNSHIP_LEADER,
        talker_post=TalkerPost.ORG_DEPARTMENT_HEAD,
        talker_leader_post=LeaderPost.HEAD,
        cadence_months=6,
    )
    talk_record(
        actor=cast.county_a_staff, talkee=talkers.head_a1, talkers=[talkers.org_head], date=EVENT, form="face_to_face"
    )
    talk_record(
        actor=cast.county_a_staff, talkee=cast.cadre_a1, talkers=[cast.secretary_a1], date=EVENT, form="face_to_face"
    )

    assert _next_regular_due(talkers.head_a1) == dt.date(2025, 12, 10)
    assert _next_regular_due(cast.cadre_a1) == dt.date(2026, 6, 10)


def test_regular_talk_due_items_are_computed_in_one_query(cast, talkers, count_queries) -> None:
    # given 木晓梅 was talked with recently and 杨建华 never
    talk_record(actor=cast.secretary_a1, talkee=cast.cadre_a1, talkers=[cast.secretary_a1], date=EVENT, form="phone")

    # when the reminders ask who is due by 2026-01-01
    due: list[Cadre] = []
    queries = count_queries(lambda: due.extend(regular_talk_due_items(due_by=dt.date(2026, 1, 1))))

    # then 杨建华 is, 木晓梅 is not, in a single query
    assert cast.cadre_a2 in due and cast.cadre_a1 not in due
    assert queries == 1


def test_due_item_selectors_list_what_is_open_and_due(cast, talkers) -> None:
    trigger = talk_trigger_for_family_event(cadre=cast.cadre_a1, event_id=1, event_date=EVENT)
    assert list(talk_trigger_due_items(due_by=EVENT)) == []
    assert list(talk_trigger_due_items(due_by=trigger.due_date)) == [trigger]

    talk = talk_record(
        actor=cast.secretary_a1,
        talkee=cast.cadre_a1,  # of the secretary's township: a talk elsewhere is refused
        talkers=[cast.secretary_a1],
        date=EVENT,
        form="phone",
        follow_ups=[{"action": "协调解决住房", "owner": cast.hr_a1, "due_date": EVENT + dt.timedelta(days=30)}],
    )
    follow_up = talk.follow_ups.get()
    assert list(talk_follow_up_due_items(due_by=EVENT + dt.timedelta(days=30))) == [follow_up]

    talk_follow_up_close(actor=cast.hr_a1, follow_up=follow_up, today=EVENT + dt.timedelta(days=20))
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.done_date) == (FollowUpStatus.DONE, EVENT + dt.timedelta(days=20))
    assert list(talk_follow_up_due_items(due_by=EVENT + dt.timedelta(days=30))) == []


def test_a_follow_up_due_before_the_talk_is_refused(cast) -> None:
    with pytest.raises(DomainError) as error:
        talk_record(
            actor=cast.secretary_a1,
            talkee=cast.cadre_a1,
            talkers=[cast.secretary_a1],
            date=EVENT,
            form="phone",
            follow_ups=[{"action": "x", "due_date": EVENT - dt.timedelta(days=1)}],
        )
    assert error.value.field == "follow_ups[0].due_date"


def test_the_summary_counts_open_overdue_on_time_and_late_per_unit(cast, talkers) -> None:
    # given four family-event talks in 石头乡 (due 7 days after 2025-06-10)
    triggers = [talk_trigger_for_family_event(cadre=cast.cadre_a1, event_id=i, event_date=EVENT) for i in range(4)]
    talk_record(
        actor=cast.secretary_a1,
        talkee=cast.cadre_a1,
        talkers=[cast.secretary_a1],
        date=EVENT,
        form="phone",
        triggers=[triggers[0]],
    )
    talk_record(
        actor=cast.secretary_a1,
        talkee=cast.cadre_a1,
        talkers=[cast.secretary_a1],
        date=EVENT + dt.timedelta(days=9),
        form="phone",
        triggers=[triggers[1]],
    )

    # when the summary is read on 2025-06-20
    rows = talk_summary(triggers=TalkTrigger.objects.all(), today=dt.date(2025, 6, 20))

    # then one done on time, one late, two open and overdue
    [row] = rows
    assert (row["unit"], row["open"], row["overdue"], row["done_on_time"], row["done_late"], row["total"]) == (
        cast.town_a1.pk,
        2,
        2,
        1,
        1,
        4,
    )
    assert row["by_kind"]["family_event"]["total"] == 4


def test_an_interview_round_covers_the_townships_section_level_cadres(cast, talkers) -> None:
    # given 石头乡 has a 正科 head and a 副科 cadre; the rest are 科员
    deputy = CadreFactory(unit=cast.town_a1, rank=Rank.SECTION_DEPUTY)

    round_ = interview_round_plan(
        actor=cast.county_a_staff,
        unit=cast.town_a1,
        title="上半年约谈",
        start_date=dt.date(2025, 6, 1),
        end_date=dt.date(2025, 6, 30),
        interviewers=[cast.county_a_staff],
    )

    assert {item.cadre for item in round_.items.all()} == {talkers.head_a1, deputy}
    assert {item.cadre for item in interview_item_due_items(due_by=dt.date(2025, 6, 30))} == {talkers.head_a1, deputy}


def test_an_interview_by_an_interviewer_in_the_round_closes_the_item(cast, talkers) -> None:
    round_ = interview_round_plan(
        actor=cast.county_a_staff,
        unit=cast.town_a1,
        title="上半年约谈",
        start_date=dt.date(2025, 6, 1),
        end_date=dt.date(2025, 6, 30),
        interviewers=[cast.county_a_staff],
    )
    # a talk by someone else, or outside the round's dates, does not close it
    talk_record(
        actor=cast.secretary_a1,
        talkee=talkers.head_a1,
        talkers=[cast.secretary_a1],
        date=dt.date(2025, 6, 5),
        form="face_to_face",
    )
    talk_record(
        actor=cast.county_a_staff,
        talkee=talkers.head_a1,
        talkers=[cast.county_a_staff],
        date=dt.date(2025, 5, 30),
        form="face_to_face",
    )
    item = round_.items.get()
    assert item.status == InterviewItemStatus.OPEN

    talk = talk_record(
        actor=cast.county_a_staff,
        talkee=talkers.head_a1,
        talkers=[cast.county_a_staff],
        date=dt.date(2025, 6, 12),
        form="face_to_face",
    )

    item.refresh_from_db()
    assert (item.status, item.talk, item.done_date) == (InterviewItemStatus.DONE, talk, dt.date(2025, 6, 12))


def test_an_interview_round_needs_a_township_with_section_level_cadres(cast) -> None:
    for unit, field in ((cast.county_a, "unit"), (cast.town_a2, "unit")):
        with pytest.raises(DomainError) as error:
            interview_round_plan(
                actor=cast.county_a_staff,
                unit=unit,
                title="x",
                start_date=EVENT,
                end_date=EVENT,
                interviewers=[cast.county_a_staff],
            )
        assert error.value.field == field


def test_the_demo_data_raises_routed_triggers_and_answers_some(cast, talkers) -> None:
    # given a township with a few more cadres
    for _ in range(6):
        CadreFactory(unit=cast.town_a1)

    demo.populate(rng=random.Random(7))

    kinds = set(TalkTrigger.objects.values_list("kind", flat=True))
    assert {"achievement", "warning_signs", "team_discord"} <= kinds
    assert TalkTrigger.objects.filter(status=TriggerStatus.DONE).exists()
    assert regular_talk_due_items(due_by=dt.date(2100, 1, 1)).exists()
