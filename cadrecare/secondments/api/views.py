"""Secondment and experience endpoints: declarative viewsets on the scoped
base; writes hand the validated data to one service each (which checks scope
and writes the audit row)."""

from __future__ import annotations

import builtins
from typing import Any

from django.db import models
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cadrecare.core import clock
from cadrecare.core.api import ScopedViewSet, visible_unit
from cadrecare.core.authenticated import AuthenticatedRequest
from cadrecare.core.errors import DomainError
from cadrecare.core.exports import xlsx_response
from cadrecare.org.access import VIEW
from cadrecare.org.choices import UnitKind
from cadrecare.org.models import Cadre
from cadrecare.secondments import selectors, services
from cadrecare.secondments.api.serializers import (
    ExperienceSerializer,
    SecondmentDecideSerializer,
    SecondmentSerializer,
    TeamExperienceSerializer,
)
from cadrecare.secondments.experience import experiences
from cadrecare.secondments.filtersets import ExperienceFilterSet, SecondmentFilterSet
from cadrecare.secondments.models import Secondment


class SecondmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet):
    """Secondments (挂职、跟班见习、借调): registered once the term has begun
    (the cadre moves to the host unit), decided by the home unit's
    organization department before the planned end (``decide/``)."""

    resource = services.RESOURCE
    serializer_class = SecondmentSerializer
    filterset_class = SecondmentFilterSet
    ordering_fields = ["planned_end", "start", "id"]
    action_access = {"decide": services.DECIDE}

    def base_queryset(self) -> models.QuerySet:
        return selectors.secondment_queryset()

    def _reread(self, secondment: Secondment) -> Secondment:
        return selectors.secondment_queryset().get(pk=secondment.pk)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        secondment = services.secondment_start(actor=self.request.user, **serializer.validated_data)
        return Response(self.get_serializer(self._reread(secondment)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SecondmentDecideSerializer, responses=SecondmentSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        """期满决定: ``return`` (on ``date``), ``extend`` (to ``new_end``) or
        ``convert`` (transfer to the host unit on ``date``, to ``to_post_title`` …)."""
        secondment = self.get_object()
        form = SecondmentDecideSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        secondment = services.secondment_decide(actor=request.user, secondment=secondment, **form.validated_data)
        return Response(self.get_serializer(self._reread(secondment)).data)


TEAM_PARAMETERS = [
    OpenApiParameter(
        "kind",
        str,
        enum=[UnitKind.COUNTY, UnitKind.TOWNSHIP, UnitKind.COUNTY_AGENCY, UnitKind.CITY],
        description="班子所在单位的类型，默认县（区）",
    ),
    OpenApiParameter("unit", int, description="只看该单位及其下级"),
]
TEAM_COLUMNS = (
    ("unit_name", "单位"),
    ("members", "班子成员（名）"),
    ("grassroots", "有基层一线工作经历（名）"),
    ("grassroots_percent", "占比（%）"),
    ("long_leadership", "有3年以上乡镇基层领导工作经历（名）"),
    ("long_leadership_percent", "占比（%）"),
    ("former_secretaries", "担任过乡镇党委书记（名）"),
    ("former_secretaries_percent", "占比（%）"),
)


class ExperienceViewSet(mixins.ListModelMixin, ScopedViewSet):
    """Grassroots experience (基层经历), computed from the post history: per
    cadre in the list, per leadership team in ``teams/`` (the seed's
    statistics per county, the city's as the total), and ``teams/export/``
    as .xlsx."""

    resource = selectors.EXPERIENCE
    serializer_class = ExperienceSerializer
    filterset_class = ExperienceFilterSet
    action_access = {"teams": VIEW, "teams_export": "export"}

    def get_queryset(self) -> models.QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return Cadre.objects.none()
        return selectors.experience_cadres(user=self.request.user)

    def _with_experience(self, cadres: list[Cadre]) -> list[Cadre]:
        found = experiences(cadres, clock.today())
        for cadre in cadres:
            cadre.experience = found[cadre.pk]  # type: ignore[attr-defined]
        return cadres

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Each cadre in service in scope: years in townships and in township leadership, former secretary."""
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = self._with_experience(list(queryset if page is None else page))
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    def _team_report(self) -> selectors.TeamReport:
        params = self.request.query_params
        kind = params.get("kind") or UnitKind.COUNTY
        if kind not in UnitKind.values:
            raise DomainError(_("单位类型只能是市、县（区）、乡镇（街道）、县直机关或村（社区）。"), field="kind")
        unit = visible_unit(self.request, self.resource, params["unit"]) if params.get("unit") else None
        return selectors.team_report(user=self.request.user, kind=kind, unit=unit, today=clock.today())

    def _team_rows(self, report: selectors.TeamReport) -> builtins.list[dict[str, Any]]:
        teams = [*report.teams, *([report.total] if report.total else [])]
        # many=True gives a ReturnList (a list of dicts); drf-stubs types every .data as a ReturnDict.
        return TeamExperienceSerializer(teams, many=True).data  # type: ignore[return-value]

    @extend_schema(parameters=TEAM_PARAMETERS, responses=TeamExperienceSerializer(many=True))
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def teams(self, request: AuthenticatedRequest) -> Response:
        """Per leadership team of the units of ``kind``: members, and how many
        (and what share) have grassroots experience, three years or more of
        township leadership, and have been a township party secretary; the
        last row is all of them together (the city's figure)."""
        return Response(self._team_rows(self._team_report()))

    @extend_schema(parameters=TEAM_PARAMETERS, responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"], url_path="teams/export", filter_backends=[], pagination_class=None)
    def teams_export(self, request: AuthenticatedRequest) -> HttpResponse:
        """The same rows as .xlsx."""
        return xlsx_response(
            title="班子成员基层经历",
            filename="experience-teams",
            columns=TEAM_COLUMNS,
            rows=self._team_rows(self._team_report()),
        )
