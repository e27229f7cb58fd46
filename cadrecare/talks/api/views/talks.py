"""Must-talks and the talks that answer them; a talker reads the ones they
hold even without a role grant over the cadre."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cadrecare.core import clock
from cadrecare.core.api import OwnerSeesNotesMixin, ResourcePermission, ScopedKeptViewSet, record_of
from cadrecare.core.authenticated import AuthenticatedRequest
from cadrecare.core.errors import DomainError
from cadrecare.org import posts
from cadrecare.org.access import CHANGE, VIEW
from cadrecare.org.models import User
from cadrecare.talks import selectors, services
from cadrecare.talks.api.serializers import (
    CloseFollowUpInputSerializer,
    TalkSerializer,
    TalkTriggerSerializer,
    TalkWaiveSerializer,
)
from cadrecare.talks.filtersets import TalkFilterSet, TalkTriggerFilterSet
from cadrecare.talks.models import Talk, TalkTrigger


class TalkerMayRead(ResourcePermission):
    """The role check, and: a talker reads the triggers and talks they hold
    even without a role grant over the cadre (a county leader, say)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if super().has_permission(request, view):
            return True
        user = request.user  # signed in or not: this runs before any view code
        return isinstance(user, User) and view.access_action() == VIEW and selectors.is_talker_anywhere(user)


class TalkTriggerViewSet(OwnerSeesNotesMixin, ScopedKeptViewSet):
    """Must-talks (六必谈): raised from their source events, or entered by hand
    (warning signs); routed to a talker; closed by a talk or waived."""

    resource = "talk-triggers"
    serializer_class = TalkTriggerSerializer
    filterset_class = TalkTriggerFilterSet
    permission_classes = [TalkerMayRead]
    ordering_fields = ["due_date", "event_date", "id"]
    ordering = ["due_date", "id"]
    action_access = {"waive": CHANGE}

    def base_queryset(self) -> models.QuerySet:
        return selectors.trigger_queryset()

    def get_queryset(self) -> models.QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return TalkTrigger.objects.none()
        return selectors.talk_trigger_list(user=self.request.user)

    def record_owner_ids(self, instance: models.Model) -> set[int]:
        talker = posts.owner_now(instance, hand="talker", hand_note="routing_note", day=clock.today()).user_id
        return {talker} if talker else set()

    def create_object(self, serializer: serializers.BaseSerializer) -> TalkTrigger:
        return services.talk_trigger_create(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )

    def update_object(self, serializer: serializers.BaseSerializer) -> TalkTrigger:
        return services.talk_trigger_update(
            actor=self.request.user,
            trigger=record_of(serializer),
            data=serializer.validated_data,
            request=self.request._request,
        )

    @extend_schema(request=TalkWaiveSerializer, responses=TalkTriggerSerializer)
    @action(detail=True, methods=["post"])
    def waive(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        """Close an open must-talk without a talk, giving the reason."""
        trigger = self.get_object()
        data = TalkWaiveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        trigger = services.talk_trigger_waive(
            actor=request.user, trigger=trigger, reason=data.validated_data["reason"], request=request._request
        )
        return Response(self.get_serializer(selectors.trigger_queryset().get(pk=trigger.pk)).data)


class TalkViewSet(OwnerSeesNotesMixin, ScopedKeptViewSet):
    """Talks held (谈心谈话): recording one closes the must-talks it answers and
    resets the regular-talk clock. Notes: the talkers and the organization
    department only; the talkee sees that the talk took place."""

    resource = "talks"
    serializer_class = TalkSerializer
    filterset_class = TalkFilterSet
    permission_classes = [TalkerMayRead]
    ordering_fields = ["date", "id"]
    ordering = ["-date", "-id"]
    action_access = {"close_follow_up": VIEW}

    def base_queryset(self) -> models.QuerySet:
        return selectors.talk_queryset()

    def get_queryset(self) -> models.QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return Talk.objects.none()
        return selectors.talk_list(user=self.request.user)

    def record_owner_ids(self, instance: models.Model) -> set[int]:
        return {user.pk for user in instance.talkers.all()}  # type: ignore[attr-defined]

    def create_object(self, serializer: serializers.BaseSerializer) -> Talk:
        return services.talk_record(actor=self.request.user, request=self.request._request, **serializer.validated_data)

    def update_object(self, serializer: serializers.BaseSerializer) -> Talk:
        return services.talk_update(
            actor=self.request.user,
            talk=record_of(serializer),
            data=serializer.validated_data,
            request=self.request._request,
        )

    @extend_schema(request=CloseFollowUpInputSerializer, responses=TalkSerializer)
    @action(detail=True, methods=["post"], url_path="close-follow-up")
    def close_follow_up(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        """Mark one follow-up action of this talk done (its owner, a talker or
        the organization department)."""
        talk = self.get_object()
        data = CloseFollowUpInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        follow_up = talk.follow_ups.filter(pk=data.validated_data["follow_up"]).first()
        if follow_up is None:
            raise DomainError(gettext("该谈话没有这项跟进事项。"), field="follow_up")
        services.talk_follow_up_close(actor=request.user, follow_up=follow_up, request=request._request)
        return Response(self.get_serializer(selectors.talk_queryset().get(pk=talk.pk)).data)
