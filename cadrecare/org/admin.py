"""Django admin for the organisation, scoped like the API: a non-superuser
staff member sees only what their grants cover. ``ScopedAdmin`` and
``ScopedRecordAdmin`` are the bases of every app's admin."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from cadrecare.audit.models import AuditAction
from cadrecare.audit.services import READ_METHODS, Access, audit_log
from cadrecare.core.privacy import Level, field_levels
from cadrecare.org.auth import ThrottledAuthenticationForm
from cadrecare.org.models import Cadre, Office, OrgUnit, PostChange, RoleGrant, User
from cadrecare.org.scoping import cadre_id_of, scoped
from cadrecare.org.services import user_login_unlock


class AdminLoginForm(ThrottledAuthenticationForm, AdminAuthenticationForm):
    """The admin's login, through the login throttle of every door."""


admin.site.login_form = AdminLoginForm


class ScopedAdmin(admin.ModelAdmin):
    """Admin listing narrowed by the same scope filter as the API, and audited
    like it: every change, and every view of a record's personal or sensitive
    fields, is written to the audit log."""

    resource = ""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return scoped(super().get_queryset(request), request.user, self.resource)

    def _audit(self, request: HttpRequest, action: str, objs: Iterable[Any], fields: Iterable[str] = ()) -> None:
        audit_log(actor=request.user, action=action, request=request,
                  accesses=[Access(self.resource, obj.pk, cadre_id_of(obj), list(fields)) for obj in objs])

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "",
                    extra_context: dict[str, Any] | None = None) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method in READ_METHODS and response.status_code == 200:
            obj = self.get_object(request, object_id)
            levels = field_levels(self.model)
            shown = [name for name in flatten_fieldsets(self.get_fieldsets(request, obj))
                     if levels.get(name, Level.BASIC) > Level.BASIC]
            if obj is not None and shown:
                self._audit(request, AuditAction.READ, [obj], shown)
        return response

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        self._audit(request, AuditAction.UPDATE if change else AuditAction.CREATE, [obj], form.changed_data)

    @transaction.atomic
    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._audit(request, AuditAction.DELETE, [obj])
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._audit(request, AuditAction.DELETE, queryset)  # one INSERT for all of them
        super().delete_queryset(request, queryset)


class ScopedRecordAdmin(ScopedAdmin):
    """Records whose writes carry rules (their services check, notify and
    audit): shown in the admin, written through the API only."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OrgUnit)
class OrgUnitAdmin(ScopedAdmin):
    resource = "org-units"
    list_display = ["code", "name", "kind", "parent", "remoteness", "active"]
    list_filter = ["kind", "remoteness", "active"]
    search_fields = ["code", "name"]
    readonly_fields = ["path"]


@admin.register(Office)
class OfficeAdmin(ScopedAdmin):
    resource = "offices"
    list_display = ["name", "unit", "active"]
    search_fields = ["name", "unit__name"]
    list_select_related = ["unit"]


@admin.register(Cadre)
class CadreAdmin(ScopedAdmin):
    resource = "cadres"
    list_display = ["name", "unit", "rank", "leader_post", "status"]
    list_filter = ["rank", "leader_post", "status", "gender"]
    search_fields = ["name"]
    list_select_related = ["unit"]
    raw_id_fields = ["unit", "establishment_unit", "office", "user"]
    # The end of service closes the cadre's open items: through the API's status action only.
    readonly_fields = ["status", "status_changed_on"]


@admin.register(PostChange)
class PostChangeAdmin(ScopedAdmin):
    resource = "post-changes"
    list_display = ["cadre", "kind", "date", "from_unit", "to_unit"]
    list_filter = ["kind"]
    raw_id_fields = ["cadre", "from_unit", "to_unit", "recorded_by"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # history is never rewritten


@admin.register(RoleGrant)
class RoleGrantAdmin(ScopedAdmin):
    resource = "role-grants"
    list_display = ["user", "role", "unit", "granted_at"]
    list_filter = ["role"]
    raw_id_fields = ["user", "unit", "granted_by"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    actions = ["unlock_logins"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return scoped(super().get_queryset(request), request.user, "users").distinct()

    @admin.action(description="解除所选账号的登录等待", permissions=["change"])
    def unlock_logins(self, request: HttpRequest, queryset: QuerySet) -> None:
        for user in queryset:
            user_login_unlock(actor=request.user, user=user)
