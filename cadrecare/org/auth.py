"""Signing in, by whichever door: the JWT token endpoint, the browsable API's
and the admin's login pages and the workbench's /login/ all authenticate
through ``LoginBackend``, so the login throttle below is the one every door
obeys. A person may also sign in with the mobile number of their cadre
record; failures count against the account it names.

The throttle slows guessing without letting anyone lock others out. Failed
attempts are counted in three buckets, each forgotten an hour after its last
failure:

- the account from this client address (5 free failures),
- this client address, whatever the account (10 free failures),
- the account from addresses it has never signed in from (10 free failures):
  someone guessing elsewhere never slows its owner at their usual office.

Past its free failures a bucket makes the next attempt wait (15 s, doubling to
15 minutes), one attempt per wait, and an attempt refused for waiting is not
tried nor counted. The client address is the one TrustedProxyMiddleware
established (X-Forwarded-For only from settings.TRUSTED_PROXIES). An
administrator lifts an account's waits at once (``login_unlock``: the users
API's ``unlock`` action, the admin's action). Token refreshes are not logins
and do not count.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.utils.translation import gettext as _

from cadrecare.org.demo import DEMO_PASSWORD

MOBILE_DIGITS = 11
FORGET_SECONDS = 3600  # a bucket's failures are forgotten this long after its last one
KNOWN_ADDRESS_SECONDS = 90 * 24 * 3600
CLAIM_SECONDS = 30  # an attempt past the free failures holds its turn while the password is checked


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


# ---------------------------------------------------------------------------
# The throttle
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Bucket:
    key: str
    free: int
    per_account: bool  # its wait is about the account (else the address)


@dataclass(frozen=True)
class LoginDelay:
    """An attempt refused before its password was checked: try again in ``wait`` seconds."""

    wait: int
    per_account: bool

    @property
    def message(self) -> str:
        if self.wait >= 60:
            span = _("%(n)d 分钟") % {"n": math.ceil(self.wait / 60)}
        else:
            span = _("%(n)d 秒") % {"n": self.wait}
        if self.per_account:
            return _("该账号登录失败次数过多，请 %(span)s后再试。") % {"span": span}
        return _("登录尝试过于频繁，请 %(span)s后再试。") % {"span": span}


class LoginDelayed(PermissionDenied):
    """Raised by the backend; Django's ``authenticate`` stops at it (no other backend is tried)."""


def client_address(request: Any) -> str:
    return (request.META.get("REMOTE_ADDR") if request is not None else None) or "-"


def _buckets(request: Any, username: str) -> list[Bucket]:
    name = login_name(username).lower()
    address = client_address(request)
    generation = cache.get(f"login:generation:{name}", 0)  # login_unlock moves it on
    buckets = [
        Bucket(f"login:{generation}:account:{name}:from:{address}", settings.LOGIN_THROTTLE["account_failures"], True),
        Bucket(f"login:address:{address}", settings.LOGIN_THROTTLE["address_failures"], False),
    ]
    if not cache.get(f"login:known:{name}:{address}"):
        buckets.append(
            Bucket(f"login:{generation}:account:{name}", settings.LOGIN_THROTTLE["elsewhere_failures"], True)
        )
    return buckets


def _wait_after(failures: int, free: int) -> int:
    throttle = settings.LOGIN_THROTTLE
    return min(throttle["first_delay"] * 2 ** (failures - free), throttle["max_delay"])


def login_gate(request: Any, username: str) -> None:
    """Let an attempt at ``username`` be tried, or raise ``LoginDelayed``.

    A bucket past its free failures gives one turn per wait: the first attempt
    after the wait claims it (atomically: parallel attempts do not all pass),
    the others are told how long is left."""
    now = time.time()
    claimed: list[str] = []
    for bucket in _buckets(request, username):
        if cache.get(bucket.key, 0) < bucket.free:
            continue
        turn = f"{bucket.key}:turn"
        if not cache.add(turn, now + CLAIM_SECONDS, CLAIM_SECONDS):
            for key in claimed:  # give back the turns this attempt took
                cache.delete(key)
            until = cache.get(turn) or now + 1
            delay = LoginDelay(max(1, math.ceil(until - now)), bucket.per_account)
            if request is not None:
                request.cadrecare_login_delay = delay
            raise LoginDelayed(delay.message)
        claimed.append(turn)


def login_failed(request: Any, username: str) -> None:
    """Count a wrong password (or an inactive account) in every bucket; past
    its free failures a bucket makes the next attempt wait."""
    now = time.time()
    for bucket in _buckets(request, username):
        if not cache.add(bucket.key, 1, FORGET_SECONDS):
            try:
                cache.incr(bucket.key)
            except ValueError:  # expired between the two calls
                cache.set(bucket.key, 1, FORGET_SECONDS)
            cache.touch(bucket.key, FORGET_SECONDS)
        failures = cache.get(bucket.key, 0)
        if failures >= bucket.free:
            wait = _wait_after(failures, bucket.free)
            cache.set(f"{bucket.key}:turn", now + wait, wait)


def login_succeeded(request: Any, username: str) -> None:
    """The account's failures from this address are forgiven, the turns it
    held given back, and the address remembered as one its owner uses."""
    name = login_name(username).lower()
    for bucket in _buckets(request, username):
        cache.delete(f"{bucket.key}:turn")
        if bucket.per_account and bucket.key.endswith(f":from:{client_address(request)}"):
            cache.delete(bucket.key)
    cache.set(f"login:known:{name}:{client_address(request)}", 1, KNOWN_ADDRESS_SECONDS)


def login_delay(request: Any) -> LoginDelay | None:
    """Whether the last attempt on ``request`` was refused for waiting (for the doors to say so)."""
    return getattr(request, "cadrecare_login_delay", None)


def login_unlock(username: str) -> None:
    """Lift every wait on the account at once (its address buckets stay)."""
    key = f"login:generation:{login_name(username).lower()}"
    if not cache.add(key, 1, None):
        cache.incr(key)


class LoginBackend(ModelBackend):
    """Django's model backend behind the login throttle. Every door's
    ``authenticate`` comes here, with its request."""

    def authenticate(
        self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        if not username:
            return None
        login_gate(request, username)
        if password == DEMO_PASSWORD and not settings.DEMO_LOGINS:
            return None  # the demo's password is published: in production it is a wrong password
        user = super().authenticate(request, username=login_name(username), password=password, **kwargs)
        if user is not None:
            login_succeeded(request, username)
        return user


@receiver(user_login_failed)
def _count_failed_login(sender: object, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    username = credentials.get("username")
    if username and login_delay(request) is None:
        login_failed(request, username)


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form saying how long to wait when the throttle refused
    the attempt (the admin's and the browsable API's login pages, and the base
    of the workbench's)."""

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except forms.ValidationError:
            delay = login_delay(self.request)
            if delay is not None:
                raise forms.ValidationError(delay.message, code="throttled") from None
            raise
