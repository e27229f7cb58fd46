"""Visit obligations (必访) and visits (走访慰问)."""

from __future__ import annotations

from django.db import models
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from cadrecare.care import selectors, services
from cadrecare.care.api.serializers import (
    VisitObligationSerializer,
    VisitSerializer,
    VisitWaiveSerializer,
)
from cadrecare.care.api.views.common import ExportMixin
from cadrecare.care.filtersets import (
    VisitFilterSet,
    VisitObligationFilterSet,
)
from cadrecare.care.models import Visit
from cadrecare.core.api import (
    NO_PUT,
    OwnerSeesNotesMixin,
    ScopedKeptViewSet,
    record_of,
)
from cadrecare.core.authenticated import AuthenticatedRequest


class VisitObligationViewSet(ScopedKeptViewSet):
    """Visits that must happen (必访/慰问), each with a deadline and an owner."""

    resource = "visit-obligations"
    serializer_class = VisitObligationSerializer
    filterset_class = VisitObligationFilterSet
    ordering_fields = ["deadline", "id", "status"]
    http_method_names = NO_PUT
    action_access = {"waive": "waive"}

    def base_queryset(self) -> models.QuerySet:
        return selectors.visit_obligation_queryset()

    def create_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        return services.visit_obligation_create(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )

    def update_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        return services.visit_obligation_update(
            actor=self.request.user,
            obligation=record_of(serializer),
            request=self.request._request,
            **serializer.validated_data,
        )

    @extend_schema(request=VisitWaiveSerializer, responses=VisitObligationSerializer)
    @action(detail=True, methods=["post"])
    def waive(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        """Waive an open obligation, with the reason."""
        obligation = self.get_object()
        form = VisitWaiveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        obligation = services.visit_obligation_waive(
            actor=request.user, obligation=obligation, reason=form.validated_data["reason"], request=request._request
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=obligation.pk)).data)


class VisitViewSet(OwnerSeesNotesMixin, ExportMixin, ScopedKeptViewSet):
    """Visits (走访慰问); a visit fulfils the open obligations it names. Whoever
    recorded a visit reads back its notes (a per-record rule)."""

    resource = "visits"
    serializer_class = VisitSerializer
    filterset_class = VisitFilterSet
    ordering_fields = ["date", "id"]
    http_method_names = NO_PUT
    action_access = {"export": "export"}
    export_title = "走访慰问记录"
    export_columns = (
        ("date", "走访日期"),
        ("cadre_name", "干部"),
        ("kind_label", "走访类型"),
        ("visitor_names", "走访人"),
        ("money_amount", "慰问金（元）"),
        ("goods", "慰问物资"),
        ("notes", "走访情况"),
        ("obligations", "完成的走访任务编号"),
    )

    def base_queryset(self) -> models.QuerySet:
        return selectors.visit_queryset()

    def get_queryset(self) -> models.QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return Visit.objects.none()
        return selectors.visit_list(user=self.request.user)

    def record_owner_ids(self, instance: models.Model) -> set[int]:
        return {instance.recorded_by_id} if instance.recorded_by_id else set()  # type: ignore[attr-defined]

    def create_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        return services.visit_record(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )

    def update_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        return services.visit_update(
            actor=self.request.user,
            visit=record_of(serializer),
            request=self.request._request,
            **serializer.validated_data,
        )
