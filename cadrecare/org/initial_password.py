"""A one-time initial password is changed first.

A login opened for a cadre (``org.services.cadre_logins_create``) signs in
with a password someone else printed or texted; until its owner sets their
own (``must_change_password``), the API answers 403 to everything but
who-am-I and the password change, and the workbench and the admin send them
to the password page. Its own module: the API's authentication classes are
imported while DRF itself loads, before the rest of ``org`` may be.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework_simplejwt.authentication import JWTAuthentication

API_OPEN_BEFORE_CHANGE = ("/api/v1/me/", "/api/v1/me/password/")
PAGES_OPEN_BEFORE_CHANGE = ("/api/", "/static/", "/i18n/", "/healthz")  # the API answers for itself


class PasswordChangeRequired(exceptions.PermissionDenied):
    default_detail = gettext_lazy("请先修改初始密码（POST /api/v1/me/password/），再使用其他功能。")
    default_code = "password_change_required"


class InitialPasswordGate:
    """Mixed into the API's authentication classes: a login still holding its
    initial password reaches only ``API_OPEN_BEFORE_CHANGE``."""

    def authenticate(self, request: Any) -> Any:
        result = super().authenticate(request)  # type: ignore[misc]
        if result is not None and result[0].must_change_password and request.path not in API_OPEN_BEFORE_CHANGE:
            raise PasswordChangeRequired()
        return result


class GatedJWTAuthentication(InitialPasswordGate, JWTAuthentication):
    pass


class GatedSessionAuthentication(InitialPasswordGate, SessionAuthentication):
    pass


class InitialPasswordMiddleware:
    """The workbench's and the admin's side of the gate: every page but the
    password change and signing out redirects to the password change."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The path first: asking for the user reads the session and the user (two queries), which
        # an API request, authenticated by its own classes, and a static file never need.
        if not request.path.startswith(PAGES_OPEN_BEFORE_CHANGE):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and user.must_change_password:
                change, logout = reverse("web:password-change"), reverse("web:logout")
                if request.path not in (change, logout):
                    return redirect(change)
        return self.get_response(request)
