"""Health endpoints: check-ups, the health archive, unit policies, the due
list and campaigns, declarative on the scoped base; rules in services."""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from pathlib import PurePosixPath
from typing import Any

from django.db import models
from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from cadrecare.audit.services import Access, audit_log
from cadrecare.core import clock
from cadrecare.core.api import ImportActionsMixin, ScopedKeptViewSet, ScopedModelViewSet, ScopedViewSet, record_of
from cadrecare.core.authenticated import AuthenticatedRequest
from cadrecare.core.errors import DomainError, ForbiddenError
from cadrecare.core.parsers import JSONParser
from cadrecare.core.privacy import Level
from cadrecare.health import selectors, services
from cadrecare.health.api.serializers import (
    AttendanceInputSerializer,
    CampaignAttendeeSerializer,
    CampaignReportSerializer,
    CheckupCampaignDetailSerializer,
    CheckupCampaignSerializer,
    CheckupDueSerializer,
    CheckupPolicySerializer,
    CheckupSerializer,
    EffectivePolicySerializer,
    HealthArchiveSerializer,
)
from cadrecare.health.filtersets import (
    CheckupCampaignFilterSet,
    CheckupDueFilterSet,
    CheckupFilterSet,
    CheckupPolicyFilterSet,
)
from cadrecare.health.imports import CheckupImporter
from cadrecare.health.models import CheckupPolicy
from cadrecare.health.rules import ATTACHMENT_CONTENT_TYPES
from cadrecare.org import scoping
from cadrecare.org.access import CHANGE, VIEW
from cadrecare.org.models import Cadre, OrgUnit
from cadrecare.org.spreadsheets import write_rows

MAX_EXPORT_ROWS = 10000


class CheckupPolicyViewSet(ScopedModelViewSet):
    """Check-up policies: a unit's own interval, reminder lead times and payer,
    applying to its subtree; deleting one returns the unit to its parent's."""

    resource = "checkup-policies"
    queryset = CheckupPolicy.objects.select_related("unit")
    serializer_class = CheckupPolicySerializer
    filterset_class = CheckupPolicyFilterSet
    ordering_fields = ["unit__path", "interval_months", "id"]

    def create_object(self, serializer: serializers.BaseSerializer) -> CheckupPolicy:
        return services.checkup_policy_save(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )

    def update_object(self, serializer: serializers.BaseSerializer) -> CheckupPolicy:
        data = dict(serializer.validated_data)
        policy: CheckupPolicy = record_of(serializer)
        unit = data.pop("unit", policy.unit)
        return services.checkup_policy_save(
            actor=self.request.user, unit=unit, policy=policy, request=self.request._request, **data
        )

    def destroy_object(self, instance: models.Model) -> None:
        services.checkup_policy_delete(actor=self.request.user, policy=instance, request=self.request._request)  # type: ignore[arg-type]

    @extend_schema(parameters=[OpenApiParameter("unit", int, required=True)], responses=EffectivePolicySerializer)
    @action(detail=False, methods=["get"])
    def effective(self, request: AuthenticatedRequest) -> Response:
        """The policy a unit follows: its own or its nearest ancestor's (or the built-in default)."""
        field = serializers.IntegerField(min_value=1)
        try:
            unit_id = field.run_validation(request.query_params.get("unit"))
        except serializers.ValidationError as exc:
            raise DomainError(gettext("请指定单位。"), field="unit") from exc
        unit = scoping.scoped(OrgUnit.objects.filter(pk=unit_id), request.user, self.resource).first()
        if unit is None:
            raise NotFound()
        return Response(EffectivePolicySerializer(selectors.effective_policy(unit)).data)


@extend_schema_view(
    import_file=extend_schema(
        parameters=[
            OpenApiParameter("campaign", int, description="the campaign whose attendees the rows mark as attended"),
            OpenApiParameter("close", bool, description="1: close that campaign after the import"),
        ]
    )
)
class CheckupViewSet(ImportActionsMixin, ScopedKeptViewSet):
    """Health check-ups (健康体检). Findings and the report are sensitive:
    masked for roles that do not need them, every read logged; the report
    file is only ever served through ``attachment``."""

    resource = "health-checkups"
    serializer_class = CheckupSerializer
    filterset_class = CheckupFilterSet
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    ordering_fields = ["date", "cost", "follow_up_by", "id"]
    ordering = ["-date", "-id"]
    action_access = {"export": "export", "attachment": VIEW}
    importer = CheckupImporter
    import_options = ("campaign", "close")

    def base_queryset(self) -> models.QuerySet:
        return selectors.checkup_queryset()

    def create_object(self, serializer: serializers.BaseSerializer) -> Any:
        return services.checkup_record(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )

    def update_object(self, serializer: serializers.BaseSerializer) -> Any:
        changes = dict(serializer.validated_data)
        changes.pop("cadre", None)
        return services.checkup_update(
            actor=self.request.user, checkup=record_of(serializer), changes=changes, request=self.request._request
        )

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    def attachment(self, request: AuthenticatedRequest, pk: str | None = None) -> FileResponse:
        """The check-up report file, for readers who may see findings; each download is logged."""
        checkup = self.get_object()
        level = scoping.visible_level(request.user, self.resource, checkup.cadre.unit.path, checkup.cadre_id)
        if level < Level.SENSITIVE:
            raise ForbiddenError(gettext("您的角色无权查看体检报告。"))
        if not checkup.attachment:
            raise NotFound(gettext("该体检记录没有上传报告文件。"))
        try:
            handle = checkup.attachment.open("rb")
        except OSError as exc:
            raise NotFound(gettext("报告文件已不存在，请重新上传。")) from exc
        audit_log(
            actor=request.user,
            action="read",
            request=request._request,
            accesses=[Access(self.resource, checkup.pk, checkup.cadre_id, ["attachment"])],
        )
        suffix = PurePosixPath(checkup.attachment.name).suffix.lower()
        response = FileResponse(
            handle,
            as_attachment=True,
            content_type=ATTACHMENT_CONTENT_TYPES.get(suffix),
            filename=checkup.attachment_name or f"checkup-{checkup.pk}{suffix}",
        )
        response["Cache-Control"] = "private, no-store"
        return response

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=False, methods=["get"])
    def export(self, request: AuthenticatedRequest) -> HttpResponse:
        """The filtered list as .xlsx with Chinese headers; the findings column
        only for readers who may see findings (each row shown is logged)."""
        checkups = list(self.filter_queryset(self.get_queryset())[: MAX_EXPORT_ROWS + 1])
        if len(checkups) > MAX_EXPORT_ROWS:
            raise DomainError(
                gettext("一次最多导出 %(MAX_EXPORT_ROWS)s 条，请缩小筛选范围。") % {"MAX_EXPORT_ROWS": MAX_EXPORT_ROWS},
                field="unit",
            )
        with_findings = scoping.visible_level(request.user, self.resource, None, None) >= Level.SENSITIVE
        columns = [column for column in EXPORT_COLUMNS if with_findings or column[0] != "findings"]
        data = self.get_serializer(checkups, many=True).data
        rows = [[_cell(item, name) for name, _ in columns] for item in data]
        audit_log(
            actor=request.user,
            action="export",
            request=request._request,
            accesses=[
                Access(a.resource, a.object_id, a.cadre_id, a.fields) for a in self._audit_reads if with_findings
            ],
        )
        self._audit_reads.clear()
        body = write_rows(rows, as_csv=False, title="体检记录", headers=[header for _, header in columns])
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="health-checkups-{stamp}.xlsx"'
        return response


EXPORT_COLUMNS = (
    ("cadre_name", "姓名"),
    ("unit_name", "单位"),
    ("date", "体检日期"),
    ("institution", "体检机构"),
    ("kind_label", "体检类型"),
    ("cost", "费用（元）"),
    ("paying_unit_name", "付费单位"),
    ("conclusion_label", "总体结论"),
    ("follow_up_needed", "需要复查"),
    ("follow_up_by", "复查期限"),
    ("findings", "体检发现"),
    ("has_attachment", "有体检报告"),
)


def _cell(item: dict[str, Any], name: str) -> Any:
    value = item.get(name)
    if isinstance(value, bool):
        return "是" if value else "否"
    return "" if value is None else value


class HealthArchiveViewSet(mixins.RetrieveModelMixin, ScopedViewSet):
    """A cadre's health archive (健康档案): every check-up in order, the policy
    followed and the next due date. Readable where the cadre's check-ups are."""

    resource = "health-archives"
    serializer_class = HealthArchiveSerializer

    def base_queryset(self) -> models.QuerySet:
        return selectors.health_archive_queryset()

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "today": clock.today()}

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        cadre: Cadre = self.get_object()
        context = self.get_serializer_context()
        due = selectors.checkup_due_items(cadres=Cadre.objects.filter(pk=cadre.pk), today=context["today"]).first()
        context.update(due=due, policy=selectors.effective_policy(cadre.unit))
        return Response(self.serializer_class(cadre, context=context).data)


class CheckupDueViewSet(mixins.ListModelMixin, ScopedViewSet):
    """Who is due for a check-up: each cadre in post in scope with the next
    due date, days overdue and the state (upcoming, due, overdue), soonest first."""

    resource = "checkup-due"
    queryset = Cadre.objects.all()
    serializer_class = CheckupDueSerializer
    filterset_class = CheckupDueFilterSet
    ordering_fields = ["due_date", "last_checkup_date", "name", "id"]
    ordering = ["due_date", "id"]

    def get_queryset(self) -> models.QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return Cadre.objects.none()
        return selectors.checkup_due_items(cadres=super().get_queryset(), today=self.today)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "today": self.today}

    @cached_property
    def today(self) -> dt.date:
        return clock.today()


class CheckupCampaignViewSet(ScopedKeptViewSet):
    """Check-up campaigns: HR plans one for a unit, records who attended
    (creating their check-ups) and closes it with a report of who did not."""

    resource = "checkup-campaigns"
    filterset_class = CheckupCampaignFilterSet
    ordering_fields = ["date_from", "date_to", "id"]
    ordering = ["-date_from", "-id"]
    action_access = {"attendance": CHANGE, "close": CHANGE}

    def base_queryset(self) -> models.QuerySet:
        if self.action == "list":
            return selectors.campaign_queryset()
        return selectors.campaign_detail_queryset()

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return CheckupCampaignSerializer if self.action == "list" else CheckupCampaignDetailSerializer

    def create_object(self, serializer: serializers.BaseSerializer) -> Any:
        campaign = services.campaign_plan(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )
        return selectors.campaign_detail_queryset().get(pk=campaign.pk)

    def update_object(self, serializer: serializers.BaseSerializer) -> Any:
        campaign = services.campaign_update(
            actor=self.request.user,
            campaign=record_of(serializer),
            changes=dict(serializer.validated_data),
            request=self.request._request,
        )
        return selectors.campaign_detail_queryset().get(pk=campaign.pk)

    @extend_schema(request=AttendanceInputSerializer, responses={201: CampaignAttendeeSerializer})
    @action(detail=True, methods=["post"])
    def attendance(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        """Record a listed cadre as attended (with the check-up), absent or excused (with a reason)."""
        campaign = self.get_object()
        payload = AttendanceInputSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        attendee = services.campaign_attendance_record(
            actor=request.user, campaign=campaign, request=request._request, **payload.validated_data
        )
        body = CampaignAttendeeSerializer(
            attendee, context={**self.get_serializer_context(), "resource": "checkup-campaign-attendees"}
        ).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=CampaignReportSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        """Close the campaign: those still pending become absent; the report lists who did not attend."""
        campaign = self.get_object()
        report = services.campaign_close(actor=request.user, campaign=campaign, request=request._request)
        return Response(CampaignReportSerializer(report, context=self.get_serializer_context()).data)
