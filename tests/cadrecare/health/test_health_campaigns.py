"""Check-up campaigns: HR plans one for a unit with the cadres due, records
who came (their check-ups created by the same service, closing their due
items) and closes it with a report of who did not attend."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cadrecare.core import clock
from cadrecare.health.choices import AttendanceStatus, DueState
from cadrecare.health.models import CampaignAttendee, Checkup, CheckupCampaign
from cadrecare.health.selectors import checkup_due_items
from cadrecare.org.choices import CadreStatus
from tests.factories import CadreFactory, CheckupFactory

BASE = "/api/v1/checkup-campaigns/"


def _dates() -> tuple[dt.date, dt.date]:
    today = clock.today()
    return today - dt.timedelta(days=5), today + dt.timedelta(days=25)


def plan(client: Any, cast: Any, **changes: Any) -> Any:
    date_from, date_to = _dates()
    body = {
        "unit": cast.town_a1.pk,
        "name": "石头乡年度体检",
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
        "institution": "玉龙县人民医院",
    }
    body.update(changes)
    return client.post(BASE, body, format="json")


def test_a_campaign_without_a_list_takes_the_cadres_due_by_its_last_day(cast: Any, client_for: Any) -> None:
    # given, in township A1: cadre A1 checked 11 months ago (due within the campaign),
    # the secretary checked a month ago (not due), a new cadre never checked, a retired one
    today = clock.today()
    CheckupFactory(cadre=cast.cadre_a1, date=today - dt.timedelta(days=340))
    CheckupFactory(cadre=cast.secretary_a1_cadre, date=today - dt.timedelta(days=30))
    newcomer = CadreFactory(unit=cast.town_a1)
    CadreFactory(unit=cast.town_a1, status=CadreStatus.RETIRED)

    # when HR plans a campaign without naming anyone
    response = plan(client_for("hr_a1"), cast)

    # then the list holds exactly those due by the campaign's last day
    assert response.status_code == 201, response.content
    body = response.json()
    assert {row["cadre"] for row in body["attendees"]} == {cast.cadre_a1.pk, newcomer.pk}
    assert body["attendee_count"] == body["pending_count"] == 2
    assert body["status_label"] == "进行中"


def test_a_campaign_may_list_its_cadres_but_only_from_its_unit(cast: Any, client_for: Any) -> None:
    client = client_for("county_a_admin")

    listed = plan(client, cast, cadres=[cast.secretary_a1_cadre.pk])
    foreign = plan(client, cast, cadres=[cast.cadre_a2.pk])

    assert listed.status_code == 201
    assert [row["cadre"] for row in listed.json()["attendees"]] == [cast.secretary_a1_cadre.pk]
    assert foreign.status_code == 400
    assert foreign.json()["errors"][0] == {"field": "cadres", "message": "以下干部不在该单位或已不在岗：杨建华。"}


def test_a_campaign_ending_before_it_starts_is_refused(cast: Any, client_for: Any) -> None:
    response = plan(client_for("hr_a1"), cast, date_from="2026-05-10", date_to="2026-05-01")

    assert response.status_code == 400
    assert response.json()["errors"][0] == {"field": "date_to", "message": "结束日期不能早于开始日期。"}
    assert not CheckupCampaign.objects.exists()


def test_attending_creates_the_checkup_and_closes_the_cadres_due_item(cast: Any, client_for: Any) -> None:
    # given a campaign listing cadre A1, who has never been checked (due today)
    client = client_for("hr_a1")
    campaign = plan(client, cast, cadres=[cast.cadre_a1.pk]).json()
    before = checkup_due_items(user=cast.hr_a1).get(pk=cast.cadre_a1.pk)
    assert before.due_state == DueState.DUE

    # when HR records that cadre A1 attended
    response = client.post(
        f"{BASE}{campaign['id']}/attendance/",
        {
            "cadre": cast.cadre_a1.pk,
            "status": "attended",
            "checkup": {
                "date": clock.today().isoformat(),
                "conclusion": "normal",
                "findings": "未见异常",
                "cost": "420",
            },
        },
        format="json",
    )

    # then the check-up exists, under the campaign, at its institution
    assert response.status_code == 201, response.content
    assert response.json()["status_label"] == "已体检"
    checkup = Checkup.objects.get(cadre=cast.cadre_a1)
    assert checkup.campaign_id == campaign["id"]
    assert checkup.institution == "玉龙县人民医院"
    assert checkup.paying_unit == cast.town_a1
    assert response.json()["checkup"] == checkup.pk
    # and the cadre is no longer due
    after = checkup_due_items(user=cast.hr_a1).get(pk=cast.cadre_a1.pk)
    assert after.due_state == DueState.NOT_DUE
    assert after.last_checkup_date == clock.today()


def test_attendance_dated_outside_the_campaign_is_refused(cast: Any, client_for: Any) -> None:
    client = client_for("hr_a1")
    campaign = plan(client, cast, cadres=[cast.cadre_a1.pk]).json()

    response = client.post(
        f"{BASE}{campaign['id']}/attendance/",
        {
            "cadre": cast.cadre_a1.pk,
            "status": "attended",
            "checkup": {"date": "2020-01-01", "conclusion": "normal"},
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"][0] == {"field": "checkup.date", "message": "体检日期应在体检活动期间内。"}
    assert not Checkup.objects.exists()


def test_an_excused_cadre_needs_a_reason(cast: Any, client_for: Any) -> None:
    client = client_for("hr_a1")
    campaign = plan(client, cast, cadres=[cast.cadre_a1.pk]).json()

    without = client.post(
        f"{BASE}{campaign['id']}/attendance/", {"cadre": cast.cadre_a1.pk, "status": "excused"}, format="json"
    )
    with_reason = client.post(
        f"{BASE}{campaign['id']}/attendance/",
        {"cadre": cast.cadre_a1.pk, "status": "excused", "reason": "产假"},
        format="json",
    )

    assert without.status_code == 400
    assert without.json()["errors"] == [{"field": "reason", "message": "请说明请假原因。"}]
    assert with_reason.status_code == 201
    assert with_reason.json()["reason"] == "产假"


def test_a_cadre_not_on_the_list_cannot_be_recorded(cast: Any, client_for: Any) -> None:
    client = client_for("hr_a1")
    campaign = plan(client, cast, cadres=[cast.cadre_a1.pk]).json()

    response = client.post(
        f"{BASE}{campaign['id']}/attendance/", {"cadre": cast.secretary_a1_cadre.pk, "status": "absent"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "cadre", "message": "该干部不在本次体检名单中。"}]


def test_attendance_recorded_twice_creates_one_checkup(cast: Any, client_for: Any) -> None:
    client = client_for("hr_a1")
    campaign = plan(client, cast, cadres=[cast.cadre_a1.pk]).json()
    body = {
        "cadre": cast.cadre_a1.pk,
        "status": "attended",
        "checkup": {"date": clock.today().isoformat(), "conclusion": "normal"},
    }

    first = client.post(f"{BASE}{campaign['id']}/attendance/", body, format="json")
    second = client.post(f"{BASE}{campaign['id']}/attendance/", body, format="json")

    assert (first.status_code, second.status_code) == (201, 409)
    assert Checkup.objects.count() == 1


def test_closing_reports_who_did_not_attend_and_marks_the_pending_absent(cast: Any, client_for: Any) -> None:
    # given three listed cadres: one attended, one excused, one never came
    client = client_for("hr_a1")
    absentee = CadreFactory(unit=cast.town_a1, name="和志强")
    campaign = plan(client, cast, cadres=[cast.cadre_a1.pk, cast.secretary_a1_cadre.pk, absentee.pk]).json()
    url = f"{BASE}{campaign['id']}/"
    client.post(
        f"{url}attendance/",
        {
            "cadre": cast.cadre_a1.pk,
            "status": "attended",
            "checkup": {"date": clock.today().isoformat(), "conclusion": "normal"},
        },
        format="json",
    )
    client.post(
        f"{url}attendance/", {"cadre": cast.secretary_a1_cadre.pk, "status": "excused", "reason": "出差"}, format="json"
    )

    # when HR closes the campaign
    report = client.post(f"{url}close/").json()

    # then the report names who did not attend, and the one pending is now absent
    assert report["counts"] == {"pending": 0, "attended": 1, "absent": 1, "excused": 1}
    assert {(row["cadre_name"], row["status"]) for row in report["not_attended"]} == {
        ("和志强", "absent"),
        ("和书记", "excused"),
    }
    assert CampaignAttendee.objects.get(cadre=absentee).status == AttendanceStatus.ABSENT
    # and closing again gives the same report, while no more attendance is taken
    assert client.post(f"{url}close/").json() == report
    late = client.post(f"{url}attendance/", {"cadre": absentee.pk, "status": "absent"}, format="json")
    assert late.status_code == 409
    assert client.patch(url, {"note": "补充"}, format="json").status_code == 409


def test_a_secretary_sees_campaigns_but_may_not_run_them(cast: Any, client_for: Any) -> None:
    campaign = plan(client_for("hr_a1"), cast, cadres=[cast.cadre_a1.pk]).json()
    secretary = client_for("secretary_a1")

    assert secretary.get(f"{BASE}{campaign['id']}/").status_code == 200
    assert secretary.post(f"{BASE}{campaign['id']}/close/").status_code == 403
    assert (
        secretary.post(
            f"{BASE}{campaign['id']}/attendance/", {"cadre": cast.cadre_a1.pk, "status": "absent"}, format="json"
        ).status_code
        == 403
    )


def test_the_campaign_list_costs_the_same_queries_for_2_or_10_campaigns(
    cast: Any, client_for: Any, count_queries: Any
) -> None:
    client = client_for("hr_a1")
    for _ in range(2):
        plan(client, cast, cadres=[cast.cadre_a1.pk])
    few = count_queries(lambda: client.get(BASE))
    for _ in range(8):
        plan(client, cast, cadres=[cast.cadre_a1.pk, cast.secretary_a1_cadre.pk])
    many = count_queries(lambda: client.get(BASE))

    assert many == few
