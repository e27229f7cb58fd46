"""Signing in and out, and changing one's password."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpResponse
from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy

from cadrecare.org.services import user_password_change
from cadrecare.web.forms import LoginForm, PasswordChangeForm
from cadrecare.web.pages import FormPageView


class LoginView(auth_views.LoginView):
    """Session sign-in by username or mobile number, through the login throttle
    of every door (``cadrecare.org.auth``): an attempt it made wait answers 429."""

    template_name = "web/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_invalid(form)
        throttled = any(error.code == "throttled" for error in form.errors.as_data().get("__all__", []))
        response.status_code = 429 if throttled else 400
        return response


class PasswordChangeView(FormPageView):
    """Any signed-in person changes their own password; stays signed in."""

    resource = None
    template_name = "web/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("web:home")
    success_message = gettext_lazy("密码已修改。")

    def perform(self, form: forms.BaseForm) -> Any:
        user = user_password_change(
            actor=self.request.user,
            old_password=form.cleaned_data["old_password"],
            new_password=form.cleaned_data["new_password"],
        )
        update_session_auth_hash(self.request, user)
        return user


urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", PasswordChangeView.as_view(), name="password-change"),
]
