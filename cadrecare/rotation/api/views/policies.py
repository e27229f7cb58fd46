"""Rest-rotation endpoints: the holiday calendar and the rotation policies.
Declarative viewsets on the scoped base; every rule is a service call."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from cadrecare.core import clock
from cadrecare.core.api import (
    ScopedModelViewSet,
    ScopedViewSet,
    record_of,
    visible_unit,
)
from cadrecare.core.authenticated import AuthenticatedRequest
from cadrecare.core.errors import DomainError
from cadrecare.core.parsers import JSONParser
from cadrecare.org import scoping
from cadrecare.org.access import ADD, VIEW
from cadrecare.rotation import holiday_calendar, holiday_corrections, services
from cadrecare.rotation.api.serializers import (
    HolidayYearLoadSerializer,
    HolidayYearPreviewSerializer,
    HolidayYearSerializer,
    MonthField,
    RotationPolicySerializer,
)
from cadrecare.rotation.filtersets import (
    RotationPolicyFilterSet,
)
from cadrecare.rotation.models import (
    HolidayYear,
    RotationPolicy,
)
from cadrecare.rotation.selectors import policy_in_force


class HolidayYearViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """The national holiday calendar, one year per record: readable by every
    role; loaded or corrected from the State Council's notice (POST, a city's
    org admin) as rows or a CSV file ``date,kind,name``, after a dry run
    (``preview``) if wished."""

    resource = "holiday-years"
    action_access = {"preview": ADD}
    queryset = HolidayYear.objects.select_related("loaded_by").prefetch_related("days")
    serializer_class = HolidayYearSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filterset_fields = ["year", "status"]

    def get_queryset(self) -> models.QuerySet:
        # National data: no unit to scope by; the role check has already run.
        return self.base_queryset()

    def _may_on(self, instance: models.Model, action: str) -> bool:
        return scoping.may(self.request.user, self.resource, action)

    @extend_schema(
        request=HolidayYearLoadSerializer, responses={201: HolidayYearSerializer, 200: HolidayYearSerializer}
    )
    def create(self, request: AuthenticatedRequest) -> Response:
        """Load (201) or re-load (200 when the same notice is already loaded) a
        year; the rosters it reaches are flagged and their secretaries told."""
        year, changed = holiday_corrections.holiday_year_load(
            actor=self.request.user, **_notice(request), request=request._request
        )
        year = self.base_queryset().get(pk=year.pk)
        return Response(self.get_serializer(year).data, status=status.HTTP_201_CREATED if changed else 200)

    @extend_schema(request=HolidayYearLoadSerializer, responses={200: HolidayYearPreviewSerializer})
    @action(detail=False, methods=["post"])
    def preview(self, request: AuthenticatedRequest) -> Response:
        """The same body as loading, nothing written: what the notice changes
        (holidays and makeup workdays added and removed, every date whose kind
        changes) and the rosters planned on those dates that the user may see."""
        preview = holiday_corrections.holiday_year_preview(actor=request.user, **_notice(request))
        return Response(HolidayYearPreviewSerializer(preview).data)


def _notice(request: AuthenticatedRequest) -> dict[str, Any]:
    """A notice's year, rows (JSON rows or a CSV upload) and source reference."""
    form = HolidayYearLoadSerializer(data=request.data)
    form.is_valid(raise_exception=True)
    data = form.validated_data
    if data.get("file"):
        try:
            text = data["file"].read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DomainError(_("CSV 文件须为 UTF-8 编码。"), field="file") from None
        rows = holiday_calendar.holiday_csv_parse(text)
    else:
        rows = [holiday_calendar.DayRow(row["date"], row["kind"], row["name"]) for row in data["rows"]]
    return {"year": data["year"], "rows": rows, "source_ref": data["source_ref"]}


class RotationPolicyViewSet(ScopedModelViewSet):
    """Rotation policies (轮休政策), one version per unit and starting month."""

    resource = "rotation-policies"
    queryset = RotationPolicy.objects.select_related("unit")
    serializer_class = RotationPolicySerializer
    filterset_class = RotationPolicyFilterSet
    ordering_fields = ["effective_from", "unit"]
    action_access = {"in_force": VIEW}

    def create_object(self, serializer: serializers.BaseSerializer) -> RotationPolicy:
        data = dict(serializer.validated_data)
        return services.rotation_policy_create(
            actor=self.request.user, unit=data.pop("unit"), data=data, request=self.request._request
        )

    def update_object(self, serializer: serializers.BaseSerializer) -> RotationPolicy:
        return services.rotation_policy_update(
            actor=self.request.user,
            policy=record_of(serializer),
            data=serializer.validated_data,
            request=self.request._request,
        )

    def destroy_object(self, instance: models.Model) -> None:
        services.rotation_policy_delete(actor=self.request.user, policy=instance, request=self.request._request)  # type: ignore[arg-type]

    @extend_schema(
        parameters=[OpenApiParameter("unit", int, required=True), OpenApiParameter("month", str, required=True)],
        responses={200: RotationPolicySerializer},
    )
    @action(detail=False, methods=["get"], url_path="in-force")
    def in_force(self, request: AuthenticatedRequest) -> Response:
        """The policy a unit's month is planned under (its own or inherited)."""
        unit = visible_unit(request, self.resource, request.query_params.get("unit"))
        month = _month_param(request.query_params.get("month"))
        policy = policy_in_force(unit=unit, month=month)
        if policy is None:
            raise NotFound(
                _("%(name)s 及其上级单位在 %(month)s 都没有轮休政策。")
                % {"name": unit.name, "month": format(month, "%Y-%m")}
            )
        return Response(self.get_serializer(policy).data)


def _month_param(raw: Any) -> Any:
    if raw in (None, ""):
        return clock.today().replace(day=1)
    try:
        return MonthField().to_internal_value(raw)
    except serializers.ValidationError:
        raise DomainError(_("月份格式应为 YYYY-MM，如 2027-03。"), field="month") from None
