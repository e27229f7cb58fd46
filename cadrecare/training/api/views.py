"""Training programmes (培训、参观考察、工作交流) under ``/api/v1/training-programmes/``:
the programmes, each one's nominations (the ranked proposal, confirming and
withdrawing them) and attendance as nested actions, a cadre's history and the
report of cadres not trained in N years. Scope, rules and audit live in the
training selectors and services."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.db import models
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from cadrecare.core import clock
from cadrecare.core.api import ScopedKeptViewSet, record_of, visible_unit
from cadrecare.core.authenticated import AuthenticatedRequest
from cadrecare.core.errors import DomainError
from cadrecare.core.exports import xlsx_response
from cadrecare.org import scoping
from cadrecare.org.access import VIEW
from cadrecare.org.models import Cadre, OrgUnit
from cadrecare.training import selectors, services
from cadrecare.training.api.serializers import (
    CandidateSerializer,
    NominateInputSerializer,
    NominationSerializer,
    NotTrainedSerializer,
    NotTrainedUnitSerializer,
    ProgrammeAttendanceInputSerializer,
    TrainingProgrammeSerializer,
)
from cadrecare.training.choices import ProgrammeKind
from cadrecare.training.filtersets import TrainingProgrammeFilterSet

MAX_EXPORT_ROWS = 10000
REPORT_PARAMETERS = [
    OpenApiParameter("unit", int, description="单位（含下级），必填"),
    OpenApiParameter("years", int, description="多少年内未参加，默认3"),
    OpenApiParameter(
        "kind", str, enum=[*ProgrammeKind.values, "any"], description="计入的类型，默认培训班；any 为任一类型"
    ),
]
NOT_TRAINED_COLUMNS = (
    ("unit_name", "单位"),
    ("name", "姓名"),
    ("rank_label", "职级"),
    ("post_title", "职务"),
    ("last_trained", "上次参加结束日期"),
    ("years_without", "未参加年数"),
)


def report_years(raw: str | None) -> int:
    """``?years=``: a whole number of years, 1 to 30, default 3."""
    if not raw:
        return selectors.DEFAULT_YEARS
    if not raw.isdecimal() or not 1 <= int(raw) <= 30:
        raise DomainError(_("年限应为1到30之间的整数。"), field="years")
    return int(raw)


def report_kind(raw: str | None) -> str | None:
    """``?kind=``: the programme kind that counts (default 培训班), ``any`` for every kind."""
    if raw in (None, ""):
        return ProgrammeKind.TRAINING
    if raw == "any":
        return None
    if raw not in ProgrammeKind.values:
        raise DomainError(_("类型只能是 training、study_tour、exchange 或 any。"), field="kind")
    return raw


class TrainingProgrammeViewSet(ScopedKeptViewSet):
    """Programmes an organization department runs: it plans one, asks for the
    ranked candidates (grassroots cadres first, then the longest without),
    confirms the nominations and records attendance as one table; a township
    sees the programmes its cadres are nominated to, and only their rows.
    A programme is never deleted: its attendance made roster absences, so
    it stays on record once planned (a cancelled one says so in its note)."""

    resource = "training-programmes"
    serializer_class = TrainingProgrammeSerializer
    filterset_class = TrainingProgrammeFilterSet
    ordering_fields = ["date_from", "date_to", "id"]
    ordering = ["-date_from", "-id"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]  # delete: withdrawing a nomination
    action_access = {
        "candidates": services.NOMINATE,
        "nominate": services.NOMINATE,
        "withdraw": services.NOMINATE,
        "attendance": services.ATTENDANCE,
        "nominations": VIEW,
        "history": VIEW,
        "not_trained": VIEW,
        "not_trained_units": VIEW,
        "not_trained_export": "export",
    }

    def get_queryset(self) -> models.QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return selectors.programme_queryset().none()
        return selectors.programme_list(user=self.request.user)

    def create_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        programme = services.programme_create(
            actor=self.request.user, data=serializer.validated_data, request=self.request._request
        )
        return selectors.programme_queryset().get(pk=programme.pk)

    def update_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        programme = services.programme_update(
            actor=self.request.user,
            programme=record_of(serializer),
            changes=serializer.validated_data,
            request=self.request._request,
        )
        return selectors.programme_queryset().get(pk=programme.pk)

    def nomination_context(self) -> dict[str, Any]:
        return self.get_serializer_context()

    # -- nominations ------------------------------------------------------------------------------

    @extend_schema(responses=NominationSerializer(many=True))
    @action(detail=True, methods=["get"])
    def nominations(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        """The programme's nominations the reader may see (a township its own cadres'), in nominated order."""
        programme = self.get_object()
        rows = selectors.nomination_list(user=request.user).filter(programme=programme).order_by("id")
        return Response(NominationSerializer(rows, many=True, context=self.nomination_context()).data)

    @extend_schema(
        parameters=[OpenApiParameter("township", int, description="只看该乡镇（含下级）的干部")],
        responses=CandidateSerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def candidates(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        """The ranked proposal: cadres in post not yet nominated, grassroots first, then the longest without."""
        programme = self.get_object()
        township = None
        if request.query_params.get("township") not in (None, ""):
            township = visible_unit(request, self.resource, request.query_params["township"])
        rows = selectors.candidate_list(user=request.user, programme=programme, today=clock.today(), township=township)
        return Response(CandidateSerializer(rows, many=True).data)

    @extend_schema(request=NominateInputSerializer, responses={201: NominationSerializer(many=True)})
    @action(detail=True, methods=["post"])
    def nominate(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        """Confirm nominations: the cadres chosen, in order (each with the priority reason the proposal gave)."""
        programme = self.get_object()
        payload = NominateInputSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        cadres = payload.validated_data["cadres"]
        proposed = selectors.candidate_list(user=request.user, programme=programme, today=clock.today())
        rows = services.nominations_confirm(
            actor=request.user,
            programme=programme,
            cadres=cadres,
            priorities={c.cadre.pk: c.reason for c in proposed},
            request=request._request,
        )
        body = NominationSerializer(rows, many=True, context=self.nomination_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"nominations/(?P<nomination_id>[0-9]+)")
    def withdraw(self, request: AuthenticatedRequest, pk: str | None = None, nomination_id: str = "") -> Response:
        """Withdraw a nomination (before the cadre is recorded as attended)."""
        programme = self.get_object()
        nomination = get_object_or_404(
            selectors.nomination_list(user=request.user).filter(programme=programme), pk=nomination_id
        )
        services.nomination_withdraw(actor=request.user, nomination=nomination, request=request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=ProgrammeAttendanceInputSerializer, responses=NominationSerializer(many=True))
    @action(detail=True, methods=["post"])
    def attendance(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        """Record attendance as one table (参加 puts a 培训 absence on the roster; any other state removes it)."""
        programme = self.get_object()
        payload = ProgrammeAttendanceInputSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        rows = services.attendance_record(
            actor=request.user, programme=programme, rows=payload.validated_data["rows"], request=request._request
        )
        return Response(NominationSerializer(rows, many=True, context=self.nomination_context()).data)

    # -- a cadre's history and the report --------------------------------------------------------

    @extend_schema(
        parameters=[OpenApiParameter("cadre", int, required=True, description="干部编号")],
        responses=NominationSerializer(many=True),
    )
    @action(detail=False, methods=["get"])
    def history(self, request: AuthenticatedRequest) -> Response:
        """A cadre's training, study tours and exchanges, latest first."""
        raw = request.query_params.get("cadre", "")
        if not raw.isdecimal():
            raise DomainError(_("请指定干部编号。"), field="cadre")
        cadre = scoping.scoped(Cadre.objects.all(), request.user, self.resource).filter(pk=int(raw)).first()
        if cadre is None:
            raise NotFound(_("干部不存在或不在您的管理范围内。"))
        rows = selectors.training_history(user=request.user, cadre=cadre)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(
            NominationSerializer(page, many=True, context=self.nomination_context()).data
        )

    @cached_property
    def report_unit(self) -> OrgUnit:
        return visible_unit(self.request, self.resource, self.request.query_params.get("unit"))

    def report_rows(self) -> models.QuerySet:
        params = self.request.query_params
        return selectors.not_trained(
            user=self.request.user,
            unit=self.report_unit,
            today=clock.today(),
            years=report_years(params.get("years")),
            kind=report_kind(params.get("kind")),
        )

    def report_context(self) -> dict[str, Any]:
        return {**self.get_serializer_context(), "today": clock.today()}

    @extend_schema(parameters=REPORT_PARAMETERS, responses=NotTrainedSerializer(many=True))
    @action(detail=False, methods=["get"], url_path="not-trained")
    def not_trained(self, request: AuthenticatedRequest) -> Response:
        """Cadres in post under the unit who attended no programme (of the kind) in the last N years."""
        page = self.paginate_queryset(self.report_rows())
        return self.get_paginated_response(NotTrainedSerializer(page, many=True, context=self.report_context()).data)

    @extend_schema(parameters=REPORT_PARAMETERS, responses=NotTrainedUnitSerializer(many=True))
    @action(detail=False, methods=["get"], url_path="not-trained/units")
    def not_trained_units(self, request: AuthenticatedRequest) -> Response:
        """Per unit: cadres in post and how many of them are not trained in N years."""
        params = request.query_params
        rows = selectors.not_trained_by_unit(
            user=request.user,
            unit=self.report_unit,
            today=clock.today(),
            years=report_years(params.get("years")),
            kind=report_kind(params.get("kind")),
        )
        return Response(NotTrainedUnitSerializer(rows, many=True).data)

    @extend_schema(parameters=REPORT_PARAMETERS, responses={(200, "application/octet-stream"): bytes})
    @action(detail=False, methods=["get"], url_path="not-trained/export")
    def not_trained_export(self, request: AuthenticatedRequest) -> HttpResponse:
        """The report as .xlsx with Chinese headers."""
        rows = list(self.report_rows()[: MAX_EXPORT_ROWS + 1])
        if len(rows) > MAX_EXPORT_ROWS:
            raise DomainError(
                _("一次最多导出 %(MAX_EXPORT_ROWS)s 行，请缩小单位范围。") % {"MAX_EXPORT_ROWS": MAX_EXPORT_ROWS},
                field="unit",
            )
        data = NotTrainedSerializer(rows, many=True, context=self.report_context()).data
        return xlsx_response(title="未参加培训干部", filename="not-trained", columns=NOT_TRAINED_COLUMNS, rows=data)
