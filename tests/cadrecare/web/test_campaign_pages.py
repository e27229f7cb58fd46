"""体检活动 for HR officers: a campaign's attendance as one table, each row
recorded on its own with htmx through ``campaign_attendance_record`` (an
attended row records the check-up), with the API's audit rows; a bad row is
refused beside its field and nothing is saved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from cadrecare.audit.models import AuditEntry
from cadrecare.core import clock
from cadrecare.health import services
from cadrecare.health.models import CampaignAttendee, CheckupCampaign
from cadrecare.org.models import Cadre

pytestmark = pytest.mark.usefixtures("demo_for_module", "db")


def _township() -> object:
    return Cadre.objects.get(user__username="secretary").unit


def _campaign(unit: object = None) -> CheckupCampaign:
    unit = unit or _township()
    cadres = list(Cadre.objects.filter(unit=unit, status="serving").order_by("pk")[:3])
    today = clock.today()
    return services.campaign_plan(
        actor=None,  # the data the pages show: planned as the demo plans it
        unit=unit,
        name="2026年度干部体检",
        date_from=today - dt.timedelta(days=5),
        date_to=today + dt.timedelta(days=20),
        institution="县人民医院",
        cadres=cadres,
    )


def _row(campaign: CheckupCampaign) -> CampaignAttendee:
    return campaign.attendees.order_by("pk").first()


@pytest.mark.parametrize(
    ("username", "status"),
    [("hr", 200), ("city_admin", 200), ("county_staff", 200), ("secretary", 200), ("cadre", 403)],
)
def test_the_campaign_table_opens_as_the_api_reads_campaigns(
    username: str, status: int, signed_in: Callable[[str], Client]
) -> None:
    campaign = _campaign()

    response = signed_in(username).get(reverse("web:campaign", kwargs={"pk": campaign.pk}))

    assert response.status_code == status
    if status == 200:
        assert len(response.context["rows"]) == 3
        # only those who may change the campaign get the row forms
        assert bool(response.context["may_record"]) == (username in ("hr", "city_admin"))


def test_another_townships_campaign_is_404_for_hr(signed_in: Callable[[str], Client]) -> None:
    township = _township()
    other = Cadre.objects.filter(unit__parent=township.parent).exclude(unit=township).first().unit
    campaign = _campaign(other)

    assert signed_in("hr").get(reverse("web:campaign", kwargs={"pk": campaign.pk})).status_code == 404
    assert signed_in("hr").get(reverse("web:campaigns")).context["campaigns"] == []


def test_hr_ticks_a_row_attended_and_the_checkup_is_recorded_without_leaving_the_page(
    signed_in: Callable[[str], Client],
) -> None:
    campaign = _campaign()
    row = _row(campaign)

    response = signed_in("hr").post(
        reverse("web:campaign", kwargs={"pk": campaign.pk}),
        {"attendee": row.pk, "status": "attended", "date": clock.today().isoformat(), "conclusion": "normal"},
        HTTP_HX_REQUEST="true",
    )

    # then the answer is that row again, saved, with no form left on it
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith(f'<tr id="attendee-{row.pk}"') and "已保存" in html and "已体检" in html
    row.refresh_from_db()
    assert row.status == "attended" and row.checkup.institution == "县人民医院"
    # and the service audited each write once: the check-up created, the campaign's attendees changed
    assert AuditEntry.objects.get(action="create", resource="health-checkups", object_id=row.checkup_id)
    entry = AuditEntry.objects.get(action="update", resource="checkup-campaigns", object_id=campaign.pk)
    assert entry.fields == ["attendees"]


def test_hr_marks_a_row_excused_with_its_reason(signed_in: Callable[[str], Client]) -> None:
    campaign = _campaign()
    row = _row(campaign)

    response = signed_in("hr").post(
        reverse("web:campaign", kwargs={"pk": campaign.pk}),
        {"attendee": row.pk, "status": "excused", "reason": "外出培训"},
    )

    assert response.status_code == 303
    row.refresh_from_db()
    assert row.status == "excused" and row.reason == "外出培训" and row.checkup is None


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"status": "excused", "reason": ""}, "reason", "请说明请假原因。"),
        ({"status": "attended", "date": "", "conclusion": ""}, "conclusion", "已体检时请填写体检日期和总体结论。"),
        ({"status": "attended", "date": "2000-01-01", "conclusion": "normal"}, "date", "体检日期应在体检活动期间内。"),
    ],
)
def test_a_bad_row_is_refused_beside_its_field_and_nothing_is_saved(
    data: dict[str, str], field: str, message: str, signed_in: Callable[[str], Client]
) -> None:
    campaign = _campaign()
    row = _row(campaign)

    response = signed_in("hr").post(
        reverse("web:campaign", kwargs={"pk": campaign.pk}), {"attendee": row.pk, **data}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_att-{row.pk}_{field}_error"' in html
    assert message in html
    row.refresh_from_db()
    assert row.status == "pending" and row.checkup is None
    assert not AuditEntry.objects.filter(action="update", resource="checkup-campaigns").exists()


def test_a_secretary_cannot_record_attendance(signed_in: Callable[[str], Client]) -> None:
    campaign = _campaign()
    row = _row(campaign)

    response = signed_in("secretary").post(
        reverse("web:campaign", kwargs={"pk": campaign.pk}), {"attendee": row.pk, "status": "absent"}
    )

    assert response.status_code == 403
    row.refresh_from_db()
    assert row.status == "pending"


def test_closing_marks_the_pending_absent_and_ends_recording(signed_in: Callable[[str], Client]) -> None:
    campaign = _campaign()
    client = signed_in("hr")

    response = client.post(reverse("web:campaign-close", kwargs={"pk": campaign.pk}))

    assert response.status_code == 303
    assert set(campaign.attendees.values_list("status", flat=True)) == {"absent"}
    assert AuditEntry.objects.get(action="update", resource="checkup-campaigns", object_id=campaign.pk).fields == [
        "status"
    ]
    page = client.get(reverse("web:campaign", kwargs={"pk": campaign.pk}))
    assert not page.context["may_record"]
    assert signed_in("county_staff").post(reverse("web:campaign-close", kwargs={"pk": campaign.pk})).status_code == 403


def test_closing_a_closed_campaign_again_is_not_audited(signed_in: Callable[[str], Client]) -> None:
    campaign = _campaign()
    client = signed_in("hr")
    client.post(reverse("web:campaign-close", kwargs={"pk": campaign.pk}))

    # when the page's close is posted a second time (a double click, a second tab)
    response = client.post(reverse("web:campaign-close", kwargs={"pk": campaign.pk}))

    # then nothing changed, so the first close's row is the only one
    assert response.status_code == 303
    assert AuditEntry.objects.filter(action="update", resource="checkup-campaigns", object_id=campaign.pk).count() == 1


# -- planning a campaign ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("username", "status"),
    [("hr", 200), ("city_admin", 200), ("county_staff", 403), ("secretary", 403), ("cadre", 403)],
)
def test_the_plan_page_opens_to_those_who_may_add_campaigns(
    username: str, status: int, signed_in: Callable[[str], Client]
) -> None:
    assert signed_in(username).get(reverse("web:campaign-plan")).status_code == status


def test_hr_plans_a_campaign_of_everyone_due_and_the_api_audit_row(signed_in: Callable[[str], Client]) -> None:
    today = clock.today()

    response = signed_in("hr").post(
        reverse("web:campaign-plan"),
        {
            "unit": _township().pk,
            "name": "年度体检",
            "date_from": today.isoformat(),
            "date_to": (today + dt.timedelta(days=60)).isoformat(),
            "institution": "县人民医院",
        },
    )

    campaign = CheckupCampaign.objects.get(name="年度体检")
    assert response.status_code == 303
    assert response["Location"] == reverse("web:campaign", kwargs={"pk": campaign.pk})
    assert campaign.attendees.exists() and campaign.unit_id == _township().pk
    entry = AuditEntry.objects.get(action="create", resource="checkup-campaigns", object_id=campaign.pk)
    assert entry.fields == ["date_from", "date_to", "institution", "name", "note", "unit"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"date_to": "2000-01-01"}, "date_to", "结束日期不能早于开始日期。"),
        ({"name": ""}, "name", "名称：该字段是必填项。"),
    ],
)
def test_a_bad_plan_is_refused_beside_its_field_and_nothing_is_saved(
    changes: dict[str, str], field: str, message: str, signed_in: Callable[[str], Client]
) -> None:
    today = clock.today()
    data = {
        "unit": _township().pk,
        "name": "年度体检",
        "date_from": today.isoformat(),
        "date_to": (today + dt.timedelta(days=60)).isoformat(),
        "institution": "县人民医院",
        **changes,
    }

    response = signed_in("hr").post(reverse("web:campaign-plan"), data)

    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode() and message in response.content.decode()
    assert not CheckupCampaign.objects.exists()


def test_hr_cannot_plan_for_a_unit_outside_their_scope(signed_in: Callable[[str], Client]) -> None:
    township = _township()
    other = Cadre.objects.filter(unit__parent=township.parent).exclude(unit=township).first().unit
    today = clock.today()

    response = signed_in("hr").post(
        reverse("web:campaign-plan"),
        {
            "unit": other.pk,
            "name": "年度体检",
            "date_from": today.isoformat(),
            "date_to": (today + dt.timedelta(days=60)).isoformat(),
            "institution": "县人民医院",
        },
    )

    assert response.status_code == 400 and 'id="id_unit_error"' in response.content.decode()
    assert not CheckupCampaign.objects.exists()
