"""Reminders endpoints: due items, the in-app inbox, job runs, schedules."""

from __future__ import annotations

import datetime as dt
import hmac
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cadrecare.core import clock
from cadrecare.core.api import ScopedModelViewSet, ScopedViewSet, record_of
from cadrecare.core.authenticated import AuthenticatedRequest
from cadrecare.core.pagination import page_number
from cadrecare.org.access import VIEW
from cadrecare.reminders import selectors, services
from cadrecare.reminders.api.serializers import (
    AliyunReportSerializer,
    ChannelPreferenceSerializer,
    DueItemQuerySerializer,
    DueItemSerializer,
    JobRunSerializer,
    MarkedSerializer,
    NoticeSerializer,
    ReminderScheduleSerializer,
    TencentReportSerializer,
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

    @cached_property
    def query(self) -> dict[str, Any]:
        """The query parameters, checked (400 naming the field at fault)."""
        params = DueItemQuerySerializer(data=_query_dict(self.request))
        params.is_valid(raise_exception=True)
        return params.validated_data

    def get_queryset(self) -> QuerySet:
        """The items the query parameters ask for, one UNION query; what the
        list pages and what generic code (the browsable API) reads."""
        data = self.query
        today = clock.today()
        return selectors.due_item_list(
            user=self.request.user,
            today=today,
            mine=data["mine"],
            kinds=data.get("kind") or None,
            where=self.item_where(today),
            ordering=data["ordering"],
        )

    def item_where(self, today: dt.date) -> Q:
        """The query parameters' filters as one condition on the item columns."""
        data = self.query
        return selectors.due_item_where(
            today=today,
            states=data.get("state", []),
            unit=data.get("unit"),
            owner=data.get("owner"),
            cadre=data.get("cadre"),
            due_from=data.get("due_from"),
            due_to=data.get("due_to"),
            urgent=data.get("urgent"),
        )

    @extend_schema(parameters=[DueItemQuerySerializer], responses={200: DueItemSerializer(many=True)})
    def list(self, request: Request) -> Response:
        # The union compiled once and kept between requests (compiling it was
        # half of a request's time), and its page read with the count in one
        # query, as 我的待办 does: PostgreSQL plans and runs it once, not twice.
        data, today = self.query, clock.today()
        with reading_due_items():
            items = selectors.DueItemPages(
                selectors.due_item_sql(
                    user=self.request.user,
                    today=today,
                    mine=data["mine"],
                    kinds=data.get("kind") or None,
                    where=self.item_where(today),
                ),
                today=today,
                ordering=data["ordering"],
            )
            pagination = self.paginator
            if isinstance(pagination, PageNumberPagination) and (size := pagination.get_page_size(request)):
                items.read_page(page_number(request.query_params.get(pagination.page_query_param)), size)
            # DRF pages any sliceable list (a Paginator's object list); drf-stubs take only a QuerySet.
            page: list[DueItem] | None = self.paginate_queryset(items)  # type: ignore[arg-type]
            assert page is not None  # the API's default pagination pages every list
            rows = selectors.due_item_rows(page, today=today)
        return self.get_paginated_response(DueItemSerializer(rows, many=True).data)


def _query_dict(request: AuthenticatedRequest) -> dict[str, Any]:
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
    def read(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        """Mark one notice read."""
        notice = services.notice_mark_read(user=request.user, notice=self.get_object())
        return Response(NoticeSerializer(notice).data)

    @extend_schema(request=None, responses={200: MarkedSerializer})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: AuthenticatedRequest) -> Response:
        """Mark every unread notice read."""
        return Response({"marked": services.notice_mark_all_read(user=request.user)})

    @extend_schema(responses={200: UnreadCountSerializer})
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request: AuthenticatedRequest) -> Response:
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

    def create_object(self, serializer: serializers.BaseSerializer) -> ReminderSchedule:
        return services.reminder_schedule_save(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )

    def update_object(self, serializer: serializers.BaseSerializer) -> ReminderSchedule:
        data = dict(serializer.validated_data)
        schedule: ReminderSchedule = record_of(serializer)
        unit = data.pop("unit", schedule.unit)
        return services.reminder_schedule_save(
            actor=self.request.user, unit=unit, schedule=schedule, request=self.request._request, **data
        )

    def destroy_object(self, instance: models.Model) -> None:
        services.reminder_schedule_delete(actor=self.request.user, schedule=instance, request=self.request._request)  # type: ignore[arg-type]


class MyChannelsView(APIView):
    """我的通知方式: the logged-in person's channels and quiet hours."""

    permission_classes = [IsAuthenticated]
    request: AuthenticatedRequest

    @extend_schema(summary="查看我的通知方式与免打扰时段", responses=ChannelPreferenceSerializer)
    def get(self, request: Request) -> Response:
        return Response(ChannelPreferenceSerializer(selectors.channel_preference_of(user=self.request.user)).data)

    @extend_schema(
        summary="修改我的通知方式与免打扰时段（只改所给字段）",
        request=ChannelPreferenceSerializer,
        responses=ChannelPreferenceSerializer,
    )
    def patch(self, request: Request) -> Response:
        serializer = ChannelPreferenceSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.channel_preference_update(actor=self.request.user, data=serializer.validated_data, request=request)
        return Response(ChannelPreferenceSerializer(selectors.channel_preference_of(user=self.request.user)).data)


def _receipt_time(text: str) -> dt.datetime:
    """A vendor's "YYYY-MM-DD HH:MM:SS" (Beijing time), or now if it sent none we can read."""
    try:
        return timezone.make_aware(dt.datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S"))
    except ValueError:
        return clock.now()


class SmsReceiptView(APIView):
    """The SMS gateways' delivery-receipt push (状态报告), at a secret address
    (``REMINDERS_SMS_RECEIPT_TOKEN``; no address while it is unset). Answers
    each vendor's documented acknowledgement so it stops pushing."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes: list = []

    @extend_schema(summary="短信状态报告回调（阿里云 / 腾讯云推送）", request=None, responses={200: None}, auth=[])
    def post(self, request: Request, vendor: str, token: str) -> Response:
        expected = str(getattr(settings, "REMINDERS_SMS_RECEIPT_TOKEN", ""))
        known = vendor in ("aliyun", "tencent")
        if not known or not expected or not hmac.compare_digest(token.encode(), expected.encode()):
            raise NotFound()
        reports = request.data if isinstance(request.data, list) else [request.data]
        if vendor == "aliyun":
            parsed = AliyunReportSerializer(data=reports, many=True)
            parsed.is_valid(raise_exception=True)
            receipts = [
                services.Receipt(
                    external_id=r["biz_id"],
                    delivered=r["success"],
                    at=_receipt_time(r.get("report_time", "")),
                    error=f"{r.get('err_code', '')} {r.get('err_msg', '')}".strip(),
                )
                for r in parsed.validated_data
            ]
            services.delivery_receipts_record(receipts)
            return Response({"code": 0, "msg": "成功"})
        tencent = TencentReportSerializer(data=reports, many=True)
        tencent.is_valid(raise_exception=True)
        receipts = [
            services.Receipt(
                external_id=r["sid"],
                delivered=r["report_status"] == "SUCCESS",
                at=_receipt_time(r.get("user_receive_time", "")),
                error=f"{r.get('errmsg', '')} {r.get('description', '')}".strip(),
            )
            for r in tencent.validated_data
        ]
        services.delivery_receipts_record(receipts)
        return Response({"result": 0, "errmsg": "OK"})
