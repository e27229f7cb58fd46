"""Each channel against a local fake of its vendor (tests/cadrecare/reminders/
fake_vendors.py: real sockets, the documented protocol, signatures and tokens
checked), sent through the outbox with the real database and Redis: signed
requests go through, limits and lost answers are retried, permanent refusals
fail at once, expired tokens are fetched anew, and a delivery marked sent is
never sent again (docs/reminders.md, "Channels")."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.test import override_settings

from cadrecare.reminders.choices import DeliveryStatus, ReceiptStatus
from cadrecare.reminders.models import ChannelPreference, Delivery
from cadrecare.reminders.services import deliveries_dispatch, delivery_send, reminders_scan
from tests.cadrecare.reminders.fake_vendors import (
    FakeAliyunSms,
    FakeDingTalk,
    FakeTencentSms,
    FakeVendor,
    FakeWeCom,
    serving,
)
from tests.cadrecare.reminders.support import SHANGHAI, make_due

DUE = dt.date(2026, 3, 16)
SCANNED = dt.datetime(2026, 3, 23, 1, 0, tzinfo=SHANGHAI)  # seven days late: the county hears at once

CHANNELS = ["aliyun", "tencent", "wecom", "dingtalk"]
TOKEN_CHANNELS = ["wecom", "dingtalk"]


pytestmark = pytest.mark.usefixtures("review_source_alone")


def _fake(name: str) -> FakeVendor:
    if name == "aliyun":
        return FakeAliyunSms(key_id="LTAI5tFakeKeyId", secret="aliyun-secret")
    if name == "tencent":
        return FakeTencentSms(secret_id="AKIDfakeSecretId", secret_key="tencent-secret")
    if name == "wecom":
        return FakeWeCom(app="ww0123456789abcdef", secret="wecom-secret")
    return FakeDingTalk(app="dingappkey123", secret="dingtalk-secret")


def _configure(settings: Any, name: str, base: str) -> None:
    settings.REMINDERS_CHANNEL_TIMEOUT_SECONDS = 0.5
    settings.REMINDERS_URGENT_CHANNELS = ["sms" if name in ("aliyun", "tencent") else name]
    if name == "aliyun":
        settings.REMINDERS_SMS_BACKEND = "cadrecare.reminders.gateways.aliyun.AliyunSms"
        settings.ALIYUN_SMS_ENDPOINT = f"{base}/"
        settings.ALIYUN_SMS_ACCESS_KEY_ID, settings.ALIYUN_SMS_ACCESS_KEY_SECRET = "LTAI5tFakeKeyId", "aliyun-secret"
        settings.ALIYUN_SMS_SIGN_NAME, settings.ALIYUN_SMS_TEMPLATE_CODE = "玉龙县委组织部", "SMS_480150001"
    elif name == "tencent":
        settings.REMINDERS_SMS_BACKEND = "cadrecare.reminders.gateways.tencent.TencentSms"
        settings.TENCENT_SMS_ENDPOINT = f"{base}/"
        settings.TENCENT_SMS_SECRET_ID, settings.TENCENT_SMS_SECRET_KEY = "AKIDfakeSecretId", "tencent-secret"
        settings.TENCENT_SMS_SDK_APP_ID, settings.TENCENT_SMS_SIGN_NAME = "1400787878", "玉龙县委组织部"
        settings.TENCENT_SMS_TEMPLATE_ID = "1110001"
    elif name == "wecom":
        settings.WECOM_BASE_URL = base
        settings.WECOM_CORP_ID, settings.WECOM_CORP_SECRET, settings.WECOM_AGENT_ID = (
            "ww0123456789abcdef",
            "wecom-secret",
            "1000002",
        )
    else:
        settings.DINGTALK_BASE_URL = base
        settings.DINGTALK_APP_KEY, settings.DINGTALK_APP_SECRET, settings.DINGTALK_AGENT_ID = (
            "dingappkey123",
            "dingtalk-secret",
            "2580001",
        )


@pytest.fixture(params=CHANNELS)
def vendor(request: Any, settings: Any, cast: Any) -> Iterator[FakeVendor]:
    """One vendor's fake, the service configured for it, and the county officer
    reachable on it (a cadre's phone, WeCom and DingTalk user ids)."""
    cast.cadre_a2.user = cast.county_a_staff
    cast.cadre_a2.phone = "13987654321"
    cast.cadre_a2.save()
    ChannelPreference.objects.create(
        user=cast.county_a_staff, wecom_userid="YangJianHua", dingtalk_userid="manager4220"
    )
    make_due(cast.cadre_a1, DUE)
    with serving(_fake(request.param)) as fake:
        fake.name = request.param  # type: ignore[attr-defined]
        _configure(settings, request.param, fake.base)
        yield fake


token_vendor = vendor  # the same fixture, parametrized below over the token channels only


def _scanned_delivery() -> Delivery:
    reminders_scan(now=SCANNED)
    return Delivery.objects.get()


def _dispatch_and_send(now: dt.datetime) -> list[str]:
    return [delivery_send(delivery_id=pk, now=now) for pk in deliveries_dispatch(now=now)]


def test_an_escalation_goes_out_signed_once_and_is_never_sent_again(vendor: FakeVendor) -> None:
    # given the county officer's escalation in the outbox
    delivery = _scanned_delivery()

    # when it is sent, its task is delivered again, and the dispatcher runs for an hour
    first = delivery_send(delivery_id=delivery.pk, now=SCANNED)
    again = delivery_send(delivery_id=delivery.pk, now=SCANNED)
    later = [r for minute in range(0, 60, 5) for r in _dispatch_and_send(SCANNED + dt.timedelta(minutes=minute))]

    # then the vendor accepted one signed message naming the item, and the row keeps the vendor's id
    delivery.refresh_from_db()
    assert (first, again, later) == ("sent", "skipped", [])
    assert len(vendor.accepted) == 1
    message = vendor.accepted[0]
    assert delivery.status == DeliveryStatus.SENT and delivery.external_id == message["id"]
    text = str(message.get("text") or message.get("param") or message.get("params"))
    assert "木晓梅：到岗复核" in text
    assert message.get("to", message.get("phone")) in ("YangJianHua", "manager4220", "13987654321", "+8613987654321")


def test_a_rate_limit_is_retried_after_the_wait_and_then_sent(vendor: FakeVendor) -> None:
    # given a vendor that answers the first send with its flow-control code
    delivery = _scanned_delivery()
    vendor.plan = ["rate"]

    # when the outbox sends, then runs again half a minute later and two minutes later
    first = delivery_send(delivery_id=delivery.pk, now=SCANNED)
    delivery.refresh_from_db()
    soon = _dispatch_and_send(SCANNED + dt.timedelta(seconds=30))
    later = _dispatch_and_send(SCANNED + dt.timedelta(minutes=2))

    # then it waited at least the minute a limit asks for, and went out once on the next attempt
    assert first == "retry" and delivery.status == DeliveryStatus.PENDING
    assert delivery.next_attempt_at >= SCANNED + dt.timedelta(seconds=60)
    assert soon == [] and later == ["sent"]
    assert len(vendor.accepted) == 1


def test_a_permanent_refusal_fails_the_delivery_at_once(vendor: FakeVendor) -> None:
    # given a vendor that refuses the message for good (a bad number, an unapproved signature, no permission)
    delivery = _scanned_delivery()
    vendor.plan = ["permanent"]

    # when the outbox sends, and the dispatcher runs on for an hour
    result = delivery_send(delivery_id=delivery.pk, now=SCANNED)
    later = [r for minute in range(0, 60, 5) for r in _dispatch_and_send(SCANNED + dt.timedelta(minutes=minute))]

    # then it is failed after one attempt with the vendor's reason, and never tried again
    delivery.refresh_from_db()
    assert result == "failed" and later == []
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 1
    assert "GiveUp" in delivery.last_error
    assert vendor.accepted == []


def test_a_timeout_is_retried_so_the_message_arrives_at_least_once(vendor: FakeVendor) -> None:
    # given a vendor that takes the message but answers after the client gave up
    delivery = _scanned_delivery()
    vendor.plan = ["timeout"]

    # when the outbox sends, and again after the backoff
    first = delivery_send(delivery_id=delivery.pk, now=SCANNED)
    error = Delivery.objects.get(pk=delivery.pk).last_error
    later = _dispatch_and_send(SCANNED + dt.timedelta(minutes=2))

    # then the lost answer counted as a failure and the message was sent again: at least once, marked sent
    delivery.refresh_from_db()
    assert first == "retry" and "ReadTimeout" in error and later == ["sent"]
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 2
    assert len(vendor.accepted) == 2


def test_a_malformed_answer_is_retried(vendor: FakeVendor) -> None:
    # given a proxy in front of the vendor answering with an HTML error page
    delivery = _scanned_delivery()
    vendor.plan = ["malformed"]

    # when the outbox sends
    first = delivery_send(delivery_id=delivery.pk, now=SCANNED)
    delivery.refresh_from_db()
    error = delivery.last_error
    later = _dispatch_and_send(SCANNED + dt.timedelta(minutes=2))

    # then the answer was reported as unreadable and the message went out on the next attempt
    assert first == "retry" and "应答无法解析" in error and "502" in error
    assert later == ["sent"] and len(vendor.accepted) == 1


def test_wrong_credentials_fail_at_once(vendor: FakeVendor, settings: Any) -> None:
    # given the service configured with a secret the vendor does not accept
    for name in ("ALIYUN_SMS_ACCESS_KEY_SECRET", "TENCENT_SMS_SECRET_KEY", "WECOM_CORP_SECRET", "DINGTALK_APP_SECRET"):
        setattr(settings, name, "not-the-secret")
    delivery = _scanned_delivery()

    # when the outbox sends
    result = delivery_send(delivery_id=delivery.pk, now=SCANNED)

    # then the vendor refused the signature (or the token) and the row failed without retries
    delivery.refresh_from_db()
    assert result == "failed" and delivery.attempts == 1 and vendor.accepted == []


def test_a_channel_switched_on_without_its_settings_fails_naming_them(vendor: FakeVendor, settings: Any) -> None:
    for name in ("ALIYUN_SMS_TEMPLATE_CODE", "TENCENT_SMS_TEMPLATE_ID", "WECOM_AGENT_ID", "DINGTALK_AGENT_ID"):
        setattr(settings, name, "")
    delivery = _scanned_delivery()

    result = delivery_send(delivery_id=delivery.pk, now=SCANNED)

    delivery.refresh_from_db()
    assert result == "failed" and "未配置" in delivery.last_error and vendor.calls == []


# ---------------------------------------------------------------------------
# Access tokens (WeCom, DingTalk)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("token_vendor", TOKEN_CHANNELS, indirect=True)
def test_the_access_token_is_fetched_once_and_reused_from_redis(token_vendor: FakeVendor, cast: Any) -> None:
    # given two escalations for the same person
    make_due(cast.cadre_a2, DUE)
    reminders_scan(now=SCANNED)

    # when both are sent
    results = [delivery_send(delivery_id=pk, now=SCANNED) for pk in Delivery.objects.values_list("pk", flat=True)]

    # then one token served both
    assert results == ["sent", "sent"]
    assert token_vendor.tokens_issued == 1 and len(token_vendor.accepted) == 2  # type: ignore[attr-defined]


@pytest.mark.parametrize("token_vendor", TOKEN_CHANNELS, indirect=True)
def test_an_expired_token_is_fetched_anew_and_the_message_sent_in_the_same_attempt(token_vendor: FakeVendor) -> None:
    # given a cached token that the vendor says has expired
    delivery = _scanned_delivery()
    token_vendor.plan = ["expired"]

    # when the outbox sends
    result = delivery_send(delivery_id=delivery.pk, now=SCANNED)

    # then a new token was fetched and the message went out on the first attempt
    delivery.refresh_from_db()
    assert result == "sent" and delivery.attempts == 1
    assert token_vendor.tokens_issued == 2 and len(token_vendor.accepted) == 1  # type: ignore[attr-defined]


@pytest.mark.parametrize("token_vendor", TOKEN_CHANNELS, indirect=True)
def test_a_token_refused_twice_is_retried_later(token_vendor: FakeVendor) -> None:
    delivery = _scanned_delivery()
    token_vendor.plan = ["expired", "expired"]

    result = delivery_send(delivery_id=delivery.pk, now=SCANNED)

    assert result == "retry" and token_vendor.tokens_issued == 2  # type: ignore[attr-defined]
    assert _dispatch_and_send(SCANNED + dt.timedelta(minutes=2)) == ["sent"]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("token_vendor", TOKEN_CHANNELS, indirect=True)
def test_a_message_goes_out_while_redis_is_down(token_vendor: FakeVendor, settings: Any) -> None:
    # given the cache's Redis gone (nothing listens on its port)
    delivery = _scanned_delivery()
    down = {**settings.CACHES["default"], "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0"}

    # when the outbox sends
    with override_settings(CACHES={"default": down}):
        result = delivery_send(delivery_id=delivery.pk, now=SCANNED)
        caches["default"].clear()

    # then a token was fetched without the cache and the message went out
    assert result == "sent" and len(token_vendor.accepted) == 1


# ---------------------------------------------------------------------------
# Delivery receipts (SMS)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("vendor", ["aliyun", "tencent"], indirect=True)
def test_a_delivery_receipt_marks_the_sent_sms_delivered_or_not(vendor: FakeVendor, settings: Any, client: Any) -> None:
    # given an SMS sent through the vendor, and the receipt address configured
    settings.REMINDERS_SMS_RECEIPT_TOKEN = "r3ceipt-t0ken-for-tests"
    delivery = _scanned_delivery()
    delivery_send(delivery_id=delivery.pk, now=SCANNED)
    delivery.refresh_from_db()
    if vendor.name == "aliyun":  # type: ignore[attr-defined]
        report = [
            {
                "phone_number": "13987654321",
                "send_time": "2026-03-23 01:00:01",
                "report_time": "2026-03-23 01:00:07",
                "success": False,
                "err_code": "MK:0001",
                "err_msg": "用户关机",
                "sms_size": "1",
                "biz_id": delivery.external_id,
                "out_id": f"delivery-{delivery.pk}",
            }
        ]
        acknowledged = {"code": 0, "msg": "成功"}
    else:
        report = [
            {
                "user_receive_time": "2026-03-23 01:00:07",
                "nationcode": "86",
                "mobile": "13987654321",
                "report_status": "FAIL",
                "errmsg": "MK:0001",
                "description": "用户关机",
                "sid": delivery.external_id,
            }
        ]
        acknowledged = {"result": 0, "errmsg": "OK"}
    name = vendor.name  # type: ignore[attr-defined]

    # when the vendor pushes the report, to a wrong address and to the right one
    wrong = client.post(f"/api/v1/sms-receipts/{name}/guessed-token/", report, content_type="application/json")
    right = client.post(
        f"/api/v1/sms-receipts/{name}/r3ceipt-t0ken-for-tests/", report, content_type="application/json"
    )

    # then only the secret address takes it, answered as the vendor expects, and the row says undelivered
    delivery.refresh_from_db()
    assert wrong.status_code == 404
    assert right.status_code == 200 and right.json() == acknowledged
    assert delivery.receipt_status == ReceiptStatus.UNDELIVERED and "用户关机" in delivery.receipt_error
    assert delivery.receipt_at == dt.datetime(2026, 3, 23, 1, 0, 7, tzinfo=SHANGHAI)


def test_a_malformed_receipt_is_a_400_in_chinese(settings: Any, client: Any, db: None) -> None:
    settings.REMINDERS_SMS_RECEIPT_TOKEN = "r3ceipt-t0ken-for-tests"

    response = client.post(
        "/api/v1/sms-receipts/aliyun/r3ceipt-t0ken-for-tests/", [{"success": "maybe"}], content_type="application/json"
    )

    assert response.status_code == 400


@pytest.mark.parametrize("token_vendor", TOKEN_CHANNELS, indirect=True)
def test_an_agent_id_that_is_not_a_number_fails_naming_the_setting(token_vendor: FakeVendor, settings: Any) -> None:
    settings.WECOM_AGENT_ID = settings.DINGTALK_AGENT_ID = "应用一"
    delivery = _scanned_delivery()

    result = delivery_send(delivery_id=delivery.pk, now=SCANNED)

    delivery.refresh_from_db()
    assert result == "failed" and "AGENT_ID 应为数字" in delivery.last_error and token_vendor.calls == []
