"""Login throttling: after repeated failures a username is locked for a while,
whichever door is used (admin, browsable API session, JWT token endpoint, the
workbench's /login/). A person may also sign in with the mobile number of
their cadre record; failures count against the account it names, so trying
both names never doubles the attempts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from cadrecare.org.demo import DEMO_PASSWORD

MAX_FAILURES = 5
LOCK_SECONDS = 15 * 60


LOCKED_MESSAGE = gettext_lazy("登录失败次数过多，请 15 分钟后再试。")
MOBILE_DIGITS = 11


def login_name(identifier: str) -> str:
    """The username ``identifier`` signs in as: itself, or, for a mobile
    number that is nobody's username, the login of the one active cadre record
    with that number (unchanged when none or several have it)."""
    if len(identifier) != MOBILE_DIGITS or not identifier.isdigit():
        return identifier
    users = get_user_model().objects
    if users.filter(username=identifier).exists():
        return identifier
    names = list(users.filter(cadre__phone=identifier, is_active=True).values_list("username", flat=True)[:2])
    return names[0] if len(names) == 1 else identifier


def _key(username: str) -> str:
    return f"login-failures:{login_name(username).lower()}"


def login_locked(username: str) -> bool:
    """Whether ``username`` (or the mobile number naming it) is locked out for now."""
    return cache.get(_key(username), 0) >= MAX_FAILURES


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
                     **kwargs: Any) -> Any:
        if username and login_locked(username):
            raise PermissionDenied(LOCKED_MESSAGE)
        username = login_name(username) if username else username
        if password == DEMO_PASSWORD and not settings.DEMO_LOGINS:
            return None  # the demo's password is published: in production it is a wrong password
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
