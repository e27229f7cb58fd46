"""Must-talk endpoints: declarative viewsets on the scoped base; every write
goes through one service."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpResponse
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cadrecare.care.api.views import ExportMixin
from cadrecare.core import clock
from cadrecare.core.api import (
    OwnerSeesNotesMixin,
    ResourcePermission,
    ScopedModelViewSet,
    ScopedViewSet,
    record_of,
    year_range_params,
)
from cadrecare.core.authenticated import AuthenticatedRequest
from cadrecare.core.errors import DomainError
from cadrecare.core.exports import xlsx_response
from cadrecare.org import posts
from cadrecare.org.access import CHANGE, VIEW
from cadrecare.org.choices import CadreStatus
from cadrecare.org.models import Cadre, User
from cadrecare.talks import selectors, services
from cadrecare.talks.api.serializers import (
    CloseFollowUpInputSerializer,
    CommendationSerializer,
    CommendationStatisticsSerializer,
    InterviewRoundSerializer,
    PetitionSerializer,
    RegularTalkSerializer,
    TalkPolicySerializer,
    TalkRouteSerializer,
    TalkSerializer,
    TalkTriggerSerializer,
    TalkWaiveSerializer,
    TeamFlagSerializer,
)
from cadrecare.talks.filtersets import (
    CommendationFilterSet,
    InterviewRoundFilterSet,
    PetitionFilterSet,
    RegularTalkFilterSet,
    TalkFilterSet,
    TalkPolicyFilterSet,
    TalkRouteFilterSet,
    TalkSummaryFilterSet,
    TalkTriggerFilterSet,
    TeamFlagFilterSet,
)
from cadrecare.talks.models import (
    Commendation,
    InterviewRound,
    Petition,
    Talk,
    TalkPolicy,
    TalkRoute,
    TalkTrigger,
    TeamFlag,
)

NO_DELETE = ["get", "post", "put", "patch", "head", "options"]


def _saved(serializer: serializers.BaseSerializer, instance: Any) -> Any:
    """What a service wrote becomes the serializer's instance, for the response."""
    serializer.instance = instance
    return instance


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
        return _saved(serializer, route)

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
        return _saved(serializer, saved)

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
        return _saved(serializer, TalkPolicy.objects.get(unit=data["unit"], kind=data["kind"]))

    def update_object(self, serializer: serializers.BaseSerializer) -> TalkPolicy:
        policy: TalkPolicy = record_of(serializer)
        days = serializer.validated_data.get("due_days", policy.due_days)
        services.talk_due_days_set(
            actor=self.request.user, unit=policy.unit, due_days={policy.kind: days}, request=self.request._request
        )
        return _saved(serializer, TalkPolicy.objects.get(pk=policy.pk))

    def destroy_object(self, instance: models.Model) -> None:
        policy: TalkPolicy = instance  # type: ignore[assignment]
        services.talk_due_days_set(
            actor=self.request.user, unit=policy.unit, due_days={policy.kind: None}, request=self.request._request
        )


class TalkerMayRead(ResourcePermission):
    """The role check, and: a talker reads the triggers and talks they hold
    even without a role grant over the cadre (a county leader, say)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if super().has_permission(request, view):
            return True
        user = request.user  # signed in or not: this runs before any view code
        return isinstance(user, User) and view.access_action() == VIEW and selectors.is_talker_anywhere(user)


# ---------------------------------------------------------------------------
# Triggers and talks
# ---------------------------------------------------------------------------


class TalkTriggerViewSet(OwnerSeesNotesMixin, ScopedModelViewSet):
    """Must-talks (六必谈): raised from their source events, or entered by hand
    (warning signs); routed to a talker; closed by a talk or waived."""

    resource = "talk-triggers"
    serializer_class = TalkTriggerSerializer
    filterset_class = TalkTriggerFilterSet
    permission_classes = [TalkerMayRead]
    ordering_fields = ["due_date", "event_date", "id"]
    ordering = ["due_date", "id"]
    http_method_names = NO_DELETE
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
        trigger = services.talk_trigger_create(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )
        return _saved(serializer, trigger)

    def update_object(self, serializer: serializers.BaseSerializer) -> TalkTrigger:
        trigger = services.talk_trigger_update(
            actor=self.request.user,
            trigger=record_of(serializer),
            data=serializer.validated_data,
            request=self.request._request,
        )
        return _saved(serializer, trigger)

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


class TalkViewSet(OwnerSeesNotesMixin, ScopedModelViewSet):
    """Talks held (谈心谈话): recording one closes the must-talks it answers and
    resets the regular-talk clock. Notes: the talkers and the organization
    department only; the talkee sees that the talk took place."""

    resource = "talks"
    serializer_class = TalkSerializer
    filterset_class = TalkFilterSet
    permission_classes = [TalkerMayRead]
    ordering_fields = ["date", "id"]
    ordering = ["-date", "-id"]
    http_method_names = NO_DELETE
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
        talk = services.talk_record(actor=self.request.user, request=self.request._request, **serializer.validated_data)
        return _saved(serializer, talk)

    def update_object(self, serializer: serializers.BaseSerializer) -> Talk:
        talk = services.talk_update(
            actor=self.request.user,
            talk=record_of(serializer),
            data=serializer.validated_data,
            request=self.request._request,
        )
        return _saved(serializer, talk)

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


# ---------------------------------------------------------------------------
# Source events
# ---------------------------------------------------------------------------


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


class CommendationViewSet(ExportMixin, ScopedModelViewSet):
    """The commendation register (评优选先/表彰): an award given raises an
    ``achievement`` must-talk; recommended and posthumous ones do not.
    ``statistics/`` counts people per township and year, ``export/`` and
    ``statistics/export/`` give the register and the figures as .xlsx."""

    resource = "commendations"
    queryset = Commendation.objects.select_related("cadre__unit")
    serializer_class = CommendationSerializer
    filterset_class = CommendationFilterSet
    ordering_fields = ["date", "id"]
    http_method_names = NO_DELETE
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
        commendation = services.commendation_record(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )
        return _saved(serializer, commendation)

    def update_object(self, serializer: serializers.BaseSerializer) -> Commendation:
        commendation = services.commendation_update(
            actor=self.request.user,
            commendation=record_of(serializer),
            data=serializer.validated_data,
            request=self.request._request,
        )
        return _saved(serializer, commendation)

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


class PetitionViewSet(ScopedModelViewSet):
    """Petitions (信访) about a cadre; sensitive. Marked important, one raises a
    ``petition`` must-talk."""

    resource = "petitions"
    queryset = Petition.objects.select_related("cadre__unit")
    serializer_class = PetitionSerializer
    filterset_class = PetitionFilterSet
    ordering_fields = ["date", "id"]
    http_method_names = NO_DELETE

    def create_object(self, serializer: serializers.BaseSerializer) -> Petition:
        petition = services.petition_record(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )
        return _saved(serializer, petition)

    def update_object(self, serializer: serializers.BaseSerializer) -> Petition:
        petition = services.petition_update(
            actor=self.request.user,
            petition=record_of(serializer),
            data=serializer.validated_data,
            request=self.request._request,
        )
        return _saved(serializer, petition)


class TeamFlagViewSet(ScopedModelViewSet):
    """The organization department's finding that a unit's team is not working
    together; raises a ``team_discord`` must-talk for each serving leader."""

    resource = "team-flags"
    queryset = TeamFlag.objects.select_related("unit")
    serializer_class = TeamFlagSerializer
    filterset_class = TeamFlagFilterSet
    ordering_fields = ["date", "id"]
    http_method_names = NO_DELETE

    def create_object(self, serializer: serializers.BaseSerializer) -> TeamFlag:
        flag = services.team_flag_record(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )
        return _saved(serializer, flag)

    def update_object(self, serializer: serializers.BaseSerializer) -> TeamFlag:
        flag: TeamFlag = record_of(serializer)
        note = serializer.validated_data.get("note", flag.note)
        return _saved(
            serializer,
            services.team_flag_update(actor=self.request.user, flag=flag, note=note, request=self.request._request),
        )


class InterviewRoundViewSet(ScopedModelViewSet):
    """Scheduled interviews (定期约谈) with a township's section-level cadres."""

    resource = "interview-rounds"
    queryset = InterviewRound.objects.select_related("unit").prefetch_related("interviewers__cadre", "items__cadre")
    serializer_class = InterviewRoundSerializer
    filterset_class = InterviewRoundFilterSet
    ordering_fields = ["start_date", "id"]
    http_method_names = NO_DELETE

    def create_object(self, serializer: serializers.BaseSerializer) -> InterviewRound:
        round_ = services.interview_round_plan(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )
        return _saved(serializer, round_)

    def update_object(self, serializer: serializers.BaseSerializer) -> InterviewRound:
        data = serializer.validated_data
        round_ = services.interview_round_update(
            actor=self.request.user,
            round_=record_of(serializer),
            title=data.get("title"),
            start_date=data.get("start_date"),
            end_date=data.get("end_date"),
            interviewers=data.get("interviewers"),
            request=self.request._request,
        )
        return _saved(serializer, round_)


# ---------------------------------------------------------------------------
# Overviews
# ---------------------------------------------------------------------------


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
