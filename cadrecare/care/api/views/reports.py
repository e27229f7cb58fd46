"""Reports: exchange candidates (交流) and care spending (关爱经费)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cadrecare.care import selectors
from cadrecare.care.api.serializers import (
    CareSpendingRowSerializer,
    TransferCandidateSerializer,
)
from cadrecare.care.api.views.common import ExportMixin
from cadrecare.care.filtersets import (
    TransferCandidateFilterSet,
)
from cadrecare.care.models import Visit
from cadrecare.core.api import (
    ScopedViewSet,
    visible_unit,
    year_param,
)
from cadrecare.core.authenticated import AuthenticatedRequest
from cadrecare.core.errors import DomainError
from cadrecare.core.filters import ScopedFilterBackend
from cadrecare.org.access import VIEW
from cadrecare.org.choices import Remoteness


class TransferCandidateViewSet(ExportMixin, mixins.ListModelMixin, ScopedViewSet):
    """Exchange (交流) candidates: section-level cadres with ``years`` (default
    5) or more in townships of the ``remoteness`` grades (default all)."""

    resource = "transfer-candidates"
    serializer_class = TransferCandidateSerializer
    filterset_class = TransferCandidateFilterSet
    filter_backends = [ScopedFilterBackend]
    action_access = {"export": "export"}
    export_title = "交流候选人"
    export_columns = (
        ("county_name", "县（区）"),
        ("unit_name", "乡镇"),
        ("remoteness_label", "边远等级"),
        ("name", "姓名"),
        ("gender_label", "性别"),
        ("rank_label", "职级"),
        ("post_title", "职务"),
        ("age", "年龄"),
        ("remote_years", "边远乡镇工作年限"),
        ("hardship", "家庭困难"),
        ("health_concern", "健康状况需关注"),
    )

    def base_queryset(self) -> models.QuerySet:
        return selectors.transfer_candidate_queryset()

    def _years(self) -> float:
        raw = self.request.query_params.get("years", "5")
        try:
            years = float(raw)
        except ValueError:
            raise DomainError(_("年限应为数字。"), field="years") from None
        if not 0 <= years <= 50:
            raise DomainError(_("年限应在0到50之间。"), field="years")
        return years

    def _grades(self) -> list[str]:
        raw = [part for value in self.request.query_params.getlist("remoteness") for part in value.split(",") if part]
        grades = raw or list(selectors.REMOTE_GRADES)
        unknown = [grade for grade in grades if grade not in selectors.REMOTE_GRADES]
        if unknown:
            raise DomainError(_("边远等级只能是 grade_1、grade_2、grade_3。"), field="remoteness")
        return grades

    def export_rows(self) -> list[Any]:
        return selectors.transfer_candidates(
            self.filter_queryset(self.get_queryset()), years=self._years(), grades=self._grades()
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("years", float, description="至少在边远乡镇工作的年限，默认5"),
            OpenApiParameter(
                "remoteness",
                str,
                many=True,
                enum=[g.value for g in Remoteness if g != Remoteness.NONE],
                description="计入的边远等级，默认全部",
            ),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page: list[Any] | None = self.paginate_queryset(self.export_rows())  # type: ignore[arg-type]
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


SPENDING_PARAMETERS = [
    OpenApiParameter("year", int, description="年度（默认今年）"),
    OpenApiParameter("unit", int, description="只看该单位及其下级"),
]


class CareSpendingViewSet(ExportMixin, mixins.ListModelMixin, ScopedViewSet):
    """Care spending (关爱经费) in a year: visit money, hardship measures and
    check-up costs per unit and kind, each counted from what the reader may
    list of it; ``totals/`` per category, ``export/`` as .xlsx."""

    resource = "care-spending"
    serializer_class = CareSpendingRowSerializer
    filter_backends: list[Any] = []
    action_access = {"export": "export", "totals": VIEW}
    export_title = "关爱经费"
    export_columns = (
        ("unit_name", "单位"),
        ("category_label", "类别"),
        ("kind_label", "类型"),
        ("count", "笔数"),
        ("goods", "送慰问物资次数"),
        ("amount", "金额（元）"),
    )

    def get_queryset(self) -> models.QuerySet:
        return Visit.objects.none()  # the report reads its three sources in its selector

    def _spending(self) -> dict[str, Any]:
        params = self.request.query_params
        unit = visible_unit(self.request, self.resource, params["unit"]) if params.get("unit") else None
        return selectors.care_spending(user=self.request.user, year=year_param(params.get("year")), unit=unit)

    def export_rows(self) -> list[Any]:
        return self._spending()["rows"]

    @extend_schema(parameters=SPENDING_PARAMETERS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The rows, a unit and kind each, in tree order (paged as every list)."""
        page = self.paginate_queryset(self._spending()["rows"])
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        parameters=SPENDING_PARAMETERS,
        responses=inline_serializer(
            "CareSpendingTotals",
            {
                "year": serializers.IntegerField(),
                **{
                    key: serializers.DecimalField(max_digits=14, decimal_places=2)
                    for key in ("visits", "hardship", "checkups", "all")
                },
            },
        ),
    )
    @action(detail=False, methods=["get"])
    def totals(self, request: AuthenticatedRequest) -> Response:
        """The year's totals per category and in all, over the same rows."""
        spending = self._spending()
        return Response({"year": spending["year"], **{k: f"{v:.2f}" for k, v in spending["totals"].items()}})
