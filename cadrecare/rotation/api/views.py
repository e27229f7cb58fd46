"""Rest-rotation endpoints: declarative viewsets on the scoped base; every rule
is a service call."""

from __future__ import annotations

from typing import Any

from django.db import models
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from cadrecare.core import clock
from cadrecare.core.api import ScopedModelViewSet, ScopedViewSet
from cadrecare.core.errors import DomainError
from cadrecare.org import scoping
from cadrecare.org.access import VIEW
from cadrecare.org.models import OrgUnit
from cadrecare.rotation import holiday_calendar, services
from cadrecare.rotation.api.serializers import (
    AbsenceSerializer,
    HolidayYearLoadSerializer,
    HolidayYearSerializer,
    MonthField,
    RestRequestSerializer,
    RotationPolicySerializer,
)
from cadrecare.rotation.filtersets import AbsenceFilterSet, RestRequestFilterSet, RotationPolicyFilterSet
from cadrecare.rotation.models import Absence, HolidayYear, RestRequest, RotationPolicy
from cadrecare.rotation.selectors import policy_in_force


class HolidayYearViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """The national holiday calendar, one year per record: readable by every
    role; loaded or corrected from the State Council's notice (POST, a city's
    org admin) as rows or a CSV file ``date,kind,name``."""

    resource = "holiday-years"
    queryset = HolidayYear.objects.select_related("loaded_by").prefetch_related("days")
    serializer_class = HolidayYearSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filterset_fields = ["year", "status"]

    def get_queryset(self) -> models.QuerySet:
        # National data: no unit to scope by; the role check has already run.
        return self.base_queryset()

    def _may_on(self, instance: models.Model, action: str) -> bool:
        return scoping.may(self.request.user, self.resource, action)

    @extend_schema(request=HolidayYearLoadSerializer, responses={201: HolidayYearSerializer,
                                                                 200: HolidayYearSerializer})
    def create(self, request: Request) -> Response:
        """Load (201) or re-load (200 when the same notice is already loaded) a year."""
        form = HolidayYearLoadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        if data.get("file"):
            try:
                text = data["file"].read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise DomainError("CSV 文件须为 UTF-8 编码。", field="file") from None
            rows = holiday_calendar.holiday_csv_parse(text)
        else:
            rows = [holiday_calendar.DayRow(row["date"], row["kind"], row["name"]) for row in data["rows"]]
        year, changed = holiday_calendar.holiday_year_load(
            actor=request.user, year=data["year"], rows=rows, source_ref=data["source_ref"],
            request=request._request,
        )
        year = self.base_queryset().get(pk=year.pk)
        return Response(self.get_serializer(year).data, status=status.HTTP_201_CREATED if changed else 200)


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
        unit = data.pop("unit")
        self.require_placement(unit, "add")
        return services.rotation_policy_create(actor=self.request.user, unit=unit, data=data)

    def update_object(self, serializer: serializers.BaseSerializer) -> RotationPolicy:
        return services.rotation_policy_update(actor=self.request.user, policy=serializer.instance,
                                               data=serializer.validated_data)

    def perform_destroy(self, instance: RotationPolicy) -> None:
        self.log_change("delete", instance, [])
        services.rotation_policy_delete(policy=instance)

    @extend_schema(
        parameters=[OpenApiParameter("unit", int, required=True), OpenApiParameter("month", str, required=True)],
        responses={200: RotationPolicySerializer},
    )
    @action(detail=False, methods=["get"], url_path="in-force")
    def in_force(self, request: Request) -> Response:
        """The policy a unit's month is planned under (its own or inherited)."""
        unit = _visible_unit(request, self.resource, request.query_params.get("unit"))
        month = _month_param(request.query_params.get("month"))
        policy = policy_in_force(unit=unit, month=month)
        if policy is None:
            raise NotFound(f"{unit.name} 及其上级单位在 {month:%Y-%m} 都没有轮休政策。")
        return Response(self.get_serializer(policy).data)


def _visible_unit(request: Request, resource: str, raw: Any) -> OrgUnit:
    """A unit the user may see for ``resource`` (by grant subtree), else 404."""
    if not str(raw or "").isdigit():
        raise DomainError("请指定单位编号。", field="unit")
    unit = OrgUnit.objects.filter(pk=int(raw)).first()
    if unit is None or not scoping.may_in_unit(request.user, resource, VIEW, unit):
        raise NotFound("单位不存在或不在您的管理范围内。")
    return unit


def _month_param(raw: Any) -> Any:
    if raw in (None, ""):
        return clock.today().replace(day=1)
    try:
        return MonthField().to_internal_value(raw)
    except serializers.ValidationError:
        raise DomainError("月份格式应为 YYYY-MM，如 2027-03。", field="month") from None


class CadreRecordPlacement:
    """Records about one cadre are placed by their cadre, so a self-only
    grant (the cadre role) may add and change records about itself."""

    def require_placement(self, instance_or_unit: Any, action: str) -> None:
        cadre = getattr(instance_or_unit, "cadre", None)
        if cadre is not None and scoping.may_for_cadre(self.request.user, self.resource, action, cadre):  # type: ignore[attr-defined]
            return
        super().require_placement(instance_or_unit, action)  # type: ignore[misc]


class AbsenceViewSet(CadreRecordPlacement, ScopedModelViewSet):
    """Absences (请假、培训、借调、病假) that take a cadre off the roster."""

    resource = "absences"
    queryset = Absence.objects.select_related("cadre")
    serializer_class = AbsenceSerializer
    filterset_class = AbsenceFilterSet
    ordering_fields = ["start", "end", "cadre"]

    def create_object(self, serializer: serializers.BaseSerializer) -> Absence:
        return services.absence_save(actor=self.request.user, data=serializer.validated_data)

    def update_object(self, serializer: serializers.BaseSerializer) -> Absence:
        return services.absence_save(actor=self.request.user, data=serializer.validated_data,
                                     absence=serializer.instance)


class RestRequestViewSet(CadreRecordPlacement, ScopedModelViewSet):
    """Rest requests (休息意愿): prefer or avoid dates, with a reason."""

    resource = "rest-requests"
    queryset = RestRequest.objects.select_related("cadre")
    serializer_class = RestRequestSerializer
    filterset_class = RestRequestFilterSet
    ordering_fields = ["start", "cadre"]

    def create_object(self, serializer: serializers.BaseSerializer) -> RestRequest:
        return services.rest_request_save(actor=self.request.user, data=serializer.validated_data)

    def update_object(self, serializer: serializers.BaseSerializer) -> RestRequest:
        return services.rest_request_save(actor=self.request.user, data=serializer.validated_data,
                                          request=serializer.instance)
