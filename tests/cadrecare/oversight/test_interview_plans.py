"""The county's yearly interview plan (定期约谈): every section-level cadre of
its townships interviewed at least once in the year; an interview (a talk by
one of the plan's interviewers) closes the cadre's line; a township short of
its share at a checkpoint is the county organization department's due item."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cadrecare.core import clock
from cadrecare.org.choices import PostChangeKind, Rank
from cadrecare.org.services import post_change_record
from cadrecare.oversight import services
from cadrecare.oversight.models import InterviewPlanLine
from cadrecare.reminders.choices import Stage
from cadrecare.reminders.models import Notice
from cadrecare.reminders.services import reminders_scan
from cadrecare.reminders.sources import due_items, iter_due_items
from cadrecare.talks.choices import TalkForm
from cadrecare.talks.services import talk_record
from tests.factories import CadreFactory, cadre_of

PLANS = "/api/v1/interview-plans/"
YEAR = clock.today().year


@pytest.fixture
def section(cast: Any) -> dict[str, Any]:
    """Four section-level cadres: three in 石头乡, one in 鲁甸乡; and a staff member, not planned."""
    CadreFactory(unit=cast.town_a1, rank=Rank.STAFF_MEMBER)
    return {
        "a1": [CadreFactory(name=f"石头{i}", unit=cast.town_a1, rank=Rank.SECTION_DEPUTY) for i in range(3)],
        "a2": [CadreFactory(name="鲁甸1", unit=cast.town_a2, rank=Rank.SECTION_CHIEF)],
    }


def _plan(client: Any, cast: Any, **extra: Any) -> dict[str, Any]:
    interviewer = cadre_of(cast.county_a_staff, cast.agency_a)
    payload = {"county": cast.county_a.pk, "year": YEAR, "checkpoints": 4, "interviewers": [interviewer.pk], **extra}
    response = client.post(PLANS, payload, format="json")
    assert response.status_code == 201, response.content.decode()
    return response.json()


def test_the_plan_lists_every_section_level_cadre_of_the_countys_townships(
    cast: Any, client_for: Any, section: Any
) -> None:
    plan = _plan(client_for("county_a_staff"), cast)

    planned = {line["cadre"] for line in plan["lines"]}
    assert planned == {c.pk for c in section["a1"] + section["a2"]}
    assert (plan["total"], plan["done"], plan["checkpoints_label"]) == (4, 0, "每季度按进度")


def test_a_plan_needs_an_interviewer_and_a_county(cast: Any, client_for: Any, section: Any) -> None:
    client = client_for("county_a_staff")
    nobody = client.post(
        PLANS, {"county": cast.county_a.pk, "year": YEAR, "checkpoints": 4, "interviewers": []}, format="json"
    )
    bad_checkpoints = client.post(
        PLANS, {"county": cast.county_a.pk, "year": YEAR, "checkpoints": 5, "interviewers": []}, format="json"
    )

    assert nobody.status_code == 400 and nobody.json()["errors"][0]["field"] == "interviewers"
    assert bad_checkpoints.status_code == 400 and bad_checkpoints.json()["errors"][0]["field"] == "checkpoints"


def test_an_interview_recorded_on_the_plan_closes_the_cadres_line(cast: Any, client_for: Any, section: Any) -> None:
    client = client_for("county_a_staff")
    plan = _plan(client, cast)
    cadre = section["a1"][0]

    response = client.post(
        f"{PLANS}{plan['id']}/interviews/",
        {"cadre": cadre.pk, "date": clock.today().isoformat(), "summary": "工作生活情况"},
        format="json",
    )
    twice = client.post(f"{PLANS}{plan['id']}/interviews/", {"cadre": cadre.pk, "date": clock.today().isoformat()})
    outsider = client.post(
        f"{PLANS}{plan['id']}/interviews/", {"cadre": cast.cadre_a1.pk, "date": clock.today().isoformat()}
    )

    assert response.status_code == 200, response.content.decode()
    line = next(line for line in response.json()["lines"] if line["cadre"] == cadre.pk)
    assert (line["status"], line["done_date"]) == ("done", clock.today().isoformat()) and line["talk"]
    assert response.json()["done"] == 1
    assert twice.status_code == 400 and "已约谈" in twice.json()["message"]
    assert outsider.status_code == 400 and outsider.json()["message"] == "该干部不在本约谈计划中。"


def test_a_talk_held_by_an_interviewer_closes_the_line_and_one_by_someone_else_does_not(
    cast: Any, client_for: Any, section: Any
) -> None:
    plan = _plan(client_for("county_a_staff"), cast)
    first, second = section["a1"][:2]

    talk_record(
        actor=cast.county_a_staff,
        talkee=first,
        talkers=[cast.county_a_staff],
        date=clock.today(),
        form=TalkForm.FACE_TO_FACE,
    )
    talk_record(
        actor=cast.secretary_a1,
        talkee=second,
        talkers=[cast.secretary_a1],
        date=clock.today(),
        form=TalkForm.FACE_TO_FACE,
    )

    status = dict(InterviewPlanLine.objects.filter(plan_id=plan["id"]).values_list("cadre_id", "status"))
    assert (status[first.pk], status[second.pk]) == ("done", "open")


def test_a_cadre_posted_out_of_the_township_leaves_the_plan(cast: Any, client_for: Any, section: Any) -> None:
    plan = _plan(client_for("county_a_staff"), cast)
    cadre = section["a1"][0]

    post_change_record(
        actor=None,
        cadre=cadre,
        kind=PostChangeKind.TRANSFER,
        date=clock.today(),
        to_unit=cast.agency_a,
        to_rank=Rank.SECTION_DEPUTY,
    )

    line = InterviewPlanLine.objects.get(plan_id=plan["id"], cadre=cadre)
    assert (line.status, line.cancel_reason) == ("cancelled", "transferred_out")


def test_progress_per_township_and_a_township_behind_is_the_countys_item(
    cast: Any, client_for: Any, section: Any
) -> None:
    # given a quarterly plan made in the year's first days, and one interview in 鲁甸乡 (its only cadre)
    day = dt.date(YEAR, 1, 10)
    interviewer = cadre_of(cast.county_a_staff, cast.agency_a).user
    plan = services.interview_plan_create(
        actor=cast.county_a_staff, county=cast.county_a, year=YEAR, checkpoints=4, interviewers=[interviewer], today=day
    )
    talk_record(
        actor=interviewer,
        talkee=section["a2"][0],
        talkers=[interviewer],
        date=day,
        form=TalkForm.FACE_TO_FACE,
        today=day,
    )

    # then at the first checkpoint 石头乡 (0 of 3) must have done one: due on 31 March; 鲁甸乡 is done
    items = list(iter_due_items(due_items(today=day, kinds=["interview_plan"])))
    assert [(i.unit_id, i.due_date, i.title, i.owner_unit_id) for i in items] == [
        (cast.town_a1.pk, dt.date(YEAR, 3, 31), "石头乡：定期约谈进度落后", cast.county_a.pk)
    ]
    assert items[0].url == f"/api/v1/interview-plans/{plan.pk}/"

    # and on 10 April it is overdue since 31 March, and the scan tells the county department
    april = dt.date(YEAR, 4, 10)
    assert [i.due_date for i in iter_due_items(due_items(today=april, kinds=["interview_plan"]))] == [
        dt.date(YEAR, 3, 31)
    ]
    reminders_scan(today=april, kinds=["interview_plan"])
    assert Notice.objects.filter(recipient=cast.county_a_staff, kind="interview_plan", stage=Stage.OVERDUE).exists()

    # when one 石头乡 cadre is interviewed, the township is on track until 30 June (2 of 3 due by then)
    talk_record(
        actor=interviewer,
        talkee=section["a1"][0],
        talkers=[interviewer],
        date=april,
        form=TalkForm.FACE_TO_FACE,
        today=april,
    )
    assert [i.due_date for i in iter_due_items(due_items(today=april, kinds=["interview_plan"]))] == [
        dt.date(YEAR, 6, 30)
    ]


def test_the_progress_endpoint_shows_each_township(cast: Any, client_for: Any, section: Any) -> None:
    plan = _plan(client_for("county_a_staff"), cast)

    rows = client_for("county_a_staff").get(f"{PLANS}{plan['id']}/progress/").json()

    assert {(r["township_name"], r["total"], r["done"]) for r in rows} == {("石头乡", 3, 0), ("鲁甸乡", 1, 0)}
    assert client_for("secretary_a1").get(f"{PLANS}{plan['id']}/progress/").status_code == 403
