"""Township conditions: the five small facilities (五小), their gaps, and post allowances (岗位补贴)."""

from __future__ import annotations

from django.db import models
from rest_framework import mixins, serializers

from cadrecare.care import selectors, services
from cadrecare.care.api.serializers import (
    FacilityGapSerializer,
    FacilitySerializer,
    PostAllowanceSerializer,
)
from cadrecare.care.api.views.common import ExportMixin
from cadrecare.care.filtersets import (
    FacilityFilterSet,
    FacilityGapFilterSet,
    PostAllowanceFilterSet,
)
from cadrecare.care.imports import PostAllowanceImporter
from cadrecare.care.models import Facility
from cadrecare.core.api import (
    ImportActionsMixin,
    ScopedModelViewSet,
    ScopedViewSet,
    record_of,
)


class FacilityViewSet(ScopedModelViewSet):
    """Each township's five small facilities, meals and lodging (五小)."""

    resource = "facilities"
    queryset = Facility.objects.select_related("township")
    serializer_class = FacilitySerializer
    filterset_class = FacilityFilterSet
    ordering_fields = ["township", "item", "as_of"]

    def create_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        return services.facility_save(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )

    def update_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        return services.facility_save(
            actor=self.request.user,
            facility=record_of(serializer),
            request=self.request._request,
            **serializer.validated_data,
        )

    def destroy_object(self, instance: models.Model) -> None:
        services.facility_delete(actor=self.request.user, facility=instance, request=self.request._request)  # type: ignore[arg-type]


class FacilityGapViewSet(ExportMixin, mixins.ListModelMixin, ScopedViewSet):
    """The gaps report: townships lacking a facility, and which."""

    resource = "facility-gaps"
    serializer_class = FacilityGapSerializer
    filterset_class = FacilityGapFilterSet
    action_access = {"export": "export"}
    export_title = "乡镇五小设施缺项"
    export_columns = (
        ("county_name", "县（区）"),
        ("name", "乡镇"),
        ("remoteness_label", "边远等级"),
        ("gap_count", "缺项数"),
        ("gap_text", "缺项"),
    )

    def base_queryset(self) -> models.QuerySet:
        return selectors.facility_gap_queryset()


class PostAllowanceViewSet(ImportActionsMixin, ExportMixin, ScopedModelViewSet):
    """Post allowances (岗位补贴) per township and month; ``?problem=late|short|any``
    is the report of months not paid on time or in full."""

    resource = "post-allowances"
    serializer_class = PostAllowanceSerializer
    filterset_class = PostAllowanceFilterSet
    ordering_fields = ["month", "township", "id"]
    action_access = {"export": "export"}
    importer = PostAllowanceImporter
    export_title = "乡镇岗位补贴发放"
    export_columns = (
        ("county_name", "县（区）"),
        ("township_name", "乡镇"),
        ("month", "月份"),
        ("due_amount", "应发金额（元）"),
        ("paid_amount", "实发金额（元）"),
        ("due_by", "应发放截止日"),
        ("paid_on", "发放日期"),
        ("is_late", "未按时发放"),
        ("is_short", "未足额发放"),
        ("note", "说明"),
    )

    def base_queryset(self) -> models.QuerySet:
        return selectors.post_allowance_queryset()

    def _annotated(self, instance: models.Model) -> models.Model:
        return self.base_queryset().get(pk=instance.pk)

    def create_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        allowance = services.post_allowance_save(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )
        return self._annotated(allowance)

    def update_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        allowance = services.post_allowance_save(
            actor=self.request.user,
            request=self.request._request,
            allowance=record_of(serializer),
            **serializer.validated_data,
        )
        return self._annotated(allowance)

    def destroy_object(self, instance: models.Model) -> None:
        services.post_allowance_delete(actor=self.request.user, allowance=instance, request=self.request._request)  # type: ignore[arg-type]
