"""Signing in and out, and changing one's password."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.throttling import ScopedRateThrottle

from cadrecare.org.services import user_password_change
from cadrecare.web.forms import LoginForm, PasswordChangeForm
from cadrecare.web.pages import FormPageView


class LoginView(auth_views.LoginView):
    """Session sign-in by username or mobile number. Throttled per client like
    the API's token endpoint (the same ``login`` rate and counter), and locked
    per account after repeated failures (``cadrecare.org.auth``)."""

    template_name = "web/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True
    throttle_scope = "login"  # read by ScopedRateThrottle

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not ScopedRateThrottle().allow_request(request, self):
            context = self.get_context_data(form=self.form_class(request),
                                            throttled=_("登录尝试过于频繁，请稍后再试。"))
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: LoginForm) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class PasswordChangeView(FormPageView):
    """Any signed-in person changes their own password; stays signed in."""

    resource = None
    template_name = "web/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("web:home")
    success_message = gettext_lazy("密码已修改。")

    def perform(self, form: PasswordChangeForm) -> Any:  # type: ignore[override]
        user = user_password_change(actor=self.request.user, old_password=form.cleaned_data["old_password"],
                                    new_password=form.cleaned_data["new_password"])
        update_session_auth_hash(self.request, user)
        return user


urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", PasswordChangeView.as_view(), name="password-change"),
]
