"""Organisation endpoints: declarative viewsets on the scoped base."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from cadrecare.core.api import (
    ImportActionsMixin,
    ScopedCreateMixin,
    ScopedDestroyMixin,
    ScopedKeptViewSet,
    ScopedModelViewSet,
    ScopedUpdateMixin,
    ScopedViewSet,
    record_of,
)
from cadrecare.core.authenticated import AuthenticatedRequest
from cadrecare.core.errors import DomainError

# The audit log is an app above org: reached through core's stand-in (cadrecare.core.providers).
from cadrecare.core.providers import audit
from cadrecare.org import selectors, services
from cadrecare.org.access import CHANGE
from cadrecare.org.api.serializers import (
    CadreListSerializer,
    CadreLoginsInputSerializer,
    CadreSerializer,
    CadreStatusInputSerializer,
    LoginSerializer,
    LoginsResultSerializer,
    MeSerializer,
    OfficeSerializer,
    OrgUnitSerializer,
    PasswordChangeInputSerializer,
    PostChangeSerializer,
    RoleGrantSerializer,
    RotatingRefreshSerializer,
    UserSerializer,
)
from cadrecare.org.choices import ENDED_STATUSES
from cadrecare.org.filtersets import (
    CadreFilterSet,
    OfficeFilterSet,
    OrgUnitFilterSet,
    PostChangeFilterSet,
    RoleGrantFilterSet,
    UserFilterSet,
)
from cadrecare.org.imports import CadreImporter
from cadrecare.org.models import Cadre, Office, OrgUnit, PostChange, RoleGrant, User
from cadrecare.org.spreadsheets import CADRE_COLUMNS, write_rows

MAX_EXPORT_ROWS = 10000


class OrgUnitViewSet(ScopedKeptViewSet):
    """The organisation tree: city, counties, townships, agencies, villages."""

    resource = "org-units"
    queryset = OrgUnit.objects.select_related("parent")
    serializer_class = OrgUnitSerializer
    filterset_class = OrgUnitFilterSet
    ordering_fields = ["path", "code", "name"]

    def create_object(self, serializer: serializers.BaseSerializer) -> OrgUnit:
        return services.org_unit_create(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )

    def update_object(self, serializer: serializers.BaseSerializer) -> OrgUnit:
        return services.org_unit_update(
            actor=self.request.user,
            request=self.request._request,
            unit=record_of(serializer),
            **serializer.validated_data,
        )


class OfficeViewSet(ScopedModelViewSet):
    """Offices and stations (站所/内设机构) of a township or agency."""

    resource = "offices"
    queryset = Office.objects.select_related("unit")
    serializer_class = OfficeSerializer
    filterset_class = OfficeFilterSet
    ordering_fields = ["name", "unit"]

    def create_object(self, serializer: serializers.BaseSerializer) -> Office:
        return services.office_save(actor=self.request.user, request=self.request._request, **serializer.validated_data)

    def update_object(self, serializer: serializers.BaseSerializer) -> Office:
        return services.office_save(
            actor=self.request.user,
            request=self.request._request,
            office=record_of(serializer),
            **serializer.validated_data,
        )

    def destroy_object(self, instance: models.Model) -> None:
        assert isinstance(instance, Office)  # get_object's, from this resource's queryset
        services.office_delete(actor=self.request.user, request=self.request._request, office=instance)


class CadreViewSet(ImportActionsMixin, ScopedModelViewSet):
    """Cadres: personal fields masked for roles that do not need them; post
    fields change only through post changes."""

    resource = "cadres"
    serializer_class = CadreSerializer
    filterset_class = CadreFilterSet
    ordering_fields = ["name", "birth_date", "rank", "unit", "id"]
    ordering = ["unit_id", "id"]
    action_access = {"export": "export", "change_status": CHANGE, "logins": "logins"}
    importer = CadreImporter

    def base_queryset(self) -> models.QuerySet:
        return selectors.cadre_list_queryset() if self.action == "list" else selectors.cadre_queryset()

    def create_object(self, serializer: serializers.BaseSerializer) -> Cadre:
        return services.cadre_create(
            actor=self.request.user, request=self.request._request, data=serializer.validated_data
        )

    def update_object(self, serializer: serializers.BaseSerializer) -> Cadre:
        return services.cadre_update(
            actor=self.request.user,
            request=self.request._request,
            cadre=record_of(serializer),
            data=serializer.validated_data,
        )

    def destroy_object(self, instance: models.Model) -> None:
        assert isinstance(instance, Cadre)  # get_object's, from this resource's queryset
        services.cadre_delete(actor=self.request.user, request=self.request._request, cadre=instance)

    @extend_schema(request=CadreStatusInputSerializer, responses=CadreSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        """Record that the cadre retired (离退休) or left (调离) on a date: their open
        must-talks, follow-ups, interview items and regular talks end with that
        reason (audited); care still owed to their family stays."""
        cadre = self.get_object()
        form = CadreStatusInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.cadre_status_change(actor=request.user, cadre=cadre, **form.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=cadre.pk)).data)

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return CadreListSerializer if self.action == "list" else CadreSerializer

    @extend_schema(request=CadreLoginsInputSerializer, responses={201: LoginsResultSerializer})
    @action(detail=False, methods=["post"])
    def logins(self, request: AuthenticatedRequest) -> Response:
        """Open logins for a unit's cadres who have none (``unit``), or for the
        ``cadres`` named: username by mobile number or by code, the cadre role
        on their unit, a one-time initial password shown once in this answer
        (for the printed slip) or sent by SMS, changed at first sign-in. Cadres
        who already have a login are skipped, so sending it again opens nothing twice."""
        form = CadreLoginsInputSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        data = form.validated_data
        cadres = self.get_queryset()
        if data.get("cadres"):
            named = set(cadres.filter(pk__in=data["cadres"]).values_list("pk", flat=True))
            missing = sorted(set(data["cadres"]) - named)
            if missing:
                raise DomainError(
                    gettext("干部编号 %(missing)s 不存在或不在您的管理范围内。") % {"missing": missing[0]},
                    field="cadres",
                )
            cadres = cadres.filter(pk__in=named)
        if data.get("unit"):
            cadres = cadres.filter(unit=data["unit"], user__isnull=True).exclude(status__in=ENDED_STATUSES)
        result = services.cadre_logins_create(
            actor=request.user, cadres=cadres, username_rule=data["username_rule"], delivery=data["delivery"]
        )
        response = Response(LoginsResultSerializer(result).data, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"  # the initial passwords are shown once
        return response

    @extend_schema(
        parameters=[OpenApiParameter("file_format", enum=["xlsx", "csv"], default="xlsx")],
        responses={(200, "application/octet-stream"): bytes},
    )
    @action(detail=False, methods=["get"])
    def export(self, request: AuthenticatedRequest) -> HttpResponse:
        """The filtered list as .xlsx (or .csv), same columns as the import."""
        file_format = request.query_params.get("file_format", "xlsx")
        if file_format not in ("xlsx", "csv"):
            raise DomainError(gettext("导出格式只能是 xlsx 或 csv。"), field="file_format")
        queryset = self.filter_queryset(self.get_queryset())[: MAX_EXPORT_ROWS + 1]
        cadres = list(queryset)
        if len(cadres) > MAX_EXPORT_ROWS:
            raise DomainError(
                gettext("一次最多导出 %(MAX_EXPORT_ROWS)s 人，请缩小筛选范围。") % {"MAX_EXPORT_ROWS": MAX_EXPORT_ROWS},
                field="unit",
            )
        data = self.get_serializer(cadres, many=True).data
        rows = [_export_row(item, cadre) for item, cadre in zip(data, cadres, strict=True)]
        audit.audit_log(
            actor=request.user,
            action="export",
            request=request._request,
            accesses=[audit.Access(a.resource, a.object_id, a.cadre_id, a.fields) for a in self._audit_reads],
        )
        self._audit_reads.clear()
        body = write_rows(rows, as_csv=file_format == "csv", title="干部名册")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = HttpResponse(
            body,
            content_type="text/csv; charset=utf-8"
            if file_format == "csv"
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="cadres-{stamp}.{file_format}"'
        return response


def _export_row(item: dict[str, Any], cadre: Cadre) -> list[Any]:
    values = {
        **item,
        "gender": item["gender_label"],
        "rank": item["rank_label"],
        "leader_post": item["leader_post_label"],
        "status": item["status_label"],
        "office": item["office_name"] or "",
        "unit": cadre.unit.code,
        "establishment_unit": cadre.establishment_unit.code,
    }
    return [values.get(field) or "" for field, _ in CADRE_COLUMNS]


class PostChangeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedCreateMixin):
    """Post changes (职务变动): append-only; recording one moves the cadre's current post."""

    resource = "post-changes"
    queryset = PostChange.objects.select_related("cadre", "cadre__unit")
    serializer_class = PostChangeSerializer
    filterset_class = PostChangeFilterSet
    ordering_fields = ["date", "id"]

    def create_object(self, serializer: serializers.BaseSerializer) -> PostChange:
        return services.post_change_record(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )


class StaffingCheckViewSet(mixins.ListModelMixin, ScopedViewSet):
    """Cadres on a township establishment working in a county or city body (乡镇编制专编专用)."""

    resource = "staffing-check"
    serializer_class = CadreListSerializer

    def get_queryset(self) -> models.QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return Cadre.objects.none()
        return selectors.borrowed_township_cadres(user=self.request.user)


class RoleGrantViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedCreateMixin, ScopedDestroyMixin):
    """Role grants: a role on an org unit, covering its subtree."""

    resource = "role-grants"
    queryset = RoleGrant.objects.select_related("unit", "user")
    serializer_class = RoleGrantSerializer
    filterset_class = RoleGrantFilterSet

    def create_object(self, serializer: serializers.BaseSerializer) -> RoleGrant:
        return services.role_grant_create(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )

    def destroy_object(self, instance: models.Model) -> None:
        assert isinstance(instance, RoleGrant)  # the queryset's
        services.role_grant_revoke(actor=self.request.user, grant=instance, request=self.request._request)


class UserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedCreateMixin, ScopedUpdateMixin):
    """Logins in the administrator's scope; a new user comes with its first grant."""

    resource = "users"
    serializer_class = UserSerializer
    filterset_class = UserFilterSet
    ordering_fields = ["username", "id"]

    def base_queryset(self) -> models.QuerySet:
        return User.objects.select_related("cadre").prefetch_related("grants__unit").order_by("id")

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().distinct()

    def create_object(self, serializer: serializers.BaseSerializer) -> User:
        user = services.user_create(actor=self.request.user, request=self.request._request, **serializer.validated_data)
        return self.base_queryset().get(pk=user.pk)

    def update_object(self, serializer: serializers.BaseSerializer) -> User:
        user = services.user_update(
            actor=self.request.user,
            user=record_of(serializer),
            request=self.request._request,
            **serializer.validated_data,
        )
        return self.base_queryset().get(pk=user.pk)

    @extend_schema(request=None, responses={200: UserSerializer})
    @action(detail=True, methods=["post"])
    def unlock(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        """Lift the login throttle's waits on this account (its owner was slowed by someone else's guesses)."""
        user = services.user_login_unlock(actor=request.user, user=self.get_object())
        return Response(self.get_serializer(user).data)


@extend_schema(summary="登录：用户名与密码换取令牌")
class LoginTokenView(TokenObtainPairView):
    """JWT login through the login throttle of every door (cadrecare.org.auth)."""

    serializer_class = LoginSerializer
    throttle_classes: list = []


@extend_schema(summary="刷新访问令牌（刷新令牌一次有效，同时返回新的刷新令牌）")
class RotatingTokenRefreshView(TokenRefreshView):
    """A new access token and a new refresh token for a refresh token, once."""

    serializer_class = RotatingRefreshSerializer
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token-refresh"


class MeView(APIView):
    """Who am I: grants, own cadre record and what each resource allows me."""

    permission_classes = [IsAuthenticated]
    request: AuthenticatedRequest

    @extend_schema(summary="查看当前登录用户：角色授权、本人干部档案与各资源的权限", responses=MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(MeSerializer.describe(self.request.user)).data)


class MePasswordView(APIView):
    """Change my own password (the one-time initial password first of all)."""

    permission_classes = [IsAuthenticated]
    request: AuthenticatedRequest

    @extend_schema(
        summary="修改本人密码（初始密码须先修改）",
        request=PasswordChangeInputSerializer,
        responses=MeSerializer,
    )
    def post(self, request: Request) -> Response:
        form = PasswordChangeInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        user = services.user_password_change(actor=self.request.user, **form.validated_data)
        return Response(MeSerializer(MeSerializer.describe(user)).data)
