"""Demo channel preferences (我的通知方式): every login that belongs to a
cadre, and every organization-department and HR login, gets a preference row
with its WeCom (政务微信) account, so the demo shows notices reaching people on
the channels a Yunnan government office reads. Most keep the defaults (every
channel the service has on, the service's quiet hours); about one in eight
keeps quiet hours of their own and one in ten has switched SMS off.

Made for whatever logins exist when the demo is seeded (the apps' demo
modules run after the organization's logins are made), so it holds however
many cadres have logins."""

from __future__ import annotations

import datetime as dt
import random

from cadrecare.org.models import User
from cadrecare.reminders.models import ChannelPreference

OWN_QUIET_HOURS = 0.125
NO_SMS = 0.1
SHOWCASE_QUIET = "cadre"  # the demo cadre's login (cadrecare.org.demo)
QUIET_WINDOWS = ((dt.time(21, 30), dt.time(7, 0)), (dt.time(22, 0), dt.time(7, 30)), (dt.time(20, 0), dt.time(8, 30)))


def populate(*, rng: random.Random) -> None:
    preferences = []
    for user_id, username in (
        User.objects.filter(is_active=True, is_superuser=False).order_by("pk").values_list("pk", "username")
    ):
        own = rng.random() < OWN_QUIET_HOURS or username == SHOWCASE_QUIET
        quiet = rng.choice(QUIET_WINDOWS) if own else (None, None)
        preferences.append(
            ChannelPreference(
                user_id=user_id,
                wecom_userid=username,
                sms_on=rng.random() >= NO_SMS,
                quiet_start=quiet[0],
                quiet_end=quiet[1],
            )
        )
    ChannelPreference.objects.bulk_create(preferences, batch_size=1000, ignore_conflicts=True)
