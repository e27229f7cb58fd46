"""Django admin for the organisation, scoped like the API: a non-superuser
staff member sees only what their grants cover."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from cadrecare.org.models import Cadre, Office, OrgUnit, PostChange, RoleGrant, User
from cadrecare.org.scoping import scoped


class ScopedAdmin(admin.ModelAdmin):
    """Admin listing narrowed by the same scope filter as the API."""

    resource = ""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return scoped(super().get_queryset(request), request.user, self.resource)


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
    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return scoped(super().get_queryset(request), request.user, "users").distinct()
