"""The oversight resources: thin viewsets over the selectors and services."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from cadrecare.core import clock
from cadrecare.core.api import NO_PUT, ScopedKeptViewSet, ScopedModelViewSet, record_of
from cadrecare.core.authenticated import AuthenticatedRequest
from cadrecare.core.errors import DomainError
from cadrecare.org.scoping import scoped
from cadrecare.oversight import selectors, services
from cadrecare.oversight.api.serializers import (
    FieldVisitSerializer,
    InterviewInputSerializer,
    InterviewPlanSerializer,
    NotVisitedSerializer,
    TownshipProgressSerializer,
    TransferDecideInputSerializer,
    TransferReviewSerializer,
)
from cadrecare.oversight.filtersets import FieldVisitFilterSet, InterviewPlanFilterSet, TransferReviewFilterSet
from cadrecare.oversight.models import InterviewPlan, TransferReview


class TransferReviewViewSet(ScopedKeptViewSet):
    """交流人选年度研判: a county's exchange candidates of the year, each with
    its decision; ``decide`` records one (拟交流, 暂缓交流 with the reason,
    本人不愿交流); 已交流 comes with the post change that moves the cadre."""

    resource = "transfer-reviews"
    serializer_class = TransferReviewSerializer
    filterset_class = TransferReviewFilterSet
    ordering_fields = ["year", "id"]
    http_method_names = NO_PUT
    action_access = {"decide": "decide"}

    def base_queryset(self) -> models.QuerySet:
        return selectors.transfer_review_queryset()

    def create_object(self, serializer: serializers.BaseSerializer) -> TransferReview:
        return services.transfer_review_open(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )

    def update_object(self, serializer: serializers.BaseSerializer) -> TransferReview:
        return services.transfer_review_update(
            actor=self.request.user,
            review=record_of(serializer),
            decide_by=serializer.validated_data.get("decide_by", record_of(serializer).decide_by),
            request=self.request._request,
        )

    @extend_schema(request=TransferDecideInputSerializer, responses=TransferReviewSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        """Record the decision on one candidate of the review."""
        review = self.get_object()
        form = TransferDecideInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        decision = review.decisions.filter(pk=data.pop("decision")).first()
        if decision is None:
            raise DomainError(_("所选交流人选不在本次研判中。"), field="decision")
        services.transfer_decision_record(actor=request.user, decision=decision, request=request._request, **data)
        return Response(self.get_serializer(self.get_queryset().get(pk=review.pk)).data)


class InterviewPlanViewSet(ScopedKeptViewSet):
    """年度定期约谈计划: a county's plan to interview every section-level cadre
    of its townships within the year, with each township's progress against the
    plan's checkpoints; ``interviews`` records one interview (a talk)."""

    resource = "interview-plans"
    serializer_class = InterviewPlanSerializer
    filterset_class = InterviewPlanFilterSet
    ordering_fields = ["year", "id"]
    http_method_names = NO_PUT
    action_access = {"interviews": "interview", "progress": "view"}

    def base_queryset(self) -> models.QuerySet:
        return selectors.interview_plan_queryset()

    def create_object(self, serializer: serializers.BaseSerializer) -> InterviewPlan:
        return services.interview_plan_create(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )

    def update_object(self, serializer: serializers.BaseSerializer) -> InterviewPlan:
        return services.interview_plan_update(
            actor=self.request.user,
            plan=record_of(serializer),
            request=self.request._request,
            **serializer.validated_data,
        )

    @extend_schema(responses=TownshipProgressSerializer(many=True))
    @action(detail=True, methods=["get"])
    def progress(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        """Each township's progress: cadres to interview, interviewed, and the
        checkpoint by which it must catch up (behind when that day has passed)."""
        plan = self.get_object()
        today = clock.today()
        rows = selectors.interview_progress(plan, today)
        return Response(TownshipProgressSerializer(rows, many=True, context={"today": today}).data)

    @extend_schema(request=InterviewInputSerializer, responses=InterviewPlanSerializer)
    @action(detail=True, methods=["post"])
    def interviews(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        """Record an interview with a cadre of the plan: a talk, which closes their line."""
        plan = self.get_object()
        form = InterviewInputSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        services.interview_record(actor=request.user, plan=plan, request=request._request, **form.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=plan.pk)).data)


class FieldVisitViewSet(ScopedModelViewSet):
    """组织部长下基层: the organization-department head's visits to townships;
    ``not_visited`` lists the townships not visited in the current period of
    their county's cadence (once a year unless the county set otherwise)."""

    resource = "field-visits"
    serializer_class = FieldVisitSerializer
    filterset_class = FieldVisitFilterSet
    ordering_fields = ["date", "id"]
    action_access = {"not_visited": "view"}

    def base_queryset(self) -> models.QuerySet:
        return selectors.field_visit_queryset()

    def create_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        return services.field_visit_record(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )

    def update_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        return services.field_visit_update(
            actor=self.request.user,
            visit=record_of(serializer),
            request=self.request._request,
            **serializer.validated_data,
        )

    def destroy_object(self, instance: models.Model) -> None:
        services.field_visit_delete(actor=self.request.user, visit=instance, request=self.request._request)  # type: ignore[arg-type]

    @extend_schema(responses=NotVisitedSerializer(many=True), filters=False)
    @action(detail=False, methods=["get"], url_path="not-visited", filter_backends=[])
    def not_visited(self, request: AuthenticatedRequest) -> Response:
        """Townships in scope not yet visited this period, the longest overdue first."""
        townships = scoped(selectors.townships_with_visits(today=clock.today()), request.user, self.resource)
        rows = townships.filter(visit_due__isnull=False).select_related("parent").order_by("visit_due", "path")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(NotVisitedSerializer(page, many=True).data)
