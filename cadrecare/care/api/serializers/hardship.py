"""Shapes of hardship cases, their measures and reviews, and care decisions."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from cadrecare.care.api.serializers.common import read_only_on_update
from cadrecare.care.choices import ContactWay, FollowUpOutcome, HardshipCategory
from cadrecare.care.models import (
    CareDecision,
    HardshipCase,
    HardshipMeasure,
)
from cadrecare.core.api import ChoiceLabelField, PrivacyModelSerializer
from cadrecare.core.privacy import Level
from cadrecare.health.models import Checkup
from cadrecare.org.api.serializers import PersonNameField, ScopedPrimaryKeyField
from cadrecare.org.models import Cadre
from cadrecare.rotation.models import Absence


class HardshipMeasureBriefSerializer(serializers.ModelSerializer):
    """Measures inside their case: the facts, not the (sensitive) notes."""

    kind_label = ChoiceLabelField(source="kind")

    class Meta:
        model = HardshipMeasure
        fields = ["id", "date", "kind", "kind_label", "amount", "provided_by"]


class HardshipCaseSerializer(PrivacyModelSerializer):
    cadre = ScopedPrimaryKeyField("hardship-cases", queryset=Cadre.objects.select_related("unit"), label="干部")
    opened_on = serializers.DateField(required=False, label="登记日期")
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    category_label = ChoiceLabelField(source="category")
    status_label = ChoiceLabelField(source="status")
    first_contact_way_label = ChoiceLabelField(source="first_contact_way")
    measures = HardshipMeasureBriefSerializer(many=True, read_only=True)

    class Meta:
        model = HardshipCase
        fields = [
            "id",
            "cadre",
            "cadre_name",
            "category",
            "category_label",
            "description",
            "status",
            "status_label",
            "opened_on",
            "next_review",
            "last_reviewed_on",
            "resolved_on",
            "first_contact_due",
            "first_contact_on",
            "first_contact_way",
            "first_contact_way_label",
            "measures",
            "recorded_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "last_reviewed_on",
            "first_contact_due",
            "first_contact_on",
            "first_contact_way",
            "recorded_by",
            "created_at",
            "updated_at",
        ]
        levels = {"category_label": Level.PERSONAL}

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        read_only_on_update(self, fields, ("cadre",))
        return fields


class HardshipReviewInputSerializer(serializers.Serializer):
    """A review of a hardship case: when it took place and, optionally, when the next one is due."""

    date = serializers.DateField(required=False, label="回访日期")
    next_review = serializers.DateField(required=False, label="下次回访日期")


class HardshipFirstContactInputSerializer(serializers.Serializer):
    """The first contact with a new hardship case (及时关心问候): how and when."""

    way = serializers.ChoiceField(choices=ContactWay.choices, label="联系方式")
    date = serializers.DateField(required=False, label="联系日期（默认今天）")


class CareDecisionSerializer(PrivacyModelSerializer):
    """A decision on care for a cadre whose check-up concluded 需治疗 (``checkup``)
    or who is on a long sick leave (``absence``): name one of them. ``category``
    is the hardship category when opening a case; ``deadline`` the visit's,
    when arranging one (default: the care policy's days)."""

    checkup = ScopedPrimaryKeyField(
        "care-decisions",
        queryset=Checkup.objects.select_related("cadre__unit"),
        allow_null=True,
        required=False,
        label="体检记录（结论需治疗）",
    )
    absence = ScopedPrimaryKeyField(
        "care-decisions",
        queryset=Absence.objects.select_related("cadre__unit"),
        allow_null=True,
        required=False,
        label="病假",
    )
    category = serializers.ChoiceField(
        choices=HardshipCategory.choices, required=False, write_only=True, label="困难类别（登记困难帮扶时）"
    )
    deadline = serializers.DateField(required=False, write_only=True, label="走访期限（安排走访时）")
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    trigger_label = ChoiceLabelField(source="trigger")
    outcome_label = ChoiceLabelField(source="outcome")
    decided_by_name = PersonNameField(source="decided_by", default=None, label="决定人姓名")

    class Meta:
        model = CareDecision
        fields = [
            "id",
            "cadre",
            "cadre_name",
            "trigger",
            "trigger_label",
            "checkup",
            "absence",
            "outcome",
            "outcome_label",
            "reason",
            "category",
            "deadline",
            "hardship_case",
            "visit_obligation",
            "decided_on",
            "decided_by",
            "decided_by_name",
            "created_at",
        ]
        read_only_fields = [
            "cadre",
            "trigger",
            "hardship_case",
            "visit_obligation",
            "decided_on",
            "decided_by",
            "created_at",
        ]
        levels = {"trigger_label": Level.SENSITIVE}

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["outcome"].choices = FollowUpOutcome.choices  # type: ignore[attr-defined]  # a ChoiceField
        return fields


class HardshipMeasureSerializer(PrivacyModelSerializer):
    case = ScopedPrimaryKeyField("hardship-measures", queryset=HardshipCase.objects.all(), label="帮扶对象")
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, label="金额（元）")
    cadre = serializers.IntegerField(source="case.cadre_id", read_only=True, label="干部")
    kind_label = ChoiceLabelField(source="kind")

    class Meta:
        model = HardshipMeasure
        fields = ["id", "case", "cadre", "date", "kind", "kind_label", "amount", "provided_by", "note", "created_at"]
        read_only_fields = ["created_at"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        read_only_on_update(self, fields, ("case",))
        return fields
