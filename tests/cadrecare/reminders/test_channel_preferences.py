"""我的通知方式 (docs/reminders.md, "Channels"): each person chooses the
channels that carry their notices and their quiet hours, at
/api/v1/me/channels/; the outbox honours both. Outside working hours (or the
person's own quiet hours, Asia/Shanghai) non-urgent notices wait for the
morning digest; urgent ones go at once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cadrecare.audit.models import AuditEntry
from cadrecare.reminders.models import ChannelPreference, Delivery, Digest
from cadrecare.reminders.services import digest_build, reminders_scan
from cadrecare.rotation.services import PUBLISHED_NOTICE_KIND, notices_send
from tests.cadrecare.reminders.support import at, make_due

DUE = dt.date(2026, 3, 16)


pytestmark = pytest.mark.usefixtures("review_source_alone")


@pytest.fixture
def reachable(cast: Any, settings: Any) -> Any:
    """The county officer and the township secretary reachable by email, SMS and WeCom."""
    settings.REMINDERS_URGENT_CHANNELS = ["email", "sms", "wecom"]
    settings.REMINDERS_DIGEST_CHANNELS = ["email", "wecom"]
    for user, cadre in ((cast.county_a_staff, cast.cadre_a2), (cast.secretary_a1, cast.secretary_a1_cadre)):
        user.email = f"{user.username}@yulong.gov.cn"
        user.save()
        cadre.user, cadre.phone = user, "13900000000"
        cadre.save()
        ChannelPreference.objects.create(user=user, wecom_userid=user.username)
    return cast


def test_a_person_reads_their_channels_with_the_defaults(client_for: Any, reachable: Any, settings: Any) -> None:
    settings.REMINDERS_QUIET_HOURS = "18:00-08:00"  # the service's default (the tests' settings turn it off)
    response = client_for("county_a_staff").get("/api/v1/me/channels/")

    assert response.status_code == 200
    assert response.json() == {
        "email_on": True,
        "sms_on": True,
        "wecom_on": True,
        "dingtalk_on": True,
        "quiet_start": None,
        "quiet_end": None,
        "email": "county_a_staff@yulong.gov.cn",
        "phone": "13900000000",
        "wecom_userid": "county_a_staff",
        "dingtalk_userid": "",
        "available": ["email", "sms", "wecom"],
        "default_quiet_hours": "18:00-08:00",
    }


def test_a_person_without_a_preference_row_gets_the_defaults(client_for: Any, cast: Any) -> None:
    response = client_for("hr_a1").get("/api/v1/me/channels/")

    assert response.status_code == 200 and response.json()["sms_on"] is True and response.json()["phone"] == ""


def test_a_person_changes_only_what_they_send_and_it_is_audited(client_for: Any, reachable: Any) -> None:
    # when the officer switches SMS off and sets quiet hours, and tries to point WeCom at someone else
    client = client_for("county_a_staff")
    response = client.patch(
        "/api/v1/me/channels/",
        {"sms_on": False, "quiet_start": "21:30", "quiet_end": "07:00", "wecom_userid": "someone_else"},
        format="json",
    )

    # then those two changed, the WeCom account (set by administrators) did not, and the change was logged
    body = response.json()
    assert response.status_code == 200
    assert (body["sms_on"], body["email_on"], body["quiet_start"], body["quiet_end"]) == (False, True, "21:30", "07:00")
    assert body["wecom_userid"] == "county_a_staff"
    entry = AuditEntry.objects.get(resource="me-channels")
    assert entry.actor == reachable.county_a_staff and sorted(entry.fields) == ["quiet_end", "quiet_start", "sms_on"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"quiet_start": "22:00"}, "quiet_end", "请填写免打扰结束时间"),
        ({"quiet_end": "07:00"}, "quiet_start", "请填写免打扰开始时间"),
        ({"quiet_start": "07:00", "quiet_end": "07:00"}, "quiet_end", "不能与开始时间相同"),
        ({"quiet_start": "25:00", "quiet_end": "07:00"}, "quiet_start", ""),
        ({"sms_on": "sometimes"}, "sms_on", ""),
    ],
)
def test_bad_quiet_hours_are_a_400_naming_the_field(
    client_for: Any, reachable: Any, data: dict, field: str, message: str
) -> None:
    response = client_for("county_a_staff").patch("/api/v1/me/channels/", data, format="json")

    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert message in response.json()["message"]
    assert not ChannelPreference.objects.filter(user=reachable.county_a_staff, quiet_start__isnull=False).exists()


def test_a_channel_switched_off_carries_no_urgent_notice(client_for: Any, reachable: Any) -> None:
    # given the officer switched SMS off
    client_for("county_a_staff").patch("/api/v1/me/channels/", {"sms_on": False}, format="json")

    # when an escalation reaches them
    make_due(reachable.cadre_a1, DUE)
    reminders_scan(now=at(DUE + dt.timedelta(days=7), 1))

    # then it goes by email and WeCom, not SMS
    mine = Delivery.objects.filter(recipient=reachable.county_a_staff)
    assert sorted(mine.values_list("channel", "address")) == [
        ("email", "county_a_staff@yulong.gov.cn"),
        ("wecom", "county_a_staff"),
    ]


def test_an_urgent_notice_goes_at_once_even_at_night(reachable: Any) -> None:
    # given the officer's quiet hours, and an escalation scanned at 23:05
    ChannelPreference.objects.filter(user=reachable.county_a_staff).update(
        quiet_start=dt.time(21), quiet_end=dt.time(7)
    )
    make_due(reachable.cadre_a1, DUE)
    night = at(DUE + dt.timedelta(days=7), 23, 5)

    reminders_scan(now=night)

    # then its deliveries are due at once
    mine = Delivery.objects.filter(recipient=reachable.county_a_staff)
    assert mine.count() == 3 and all(d.next_attempt_at <= night for d in mine)


def test_non_urgent_notices_wait_outside_working_hours_for_the_morning_digest(reachable: Any, settings: Any) -> None:
    settings.REMINDERS_QUIET_HOURS = "18:00-08:00"  # the service's default (the tests' settings turn it off)
    # given an overdue item of the secretary's township scanned at 17:05
    make_due(reachable.cadre_a1, DUE)
    day = DUE + dt.timedelta(days=2)
    reminders_scan(now=at(day, 17, 5))

    # when the digest job runs at 19:00 and 23:00, then at 08:00 the next morning
    evening = [digest_build(now=at(day, 19)), digest_build(now=at(day, 23))]
    morning = digest_build(now=at(day + dt.timedelta(days=1), 8))

    # then nothing went in the evening; the morning digest carries it on email and WeCom
    assert [run.created for run in evening] == [0, 0]
    assert evening[0].detail["held_for_quiet_hours"] == 1
    assert morning.created == 1 and Digest.objects.get().day == day + dt.timedelta(days=1)
    assert sorted(Delivery.objects.values_list("channel", flat=True)) == ["email", "wecom"]


def test_a_persons_own_quiet_hours_hold_their_digest(client_for: Any, reachable: Any) -> None:
    # given a secretary who reads nothing before 09:30, with an overdue item scanned at 01:05
    client_for("secretary_a1").patch(
        "/api/v1/me/channels/", {"quiet_start": "20:00", "quiet_end": "09:30", "wecom_on": False}, format="json"
    )
    make_due(reachable.cadre_a1, DUE)
    day = DUE + dt.timedelta(days=2)
    reminders_scan(now=at(day, 1, 5))

    # when the digest job runs at 08:00 and at 10:00
    early = digest_build(now=at(day, 8))
    late = digest_build(now=at(day, 10))

    # then it waited for the end of their quiet hours, and went only by email (WeCom switched off)
    assert early.created == 0 and late.created == 1
    assert list(Delivery.objects.values_list("channel", flat=True)) == ["email"]


def test_no_quiet_hours_anywhere_sends_the_evening_digest(reachable: Any, settings: Any) -> None:
    settings.REMINDERS_QUIET_HOURS = ""
    make_due(reachable.cadre_a1, DUE)
    day = DUE + dt.timedelta(days=2)
    reminders_scan(now=at(day, 17, 5))

    assert digest_build(now=at(day, 19)).created == 1


def test_an_urgent_announcement_goes_on_the_persons_channels_only(client_for: Any, reachable: Any) -> None:
    # given the secretary switched email off
    client_for("secretary_a1").patch("/api/v1/me/channels/", {"email_on": False}, format="json")

    # when an urgent announcement reaches them and the officer (the rotation's way, not the scan's)
    notices_send(
        kind=PUBLISHED_NOTICE_KIND,
        object_id=1,
        unit_id=reachable.town_a1.pk,
        period=DUE,
        due_date=DUE,
        url="/api/v1/rosters/1/",
        messages=[(user.pk, None, "排班无解", "…") for user in (reachable.secretary_a1, reachable.county_a_staff)],
        urgent=True,
    )

    # then the secretary has SMS and WeCom, the officer every channel
    assert sorted(Delivery.objects.values_list("recipient__username", "channel")) == [
        ("county_a_staff", "email"),
        ("county_a_staff", "sms"),
        ("county_a_staff", "wecom"),
        ("secretary_a1", "sms"),
        ("secretary_a1", "wecom"),
    ]
