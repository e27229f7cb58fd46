"""The source events that raise must-talks: commendations (with their
statistics and exports), petitions, team flags and interview rounds."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from cadrecare.care.api.views import ExportMixin
from cadrecare.core.api import ScopedKeptViewSet, record_of, year_range_params
from cadrecare.core.authenticated import AuthenticatedRequest
from cadrecare.core.exports import xlsx_response
from cadrecare.org.access import VIEW
from cadrecare.talks import selectors, services
from cadrecare.talks.api.serializers import (
    CommendationSerializer,
    CommendationStatisticsSerializer,
    InterviewRoundSerializer,
    PetitionSerializer,
    TeamFlagSerializer,
)
from cadrecare.talks.filtersets import (
    CommendationFilterSet,
    InterviewRoundFilterSet,
    PetitionFilterSet,
    TeamFlagFilterSet,
)
from cadrecare.talks.models import Commendation, InterviewRound, Petition, TeamFlag

STATISTICS_PARAMETERS = [
    OpenApiParameter("from_year", int, description="起始年度（默认同截止年度）"),
    OpenApiParameter("to_year", int, description="截止年度（默认同起始年度）"),
    OpenApiParameter("year", int, description="只看一个年度（默认今年）"),
]


STATISTICS_COLUMNS = (
    ("unit_name", "单位"),
    ("year", "年度"),
    ("awarded", "表彰奖励（人）"),
    ("posthumous", "追授（人）"),
    ("recommended", "推荐上报（人）"),
)


class CommendationViewSet(ExportMixin, ScopedKeptViewSet):
    """The commendation register (评优选先/表彰): an award given raises an
    ``achievement`` must-talk; recommended and posthumous ones do not.
    ``statistics/`` counts people per township and year, ``export/`` and
    ``statistics/export/`` give the register and the figures as .xlsx."""

    resource = "commendations"
    queryset = Commendation.objects.select_related("cadre__unit")
    serializer_class = CommendationSerializer
    filterset_class = CommendationFilterSet
    ordering_fields = ["date", "id"]
    action_access = {"statistics": VIEW, "export": "export", "statistics_export": "export"}
    export_title = "评优表彰"
    export_columns = (
        ("unit_name", "单位"),
        ("cadre_name", "姓名"),
        ("date", "表彰日期"),
        ("level_label", "级别"),
        ("kind_label", "类别"),
        ("title", "表彰名称"),
        ("status_label", "状态"),
        ("recommended", "曾推荐上报"),
        ("issuing_body", "表彰机关"),
        ("citation", "主要事迹"),
    )

    def create_object(self, serializer: serializers.BaseSerializer) -> Commendation:
        return services.commendation_record(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )

    def update_object(self, serializer: serializers.BaseSerializer) -> Commendation:
        return services.commendation_update(
            actor=self.request.user,
            commendation=record_of(serializer),
            data=serializer.validated_data,
            request=self.request._request,
        )

    def _statistics(self) -> dict[str, Any]:
        from_year, to_year = year_range_params(self.request.query_params)
        return selectors.commendation_statistics(
            self.filter_queryset(self.get_queryset()), from_year=from_year, to_year=to_year
        )

    @extend_schema(parameters=STATISTICS_PARAMETERS, responses={200: CommendationStatisticsSerializer})
    @action(detail=False, methods=["get"])
    def statistics(self, request: AuthenticatedRequest) -> Response:
        """People commended, given posthumously and recommended per township and
        year of the reader's scope (the register's figures: 表彰奖励 N 名，追授 N 名，推荐 N 名)."""
        return Response(CommendationStatisticsSerializer(self._statistics()).data)

    @extend_schema(parameters=STATISTICS_PARAMETERS, responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"], url_path="statistics/export")
    def statistics_export(self, request: AuthenticatedRequest) -> HttpResponse:
        """The figures as .xlsx: each township's years, then its period and the total."""
        figures = self._statistics()
        period = f"{figures['from_year']}—{figures['to_year']}"
        rows = [
            *figures["rows"],
            *({**row, "year": period} for row in figures["units"]),
            {**figures["total"], "year": period},
        ]
        return xlsx_response(
            title="评优表彰统计", filename="commendation-statistics", columns=STATISTICS_COLUMNS, rows=rows
        )


class PetitionViewSet(ScopedKeptViewSet):
    """Petitions (信访) about a cadre; sensitive. Marked important, one raises a
    ``petition`` must-talk."""

    resource = "petitions"
    queryset = Petition.objects.select_related("cadre__unit")
    serializer_class = PetitionSerializer
    filterset_class = PetitionFilterSet
    ordering_fields = ["date", "id"]

    def create_object(self, serializer: serializers.BaseSerializer) -> Petition:
        return services.petition_record(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )

    def update_object(self, serializer: serializers.BaseSerializer) -> Petition:
        return services.petition_update(
            actor=self.request.user,
            petition=record_of(serializer),
            data=serializer.validated_data,
            request=self.request._request,
        )


class TeamFlagViewSet(ScopedKeptViewSet):
    """The organization department's finding that a unit's team is not working
    together; raises a ``team_discord`` must-talk for each serving leader."""

    resource = "team-flags"
    queryset = TeamFlag.objects.select_related("unit")
    serializer_class = TeamFlagSerializer
    filterset_class = TeamFlagFilterSet
    ordering_fields = ["date", "id"]

    def create_object(self, serializer: serializers.BaseSerializer) -> TeamFlag:
        return services.team_flag_record(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )

    def update_object(self, serializer: serializers.BaseSerializer) -> TeamFlag:
        flag: TeamFlag = record_of(serializer)
        note = serializer.validated_data.get("note", flag.note)
        return services.team_flag_update(actor=self.request.user, flag=flag, note=note, request=self.request._request)


class InterviewRoundViewSet(ScopedKeptViewSet):
    """Scheduled interviews (定期约谈) with a township's section-level cadres."""

    resource = "interview-rounds"
    queryset = InterviewRound.objects.select_related("unit").prefetch_related("interviewers__cadre", "items__cadre")
    serializer_class = InterviewRoundSerializer
    filterset_class = InterviewRoundFilterSet
    ordering_fields = ["start_date", "id"]

    def create_object(self, serializer: serializers.BaseSerializer) -> InterviewRound:
        return services.interview_round_plan(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )

    def update_object(self, serializer: serializers.BaseSerializer) -> InterviewRound:
        data = serializer.validated_data
        return services.interview_round_update(
            actor=self.request.user,
            round_=record_of(serializer),
            title=data.get("title"),
            start_date=data.get("start_date"),
            end_date=data.get("end_date"),
            interviewers=data.get("interviewers"),
            request=self.request._request,
        )
