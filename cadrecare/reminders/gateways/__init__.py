"""Vendor gateways behind the channel interface (docs/reminders.md, "Channels").

Each gateway speaks its vendor's documented HTTP API with httpx (the official
SDKs pull in dozens of packages for one call each) and turns every answer into
one of three outcomes the outbox understands: a vendor message id (sent), a
``RetryLater`` (a limit, an expired token twice, a busy server, a malformed
answer: the outbox tries again with backoff, not before ``after_seconds``), or
a ``GiveUp`` (a bad number, an unapproved template or signature, an unknown
user: the same message can never succeed, so the row is failed at once).
A timeout or a refused connection is raised as httpx's own error, which the
outbox retries like any failure.

Access tokens (WeCom, DingTalk) are kept in Django's cache, which is Redis
while it answers and this process's memory while it does not
(``cadrecare.core.cache``): a lost cache costs a token fetch, never a send.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import httpx
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class ChannelError(Exception):
    """A vendor refused or could not take a message."""


class RetryLater(ChannelError):
    """Worth trying again later (a rate limit, a busy vendor); ``after_seconds``
    is the least wait the vendor asks for, if any."""

    def __init__(self, message: str, *, after_seconds: int = 0) -> None:
        super().__init__(message)
        self.after_seconds = after_seconds


class GiveUp(ChannelError):
    """The message can never go through as it is (wrong number, unapproved
    template, unknown user, bad credentials): retrying only wastes the quota."""


class NotConfigured(GiveUp):
    """The channel is switched on but its settings are missing."""


def timeout() -> float:
    return float(getattr(settings, "REMINDERS_CHANNEL_TIMEOUT_SECONDS", 10))


def client() -> httpx.Client:
    """One short-lived client per send: the send task is the unit of work,
    and the timeout stays well under its lease."""
    return httpx.Client(timeout=timeout(), follow_redirects=False)


def answer_json(response: httpx.Response, vendor: str) -> dict[str, Any]:
    """The vendor's JSON answer, or RetryLater when it is not JSON (a proxy's
    error page, a cut-off body): the message may or may not have gone, and at
    least once means trying again."""
    try:
        data = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise RetryLater(
            _("%(vendor)s 应答无法解析（HTTP %(status_code)s）：%(text)s")
            % {"vendor": vendor, "status_code": response.status_code, "text": repr(response.text[:200])}
        ) from exc
    if not isinstance(data, dict):
        raise RetryLater(
            _("%(vendor)s 应答格式不符（HTTP %(status_code)s）：%(text)s")
            % {"vendor": vendor, "status_code": response.status_code, "text": repr(response.text[:200])}
        )
    return data


def require(values: dict[str, Any], vendor: str) -> None:
    missing = [name for name, value in values.items() if value in ("", None)]
    if missing:
        raise NotConfigured(_("%(vendor)s 未配置：%(items)s") % {"vendor": vendor, "items": ", ".join(missing)})


# ---------------------------------------------------------------------------
# Access tokens
# ---------------------------------------------------------------------------

#: A token is dropped this long before the vendor says it expires, so a send
#: never starts with a token that lapses on the way.
TOKEN_MARGIN_SECONDS = 300


def access_token(key: str, fetch: Callable[[], tuple[str, int]], *, fresh: bool = False) -> str:
    """The cached token under ``key``, or a new one from ``fetch`` (token,
    expires_in seconds), cached until shortly before it expires. ``fresh``
    skips the cache: the vendor said the cached one is expired or invalid."""
    cache_key = f"reminders:token:{key}"
    if not fresh:
        token = cache.get(cache_key)
        if token:
            return str(token)
    token, expires_in = fetch()
    cache.set(cache_key, token, timeout=max(60, expires_in - TOKEN_MARGIN_SECONDS))
    return token


def template_param(text: str, limit: int) -> str:
    """The text as one SMS template variable: without its leading 【…】 tag
    (the approved template and signature carry the sender) and cut to the
    vendor's variable length, so the item's name comes first."""
    if text.startswith("【") and "】" in text:
        text = text.split("】", 1)[1]
    return text[:limit]
