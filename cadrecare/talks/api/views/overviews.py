"""Overviews over the cadres and must-talks in scope: the next regular talk
due per cadre, and per unit the must-talks by state and kind."""

from __future__ import annotations

from typing import Any

from django.db import models
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from cadrecare.core.api import ScopedViewSet
from cadrecare.org.choices import CadreStatus
from cadrecare.org.models import Cadre
from cadrecare.talks import selectors
from cadrecare.talks.api.serializers import RegularTalkSerializer
from cadrecare.talks.filtersets import RegularTalkFilterSet, TalkSummaryFilterSet
from cadrecare.talks.models import TalkTrigger


class RegularTalkViewSet(mixins.ListModelMixin, ScopedViewSet):
    """Every serving cadre in scope with their next regular talk due."""

    resource = "regular-talks"
    serializer_class = RegularTalkSerializer
    filterset_class = RegularTalkFilterSet
    ordering_fields = ["next_regular_talk_due", "id"]
    ordering = ["next_regular_talk_due", "id"]

    def base_queryset(self) -> models.QuerySet:
        serving = Cadre.objects.filter(status=CadreStatus.SERVING).select_related("unit")
        return selectors.cadres_with_regular_talk_due(serving)


class TalkSummaryViewSet(mixins.ListModelMixin, ScopedViewSet):
    """Per unit: open, overdue, done on time, done late and waived must-talks,
    also by kind (one row per unit, ``id`` is the unit's)."""

    resource = "talk-summary"
    filterset_class = TalkSummaryFilterSet
    ordering_fields: list[str] = []  # rows are per unit, in tree order

    def get_queryset(self) -> models.QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return TalkTrigger.objects.none()
        # Counts follow what the reader may list: confidential triggers count
        # only for their talker and the organization department.
        return selectors.talk_trigger_list(user=self.request.user)

    @extend_schema(
        responses=inline_serializer(
            "TalkSummaryRow",
            {
                "id": serializers.IntegerField(),
                "unit": serializers.IntegerField(),
                "unit_name": serializers.CharField(),
                "open": serializers.IntegerField(),
                "overdue": serializers.IntegerField(),
                "done_on_time": serializers.IntegerField(),
                "done_late": serializers.IntegerField(),
                "waived": serializers.IntegerField(),
                "cancelled": serializers.IntegerField(),
                "total": serializers.IntegerField(),
                "by_kind": serializers.DictField(),
            },
            many=True,
        )
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rows = selectors.talk_summary(triggers=self.filter_queryset(self.get_queryset()))
        # DRF pages any sliceable list (a Paginator's object list); drf-stubs take only a QuerySet.
        page: list[dict[str, Any]] | None = self.paginate_queryset(rows)  # type: ignore[arg-type]
        return self.get_paginated_response(page)
