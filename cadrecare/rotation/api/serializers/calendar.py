"""The national holiday calendar: its years and days, a notice to load, and
the preview of what loading it changes."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cadrecare.core.api import ChoiceLabelField, PrivacyModelSerializer
from cadrecare.core.i18n import choice_label
from cadrecare.rotation.api.serializers.common import MonthField
from cadrecare.rotation.choices import CalendarStatus, DayType, HolidayKind, RosterStatus
from cadrecare.rotation.models import (
    HolidayDay,
    HolidayYear,
)


class HolidayDaySerializer(PrivacyModelSerializer):
    kind_label = ChoiceLabelField(source="kind")

    class Meta:
        model = HolidayDay
        fields = ["date", "kind", "kind_label", "name"]


class HolidayYearSerializer(PrivacyModelSerializer):
    status_label = ChoiceLabelField(source="status")
    loaded_by_name = serializers.CharField(source="loaded_by.username", read_only=True, default=None)
    days = HolidayDaySerializer(many=True, read_only=True)

    class Meta:
        model = HolidayYear
        fields = [
            "id",
            "year",
            "status",
            "status_label",
            "source_ref",
            "loaded_by",
            "loaded_by_name",
            "loaded_at",
            "checksum",
            "days",
        ]
        read_only_fields = fields


class HolidayRowSerializer(serializers.Serializer):
    date = serializers.DateField(label="日期")
    kind = serializers.ChoiceField(choices=HolidayKind.choices, label="类型")
    name = serializers.CharField(max_length=100, allow_blank=True, required=False, default="", label="名称")


class HolidayYearLoadSerializer(serializers.Serializer):
    """A year's arrangement from the State Council's notice: rows, or a CSV file."""

    year = serializers.IntegerField(min_value=2000, max_value=2100, label="年份")
    source_ref = serializers.CharField(max_length=300, label="通知文号或网址")
    rows = HolidayRowSerializer(many=True, required=False, label="日期行")
    file = serializers.FileField(required=False, label="CSV 文件（日期,类型,名称）")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("rows") and not attrs.get("file"):
            raise serializers.ValidationError({"rows": _("请提供日期行或上传 CSV 文件。")})
        return attrs


@extend_schema_field(OpenApiTypes.STR)
class LabelOf(serializers.Field):
    """The label of a code in a choice set, in the request's language (the value
    itself when unknown): ``ChoiceLabelField`` for serializers without a model."""

    def __init__(self, choices: type[models.TextChoices], **kwargs: Any) -> None:
        self.labels = dict(choices.choices)
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value: Any) -> str:
        label = self.labels.get(value)
        return choice_label(label) if label is not None else value


class PreviewDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    name = serializers.CharField()


class PreviewRenamedSerializer(serializers.Serializer):
    date = serializers.DateField()
    kind = serializers.CharField()
    name_before = serializers.CharField()
    name_after = serializers.CharField()


class PreviewChangeSerializer(serializers.Serializer):
    """A date whose kind changes: workday, weekend, holiday or makeup workday."""

    date = serializers.DateField()
    before = serializers.CharField()
    before_label = LabelOf(DayType, source="before")
    after = serializers.CharField()
    after_label = LabelOf(DayType, source="after")
    name_before = serializers.CharField()
    name_after = serializers.CharField()
    desirable_before = serializers.BooleanField(label="原为宜休日（周末或节假日）")
    desirable_after = serializers.BooleanField(label="更正后为宜休日")


class PreviewDiffSerializer(serializers.Serializer):
    holidays_added = PreviewDaySerializer(many=True)
    holidays_removed = PreviewDaySerializer(many=True)
    makeup_workdays_added = PreviewDaySerializer(many=True)
    makeup_workdays_removed = PreviewDaySerializer(many=True)
    renamed = PreviewRenamedSerializer(many=True)
    changes = PreviewChangeSerializer(many=True)


class PreviewRosterSerializer(serializers.Serializer):
    """A roster whose month has a changed date."""

    roster = serializers.IntegerField(source="roster_id")
    unit = serializers.IntegerField(source="unit_id")
    unit_name = serializers.CharField()
    month = MonthField()
    status = serializers.CharField()
    status_label = LabelOf(RosterStatus, source="status")
    provisional_calendar = serializers.BooleanField()
    changed_dates = serializers.ListField(child=serializers.DateField())
    rest_days_on_changed_dates = serializers.IntegerField(label="在变动日期安排的休息（人次）")
    rest_days_losing_desirable = serializers.IntegerField(label="休在不再是宜休日的日子（人次）")
    rest_days_gaining_desirable = serializers.IntegerField(label="休在新成为宜休日的日子（人次）")
    fairness_spread_before = serializers.FloatField(allow_null=True)
    fairness_spread_after = serializers.FloatField(allow_null=True)
    metrics_change = serializers.BooleanField(label="宜休日均衡指标是否变化")


class HolidayYearPreviewSerializer(serializers.Serializer):
    """What loading a notice would do; nothing is written."""

    year = serializers.IntegerField()
    source_ref = serializers.CharField()
    status_before = serializers.CharField(allow_null=True)
    status_before_label = LabelOf(CalendarStatus, source="status_before", allow_null=True)
    unchanged = serializers.BooleanField(label="与已导入的通知相同，导入不会改动")
    diff = PreviewDiffSerializer()
    rosters = PreviewRosterSerializer(many=True)
    rosters_outside_scope = serializers.IntegerField(label="管理范围之外受影响的排班数")
    provisional_rosters = serializers.IntegerField(label="将不再标为“节假日暂定”的排班数")
