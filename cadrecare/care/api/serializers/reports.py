"""Rows of the care reports: exchange candidates and care spending."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from cadrecare.core.api import ChoiceLabelField, PrivacyModelSerializer
from cadrecare.core.i18n import choice_label
from cadrecare.core.privacy import Level
from cadrecare.org.models import Cadre


class TransferCandidateSerializer(PrivacyModelSerializer):
    """A row of the transfer-candidates report (selectors.transfer_candidates)."""

    unit_name = serializers.CharField(source="unit.name", read_only=True)
    county_name = serializers.CharField(source="unit.parent.name", read_only=True, default=None)
    remoteness_label = ChoiceLabelField(source="unit.remoteness")
    gender_label = ChoiceLabelField(source="gender")
    rank_label = ChoiceLabelField(source="rank")
    age = serializers.IntegerField(read_only=True, label="年龄")
    remote_years = serializers.FloatField(read_only=True, label="边远乡镇工作年限")
    hardship = serializers.BooleanField(read_only=True, label="家庭困难")
    health_concern = serializers.BooleanField(read_only=True, label="健康状况需关注")

    class Meta:
        model = Cadre
        fields = [
            "id",
            "name",
            "gender",
            "gender_label",
            "rank",
            "rank_label",
            "post_title",
            "unit",
            "unit_name",
            "county_name",
            "remoteness_label",
            "age",
            "remote_years",
            "hardship",
            "health_concern",
        ]
        levels = {
            "age": Level.BASIC,
            "remote_years": Level.BASIC,
            "hardship": Level.PERSONAL,
            "health_concern": Level.SENSITIVE,
        }


class CareSpendingRowSerializer(serializers.Serializer):
    """One unit's spending of one category and kind in a year (labels in the request's language)."""

    id = serializers.IntegerField(source="unit", label="单位")  # rows are per unit, as the other reports'
    unit = serializers.IntegerField(label="单位")
    unit_name = serializers.CharField(label="单位名称")
    category = serializers.CharField(label="类别")
    category_label = serializers.SerializerMethodField(label="类别名称")
    kind = serializers.CharField(label="类型")
    kind_label = serializers.SerializerMethodField(label="类型名称")
    count = serializers.IntegerField(label="笔数")
    goods = serializers.IntegerField(label="送慰问物资次数")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, label="金额（元）")

    def get_category_label(self, row: dict[str, Any]) -> str:
        return choice_label(row["category_label"])

    def get_kind_label(self, row: dict[str, Any]) -> str:
        return choice_label(row["kind_label"])
