"""Shapes of reminders in the API: due items, notices, job runs, schedules."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from cadrecare.core.api import ChoiceLabelField, PrivacyModelSerializer
from cadrecare.org.api.serializers import ScopedPrimaryKeyField
from cadrecare.org.models import Cadre, OrgUnit
from cadrecare.reminders.choices import Channel, ItemState
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
    owner = serializers.IntegerField(required=False, min_value=1, help_text="责任人（干部编号）")
    cadre = serializers.IntegerField(required=False, min_value=1, help_text="涉及干部")
    due_from = serializers.DateField(required=False)
    due_to = serializers.DateField(required=False)
    urgent = serializers.BooleanField(required=False, allow_null=True, default=None)
    ordering = serializers.ChoiceField(choices=list(DUE_ITEM_ORDERINGS), required=False, default="due_date")

    def validate_kind(self, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(SOURCES))
        if unknown:
            raise serializers.ValidationError(_("未知的事项类型：%(items)s。") % {"items": _("、").join(unknown)})
        return value

    def validate_owner(self, value: int) -> int:
        """The owner is named by their cadre record; the items are owned by the login behind it."""
        cadre = Cadre.objects.filter(pk=value).values_list("name", "user_id").first()
        if cadre is None:
            raise serializers.ValidationError(_("干部不存在。"))
        if cadre[1] is None:
            raise serializers.ValidationError(_("该干部尚未开通账号：%(cadre)s") % {"cadre": cadre[0]})
        return cadre[1]

    def validate_unit(self, value: int) -> OrgUnit:
        unit = OrgUnit.objects.filter(pk=value).first()
        if unit is None:
            raise serializers.ValidationError(_("单位不存在。"))
        return unit

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("due_from") and attrs.get("due_to") and attrs["due_from"] > attrs["due_to"]:
            raise serializers.ValidationError({"due_to": _("截止日期不能早于起始日期。")})
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
    owner = serializers.IntegerField(allow_null=True, help_text="责任人（干部编号）")
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
        validators=[
            UniqueValidator(
                ReminderSchedule.objects.all(), message=gettext_lazy("该单位已有提醒规则，请修改原有规则。")
            )
        ],
    )
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = ReminderSchedule
        fields = ["id", "unit", "unit_name", "lead_days", "county_after_days", "city_after_days", "updated_at"]
        read_only_fields = ["updated_at"]


class ChannelPreferenceSerializer(serializers.Serializer):
    """我的通知方式: which channels carry my notices, and my quiet hours
    (non-urgent notices wait for the morning digest; urgent ones go at once)."""

    email_on = serializers.BooleanField(required=False, help_text="接收电子邮件")
    sms_on = serializers.BooleanField(required=False, help_text="接收短信")
    wecom_on = serializers.BooleanField(required=False, help_text="接收企业微信")
    dingtalk_on = serializers.BooleanField(required=False, help_text="接收钉钉")
    quiet_start = serializers.TimeField(
        required=False, allow_null=True, format="%H:%M", help_text="免打扰开始（北京时间，如 21:30）；为空则按单位作息"
    )
    quiet_end = serializers.TimeField(required=False, allow_null=True, format="%H:%M", help_text="免打扰结束")
    email = serializers.CharField(read_only=True, help_text="邮件地址（账号上的）")
    phone = serializers.CharField(read_only=True, help_text="短信号码（干部档案上的）")
    wecom_userid = serializers.CharField(read_only=True, help_text="企业微信账号，由管理员维护")
    dingtalk_userid = serializers.CharField(read_only=True, help_text="钉钉账号，由管理员维护")
    available = serializers.ListField(
        child=serializers.ChoiceField(choices=Channel.choices), read_only=True, help_text="本系统已开通的渠道"
    )
    default_quiet_hours = serializers.CharField(read_only=True, help_text="单位作息之外的默认免打扰时段")


class AliyunReportSerializer(serializers.Serializer):
    """One report of Alibaba Cloud SMS's status push (SmsReport)."""

    biz_id = serializers.CharField(max_length=64)
    success = serializers.BooleanField()
    report_time = serializers.CharField(required=False, allow_blank=True, max_length=40)
    err_code = serializers.CharField(required=False, allow_blank=True, max_length=100)
    err_msg = serializers.CharField(required=False, allow_blank=True, max_length=200)


class TencentReportSerializer(serializers.Serializer):
    """One report of Tencent Cloud SMS's status callback."""

    sid = serializers.CharField(max_length=64)
    report_status = serializers.CharField(max_length=20)
    user_receive_time = serializers.CharField(required=False, allow_blank=True, max_length=40)
    errmsg = serializers.CharField(required=False, allow_blank=True, max_length=100)
    description = serializers.CharField(required=False, allow_blank=True, max_length=200)
