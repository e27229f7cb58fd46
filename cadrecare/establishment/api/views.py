"""The establishment's API: slots per township with their counts, and the
borrowing register with its review and return (乡镇编制专编专用)."""

from __future__ import annotations

from django.db import models
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from cadrecare.care.api.views import ExportMixin
from cadrecare.core.api import ScopedKeptViewSet, record_of
from cadrecare.core.authenticated import AuthenticatedRequest
from cadrecare.establishment import selectors, services
from cadrecare.establishment.api.serializers import (
    BorrowingReturnSerializer,
    BorrowingReviewSerializer,
    BorrowingSerializer,
    EstablishmentSlotSerializer,
)
from cadrecare.establishment.filtersets import BorrowingFilterSet, EstablishmentSlotFilterSet
from cadrecare.establishment.models import Borrowing
from cadrecare.org.access import CHANGE

SLOT_COLUMNS = (
    ("county_name", "县（区）"),
    ("township_name", "乡镇"),
    ("approved", "核定编制数"),
    ("filled", "实有人数"),
    ("vacant", "空编数"),
    ("over", "超编数"),
    ("borrowed", "被借用人数"),
    ("approved_on", "核定日期"),
    ("note", "说明"),
)

BORROWING_COLUMNS = (
    ("township_name", "编制所在乡镇"),
    ("cadre_name", "干部"),
    ("borrower_name", "借用单位"),
    ("start", "借用开始日期"),
    ("until", "借用截止日期"),
    ("reason", "借用事由"),
    ("state_label", "状态"),
    ("reviewed_on", "审核日期"),
    ("review_note", "组织部审核意见"),
    ("returned_on", "返回乡镇日期"),
)


class EstablishmentSlotViewSet(ExportMixin, ScopedKeptViewSet):
    """Approved slots per township (核定编制数) with filled, vacant, over and
    borrowed counted from the cadre records and the borrowing register."""

    resource = "establishment"
    serializer_class = EstablishmentSlotSerializer
    filterset_class = EstablishmentSlotFilterSet
    export_title = "乡镇编制"
    export_columns = SLOT_COLUMNS

    def base_queryset(self) -> models.QuerySet:
        return selectors.slot_queryset()

    def create_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        slot = services.slot_save(actor=self.request.user, request=self.request._request, **serializer.validated_data)
        return self.base_queryset().get(pk=slot.pk)  # with its counts

    def update_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        slot = record_of(serializer)
        data = {"approved": slot.approved, "approved_on": slot.approved_on, "note": slot.note}
        data |= serializer.validated_data
        slot = services.slot_save(
            actor=self.request.user, request=self.request._request, township=record_of(serializer).township, **data
        )
        return self.base_queryset().get(pk=slot.pk)


class BorrowingViewSet(ExportMixin, ScopedKeptViewSet):
    """Township cadres borrowed by county or city bodies (借用): each falls due
    for the county organization department's review at once, and again when
    it outlasts its end date, until the cadre is back (establishment.due)."""

    resource = "establishment-borrowings"
    serializer_class = BorrowingSerializer
    filterset_class = BorrowingFilterSet
    action_access = {"review": CHANGE, "return_": CHANGE}
    export_title = "乡镇干部借用"
    export_columns = BORROWING_COLUMNS

    def base_queryset(self) -> models.QuerySet:
        return selectors.borrowing_queryset().select_related("recorded_by__cadre", "reviewed_by__cadre")

    def _fresh(self, borrowing: Borrowing) -> Borrowing:
        return self.base_queryset().get(pk=borrowing.pk)  # with its state

    def create_object(self, serializer: serializers.BaseSerializer) -> Borrowing:
        borrowing = services.borrowing_record(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )
        return self._fresh(borrowing)

    def update_object(self, serializer: serializers.BaseSerializer) -> Borrowing:
        borrowing = services.borrowing_update(
            actor=self.request.user,
            request=self.request._request,
            borrowing=record_of(serializer),
            data=serializer.validated_data,
        )
        return self._fresh(borrowing)

    @extend_schema(request=BorrowingReviewSerializer, responses=BorrowingSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        """The county organization department's review of a borrowing (审核意见)."""
        borrowing = self.get_object()
        form = BorrowingReviewSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        borrowing = services.borrowing_review(
            actor=request.user, request=request._request, borrowing=borrowing, **form.validated_data
        )
        return Response(self.get_serializer(self._fresh(borrowing)).data)

    @extend_schema(request=BorrowingReturnSerializer, responses=BorrowingSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        """The cadre is back in the township: the borrowing ends."""
        borrowing = self.get_object()
        form = BorrowingReturnSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        borrowing = services.borrowing_return(
            actor=request.user, request=request._request, borrowing=borrowing, **form.validated_data
        )
        return Response(self.get_serializer(self._fresh(borrowing)).data)
