"""Delivery channels: email through Django's email backend, SMS behind a small
interface (the default backend only logs; Alibaba Cloud and Tencent Cloud SMS
in ``gateways``), and the work messengers WeCom and DingTalk.

The in-app channel is the ``Notice`` row itself. A channel raises on failure:
``gateways.GiveUp`` when no retry can help (the outbox fails the row at once),
anything else is retried with backoff (``gateways.RetryLater`` says how long
at least). Exactly-once delivery to a person is impossible: a worker killed
after the gateway accepted a message but before the row was marked sent sends
it again (at least once); a row marked sent is never sent again.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from cadrecare.reminders.choices import Channel
from cadrecare.reminders.gateways.work import DingTalk, WeCom

logger = logging.getLogger(__name__)


class SmsBackend(Protocol):
    def send(self, *, phone: str, text: str, key: str) -> str | None:
        """Send ``text`` to ``phone``; ``key`` is an idempotency key for
        gateways that accept one. Returns the gateway's message id, if any
        (matched by its delivery receipt). Raise on failure."""


class LoggingSmsBackend:
    """The default: writes the message to the log instead of a gateway."""

    def send(self, *, phone: str, text: str, key: str) -> None:
        logger.info("sms %s to %s: %s", key, phone, text)


def sms_backend() -> SmsBackend:
    path = getattr(settings, "REMINDERS_SMS_BACKEND", "cadrecare.reminders.channels.LoggingSmsBackend")
    return import_string(path)()


def channel_send(*, channel: str, address: str, subject: str, body: str, key: str) -> str | None:
    """Send one message on ``channel``; returns the vendor's message id when
    it gives one, raises when the channel fails."""
    if channel == Channel.EMAIL:
        send_mail(subject, body, None, [address], fail_silently=False)
        return None
    if channel == Channel.SMS:
        return sms_backend().send(phone=address, text=f"{subject}：{body}"[:300], key=key)
    if channel == Channel.WECOM:
        return WeCom().send(user_id=address, text=f"{subject}\n{body}", key=key)
    if channel == Channel.DINGTALK:
        return DingTalk().send(user_id=address, text=f"{subject}\n{body}", key=key)
    raise ValueError(f"unknown channel {channel!r}")
