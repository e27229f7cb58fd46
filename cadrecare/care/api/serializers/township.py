"""Shapes of township conditions: facilities, their gaps, and post allowances."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy, gettext_noop
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cadrecare.care.api.serializers.common import read_only_on_update
from cadrecare.care.choices import FacilityItem, FacilityStatus
from cadrecare.care.models import (
    Facility,
    PostAllowance,
)
from cadrecare.care.selectors import UNRECORDED, facility_gaps
from cadrecare.core.api import ChoiceLabelField, PrivacyModelSerializer
from cadrecare.core.i18n import choice_label
from cadrecare.org.api.serializers import ScopedPrimaryKeyField
from cadrecare.org.models import OrgUnit


class FacilitySerializer(PrivacyModelSerializer):
    township = ScopedPrimaryKeyField("facilities", queryset=OrgUnit.objects.all(), label="乡镇")
    township_name = serializers.CharField(source="township.name", read_only=True)
    item_label = ChoiceLabelField(source="item")
    status_label = ChoiceLabelField(source="status")

    class Meta:
        model = Facility
        fields = [
            "id",
            "township",
            "township_name",
            "item",
            "item_label",
            "status",
            "status_label",
            "as_of",
            "note",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]
        validators: list[Any] = []

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        read_only_on_update(self, fields, ("township", "item"))
        return fields


class FacilityGapSerializer(PrivacyModelSerializer):
    """One township of the gaps report: what it lacks of the five small
    facilities, meals and lodging."""

    county_name = serializers.CharField(source="parent.name", read_only=True, default=None)
    remoteness_label = ChoiceLabelField(source="remoteness")
    gaps = serializers.SerializerMethodField(label="缺项")
    gap_count = serializers.SerializerMethodField(label="缺项数")
    gap_text = serializers.SerializerMethodField(label="缺项说明")

    class Meta:
        model = OrgUnit
        fields = [
            "id",
            "code",
            "name",
            "county_name",
            "remoteness",
            "remoteness_label",
            "gaps",
            "gap_count",
            "gap_text",
        ]

    def get_gaps(self, township: OrgUnit) -> list[dict[str, str]]:
        labels = dict(FacilityStatus.choices) | {UNRECORDED: gettext_noop("未登记")}
        return [
            {
                "item": item,
                "item_label": choice_label(FacilityItem(item).label),
                "status": status,
                "status_label": choice_label(labels[status]),
            }
            for item, status in facility_gaps(township).items()
        ]

    def get_gap_count(self, township: OrgUnit) -> int:
        return len(facility_gaps(township))

    def get_gap_text(self, township: OrgUnit) -> str:
        return "、".join(f"{gap['item_label']}（{gap['status_label']}）" for gap in self.get_gaps(township))


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-03"})
class MonthField(serializers.Field):
    """A month as "YYYY-MM" on the wire, its first day in the database."""

    default_error_messages = {"invalid": gettext_lazy("月份格式应为 YYYY-MM。")}

    def to_internal_value(self, data: Any) -> dt.date:
        try:
            year, month = str(data).split("-")
            return dt.date(int(year), int(month), 1)
        except ValueError:
            self.fail("invalid")
            raise  # unreachable: fail() raises

    def to_representation(self, value: dt.date) -> str:
        return f"{value:%Y-%m}"


class PostAllowanceSerializer(PrivacyModelSerializer):
    """Parses a township's month of post allowance; its rules are ``post_allowance_save``'s."""

    township = ScopedPrimaryKeyField("post-allowances", queryset=OrgUnit.objects.all(), label="乡镇")
    month = MonthField(label="月份")
    due_amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, label="应发金额（元）")
    paid_amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, label="实发金额（元）"
    )
    due_by = serializers.DateField(required=False, label="应发放截止日（默认当月最后一天）")
    township_name = serializers.CharField(source="township.name", read_only=True)
    county_name = serializers.CharField(source="township.parent.name", read_only=True, default=None)
    is_late = serializers.BooleanField(read_only=True, label="未按时发放")
    is_short = serializers.BooleanField(read_only=True, label="未足额发放")

    class Meta:
        model = PostAllowance
        fields = [
            "id",
            "township",
            "township_name",
            "county_name",
            "month",
            "due_amount",
            "paid_amount",
            "due_by",
            "paid_on",
            "is_late",
            "is_short",
            "note",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]
        validators: list[Any] = []

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        read_only_on_update(self, fields, ("township", "month"))
        return fields
