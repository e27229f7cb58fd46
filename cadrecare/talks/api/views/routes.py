"""Who talks with whom and within how many days: a county's talk routes and a
unit's talk deadlines, each written through its service."""

from __future__ import annotations

from django.db import models
from rest_framework import serializers

from cadrecare.core.api import ScopedModelViewSet, record_of
from cadrecare.talks import services
from cadrecare.talks.api.serializers import TalkPolicySerializer, TalkRouteSerializer
from cadrecare.talks.filtersets import TalkPolicyFilterSet, TalkRouteFilterSet
from cadrecare.talks.models import TalkPolicy, TalkRoute


class TalkRouteViewSet(ScopedModelViewSet):
    """谈话分工: who in a county talks with each talkee group and how often
    at least; a county without a row follows the seed's default. Deleting a
    row returns the group to the default."""

    resource = "talk-routes"
    queryset = TalkRoute.objects.select_related("county", "talker_unit")
    serializer_class = TalkRouteSerializer
    filterset_class = TalkRouteFilterSet
    ordering_fields = ["county__path", "talkee_group", "id"]

    def create_object(self, serializer: serializers.BaseSerializer) -> TalkRoute:
        route, _ = services.talk_route_save(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )
        return route

    def update_object(self, serializer: serializers.BaseSerializer) -> TalkRoute:
        route: TalkRoute = record_of(serializer)
        fields = {
            name: serializer.validated_data.get(name, getattr(route, name))
            for name in ("talker_post", "talker_leader_post", "talker_unit", "cadence_months")
        }
        saved, _ = services.talk_route_save(
            actor=self.request.user,
            county=route.county,
            talkee_group=route.talkee_group,
            request=self.request._request,
            **fields,
        )
        return saved

    def destroy_object(self, instance: models.Model) -> None:
        services.talk_route_delete(actor=self.request.user, route=instance, request=self.request._request)  # type: ignore[arg-type]


class TalkPolicyViewSet(ScopedModelViewSet):
    """谈话期限: a unit's days from the event to a must-talk of one kind,
    inherited below (the deepest wins). Deleting a row hands the kind back
    to the unit above, or the default."""

    resource = "talk-policies"
    queryset = TalkPolicy.objects.select_related("unit")
    serializer_class = TalkPolicySerializer
    filterset_class = TalkPolicyFilterSet
    ordering_fields = ["unit__path", "kind", "id"]

    def create_object(self, serializer: serializers.BaseSerializer) -> TalkPolicy:
        data = serializer.validated_data
        services.talk_due_days_set(
            actor=self.request.user,
            unit=data["unit"],
            due_days={data["kind"]: data["due_days"]},
            request=self.request._request,
        )
        return TalkPolicy.objects.get(unit=data["unit"], kind=data["kind"])

    def update_object(self, serializer: serializers.BaseSerializer) -> TalkPolicy:
        policy: TalkPolicy = record_of(serializer)
        days = serializer.validated_data.get("due_days", policy.due_days)
        services.talk_due_days_set(
            actor=self.request.user, unit=policy.unit, due_days={policy.kind: days}, request=self.request._request
        )
        return TalkPolicy.objects.get(pk=policy.pk)

    def destroy_object(self, instance: models.Model) -> None:
        policy: TalkPolicy = instance  # type: ignore[assignment]
        services.talk_due_days_set(
            actor=self.request.user, unit=policy.unit, due_days={policy.kind: None}, request=self.request._request
        )
