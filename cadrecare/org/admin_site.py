"""The admin site: open to every role the access table lets in
(``access.ADMIN_ROLES``), not only to staff. What each person sees and may do
there is their role's part of the table, applied by ``org.admin.ScopedAdmin``;
no Django model permission is involved."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from cadrecare.org.auth import ThrottledAuthenticationForm
from cadrecare.org.models import User
from cadrecare.org.scoping import may_use_admin


class AdminLoginForm(ThrottledAuthenticationForm, AdminAuthenticationForm):
    """The admin's login, through the login throttle of every door, for whoever may use the admin."""

    def confirm_login_allowed(self, user: User) -> None:
        super(AdminAuthenticationForm, self).confirm_login_allowed(user)  # active, not yet "staff"
        if not may_use_admin(user):
            raise forms.ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class AdminSite(admin.AdminSite):
    site_header = site_title = "乡镇干部关爱 管理后台"
    index_title = "管理"
    login_form = AdminLoginForm

    def has_permission(self, request: HttpRequest) -> bool:
        return may_use_admin(request.user)


def admin_user(request: HttpRequest) -> User:
    """The signed-in user of a request past the admin's login: the site lets in
    only those ``may_use_admin`` (``AdminSite.has_permission``), so a model
    admin's code never sees an anonymous visitor; refused if it somehow does."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
