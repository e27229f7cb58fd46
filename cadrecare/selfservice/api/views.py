"""Self-service endpoints: a cadre's reports, family changes and 心里话;
each write handed to one service, which checks, writes and audits."""

from __future__ import annotations

from typing import Any

from django.db import models
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from cadrecare.core.api import ScopedCreateMixin
from cadrecare.core.authenticated import AuthenticatedRequest
from cadrecare.selfservice import selectors, services
from cadrecare.selfservice.api.serializers import (
    AnswerInputSerializer,
    DecisionInputSerializer,
    FamilyMemberChangeSerializer,
    HeartMessageSerializer,
    SelfReportSerializer,
)
from cadrecare.selfservice.filtersets import (
    FamilyMemberChangeFilterSet,
    HeartMessageFilterSet,
    SelfReportFilterSet,
)


class _SubmittedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedCreateMixin):
    """Listed and read in scope, created by the cadre about themself, then
    confirmed or rejected by whoever the access table lets."""

    action_access = {"confirm": "confirm", "reject": "reject"}
    ordering_fields = ["created_at", "id"]

    def answer(self, record: models.Model, status: int = 200) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=record.pk)).data, status=status)

    def reject_with(self, reject: Any, name: str, request: AuthenticatedRequest) -> Response:
        form = DecisionInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        target = {name: self.get_object()}
        record = reject(
            actor=request.user, reason=form.validated_data.get("reason", ""), request=request._request, **target
        )
        return self.answer(record)


class SelfReportViewSet(_SubmittedViewSet):
    """A cadre's report of a family event or a difficulty of their own; confirmed,
    it becomes the family event or the hardship case, exactly once."""

    resource = "self-reports"
    serializer_class = SelfReportSerializer
    filterset_class = SelfReportFilterSet

    def base_queryset(self) -> models.QuerySet:
        return selectors.self_report_queryset()

    def create_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        return services.self_report_submit(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )

    @extend_schema(request=None, responses=SelfReportSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        """Confirm: the family event (with its visit and talk) or the hardship case is recorded, once."""
        report, _created = services.self_report_confirm(
            actor=request.user, report=self.get_object(), request=request._request
        )
        return self.answer(report)

    @extend_schema(request=DecisionInputSerializer, responses=SelfReportSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        """Not take it up, with the reason the cadre is told; nothing is recorded."""
        return self.reject_with(services.self_report_reject, "report", request)


class FamilyMemberChangeViewSet(_SubmittedViewSet):
    """A cadre's proposed change to their family information, applied when HR confirms."""

    resource = "family-member-changes"
    serializer_class = FamilyMemberChangeSerializer
    filterset_class = FamilyMemberChangeFilterSet

    def base_queryset(self) -> models.QuerySet:
        return selectors.family_member_change_queryset()

    def create_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        data = serializer.validated_data
        return services.family_member_change_propose(
            actor=self.request.user,
            action=data["action"],
            member=data.get("member"),
            fields=data.get("proposed") or {},
            request=self.request._request,
        )

    @extend_schema(request=None, responses=FamilyMemberChangeSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        """Confirm: the change is applied to the family records through the family service, once."""
        change, _created = services.family_member_change_confirm(
            actor=request.user, change=self.get_object(), request=request._request
        )
        return self.answer(change)

    @extend_schema(request=DecisionInputSerializer, responses=FamilyMemberChangeSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        """Not apply it, with the reason the cadre is told; the family stays as it is."""
        return self.reject_with(services.family_member_change_reject, "change", request)


class HeartMessageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedCreateMixin):
    """心里话: written by a cadre to their party secretary or the county
    organization department, read by the sender and the addressed role's
    holders only (not by the units above), answered once. ``?box=sent`` or
    ``?box=received`` narrows the list."""

    resource = "messages"
    serializer_class = HeartMessageSerializer
    filterset_class = HeartMessageFilterSet
    ordering_fields = ["created_at", "answer_due", "id"]
    action_access = {"answer": "answer"}

    def get_queryset(self) -> models.QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return selectors.message_list(user=self.request.user).none()
        box = self.request.query_params.get("box", "") if self.action == "list" else ""
        return selectors.message_list(user=self.request.user, box=box)

    def _may_on(self, instance: models.Model, action: str) -> bool:
        return True  # the list above is already who may; the answering service checks the addressee

    def create_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        return services.heart_message_send(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )

    @extend_schema(request=AnswerInputSerializer, responses=HeartMessageSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        """The addressee answers, once; the sender is told."""
        form = AnswerInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        message = services.heart_message_answer(
            actor=request.user,
            message=self.get_object(),
            answer=form.validated_data["answer"],
            request=request._request,
        )
        return Response(self.get_serializer(message).data)
