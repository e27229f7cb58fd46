"""Django admin for the organisation, scoped like the API. ``ScopedAdmin`` and
``ScopedRecordAdmin`` are the bases of every app's admin: each person (staff,
or a role the access table lets in, see ``org.admin_site``) sees and does
there what their role's row of the access table allows, in their scope, with
the fields above their level left out, and is audited like the API."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Field, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest, HttpResponse

from cadrecare.audit.models import AuditAction
from cadrecare.audit.services import READ_METHODS, Access, audit_log
from cadrecare.core.privacy import Level, field_levels
from cadrecare.org import scoping
from cadrecare.org.access import ADD, CHANGE, DELETE, VIEW
from cadrecare.org.models import Cadre, Office, OrgUnit, PostChange, RoleGrant, User
from cadrecare.org.scoping import cadre_id_of, manageable_users, nameable, scoped
from cadrecare.org.services import user_login_unlock, user_update


class ScopedAdmin(admin.ModelAdmin):
    """Admin listing narrowed by the same scope filter as the API, and audited
    like it: every change, and every view of a record's personal or sensitive
    fields, is written to the audit log. Who may view, add, change or delete
    is the access table's ``resource`` row (not Django's model permissions);
    a form's choices are what the user may name; fields above the reader's
    level on a record are not shown; the list takes only its declared lookups."""

    resource = ""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return scoped(super().get_queryset(request), request.user, self.resource)

    # -- permissions: the access table ---------------------------------------
    def _may(self, request: HttpRequest, action: str, obj: Any = None) -> bool:
        if obj is None:
            return scoping.may(request.user, self.resource, action)
        return scoping.may_on(request.user, self.resource, action, obj)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may(request, VIEW)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, VIEW, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._may(request, ADD)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, CHANGE, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, DELETE, obj)

    # -- what a page shows ---------------------------------------------------
    def visible_level(self, request: HttpRequest, obj: Any) -> Level:
        """The highest level the reader sees on ``obj`` (a new record: their best on the resource)."""
        unit = scoping.unit_of(obj) if obj is not None else None
        return scoping.visible_level(
            request.user,
            self.resource,
            unit.path if unit is not None else None,
            cadre_id_of(obj) if obj is not None else None,
        )

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        levels = field_levels(self.model)
        visible = self.visible_level(request, obj)
        return [name for name in super().get_fields(request, obj) if levels.get(name, Level.BASIC) <= visible]

    def get_field_queryset(self, db: str | None, db_field: Field, request: HttpRequest) -> QuerySet:
        queryset = super().get_field_queryset(db, db_field, request)
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.using(db).all()
        return nameable(queryset, request.user, self.resource)

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        """Only the list's own filters and date hierarchy: a URL may not search a
        field the list does not offer (``?findings__icontains=`` would read it)."""
        declared = {self.date_hierarchy} if self.date_hierarchy else set()
        for item in self.get_list_filter(request):
            declared.add(
                item if isinstance(item, str) else item[0] if isinstance(item, list | tuple) else item.parameter_name
            )
        return any(
            lookup == name or lookup.startswith(name + LOOKUP_SEP) for name in declared
        ) and super().lookup_allowed(lookup, value, request)

    # -- the audit log -------------------------------------------------------
    def _audit(self, request: HttpRequest, action: str, objs: Iterable[Any], fields: Iterable[str] = ()) -> None:
        audit_log(
            actor=request.user,
            action=action,
            request=request,
            accesses=[Access(self.resource, obj.pk, cadre_id_of(obj), list(fields)) for obj in objs],
        )

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method in READ_METHODS and response.status_code == 200:
            obj = self.get_object(request, object_id)
            levels = field_levels(self.model)
            shown = [
                name
                for name in flatten_fieldsets(self.get_fieldsets(request, obj))
                if levels.get(name, Level.BASIC) > Level.BASIC
            ]
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
    list_display = ["user", "role", "unit", "acting_post", "acting_from", "acting_until", "granted_at"]
    list_filter = ["role", "acting_post"]
    raw_id_fields = ["user", "unit", "granted_by"]


@admin.register(User)
class UserAdmin(ScopedAdmin):
    """Logins, as the API shows them: names, e-mail and whether active, changed
    only on users the administrator manages wholly (``scoping.manageable_users``).
    Staff, superuser, groups and permissions are on no form: the admin never
    raises anyone's privileges; roles are grants, handed out by the API's rules.
    A new login comes with its first grant, so through the API only."""

    resource = "users"
    list_display = ["username", "first_name", "last_name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["username", "first_name", "last_name"]
    fields = ["username", "first_name", "last_name", "email", "is_active", "last_login", "date_joined"]
    readonly_fields = ["username", "last_login", "date_joined"]
    actions = ["unlock_logins"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).distinct()

    def _may(self, request: HttpRequest, action: str, obj: Any = None) -> bool:
        if obj is not None and action != VIEW and not manageable_users(request.user).filter(pk=obj.pk).exists():
            return False
        return super()._may(request, action, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        user_update(actor=request.user, user=obj, **{name: form.cleaned_data[name] for name in form.changed_data})
        self._audit(request, AuditAction.UPDATE, [obj], form.changed_data)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        if queryset.exclude(pk__in=manageable_users(request.user).values("pk")).exists():
            raise PermissionDenied
        super().delete_queryset(request, queryset)

    @admin.action(description="解除所选账号的登录等待", permissions=["change"])
    def unlock_logins(self, request: HttpRequest, queryset: QuerySet) -> None:
        if queryset.exclude(pk__in=manageable_users(request.user).values("pk")).exists():
            raise PermissionDenied
        for user in queryset:
            user_login_unlock(actor=request.user, user=user)


# Permissions come from the access table and roles from grants: Django's groups are not used, and editing one
# would hand out model permissions the access table never granted.
admin.site.unregister(Group)
