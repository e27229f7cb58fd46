"""Reminders endpoints: due items, the in-app inbox, job runs, schedules."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cadrecare.core import clock
from cadrecare.core.api import ScopedModelViewSet, ScopedViewSet
from cadrecare.org.access import VIEW
from cadrecare.reminders import selectors, services
from cadrecare.reminders.api.serializers import (
    DueItemQuerySerializer,
    DueItemSerializer,
    JobRunSerializer,
    MarkedSerializer,
    NoticeSerializer,
    ReminderScheduleSerializer,
    UnreadCountSerializer,
)
from cadrecare.reminders.filtersets import JobRunFilterSet, NoticeFilterSet, ReminderScheduleFilterSet
from cadrecare.reminders.models import Notice, ReminderSchedule
from cadrecare.reminders.sources import DueItem, reading_due_items


class DueItemViewSet(ScopedViewSet):
    """Everything due, of every kind, computed from the source records: for the
    user's scope (each kind scoped like its own resource) plus what the user
    owns, or only what they own with ``?mine=1``. One UNION query per page."""

    resource = "due-items"
    serializer_class = DueItemSerializer
    # Filtered and ordered by DueItemQuerySerializer inside each source of the
    # union, not by filter backends (nor the browsable API's filter form).
    filter_backends: list[type] = []

    def get_queryset(self) -> QuerySet:
        """The items the query parameters ask for, one UNION query; what the
        list pages and what generic code (the browsable API) reads."""
        params = DueItemQuerySerializer(data=_query_dict(self.request))
        params.is_valid(raise_exception=True)
        data = params.validated_data
        today = clock.today()
        where = selectors.due_item_where(
            today=today,
            states=data.get("state", []),
            unit=data.get("unit"),
            owner=data.get("owner"),
            cadre=data.get("cadre"),
            due_from=data.get("due_from"),
            due_to=data.get("due_to"),
            urgent=data.get("urgent"),
        )
        return selectors.due_item_list(
            user=self.request.user,
            today=today,
            mine=data["mine"],
            kinds=data.get("kind") or None,
            where=where,
            ordering=data["ordering"],
        )

    @extend_schema(parameters=[DueItemQuerySerializer], responses={200: DueItemSerializer(many=True)})
    def list(self, request: Request) -> Response:
        queryset = self.get_queryset()
        with reading_due_items():
            page = self.paginate_queryset(queryset)
            rows = selectors.due_item_rows([DueItem.from_row(row) for row in page], today=clock.today())
        return self.get_paginated_response(DueItemSerializer(rows, many=True).data)


def _query_dict(request: Request) -> dict[str, Any]:
    """Query parameters with the repeatable ones (kind, state) as lists."""
    query = request.query_params
    data: dict[str, Any] = {key: query.get(key) for key in query if key not in ("kind", "state")}
    for many in ("kind", "state"):
        values = [v for value in query.getlist(many) for v in value.split(",") if v]
        if values:
            data[many] = values
    return data


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """The in-app inbox: a person's own notices only (another's is not found)."""

    resource = "notifications"
    serializer_class = NoticeSerializer
    filterset_class = NoticeFilterSet
    ordering_fields = ["created_at", "due_date", "id"]
    ordering = ["-created_at", "-id"]
    action_access = {"read": VIEW, "read_all": VIEW, "unread_count": VIEW}

    def get_queryset(self) -> QuerySet[Notice]:
        if getattr(self, "swagger_fake_view", False):
            return Notice.objects.none()
        return selectors.notice_list(user=self.request.user)

    @extend_schema(request=None, responses={200: NoticeSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        """Mark one notice read."""
        notice = services.notice_mark_read(user=request.user, notice=self.get_object())
        return Response(NoticeSerializer(notice).data)

    @extend_schema(request=None, responses={200: MarkedSerializer})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        """Mark every unread notice read."""
        return Response({"marked": services.notice_mark_all_read(user=request.user)})

    @extend_schema(responses={200: UnreadCountSerializer})
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request: Request) -> Response:
        return Response({"unread": selectors.notice_unread_count(user=request.user)})


class JobRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Every run of a scheduled job, for organization-department administrators.
    Runs belong to the whole service, not to a unit."""

    resource = "job-runs"
    serializer_class = JobRunSerializer
    filterset_class = JobRunFilterSet
    ordering_fields = ["started_at", "id"]
    ordering = ["-started_at", "-id"]

    def get_queryset(self) -> QuerySet:
        # ResourcePermission already refused every role without the grant.
        return selectors.job_run_list()


class ReminderScheduleViewSet(ScopedModelViewSet):
    """When a unit's owners are reminded and its lateness escalated; a unit
    without its own schedule follows the nearest one above it."""

    resource = "reminder-schedules"
    queryset = ReminderSchedule.objects.select_related("unit")
    serializer_class = ReminderScheduleSerializer
    filterset_class = ReminderScheduleFilterSet
    ordering_fields = ["unit__path", "id"]
