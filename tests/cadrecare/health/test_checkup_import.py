"""The hospital's list of check-up results (``/api/v1/health-checkups/import/``):
matched by id number or name, checked as one check-up is, written all or none,
the same file twice changing nothing; imported for a campaign, its attendees
are marked as attended (and the campaign closed when asked)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from cadrecare.core import clock
from cadrecare.health.choices import AttendanceStatus, CampaignStatus
from cadrecare.health.imports import CheckupImporter
from cadrecare.health.models import CampaignAttendee, Checkup, CheckupCampaign
from cadrecare.health.services import campaign_plan
from tests.imports import upload

URL = "/api/v1/health-checkups/import/"


def _sheet(rows: list[dict[str, str]]) -> io.BytesIO:
    return upload(CheckupImporter, rows)


def _campaign(cast: Any, *cadres: Any) -> CheckupCampaign:
    today = clock.today()
    return campaign_plan(
        actor=cast.hr_a1,
        unit=cast.town_a1,
        name="年度体检",
        date_from=today - dt.timedelta(days=10),
        date_to=today,
        institution="县人民医院",
        cadres=list(cadres),
    )


def _result(name: str, day: dt.date, **cells: str) -> dict[str, str]:
    return {"姓名": name, "体检日期": day.isoformat(), "体检机构": "县人民医院", "总体结论": "基本健康", **cells}


def test_results_are_previewed_then_applied_once(cast: Any, client_for: Any) -> None:
    client = client_for("hr_a1")
    day = clock.today() - dt.timedelta(days=3)
    upload = [
        _result("木晓梅", day, 体检发现="血脂偏高"),
        _result("和书记", day, 身份证号=cast.secretary_a1_cadre.id_number),
    ]

    preview = client.post(f"{URL}?dry_run=1", {"file": _sheet(upload)}, format="multipart")
    assert preview.status_code == 200 and preview.json()["created"] == 2
    assert not Checkup.objects.exists()

    first = client.post(URL, {"file": _sheet(upload)}, format="multipart")
    second = client.post(URL, {"file": _sheet(upload)}, format="multipart")

    assert first.status_code == 201
    assert second.json()["unchanged"] == 2 and second.json()["created"] == 0
    checkup = Checkup.objects.get(cadre=cast.cadre_a1)
    assert (checkup.findings, checkup.recorded_by, checkup.paying_unit) == ("血脂偏高", cast.hr_a1, cast.town_a1)


def test_a_future_date_refuses_the_file_with_its_row(cast: Any, client_for: Any) -> None:
    today = clock.today()
    upload = [_result("木晓梅", today), _result("和书记", today + dt.timedelta(days=2))]

    response = client_for("hr_a1").post(URL, {"file": _sheet(upload)}, format="multipart")

    assert response.status_code == 400
    assert [e["message"] for e in response.json()["errors"]] == ["第 3 行「体检日期」：体检日期不能晚于今天。"]
    assert not Checkup.objects.exists()


def test_a_campaigns_attendees_are_marked_and_the_campaign_closed(cast: Any, client_for: Any) -> None:
    today = clock.today()
    campaign = _campaign(cast, cast.cadre_a1, cast.secretary_a1_cadre)
    upload = _sheet([{"姓名": "木晓梅", "体检日期": today.isoformat(), "总体结论": "未见明显异常"}])

    response = client_for("hr_a1").post(f"{URL}?campaign={campaign.pk}&close=1", {"file": upload}, format="multipart")

    assert response.status_code == 201, response.json()
    attended = CampaignAttendee.objects.get(campaign=campaign, cadre=cast.cadre_a1)
    assert attended.status == AttendanceStatus.ATTENDED and attended.checkup.institution == "县人民医院"
    absent = CampaignAttendee.objects.get(campaign=campaign, cadre=cast.secretary_a1_cadre)
    assert absent.status == AttendanceStatus.ABSENT
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED


def test_a_cadre_not_on_the_campaigns_list_is_a_row_error(cast: Any, client_for: Any) -> None:
    today = clock.today()
    campaign = _campaign(cast, cast.cadre_a1)
    upload = _sheet([_result("和书记", today)])

    response = client_for("hr_a1").post(f"{URL}?campaign={campaign.pk}&dry_run=1", {"file": upload}, format="multipart")

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "第 2 行「姓名」：该干部不在本次体检名单中。"


def test_an_unknown_campaign_is_refused_on_the_campaign(cast: Any, client_for: Any) -> None:
    for campaign in ("abc", "99999999999999999999", "0"):
        upload = _sheet([_result("木晓梅", clock.today())])
        response = client_for("hr_a1").post(f"{URL}?campaign={campaign}", {"file": upload}, format="multipart")

        assert response.status_code == 400
        assert response.json()["errors"] == [
            {"field": "campaign", "message": "找不到该体检活动，或不在您的管理范围内。"}
        ]
