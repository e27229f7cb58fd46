"""Shapes of reminders in the API: due items, notices, job runs, schedules."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from cadrecare.core.api import ChoiceLabelField, PrivacyModelSerializer
from cadrecare.org.api.serializers import ScopedPrimaryKeyField
from cadrecare.org.models import OrgUnit
from cadrecare.reminders.choices import ItemState
from cadrecare.reminders.models import JobRun, Notice, ReminderSchedule
from cadrecare.reminders.selectors import DUE_ITEM_ORDERINGS
from cadrecare.reminders.sources import SOURCES


class DueItemQuerySerializer(serializers.Serializer):
    """The due-item list's filters (query parameters), checked like a body."""

    mine = serializers.BooleanField(required=False, default=False, help_text="只看本人负责的事项")
    kind = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, help_text="事项类型，可多选"
    )
    state = serializers.ListField(
        child=serializers.ChoiceField(choices=ItemState.choices),
        required=False,
        help_text="状态：upcoming 未到期，due 今日到期，overdue 已逾期",
    )
    unit = serializers.IntegerField(required=False, min_value=1, help_text="单位（含下级）")
    owner = serializers.IntegerField(required=False, min_value=1, help_text="责任人（用户编号）")
    cadre = serializers.IntegerField(required=False, min_value=1, help_text="涉及干部")
    due_from = serializers.DateField(required=False)
    due_to = serializers.DateField(required=False)
    urgent = serializers.BooleanField(required=False, allow_null=True, default=None)
    ordering = serializers.ChoiceField(choices=list(DUE_ITEM_ORDERINGS), required=False, default="due_date")

    def validate_kind(self, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(SOURCES))
        if unknown:
            raise serializers.ValidationError(f"未知的事项类型：{'、'.join(unknown)}。")
        return value

    def validate_unit(self, value: int) -> OrgUnit:
        unit = OrgUnit.objects.filter(pk=value).first()
        if unit is None:
            raise serializers.ValidationError("单位不存在。")
        return unit

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("due_from") and attrs.get("due_to") and attrs["due_from"] > attrs["due_to"]:
            raise serializers.ValidationError({"due_to": "截止日期不能早于起始日期。"})
        return attrs


class DueItemSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="事项类型:编号")
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    object_id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()
    due_date = serializers.DateField()
    state = serializers.ChoiceField(choices=ItemState.choices)
    state_label = serializers.CharField()
    days_left = serializers.IntegerField()
    days_overdue = serializers.IntegerField()
    urgent = serializers.BooleanField()
    cadre = serializers.IntegerField(allow_null=True)
    cadre_name = serializers.CharField()
    unit = serializers.IntegerField()
    unit_name = serializers.CharField()
    owner = serializers.IntegerField(allow_null=True)
    owner_name = serializers.CharField()
    owner_unit = serializers.IntegerField(allow_null=True)
    owner_unit_name = serializers.CharField()
    vacant = serializers.BooleanField(help_text="责任岗位空缺，由组织部门代办")


class NoticeSerializer(serializers.ModelSerializer):
    stage_label = ChoiceLabelField(source="stage")
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    owner_name = serializers.SerializerMethodField()
    owner_unit_name = serializers.CharField(source="owner_unit.name", read_only=True, default="")
    cadre_name = serializers.CharField(source="cadre.name", read_only=True, default="")
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notice
        fields = [
            "id",
            "kind",
            "object_id",
            "stage",
            "stage_label",
            "period",
            "title",
            "body",
            "url",
            "due_date",
            "days_overdue",
            "urgent",
            "unit",
            "unit_name",
            "cadre",
            "cadre_name",
            "owner",
            "owner_name",
            "owner_unit",
            "owner_unit_name",
            "created_at",
            "read",
            "read_at",
        ]
        read_only_fields = fields

    def get_owner_name(self, notice: Notice) -> str:
        owner = notice.owner
        if owner is None:
            return ""
        return f"{owner.last_name}{owner.first_name}".strip() or owner.username

    def get_read(self, notice: Notice) -> bool:
        return notice.read_at is not None


class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField()


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class JobRunSerializer(serializers.ModelSerializer):
    status_label = ChoiceLabelField(source="status")

    class Meta:
        model = JobRun
        fields = [
            "id",
            "name",
            "status",
            "status_label",
            "started_at",
            "finished_at",
            "lease_until",
            "scanned",
            "created",
            "errors",
            "detail",
        ]
        read_only_fields = fields


class ReminderScheduleSerializer(PrivacyModelSerializer):
    unit = ScopedPrimaryKeyField(
        "reminder-schedules",
        queryset=OrgUnit.objects.all(),
        label="单位",
        validators=[UniqueValidator(ReminderSchedule.objects.all(), message="该单位已有提醒规则，请修改原有规则。")],
    )
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = ReminderSchedule
        fields = ["id", "unit", "unit_name", "lead_days", "county_after_days", "city_after_days", "updated_at"]
        read_only_fields = ["updated_at"]
