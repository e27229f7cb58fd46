"""Rotation policies (轮休政策), one version per unit and starting month."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from cadrecare.core.api import ChoiceLabelField, PrivacyModelSerializer
from cadrecare.org.api.serializers import ScopedPrimaryKeyField
from cadrecare.org.models import OrgUnit
from cadrecare.rotation.api.serializers.common import MonthField
from cadrecare.rotation.models import (
    RotationPolicy,
)


class RotationPolicySerializer(PrivacyModelSerializer):
    unit = ScopedPrimaryKeyField("rotation-policies", queryset=OrgUnit.objects.all(), label="单位")
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    effective_from = MonthField(label="起始月份（YYYY-MM）")
    mode_label = ChoiceLabelField(source="mode")
    min_on_duty_ratio = serializers.DecimalField(
        max_digits=3, decimal_places=2, min_value=0, max_value=1, required=False, label="最低在岗比例"
    )
    never_together = serializers.JSONField(required=False, label="不得同时休息的干部编号对")
    blackout = serializers.JSONField(required=False, label="禁休日期")
    absence_kinds_reducing_rest = serializers.JSONField(required=False, label="减少当月休息的外出类型（县级设定）")
    township_modes = serializers.JSONField(required=False, label="乡镇可选的轮休模式")
    township_min_ratio = serializers.DecimalField(
        max_digits=3,
        decimal_places=2,
        min_value=0,
        max_value=1,
        required=False,
        allow_null=True,
        label="乡镇最低在岗比例不得低于",
    )

    class Meta:
        model = RotationPolicy
        fields = [
            "id",
            "unit",
            "unit_name",
            "effective_from",
            "mode",
            "mode_label",
            "rest_days",
            "min_on_duty_ratio",
            "min_leaders_on_duty",
            "min_on_duty_per_office",
            "principal_leaders_apart",
            "never_together",
            "blackout",
            "generation_day",
            "absence_kinds_reducing_rest",
            "township_modes",
            "township_min_ratio",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_by", "created_at", "updated_at"]

    def validate_never_together(self, value: Any) -> Any:
        if not isinstance(value, list):
            raise serializers.ValidationError(_("应为干部编号对的列表，如 [[12, 15]]。"))
        return value

    def validate_blackout(self, value: Any) -> Any:
        if not isinstance(value, list):
            raise serializers.ValidationError(
                _('应为列表，如 [{"from": "2027-07-01", "to": "2027-07-10", "reason": "防汛"}]。')
            )
        return value
