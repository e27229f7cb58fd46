"""Delivery channels: email through Django's email backend, SMS behind a small
interface whose default backend only logs (real gateways are per province).

The in-app channel is the ``Notice`` row itself. A channel raises on failure;
the outbox (services.delivery_send) retries with backoff and records the
error. Exactly-once delivery to a person is impossible: a worker killed after
the gateway accepted a message but before the row was marked sent sends it
again (at least once); a row marked sent is never sent again.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from cadrecare.reminders.choices import Channel

logger = logging.getLogger(__name__)


class SmsBackend(Protocol):
    def send(self, *, phone: str, text: str, key: str) -> None:
        """Send ``text`` to ``phone``; ``key`` is an idempotency key for
        gateways that accept one. Raise on failure."""


class LoggingSmsBackend:
    """The default: writes the message to the log instead of a gateway."""

    def send(self, *, phone: str, text: str, key: str) -> None:
        logger.info("sms %s to %s: %s", key, phone, text)


def sms_backend() -> SmsBackend:
    path = getattr(settings, "REMINDERS_SMS_BACKEND", "cadrecare.reminders.channels.LoggingSmsBackend")
    return import_string(path)()


def channel_send(*, channel: str, address: str, subject: str, body: str, key: str) -> None:
    """Send one message on ``channel``; raises when the channel fails."""
    if channel == Channel.EMAIL:
        send_mail(subject, body, None, [address], fail_silently=False)
    elif channel == Channel.SMS:
        sms_backend().send(phone=address, text=f"{subject}：{body}"[:300], key=key)
    else:
        raise ValueError(f"unknown channel {channel!r}")
