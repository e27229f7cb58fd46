"""Shapes of the health resources; the rules live in services and rules.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cadrecare.core.api import ChoiceLabelField, PrivacyModelSerializer
from cadrecare.core.i18n import choice_label
from cadrecare.health.choices import AttendanceStatus, CheckupKind, Conclusion, DueState
from cadrecare.health.models import CampaignAttendee, Checkup, CheckupCampaign, CheckupPolicy
from cadrecare.health.rules import CheckupPolicyInForce, overdue_days
from cadrecare.org.api.serializers import ScopedPrimaryKeyField
from cadrecare.org.models import Cadre, OrgUnit

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from cadrecare.health.selectors import CheckupDue


def nested(
    serializer_class: type[serializers.Serializer], instances: Iterable[Any], context: dict[str, Any], resource: str
) -> list[dict[str, Any]]:
    """Serialize related records inside another resource, masked by the same
    reader level but audit-logged under their own resource name."""
    # drf-stubs type `data` as a Serializer's dict even with many=True, where it is the ListSerializer's list.
    return serializer_class(list(instances), many=True, context={**context, "resource": resource}).data  # type: ignore[return-value]


class EffectivePolicySerializer(serializers.Serializer):
    interval_months = serializers.IntegerField(label="体检间隔（月）")
    reminder_days = serializers.ListField(child=serializers.IntegerField(), label="提前提醒天数")
    payer = serializers.CharField(label="付费方")
    source_unit = serializers.IntegerField(source="source_unit_id", allow_null=True, label="政策所属单位（空为默认）")

    def to_representation(self, instance: CheckupPolicyInForce) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["reminder_days"] = list(instance.reminder_days)
        return data


class CheckupPolicySerializer(PrivacyModelSerializer):
    unit = ScopedPrimaryKeyField("checkup-policies", queryset=OrgUnit.objects.all(), label="单位")
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    interval_months = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=60,
        label="体检间隔（月）",
        error_messages={
            "min_value": gettext_lazy("体检间隔应在 1 到 60 个月之间。"),
            "max_value": gettext_lazy("体检间隔应在 1 到 60 个月之间。"),
        },
    )
    reminder_days = serializers.JSONField(required=False, label="提前提醒天数")
    payer_label = ChoiceLabelField(source="payer")

    class Meta:
        model = CheckupPolicy
        fields = [
            "id",
            "unit",
            "unit_name",
            "interval_months",
            "reminder_days",
            "payer",
            "payer_label",
            "note",
            "updated_by",
            "updated_at",
        ]
        read_only_fields = ["updated_by", "updated_at"]


class CheckupSerializer(PrivacyModelSerializer):
    cadre = ScopedPrimaryKeyField("health-checkups", queryset=Cadre.objects.select_related("unit"), label="干部")
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    unit = serializers.IntegerField(source="cadre.unit_id", read_only=True, label="干部所在单位")
    unit_name = serializers.CharField(source="cadre.unit.name", read_only=True)
    kind = serializers.ChoiceField(choices=CheckupKind.choices, required=False, label="体检类型")
    kind_label = ChoiceLabelField(source="kind")
    conclusion_label = ChoiceLabelField(source="conclusion")
    cost = serializers.DecimalField(max_digits=10, decimal_places=2, required=False, label="费用（元）")
    paying_unit = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.all(), allow_null=True, required=False, label="付费单位（空为按政策）"
    )
    paying_unit_name = serializers.CharField(source="paying_unit.name", read_only=True, default=None)
    attachment = serializers.FileField(
        write_only=True, required=False, allow_null=True, label="体检报告（PDF/JPG/PNG）"
    )
    has_attachment = serializers.SerializerMethodField(label="有体检报告")

    class Meta:
        model = Checkup
        fields = [
            "id",
            "cadre",
            "cadre_name",
            "unit",
            "unit_name",
            "date",
            "institution",
            "kind",
            "kind_label",
            "cost",
            "paying_unit",
            "paying_unit_name",
            "conclusion",
            "conclusion_label",
            "findings",
            "follow_up_needed",
            "follow_up_by",
            "attachment",
            "has_attachment",
            "attachment_name",
            "campaign",
            "recorded_by",
            "recorded_at",
            "updated_at",
        ]
        read_only_fields = ["attachment_name", "campaign", "recorded_by", "recorded_at", "updated_at"]
        validators: list[Any] = []  # a duplicate is the service's 409, with its own message

    def get_has_attachment(self, checkup: Checkup) -> bool:
        return bool(checkup.attachment)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None and "cadre" in attrs and attrs["cadre"].pk != self.instance.cadre_id:
            raise serializers.ValidationError({"cadre": _("体检记录所属干部不能修改。")})
        return attrs


class HealthArchiveSerializer(PrivacyModelSerializer):
    """One cadre's health archive: every check-up in date order, the policy
    followed and the next due date (the view passes the cadre as annotated by
    checkup_due_items in ``due``: None for a cadre no longer in post)."""

    unit_name = serializers.CharField(source="unit.name", read_only=True)
    status_label = ChoiceLabelField(source="status")
    policy = serializers.SerializerMethodField()
    last_checkup_date = serializers.SerializerMethodField()
    next_due_date = serializers.SerializerMethodField()
    state = serializers.SerializerMethodField()
    overdue_days = serializers.SerializerMethodField()
    checkups = serializers.SerializerMethodField()

    class Meta:
        model = Cadre
        fields = [
            "id",
            "name",
            "unit",
            "unit_name",
            "status",
            "status_label",
            "policy",
            "last_checkup_date",
            "next_due_date",
            "state",
            "overdue_days",
            "checkups",
        ]

    def _due(self) -> WithAnnotations[Cadre, CheckupDue] | None:
        return self.context.get("due")

    def get_policy(self, cadre: Cadre) -> dict[str, Any]:
        return EffectivePolicySerializer(self.context["policy"]).data

    def get_last_checkup_date(self, cadre: Cadre) -> dt.date | None:
        due = self._due()
        return due.last_checkup_date if due else None

    def get_next_due_date(self, cadre: Cadre) -> dt.date | None:
        due = self._due()
        return due.due_date if due else None

    def get_state(self, cadre: Cadre) -> str | None:
        due = self._due()
        return due.due_state if due else None

    def get_overdue_days(self, cadre: Cadre) -> int | None:
        due = self._due()
        return overdue_days(due.due_date, self.context["today"]) if due else None

    def get_checkups(self, cadre: Cadre) -> list[dict[str, Any]]:
        return nested(CheckupSerializer, cadre.checkups.all(), self.context, "health-checkups")


class CheckupDueSerializer(serializers.Serializer):
    """A row of the due list: one cadre as annotated by checkup_due_items."""

    id = serializers.IntegerField(label="干部")
    name = serializers.CharField(label="姓名")
    unit = serializers.IntegerField(source="unit_id", label="单位")
    unit_name = serializers.CharField(source="unit.name", label="单位名称")
    last_checkup_date = serializers.DateField(allow_null=True, label="上次年度体检日期")
    due_date = serializers.DateField(label="应检日期")
    overdue_days = serializers.SerializerMethodField(label="逾期天数")
    state = serializers.ChoiceField(source="due_state", choices=DueState.choices, label="状态")
    state_label = serializers.SerializerMethodField(label="状态名称")
    interval_months = serializers.IntegerField(label="体检间隔（月）")

    # Typed for the schema here: the generator reads a method's annotations at run time,
    # where WithAnnotations (a name for the type checker only) does not exist.
    @extend_schema_field(OpenApiTypes.INT)
    def get_overdue_days(self, cadre: WithAnnotations[Cadre, CheckupDue]) -> int:
        return overdue_days(cadre.due_date, self.context["today"])

    @extend_schema_field(OpenApiTypes.STR)
    def get_state_label(self, cadre: WithAnnotations[Cadre, CheckupDue]) -> str:
        return choice_label(DueState(cadre.due_state).label)


class CampaignAttendeeSerializer(PrivacyModelSerializer):
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    unit_name = serializers.CharField(source="cadre.unit.name", read_only=True)
    status_label = ChoiceLabelField(source="status")

    class Meta:
        model = CampaignAttendee
        fields = [
            "id",
            "cadre",
            "cadre_name",
            "unit_name",
            "due_date",
            "status",
            "status_label",
            "reason",
            "checkup",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class CheckupCampaignSerializer(PrivacyModelSerializer):
    unit = ScopedPrimaryKeyField("checkup-campaigns", queryset=OrgUnit.objects.all(), label="单位")
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    status_label = ChoiceLabelField(source="status")
    cadres = ScopedPrimaryKeyField(
        "checkup-campaigns",
        queryset=Cadre.objects.all(),
        many=True,
        write_only=True,
        required=False,
        label="体检名单（空为按应检日期自动选取）",
    )
    attendee_count = serializers.IntegerField(read_only=True, label="名单人数")
    pending_count = serializers.IntegerField(read_only=True, label="待体检")
    attended_count = serializers.IntegerField(read_only=True, label="已体检")
    absent_count = serializers.IntegerField(read_only=True, label="缺检")
    excused_count = serializers.IntegerField(read_only=True, label="请假")

    class Meta:
        model = CheckupCampaign
        fields = [
            "id",
            "unit",
            "unit_name",
            "name",
            "date_from",
            "date_to",
            "institution",
            "note",
            "status",
            "status_label",
            "cadres",
            "attendee_count",
            "pending_count",
            "attended_count",
            "absent_count",
            "excused_count",
            "created_by",
            "created_at",
            "closed_by",
            "closed_at",
        ]
        read_only_fields = ["status", "created_by", "created_at", "closed_by", "closed_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None:
            if "unit" in attrs and attrs["unit"].pk != self.instance.unit_id:
                raise serializers.ValidationError({"unit": _("体检活动所属单位不能修改。")})
            if "cadres" in attrs:
                raise serializers.ValidationError({"cadres": _("体检名单在创建时确定，不能修改。")})
        return attrs


class CheckupCampaignDetailSerializer(CheckupCampaignSerializer):
    attendees = serializers.SerializerMethodField(label="体检名单")

    class Meta(CheckupCampaignSerializer.Meta):
        fields = [*CheckupCampaignSerializer.Meta.fields, "attendees"]

    def get_attendees(self, campaign: CheckupCampaign) -> list[dict[str, Any]]:
        return nested(CampaignAttendeeSerializer, campaign.attendees.all(), self.context, "checkup-campaign-attendees")


class AttendanceCheckupSerializer(serializers.Serializer):
    date = serializers.DateField(label="体检日期")
    kind = serializers.ChoiceField(choices=CheckupKind.choices, default=CheckupKind.ANNUAL, label="体检类型")
    institution = serializers.CharField(
        max_length=100, required=False, allow_blank=True, label="体检机构（空为活动机构）"
    )
    cost = serializers.DecimalField(max_digits=10, decimal_places=2, required=False, label="费用（元）")
    conclusion = serializers.ChoiceField(choices=Conclusion.choices, label="总体结论")
    findings = serializers.CharField(max_length=5000, required=False, allow_blank=True, label="体检发现")
    follow_up_needed = serializers.BooleanField(default=False, label="需要复查")
    follow_up_by = serializers.DateField(required=False, allow_null=True, label="复查期限")


class AttendanceInputSerializer(serializers.Serializer):
    cadre = ScopedPrimaryKeyField("checkup-campaigns", queryset=Cadre.objects.all(), label="干部")
    status = serializers.ChoiceField(
        choices=[(s.value, s.label) for s in AttendanceStatus if s != AttendanceStatus.PENDING], label="状态"
    )
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="", label="请假原因")
    checkup = AttendanceCheckupSerializer(required=False, label="体检记录（已体检时必填）")


class CampaignReportSerializer(serializers.Serializer):
    campaign = serializers.IntegerField(source="campaign.pk")
    counts = serializers.DictField(child=serializers.IntegerField(), label="各状态人数")
    not_attended = serializers.SerializerMethodField(label="未体检人员")

    def get_not_attended(self, report: Any) -> list[dict[str, Any]]:
        return nested(CampaignAttendeeSerializer, report.not_attended, self.context, "checkup-campaign-attendees")
