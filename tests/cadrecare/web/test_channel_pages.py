"""我的通知方式 in the workbench: anyone signed in sees the service's channels
with the address each sends to, switches them and sets quiet hours; a half
quiet-hours window is refused beside the field. In a real browser too, at a
phone's and a desktop's width."""

from __future__ import annotations

from typing import Any

from django.test import Client
from playwright.sync_api import Page, expect

from cadrecare.org.demo import DEMO_PASSWORD
from cadrecare.reminders.models import ChannelPreference
from tests.browser import sign_in
from tests.factories import CadreFactory, OrgUnitFactory, UserFactory


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_lists_the_services_channels_with_their_addresses(cast: Any, settings: Any) -> None:
    settings.REMINDERS_URGENT_CHANNELS = ["email", "sms", "wecom"]
    cast.cadre_a1_user.email = "mu@shitou.gov.cn"
    cast.cadre_a1_user.save()

    page = _signed_in(cast.cadre_a1_user).get("/me/channels/").content.decode()

    assert "我的通知方式" in page and "发送到：mu@shitou.gov.cn" in page
    assert f"发送到：{cast.cadre_a1.phone}" in page and "尚未登记，暂收不到。" in page  # WeCom: no account yet
    assert 'name="dingtalk_on"' not in page  # not a channel of this service


def test_a_person_switches_sms_off_and_sets_quiet_hours(cast: Any) -> None:
    client = _signed_in(cast.cadre_a1_user)

    response = client.post("/me/channels/", {"email_on": "on", "quiet_start": "21:30", "quiet_end": "07:00"})

    assert response.status_code == 303
    preference = ChannelPreference.objects.get(user=cast.cadre_a1_user)
    assert (preference.email_on, preference.sms_on) == (True, False)
    assert (f"{preference.quiet_start:%H:%M}", f"{preference.quiet_end:%H:%M}") == ("21:30", "07:00")


def test_half_a_quiet_window_is_refused_beside_the_field(cast: Any) -> None:
    response = _signed_in(cast.cadre_a1_user).post("/me/channels/", {"email_on": "on", "quiet_start": "21:30"})

    assert response.status_code == 400
    assert "免打扰结束：请填写免打扰结束时间" in response.content.decode()
    assert not ChannelPreference.objects.filter(quiet_start__isnull=False).exists()


def test_a_cadre_sets_their_channels_in_a_browser(
    transactional_db: None, page: Page, shoot: Any, settings: Any
) -> None:
    # given a cadre with a login, an email address and a phone, and a service with SMS and WeCom on
    settings.REMINDERS_URGENT_CHANNELS = ["email", "sms", "wecom"]
    user = UserFactory(username="mu_xiaomei", email="mu@shitou.gov.cn")
    user.set_password(DEMO_PASSWORD)
    user.save()
    CadreFactory(name="木晓梅", unit=OrgUnitFactory(name="石头乡"), user=user, phone="13988887777")
    sign_in(page, "mu_xiaomei")

    # when they open 我的通知方式 from the nav, switch SMS off and keep quiet from 21:30 to 07:00
    page.goto("/me/channels/")
    expect(page.get_by_role("heading", name="我的通知方式")).to_be_visible()
    shoot(page, "open")
    page.get_by_label("短信").uncheck()
    page.get_by_label("免打扰开始").fill("21:30")
    page.get_by_label("免打扰结束").fill("07:00")
    page.get_by_role("button", name="保存").click()

    # then the page says so and keeps the choice
    expect(page.get_by_text("通知方式已保存。")).to_be_visible()
    expect(page.get_by_label("短信")).not_to_be_checked()
    shoot(page, "saved")
    preference = ChannelPreference.objects.get(user=user)
    assert preference.sms_on is False and f"{preference.quiet_start:%H:%M}" == "21:30"
