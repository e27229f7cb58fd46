"""批量导入 in the workbench: the list offers each import the person may use,
with its template; an import page checks a file (nothing saved), then applies
it; a campaign's check-up results mark its attendees and, when asked, close it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cadrecare.core import clock
from cadrecare.health.choices import AttendanceStatus, CampaignStatus
from cadrecare.health.imports import CheckupImporter
from cadrecare.health.models import CampaignAttendee
from cadrecare.health.services import campaign_plan
from cadrecare.org.models import Cadre, User
from tests.imports import upload

pytestmark = pytest.mark.usefixtures("demo_for_module", "db")


@pytest.mark.parametrize(
    ("username", "status", "offered"),
    [("hr", 200, 5), ("county_staff", 403, 0), ("secretary", 403, 0), ("cadre", 403, 0)],
)
def test_the_imports_page_offers_what_the_person_may_import(
    username: str, status: int, offered: int, signed_in: Callable[[str], Client]
) -> None:
    client = signed_in(username)
    response = client.get(reverse("web:imports"))

    assert response.status_code == status
    if status == 200:
        assert len(response.context["imports"]) == offered
        assert "/api/v1/absences/import-template/" in response.content.decode()
        # the template downloads on the workbench's session
        assert client.get("/api/v1/absences/import-template/")["Content-Type"].startswith("application/vnd.openxml")


def test_a_campaigns_results_are_checked_then_applied_and_the_campaign_closed(
    signed_in: Callable[[str], Client],
) -> None:
    hr = User.objects.get(username="hr")
    cadres = list(Cadre.objects.filter(unit=Cadre.objects.get(user__username="secretary").unit).order_by("pk")[:2])
    today = clock.today()
    campaign = campaign_plan(
        actor=hr,
        unit=cadres[0].unit,
        name="导入测试体检",
        date_from=today - dt.timedelta(days=5),
        date_to=today,
        institution="县人民医院",
        cadres=cadres,
    )
    row = {
        "身份证号": cadres[0].id_number,
        "姓名": cadres[0].name,
        "体检日期": today.isoformat(),
        "总体结论": "基本健康",
    }
    file = SimpleUploadedFile("体检.xlsx", upload(CheckupImporter, [row]).getvalue())
    client = signed_in("hr")
    url = reverse("web:import-health-checkups")

    page = client.get(f"{url}?campaign={campaign.pk}")
    checked = client.post(url, {"file": file, "campaign": campaign.pk, "close": "1"})

    assert "为体检活动导入" in page.content.decode()
    assert checked.status_code == 200 and checked.context["counts"]["create"] == 1
    assert not CampaignAttendee.objects.filter(campaign=campaign, status=AttendanceStatus.ATTENDED).exists()

    applied = client.post(url, {"token": checked.context["token"], "campaign": campaign.pk, "close": "1"})

    assert applied.status_code == 303
    assert CampaignAttendee.objects.get(campaign=campaign, cadre=cadres[0]).status == AttendanceStatus.ATTENDED
    assert CampaignAttendee.objects.get(campaign=campaign, cadre=cadres[1]).status == AttendanceStatus.ABSENT
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED
