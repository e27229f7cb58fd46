"""Hardship cases (困难帮扶), their measures, and care decisions."""

from __future__ import annotations

from django.db import models
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from cadrecare.care import selectors, services
from cadrecare.care.api.serializers import (
    CareDecisionSerializer,
    HardshipCaseSerializer,
    HardshipFirstContactInputSerializer,
    HardshipMeasureSerializer,
    HardshipReviewInputSerializer,
)
from cadrecare.care.filtersets import (
    CareDecisionFilterSet,
    HardshipCaseFilterSet,
    HardshipMeasureFilterSet,
)
from cadrecare.core.api import (
    NO_PUT,
    ScopedCreateMixin,
    ScopedKeptViewSet,
    record_of,
)
from cadrecare.core.authenticated import AuthenticatedRequest
from cadrecare.org.access import CHANGE


class HardshipCaseViewSet(ScopedKeptViewSet):
    """Hardship cases (困难帮扶); an open one marks the cadre ``hardship``."""

    resource = "hardship-cases"
    serializer_class = HardshipCaseSerializer
    filterset_class = HardshipCaseFilterSet
    ordering_fields = ["opened_on", "next_review", "id"]
    http_method_names = NO_PUT
    action_access = {"review": CHANGE, "first_contact": CHANGE}

    def base_queryset(self) -> models.QuerySet:
        return selectors.hardship_case_queryset()

    def create_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        return services.hardship_case_create(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )

    def update_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        return services.hardship_case_update(
            actor=self.request.user,
            case=record_of(serializer),
            request=self.request._request,
            **serializer.validated_data,
        )

    @extend_schema(request=HardshipReviewInputSerializer, responses=HardshipCaseSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        """Record a review (回访) of the case; the next one falls due by the care policy unless given."""
        case = self.get_object()
        form = HardshipReviewInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        case = services.hardship_case_review(
            actor=request.user, case=case, request=request._request, **form.validated_data
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=case.pk)).data)

    @extend_schema(request=HardshipFirstContactInputSerializer, responses=HardshipCaseSerializer)
    @action(detail=True, methods=["post"], url_path="first-contact")
    def first_contact(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        """Record the first contact with a new case (及时关心问候); its first-contact item is done."""
        case = self.get_object()
        form = HardshipFirstContactInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        case = services.hardship_first_contact_record(
            actor=request.user, case=case, request=request._request, **form.validated_data
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=case.pk)).data)


class CareDecisionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedCreateMixin):
    """Decisions on care (关爱跟进决定) for a cadre whose check-up concluded
    需治疗 or who is on a long sick leave: a hardship case, a visit, or closed
    with a reason. Recorded once; what they open is changed where it lives."""

    resource = "care-decisions"
    serializer_class = CareDecisionSerializer
    filterset_class = CareDecisionFilterSet
    ordering_fields = ["decided_on", "id"]

    def base_queryset(self) -> models.QuerySet:
        return selectors.care_decision_queryset()

    def create_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        return services.care_decision_record(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )


class HardshipMeasureViewSet(ScopedKeptViewSet):
    """Measures taken on hardship cases: date, kind, amount, by whom."""

    resource = "hardship-measures"
    serializer_class = HardshipMeasureSerializer
    filterset_class = HardshipMeasureFilterSet
    ordering_fields = ["date", "id"]
    http_method_names = NO_PUT

    def base_queryset(self) -> models.QuerySet:
        return selectors.hardship_measure_queryset()

    def create_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        return services.hardship_measure_add(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )

    def update_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        return services.hardship_measure_update(
            actor=self.request.user,
            measure=record_of(serializer),
            request=self.request._request,
            **serializer.validated_data,
        )
