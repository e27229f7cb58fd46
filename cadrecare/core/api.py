"""The HTTP layer every resource shares: pagination, the permission check
against the access table, the scoped viewset base and the privacy serializer.

Views stay declarative: a resource names itself (the key in
``cadrecare.org.access.ACCESS``), a selector-backed queryset, a serializer and
a FilterSet; scope, masking and the audit log come from here, once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from django.db import models
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, permissions, relations, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from cadrecare.core import clock
from cadrecare.core.actions import ADD, CHANGE, DELETE, VIEW
from cadrecare.core.authenticated import AuthenticatedRequest
from cadrecare.core.errors import DomainError
from cadrecare.core.i18n import choice_label
from cadrecare.core.imports import CREATE, Importer, import_apply, import_check, import_template, plan_json
from cadrecare.core.privacy import Level, field_levels, mask
from cadrecare.core.providers import audit, scoping

if TYPE_CHECKING:
    from cadrecare.org.models import OrgUnit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_IMPORT_BYTES = 5 * 1024 * 1024

METHOD_ACTIONS = {
    "GET": VIEW,
    "HEAD": VIEW,
    "OPTIONS": VIEW,
    "POST": ADD,
    "PUT": CHANGE,
    "PATCH": CHANGE,
    "DELETE": DELETE,
}


class ResourcePermission(permissions.BasePermission):
    """Refuse (403) an action no grant of the user allows anywhere; which
    objects it reaches is the queryset's business (404 outside scope)."""

    message = _("您的角色无权执行此操作。")

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if getattr(view, "action", "") is None:
            return True  # a method the resource does not have: let DRF answer 405
        return scoping.may(request.user, view.resource, view.access_action())


class ScopedRelationsMixin:
    """Every reference a serializer accepts is one its reader may name: each
    writable related field (and those of nested serializers) takes its queryset
    through ``scoping.nameable`` for the request's user and the context's
    ``resource``. Validation refuses an id outside scope as 'does not exist',
    and the browsable API's forms offer in-scope records only. A field that
    picks its own queryset (``get_queryset``) is left to it.
    """

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()  # type: ignore[misc]
        request = self.context.get("request")  # type: ignore[attr-defined]
        user = getattr(request, "user", None)
        resource = self.context.get("resource", "")  # type: ignore[attr-defined]
        for field in fields.values():
            _scope_relations(field, user, resource)
        return fields


def _scope_relations(field: serializers.Field, user: Any, resource: str) -> None:
    if field.read_only:
        return
    if isinstance(field, relations.ManyRelatedField):
        field = field.child_relation
    if isinstance(field, serializers.ListSerializer):
        if field.child is None:
            return
        field = field.child
    if isinstance(field, relations.RelatedField):
        own_choice = type(field).get_queryset is not relations.RelatedField.get_queryset
        if field.queryset is not None and not own_choice:
            field.queryset = scoping.nameable(field.queryset.all(), user, resource)
    elif isinstance(field, serializers.Serializer) and not isinstance(field, ScopedRelationsMixin):
        # A nested serializer of another kind (the fields of a talk's follow-ups): scoped as its parent.
        for child in field.fields.values():
            _scope_relations(child, user, resource)


class PrivacySerializerMixin(ScopedRelationsMixin):
    """Masks the fields above what the reader may see and notes, for the audit
    log, every personal or sensitive field shown unmasked; its references are
    scoped (``ScopedRelationsMixin``).

    The view puts ``visible_level`` (record -> Level) and an ``audit`` list in
    the context; serializer-only fields take their level from ``Meta.levels``.
    """

    def _protected_fields(self, model: type[models.Model]) -> list[tuple[str, Level]]:
        """(name, level) of this serializer's fields above basic, worked out once."""
        cached = getattr(self, "_cadrecare_protected", None)
        if cached is None:
            declared = field_levels(model)
            extra: dict[str, Level] = getattr(getattr(self, "Meta", None), "levels", {})
            cached = []
            for name, field in self.fields.items():  # type: ignore[attr-defined]
                source = field.source.split(".")[0] if field.source not in ("*", None) else name
                level = extra.get(name) or declared.get(source, Level.BASIC)
                if level > Level.BASIC and not field.write_only:
                    cached.append((name, level))
            self._cadrecare_protected = cached
        return cached

    def visible_level(self, instance: models.Model) -> Level:
        """The level up to which ``instance`` shows unmasked: the reader's, from
        the context; a serializer whose records may narrow it (a child's details)
        overrides this, so every door that uses the serializer applies the rule."""
        level_of = self.context.get("visible_level")  # type: ignore[attr-defined]
        return level_of(instance) if level_of else Level.BASIC

    def to_representation(self, instance: models.Model) -> dict[str, Any]:
        data = super().to_representation(instance)  # type: ignore[misc]
        protected = self._protected_fields(type(instance))
        if not protected:
            return data
        visible = self.visible_level(instance)
        shown: list[str] = []
        for name, level in protected:
            if name not in data:
                continue
            if level > visible:
                data[name] = mask(data[name], level)
            elif data[name] not in (None, "", []):
                shown.append(name)
        reads = self.context.get("audit")  # type: ignore[attr-defined]
        if shown and reads is not None:
            reads.append(audit.Access(self.context["resource"], instance.pk, scoping.cadre_id_of(instance), shown))  # type: ignore[attr-defined]
        return data


class PrivacyModelSerializer(PrivacySerializerMixin, serializers.ModelSerializer):
    pass


def record_of(serializer: serializers.BaseSerializer) -> Any:
    """The record an update's serializer is bound to: DRF binds it to what
    ``get_object`` found, so ``update_object`` / ``perform_update`` always have one."""
    if serializer.instance is None:
        raise TypeError(f"{type(serializer).__name__} is not bound to a record")
    return serializer.instance


def privacy_context(user: Any, resource: str) -> dict[str, Any]:
    """What a privacy serializer needs to mask ``resource`` records for ``user``
    and note the unmasked reads: the context of every door that shows them (the
    API's viewsets, the workbench's pages). The caller writes ``audit`` to the
    log once the response succeeded."""
    context: dict[str, Any] = {"resource": resource, "audit": []}
    if user is not None and user.is_authenticated:

        def visible_level(instance: models.Model) -> Level:
            unit = scoping.unit_of(instance)
            return scoping.visible_level(
                user, resource, unit.path if unit is not None else None, scoping.cadre_id_of(instance)
            )

        context["visible_level"] = visible_level
    return context


@extend_schema_field(OpenApiTypes.STR)
class ChoiceLabelField(serializers.ReadOnlyField):
    """The label of a model choice field, ``ChoiceLabelField(source="rank")`` (or through a
    relation, ``source="unit.remoteness"``), in the request's language.

    A dictionary lookup, where ``source="get_rank_display"`` makes DRF inspect
    the method's signature on every row (a tenth of a list's time).
    """

    def bind(self, field_name: str, parent: Any) -> None:
        super().bind(field_name, parent)
        model = parent.Meta.model
        *relations, name = str(self.source).split(".")  # a dotted path once bound
        for relation in relations:
            model = model._meta.get_field(relation).related_model
        # Serializers are bound per request, under the language it asked for:
        # translate each label once here rather than once per row.
        self._labels = {value: choice_label(label) for value, label in model._meta.get_field(name).flatchoices}

    def to_representation(self, value: Any) -> Any:
        return self._labels.get(value, value)


class ScopedViewSet(viewsets.GenericViewSet):
    """Base of every resource: scoped queryset, role check, masking, audit.

    Subclasses set ``resource``, ``queryset`` (or ``base_queryset``),
    ``serializer_class`` and ``filterset_class``; custom actions name the
    access action they need in ``action_access``.
    """

    resource: ClassVar[str]
    action_access: ClassVar[dict[str, str]] = {}
    permission_classes = [permissions.IsAuthenticated, ResourcePermission]
    request: AuthenticatedRequest  # IsAuthenticated: every request that reaches the code has a signed-in user

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # Grants are cached on the user for one request only.
        scoping.forget_cached_grants(request.user)
        purpose = request.headers.get(audit.PURPOSE_HEADER)
        if purpose is not None and purpose not in audit.AccessPurpose.values:
            raise DomainError(
                _("访问用途须为以下之一：%(choices)s。")
                % {
                    "choices": _("、").join(
                        _("%(value)s（%(label)s）") % {"value": value, "label": choice_label(label)}
                        for value, label in audit.AccessPurpose.choices
                    )
                },
                field=audit.PURPOSE_HEADER,
            )
        super().initial(request, *args, **kwargs)

    def access_action(self) -> str:
        if self.action in self.action_access:
            return self.action_access[self.action]
        return METHOD_ACTIONS.get(self.request.method or "GET", VIEW)

    def base_queryset(self) -> models.QuerySet:
        return self.queryset.all()  # type: ignore[union-attr]

    def get_queryset(self) -> models.QuerySet:
        queryset = self.base_queryset()
        if getattr(self, "swagger_fake_view", False):
            return queryset.none()
        unit_path = scoping.single_unit_path(queryset.model)
        if unit_path:  # masking reads each record's unit: fetch it with the row
            queryset = queryset.select_related(unit_path)
        return scoping.scoped(queryset, self.request.user, self.resource, VIEW)

    def get_object(self) -> Any:
        instance = super().get_object()
        action = self.access_action()
        if action != VIEW and not self._may_on(instance, action):
            raise PermissionDenied(_("您的角色无权对该记录执行此操作。"))
        return instance

    def _may_on(self, instance: models.Model, action: str) -> bool:
        return scoping.may_on(self.request.user, self.resource, action, instance)

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        user = self.request.user if hasattr(self, "request") else None
        context.update(privacy_context(user, getattr(self, "resource", "")))
        self._audit_reads = context["audit"]
        return context

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        reads = getattr(self, "_audit_reads", None)
        if reads and response.status_code < 400 and request.method in audit.READ_METHODS:
            # Reads are noted only by a serializer, which runs past the permission check: a signed-in user.
            audit.audit_log(actor=self.request.user, action="read", accesses=reads, request=request._request)
        return super().finalize_response(request, response, *args, **kwargs)


class OwnerSeesNotesMixin:
    """A per-record rule over the access table's per-role levels: the people a
    record is theirs by name (``record_owner_ids``: the talker of a must-talk or
    a talk, the owner of the visit an event is for, whoever recorded a visit)
    read its sensitive content on that record only, whatever their role reads
    elsewhere. The serializer audits each unmasked read, as for any reader."""

    def record_owner_ids(self, instance: models.Model) -> set[int]:
        raise NotImplementedError

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()  # type: ignore[misc]
        by_role = context.get("visible_level")
        if by_role is not None:
            user_id = self.request.user.pk  # type: ignore[attr-defined]

            def visible_level(instance: models.Model) -> Level:
                return Level.SENSITIVE if user_id in self.record_owner_ids(instance) else by_role(instance)

            context["visible_level"] = visible_level
        return context


class ScopedCreateMixin(mixins.CreateModelMixin, ScopedViewSet):
    """Create on a scoped resource: ``create_object`` hands the parsed data to
    the resource's service, which owns the whole write (its transaction, the
    placement through ``scoping.require_placement``, the rules, the one audit
    row through ``audit.services.written``, only when it wrote): the one write
    path the API, the workbench and the admin share, so a refused write leaves
    no audit row. There is no default: a resource that takes writes names its
    service."""

    def create_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        raise NotImplementedError(f"{type(self).__name__} names the service that creates its records")

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        serializer.instance = self.create_object(serializer)  # the service's result is what the response shows


class ScopedUpdateMixin(mixins.UpdateModelMixin, ScopedViewSet):
    """Update on a scoped resource through its service's ``update_object``, as ``ScopedCreateMixin``."""

    def update_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        raise NotImplementedError(f"{type(self).__name__} names the service that changes its records")

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        serializer.instance = self.update_object(serializer)


class ScopedDestroyMixin(mixins.DestroyModelMixin, ScopedViewSet):
    """Delete on a scoped resource through its service's ``destroy_object``, as ``ScopedCreateMixin``."""

    def destroy_object(self, instance: models.Model) -> None:
        raise NotImplementedError(f"{type(self).__name__} names the service that deletes its records")

    def perform_destroy(self, instance: models.Model) -> None:
        self.destroy_object(instance)


class ScopedModelViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ScopedCreateMixin,
    ScopedUpdateMixin,
    ScopedDestroyMixin,
):
    """CRUD on a scoped resource: each write named by ``create_object`` /
    ``update_object`` / ``destroy_object`` (its service, ``ScopedCreateMixin``)."""


class ScopedKeptViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ScopedCreateMixin,
    ScopedUpdateMixin,
):
    """A scoped resource whose records are kept: created and changed through
    its services, closed or waived when done, never deleted (no role's grant
    deletes them, so the API offers no DELETE: 405, for a superuser too)."""


#: ``http_method_names`` of a kept resource whose records change a field at a
#: time: PATCH, never PUT. Its service takes the fields a request names as the
#: change, so a client never blanks what it did not mean to touch by sending a
#: whole record. DELETE is not the list's business: a kept viewset has none.
NO_PUT = ["get", "post", "patch", "head", "options"]


# -- query parameters shared by reports -------------------------------------------------------------


def year_param(raw: str | None, field: str = "year") -> int:
    """``?year=`` (or another parameter naming a year): a four-digit year, this year when absent."""
    if not raw:
        return clock.today().year
    if not raw.isdecimal() or not 2000 <= int(raw) <= 2100:
        raise DomainError(_("年度应为四位数字，如 2026。"), field=field)
    return int(raw)


#: The longest run of years a report reads at once.
MAX_REPORT_YEARS = 20


def year_range_params(params: Mapping[str, Any]) -> tuple[int, int]:
    """``?from_year=&to_year=`` (either defaults to the other, and both to
    ``?year=``, else this year): the years a report covers, oldest first."""
    year = year_param(params.get("year"))
    from_year = year_param(params["from_year"], "from_year") if params.get("from_year") else None
    to_year = year_param(params["to_year"], "to_year") if params.get("to_year") else None
    from_year, to_year = from_year or to_year or year, to_year or from_year or year
    if from_year > to_year:
        raise DomainError(_("起始年度不能晚于截止年度。"), field="from_year")
    if to_year - from_year >= MAX_REPORT_YEARS:
        raise DomainError(
            _("一次最多统计 %(MAX_REPORT_YEARS)s 个年度。") % {"MAX_REPORT_YEARS": MAX_REPORT_YEARS}, field="from_year"
        )
    return from_year, to_year


def visible_unit(request: AuthenticatedRequest, resource: str, raw: Any) -> OrgUnit:
    """``?unit=``: a unit the user may see for ``resource`` (by grant subtree), else 404."""
    if not str(raw or "").isdecimal():
        raise DomainError(_("请指定单位编号。"), field="unit")
    unit = scoping.OrgUnit.objects.filter(pk=int(raw)).first()
    if unit is None or not scoping.may_in_unit(request.user, resource, VIEW, unit):
        raise NotFound(_("单位不存在或不在您的管理范围内。"))
    return unit


class ImportActionsMixin:
    """``POST <resource>/import/`` (``?dry_run=1`` for the preview, nothing
    saved) and ``GET <resource>/import-template/`` for a resource with an
    ``importer`` (``cadrecare.core.imports``); both need the ``import`` action."""

    importer: ClassVar[type[Importer]]
    import_options: ClassVar[tuple[str, ...]] = ()  # query parameters the importer reads

    def access_action(self) -> str:
        if self.action in ("import_file", "import_template"):  # type: ignore[attr-defined]
            return "import"
        return super().access_action()  # type: ignore[misc]

    @extend_schema(
        parameters=[OpenApiParameter("dry_run", bool, description="1: check and preview only, nothing saved")],
        request={"multipart/form-data": inline_serializer("ImportUpload", {"file": serializers.FileField()})},
        responses={200: OpenApiTypes.OBJECT, 201: OpenApiTypes.OBJECT},
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_file(self, request: Request) -> Response:
        """Import from .xlsx or .csv (the template's columns): with ``dry_run=1``
        the counts and rows it would create, update or leave unchanged; without,
        all rows or none. Every bad row is named with its row number and column."""
        upload = request.FILES.get("file")
        if upload is None:
            raise DomainError(_("请选择要导入的文件。"), field="file")
        if upload.size > MAX_IMPORT_BYTES:
            raise DomainError(_("文件不能超过 5 MB。"), field="file")
        options = {name: request.query_params[name] for name in self.import_options if name in request.query_params}
        importer = self.importer(request=request._request, options=options)
        dry_run = request.query_params.get("dry_run", "") in ("1", "true", "yes")
        if dry_run:
            plan = import_check(importer, upload_name=upload.name, content=upload.read())
        else:
            plan = import_apply(importer, upload_name=upload.name, content=upload.read())
        created = not dry_run and plan.count(CREATE) > 0
        return Response(plan_json(plan, dry_run=dry_run), status=201 if created else 200)

    @extend_schema(responses={(200, XLSX): bytes})
    @action(detail=False, methods=["get"], url_path="import-template")
    def import_template(self, request: Request) -> HttpResponse:
        """The import's .xlsx template: its Chinese headers and an example row."""
        response = HttpResponse(import_template(self.importer), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{self.resource}-template.xlsx"'  # type: ignore[attr-defined]
        return response
