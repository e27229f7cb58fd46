"""Login throttling: after repeated failures a username is locked for a while,
whichever door is used (admin, browsable API session, JWT token endpoint)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest

MAX_FAILURES = 5
LOCK_SECONDS = 15 * 60


def _key(username: str) -> str:
    return f"login-failures:{username.lower()}"


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
                     **kwargs: Any) -> Any:
        if username and cache.get(_key(username), 0) >= MAX_FAILURES:
            raise PermissionDenied("登录失败次数过多，请 15 分钟后再试。")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and username:
            cache.delete(_key(username))
        return user


@receiver(user_login_failed)
def count_failed_login(sender: object, credentials: dict[str, Any], **kwargs: Any) -> None:
    username = credentials.get("username")
    if not username:
        return
    key = _key(username)
    if not cache.add(key, 1, LOCK_SECONDS):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, LOCK_SECONDS)
