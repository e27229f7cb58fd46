"""The demo shows notices reaching people: every demo login has its channel
preferences and WeCom account, and the day's escalations go out on them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from cadrecare.org.models import Cadre, User
from cadrecare.reminders.models import ChannelPreference, Delivery
from cadrecare.reminders.services import reminders_scan

pytestmark = pytest.mark.django_db(transaction=True)  # seed_demo ends with VACUUM


def test_every_demo_login_has_channel_preferences_and_escalations_reach_them(settings: Any) -> None:
    # given the demo city (three townships) on a service with WeCom switched on
    settings.REMINDERS_URGENT_CHANNELS = ["email", "sms", "wecom"]
    call_command("seed_demo", townships=3, stdout=open("/dev/null", "w"))  # noqa: SIM115

    # when the day's scan runs
    reminders_scan()

    # then every login (the cadres' among them) has its preferences, and the urgent notices went to WeCom
    logins = User.objects.filter(is_active=True, is_superuser=False)
    preferences = ChannelPreference.objects.filter(user__in=logins)
    assert preferences.count() == logins.count() > 0
    assert not preferences.filter(wecom_userid="").exists()
    cadre_logins = Cadre.objects.filter(user__isnull=False).values("user_id")
    assert preferences.filter(user_id__in=cadre_logins).count() == cadre_logins.count() > 0
    assert preferences.filter(quiet_start__isnull=False).exists()
    assert Delivery.objects.filter(channel="wecom").exists()
