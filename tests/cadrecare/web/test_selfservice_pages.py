"""Cadre self-service in the workbench: 我要报告, 我的家庭信息 and 心里话 for
the cadre; 待确认 and 心里话信箱 for HR and the secretary; each page by the
access table, each write through the self-service services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from cadrecare.care.models import FamilyMember, VisitObligation
from cadrecare.core import clock
from cadrecare.org.models import Cadre, User
from cadrecare.selfservice.models import FamilyMemberChange, HeartMessage, SelfReport
from tests.cadrecare.web.conftest import DEMO_ROLES

pytestmark = pytest.mark.usefixtures("demo_for_module", "db")
STATUS = {
    "web:my-report": {"city_admin": 403, "county_staff": 403, "secretary": 403, "hr": 403, "cadre": 200},
    "web:my-family": {"city_admin": 403, "county_staff": 403, "secretary": 403, "hr": 403, "cadre": 200},
    "web:my-messages": {"city_admin": 403, "county_staff": 403, "secretary": 403, "hr": 403, "cadre": 200},
    "web:self-pending": {"city_admin": 200, "county_staff": 403, "secretary": 200, "hr": 200, "cadre": 403},
    "web:messages": {"city_admin": 200, "county_staff": 200, "secretary": 200, "hr": 403, "cadre": 403},
}


@pytest.mark.parametrize("username", DEMO_ROLES)
@pytest.mark.parametrize("url_name", list(STATUS))
def test_self_service_pages_follow_the_access_table(
    url_name: str, username: str, signed_in: Callable[[str], Client]
) -> None:
    assert signed_in(username).get(reverse(url_name)).status_code == STATUS[url_name][username]


def _cadre() -> Cadre:
    return Cadre.objects.get(user__username="cadre")


def _inbox_links(page: Client, kind: str) -> list[tuple[str, str]]:
    """Where the cadre's notices of ``kind`` in their inbox lead: the outcome is told on their own page."""
    rows = page.get(reverse("web:inbox")).context["rows"]
    return [(row["action"]["url"], str(row["action"]["label"])) for row in rows if row["notice"].kind == kind]


def test_a_report_from_the_page_is_confirmed_by_hr_once(signed_in: Callable[[str], Client]) -> None:
    cadre = _cadre()
    before = VisitObligation.objects.filter(cadre=cadre).count()
    day = (clock.today() - dt.timedelta(days=1)).isoformat()

    # a report without its kind of event is refused beside the field, nothing saved
    page = signed_in("cadre")
    refused = page.post(reverse("web:my-report"), {"kind": "family_event", "date": day, "description": "父亲住院"})
    assert refused.status_code == 400
    assert "请选择变故类型" in refused.content.decode()
    assert not SelfReport.objects.filter(cadre=cadre).exists()

    sent = page.post(
        reverse("web:my-report"),
        {"kind": "family_event", "event_kind": "grave_illness", "date": day, "description": "父亲住院"},
    )
    assert sent.status_code == 303
    report = SelfReport.objects.get(cadre=cadre)

    # HR finds it in 待确认 and confirms it twice (a double submit)
    hr = signed_in("hr")
    assert cadre.name in hr.get(reverse("web:self-pending")).content.decode()
    url = reverse("web:self-report", kwargs={"pk": report.pk})
    assert "父亲住院" in hr.get(url).content.decode()
    assert hr.post(url, {"decision": "confirm"}).status_code == 303
    assert hr.post(url, {"decision": "confirm"}).status_code == 303  # confirmed already: said so, nothing more raised
    assert VisitObligation.objects.filter(cadre=cadre).count() == before + 1
    assert "已确认" in page.get(reverse("web:my-report")).content.decode()
    assert _inbox_links(page, "self_report_decided") == [(reverse("web:my-report"), "查看我的报告")]


def test_a_family_change_from_the_page_waits_and_a_rejection_keeps_the_family(
    signed_in: Callable[[str], Client],
) -> None:
    cadre = _cadre()
    page = signed_in("cadre")
    assert page.post(reverse("web:my-family"), {"action": "create", "relation": "sibling"}).status_code == 400
    assert (
        page.post(reverse("web:my-family"), {"action": "create", "relation": "sibling", "name": "表妹甲"}).status_code
        == 303
    )
    change = FamilyMemberChange.objects.get(cadre=cadre)
    assert not FamilyMember.objects.filter(cadre=cadre, name="表妹甲").exists()

    hr = signed_in("hr")
    url = reverse("web:family-change", kwargs={"pk": change.pk})
    assert hr.post(url, {"decision": "reject"}).status_code == 400  # the reason is required
    assert hr.post(url, {"decision": "reject", "reason": "表亲不在登记范围。"}).status_code == 303
    assert not FamilyMember.objects.filter(cadre=cadre, name="表妹甲").exists()
    assert "表亲不在登记范围。" in page.get(reverse("web:my-family")).content.decode()
    assert _inbox_links(page, "family_member_change_decided") == [(reverse("web:my-family"), "查看家庭信息")]


def test_a_message_from_the_page_is_answered_in_the_secretarys_inbox(signed_in: Callable[[str], Client]) -> None:
    page = signed_in("cadre")
    assert page.post(reverse("web:my-messages"), {"addressee": "secretary", "body": "想调整分工。"}).status_code == 303
    message = HeartMessage.objects.get(sender__username="cadre")

    # the county's staff do not see it; the secretary answers it
    assert "想调整分工" not in signed_in("county_staff").get(reverse("web:messages")).content.decode()
    secretary = signed_in("secretary")
    assert User.objects.get(username="secretary").grants.filter(unit=message.addressee_unit).exists()
    assert _cadre().name in secretary.get(reverse("web:messages")).content.decode()
    url = reverse("web:message", kwargs={"pk": message.pk})
    assert secretary.post(url, {"answer": "下周一来谈。"}).status_code == 303
    assert "下周一来谈。" in page.get(reverse("web:my-messages")).content.decode()
    assert _inbox_links(page, "heart_message_answered") == [(reverse("web:my-messages"), "查看回复")]
