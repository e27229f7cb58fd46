"""Django admin for the organisation, scoped like the API. ``ScopedAdmin`` and
``ScopedRecordAdmin`` are the bases of every app's admin: each person (staff,
or a role the access table lets in, see ``org.admin_site``) sees and does
there what their role's row of the access table allows, in their scope, with
the fields above their level left out, and is audited like the API.

The admin is no second door: a model whose writes carry rules is shown only
(``ScopedRecordAdmin``); where the admin writes, it writes as the API does,
through the resource's service, with the placement checked by ``scoping``
and one audit row, in one transaction (``ScopedAdmin.save_model``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.db.models.fields.related import RelatedField
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from cadrecare.core.admin import ViewOnlyAdminMixin
from cadrecare.core.errors import DomainError
from cadrecare.core.privacy import Level, field_levels

# The audit log is an app above org: reached through core's stand-in (cadrecare.core.providers).
from cadrecare.core.providers import audit
from cadrecare.org import scoping
from cadrecare.org.access import ADD, CHANGE, DELETE, VIEW
from cadrecare.org.admin_site import admin_user
from cadrecare.org.models import Cadre, Office, OrgUnit, PostChange, RoleGrant, User
from cadrecare.org.scoping import cadre_id_of, manageable_users, nameable, scoped
from cadrecare.org.services import (
    office_delete,
    office_save,
    org_unit_create,
    org_unit_update,
    post_change_record,
    role_grant_create,
    role_grant_revoke,
    user_login_unlock,
    user_update,
)


class ScopedAdmin(admin.ModelAdmin):
    """Admin listing narrowed by the same scope filter as the API, and audited
    like it: every change, and every view of a record's personal or sensitive
    fields, is written to the audit log. Who may view, add, change or delete
    is the access table's ``resource`` row (not Django's model permissions);
    a form's choices are what the user may name; fields above the reader's
    level on a record are not shown; the list takes only its declared lookups."""

    resource = ""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return scoped(super().get_queryset(request), admin_user(request), self.resource)

    # -- permissions: the access table ---------------------------------------
    def _may(self, request: HttpRequest, action: str, obj: Any = None) -> bool:
        user = request.user
        if not isinstance(user, User):  # the login page lists the apps too, for nobody yet
            return False
        if obj is None:
            return scoping.may(user, self.resource, action)
        return scoping.may_on(user, self.resource, action, obj)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may(request, VIEW)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, VIEW, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._may(request, ADD)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, CHANGE, obj)

    # -- what a page shows ---------------------------------------------------
    def visible_level(self, request: HttpRequest, obj: Any) -> Level:
        """The highest level the reader sees on ``obj`` (a new record: their best on the resource)."""
        unit = scoping.unit_of(obj) if obj is not None else None
        return scoping.visible_level(
            admin_user(request),
            self.resource,
            unit.path if unit is not None else None,
            cadre_id_of(obj) if obj is not None else None,
        )

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        levels = field_levels(self.model)
        visible = self.visible_level(request, obj)
        names: list[Any] = list(super().get_fields(request, obj))  # names, as no admin here groups fields
        return [name for name in names if levels.get(name, Level.BASIC) <= visible]

    def get_field_queryset(self, db: str | None, db_field: RelatedField[Any, Any], request: HttpRequest) -> QuerySet:
        queryset = super().get_field_queryset(db, db_field, request)
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.using(db).all()
        return nameable(queryset, admin_user(request), self.resource)

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        """Only the list's own filters and date hierarchy: a URL may not search a
        field the list does not offer (``?findings__icontains=`` would read it)."""
        if request is None:  # Django passes the request; without it no filter is known to be the list's own
            return False
        declared = {self.date_hierarchy} if self.date_hierarchy else set()
        for item in self.get_list_filter(request):
            if isinstance(item, str):
                declared.add(item)
            elif isinstance(item, list | tuple):
                declared.add(str(item[0]))  # (field name, filter class)
            else:
                declared.add(str(getattr(item, "parameter_name", "")))  # a SimpleListFilter
        return any(
            lookup == name or lookup.startswith(name + LOOKUP_SEP) for name in declared
        ) and super().lookup_allowed(lookup, value, request)

    # -- the audit log -------------------------------------------------------
    def _audit(self, request: HttpRequest, action: str, objs: Iterable[Any], fields: Iterable[str] = ()) -> None:
        audit.audit_log(
            actor=admin_user(request),
            action=action,
            request=request,
            accesses=[audit.Access(self.resource, obj.pk, cadre_id_of(obj), list(fields)) for obj in objs],
        )

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method in audit.READ_METHODS and response.status_code == 200:
            obj = self.get_object(request, object_id)
            levels = field_levels(self.model)
            shown = [
                name
                for name in flatten_fieldsets(self.get_fieldsets(request, obj))
                if levels.get(name, Level.BASIC) > Level.BASIC
            ]
            if obj is not None and shown:
                self._audit(request, audit.AuditAction.READ, [obj], shown)
        return response

    # -- writes: the API's path ----------------------------------------------
    # An admin that writes names the resource's services, as the API's
    # ViewSets do: ``write`` saves the form through one (its transaction,
    # the placement, the rules, the one audit row), ``delete_model`` deletes
    # through one. A service's refusal rolls the whole write back and shows
    # on the form, in the service's words. An admin that names no delete
    # service offers no delete.

    def write(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> Any:
        """Save the form's record through the resource's service; returns the record saved."""
        raise NotImplementedError(f"{type(self).__name__} names the service that saves its records")

    def stored(self, obj: Any) -> Any:
        """``obj`` as stored: the form has set its new values on ``obj`` itself,
        and a service compares them with the stored ones (what changed, a move)."""
        return type(obj)._default_manager.get(pk=obj.pk)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = self.write(request, obj, form, change)
        if saved is not obj:  # the admin goes on with the object it built: point it at the saved row
            obj.pk = saved.pk
            obj.refresh_from_db()

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as error:
            if request.method != "POST" or hasattr(request, "_cadrecare_refusal"):
                raise
            # The write rolled back with the admin's transaction: show the form
            # again, the refusal on it, and let nothing be saved this time.
            request._cadrecare_refusal = error  # type: ignore[attr-defined]
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form_class = super().get_form(request, obj, change, **kwargs)
        found: DomainError | None = getattr(request, "_cadrecare_refusal", None)
        if found is None:
            return form_class
        refusal = found  # (the form class below closes over a name that is never None)

        class RefusedForm(form_class):  # type: ignore[misc, valid-type]
            def clean(self) -> dict[str, Any]:
                data = super().clean()
                for item in refusal.errors or [{"field": refusal.field, "message": refusal.message}]:
                    field = item.get("field")
                    self.add_error(field if field in self.fields else None, str(item["message"]))
                return data

        return RefusedForm

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)
            info = (self.opts.app_label, self.opts.model_name)
            return redirect(f"admin:{info[0]}_{info[1]}_changelist")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return type(self).delete_model is not ScopedAdmin.delete_model and self._may(request, DELETE, obj)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        """Delete through the resource's service (an admin that deletes names it)."""
        raise PermissionDenied  # not reached: without a service, has_delete_permission is False

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        # The list is what the user may view; what they may delete can be less.
        allowed = scoped(self.model._default_manager.all(), admin_user(request), self.resource, DELETE)
        if queryset.exclude(pk__in=allowed.values("pk")).exists():
            raise PermissionDenied
        for obj in queryset:  # each through the service, which audits it
            self.delete_model(request, obj)


class ScopedRecordAdmin(ViewOnlyAdminMixin, ScopedAdmin):
    """Records whose writes carry rules that only their services (or the API's
    serializers) know: shown in the admin, scoped and audited, written through
    the API and the workbench only."""


@admin.register(OrgUnit)
class OrgUnitAdmin(ScopedAdmin):
    """Units: a new one through ``org_unit_create``, a new parent through
    ``org_unit_move`` (the subtree's paths follow, so every scope decision
    about it stays right). Units are never deleted, as in the API: deactivate."""

    resource = "org-units"
    list_display = ["code", "name", "kind", "parent", "remoteness", "active"]
    list_filter = ["kind", "remoteness", "active"]
    search_fields = ["code", "name"]
    readonly_fields = ["path"]

    def write(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> Any:
        data = dict(form.cleaned_data)
        if not change:
            return org_unit_create(actor=admin_user(request), request=request, **data)
        changes = {name: data[name] for name in form.changed_data}
        return org_unit_update(actor=admin_user(request), request=request, unit=self.stored(obj), **changes)


@admin.register(Office)
class OfficeAdmin(ScopedAdmin):
    """Offices carry no rule but their place: written through ``office_save``
    and ``office_delete``, as by the API."""

    resource = "offices"
    list_display = ["name", "unit", "active"]
    search_fields = ["name", "unit__name"]
    list_select_related = ["unit"]

    def write(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> Any:
        names = form.changed_data if change else form.cleaned_data
        changes = {name: form.cleaned_data[name] for name in names}
        return office_save(
            actor=admin_user(request), request=request, office=self.stored(obj) if change else None, **changes
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        office_delete(actor=admin_user(request), request=request, office=obj)


@admin.register(Cadre)
class CadreAdmin(ScopedRecordAdmin):
    """Cadres carry rules (identity numbers, the post fields that change only
    through post changes, the end of service that closes their items): the
    services hold them (``cadre_problems``), so the admin shows cadres only."""

    resource = "cadres"
    list_display = ["name", "unit", "rank", "leader_post", "status"]
    list_filter = ["rank", "leader_post", "status", "gender"]
    search_fields = ["name"]
    list_select_related = ["unit"]


class PostChangeForm(forms.ModelForm):
    """A post change as ``post_change_record`` takes it: with the office in the new unit, which is
    not stored on the change but moves the cadre there."""

    to_office = forms.ModelChoiceField(queryset=Office.objects.none(), required=False, label="新科室站所")

    class Meta:
        model = PostChange
        fields = ["cadre", "kind", "date", "to_unit", "to_rank", "to_leader_post", "to_post_title", "note"]


@admin.register(PostChange)
class PostChangeAdmin(ScopedAdmin):
    """A post change is recorded through ``post_change_record``, as by the API
    (the cadre's current post follows, its listeners open the must-talks);
    the history is never rewritten."""

    resource = "post-changes"
    list_display = ["cadre", "kind", "date", "from_unit", "to_unit"]
    list_filter = ["kind"]
    raw_id_fields = ["cadre", "to_unit"]
    add_form = PostChangeForm
    add_fields = ["cadre", "kind", "date", "to_unit", "to_office", "to_rank", "to_leader_post", "to_post_title", "note"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return self.add_fields if obj is None else super().get_fields(request, obj)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = self.add_form
        form_class = super().get_form(request, obj, change, **kwargs)
        if obj is None:
            offices = nameable(Office.objects.select_related("unit"), request.user, self.resource)

            class ScopedPostChangeForm(form_class):  # type: ignore[misc, valid-type]
                def __init__(self, *args: Any, **kw: Any) -> None:
                    super().__init__(*args, **kw)
                    self.fields["to_office"].queryset = offices  # per form: the declared field is shared

            return ScopedPostChangeForm
        return form_class

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def write(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> Any:
        data = {name: form.cleaned_data[name] for name in self.add_fields}
        return post_change_record(actor=admin_user(request), request=request, **data)


GRANT_FIELDS = ["user", "role", "unit", "acting_post", "acting_from", "acting_until"]


@admin.register(RoleGrant)
class RoleGrantAdmin(ScopedAdmin):
    """A grant is handed out through ``role_grant_create`` (a role at or below
    one's own, in one's scope, to a login one manages) and taken back through
    ``role_grant_revoke``; a grant is never edited, as in the API."""

    resource = "role-grants"
    list_display = ["user", "role", "unit", "acting_post", "acting_from", "acting_until", "granted_at"]
    list_filter = ["role", "acting_post"]
    raw_id_fields = ["user", "unit"]
    fields: ClassVar[list[Any]] = GRANT_FIELDS

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "user":  # as the API's GrantableUserField: a login the granter manages wholly
            kwargs["queryset"] = manageable_users(admin_user(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one at a time, through the service
        return actions

    def write(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> Any:
        data = {name: form.cleaned_data[name] for name in GRANT_FIELDS}
        return role_grant_create(actor=admin_user(request), request=request, **data)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        role_grant_revoke(actor=admin_user(request), grant=obj, request=request)


@admin.register(User)
class UserAdmin(ScopedAdmin):
    """Logins, as the API shows them: names, e-mail and whether active, changed
    only on users the administrator manages wholly (``scoping.manageable_users``).
    Staff, superuser, groups and permissions are on no form: the admin never
    raises anyone's privileges; roles are grants, handed out by the API's rules.
    A new login comes with its first grant, so through the API only; a login is
    deactivated, never deleted."""

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
        if obj is not None and action != VIEW and not manageable_users(admin_user(request)).filter(pk=obj.pk).exists():
            return False
        return super()._may(request, action, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def write(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> Any:
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        return user_update(actor=admin_user(request), user=obj, request=request, **changes)

    @admin.action(description="解除所选账号的登录等待", permissions=["change"])
    def unlock_logins(self, request: HttpRequest, queryset: QuerySet) -> None:
        if queryset.exclude(pk__in=manageable_users(admin_user(request)).values("pk")).exists():
            raise PermissionDenied
        for user in queryset:
            user_login_unlock(actor=admin_user(request), user=user)


# Permissions come from the access table and roles from grants: Django's groups are not used, and editing one
# would hand out model permissions the access table never granted.
admin.site.unregister(Group)
