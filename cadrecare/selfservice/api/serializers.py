"""Self-service serializers: explicit fields, masking by the privacy base; the
cadre concerned is never a field a client sets (it is the signed-in person)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from cadrecare.care.api.serializers import FamilyMemberSerializer
from cadrecare.care.choices import Relation
from cadrecare.care.models import FamilyMember
from cadrecare.core.api import ChoiceLabelField, PrivacyModelSerializer, privacy_context
from cadrecare.core.privacy import Level
from cadrecare.org.choices import Gender
from cadrecare.selfservice.models import FamilyMemberChange, HeartMessage, SelfReport


class SelfReportSerializer(PrivacyModelSerializer):
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    kind_label = ChoiceLabelField(source="kind")
    event_kind_label = ChoiceLabelField(source="event_kind")
    hardship_category_label = ChoiceLabelField(source="hardship_category")
    status_label = ChoiceLabelField(source="status")
    family_member = serializers.PrimaryKeyRelatedField(
        queryset=FamilyMember.objects.all(), allow_null=True, required=False, label="涉及家属"
    )
    decided_by_name = serializers.CharField(source="decided_by.get_full_name", read_only=True, default="")

    class Meta:
        model = SelfReport
        fields = [
            "id",
            "cadre",
            "cadre_name",
            "kind",
            "kind_label",
            "event_kind",
            "event_kind_label",
            "hardship_category",
            "hardship_category_label",
            "family_member",
            "date",
            "description",
            "status",
            "status_label",
            "confirm_by",
            "reject_reason",
            "decided_by",
            "decided_by_name",
            "decided_at",
            "family_event",
            "hardship_case",
            "created_at",
        ]
        read_only_fields = [
            "cadre",
            "status",
            "confirm_by",
            "reject_reason",
            "decided_by",
            "decided_at",
            "family_event",
            "hardship_case",
            "created_at",
        ]
        levels = {"hardship_category_label": Level.PERSONAL}


class FamilyMemberFieldsSerializer(serializers.Serializer):
    """The fields a proposed change may set, parsed as the family records parse them."""

    relation = serializers.ChoiceField(choices=Relation.choices, required=False)
    name = serializers.CharField(max_length=50, required=False)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True)
    birth_date = serializers.DateField(required=False, allow_null=True)
    work_unit = serializers.CharField(max_length=100, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    lives_with_cadre = serializers.BooleanField(required=False)
    health_condition = serializers.CharField(max_length=500, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    deceased_on = serializers.DateField(required=False, allow_null=True)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        """Only what the change sets (an update names the fields it changes)."""
        return {name: value for name, value in super().to_representation(instance).items() if name in instance}


class FamilyMemberChangeSerializer(PrivacyModelSerializer):
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    action_label = ChoiceLabelField(source="action")
    status_label = ChoiceLabelField(source="status")
    member = serializers.PrimaryKeyRelatedField(
        queryset=FamilyMember.objects.all(), allow_null=True, required=False, label="家属"
    )
    proposed = FamilyMemberFieldsSerializer(required=False, label="变更内容")
    member_now = serializers.SerializerMethodField(label="家属现有信息")

    class Meta:
        model = FamilyMemberChange
        fields = [
            "id",
            "cadre",
            "cadre_name",
            "action",
            "action_label",
            "member",
            "member_now",
            "proposed",
            "status",
            "status_label",
            "confirm_by",
            "reject_reason",
            "decided_by",
            "decided_at",
            "created_at",
        ]
        read_only_fields = ["cadre", "status", "confirm_by", "reject_reason", "decided_by", "decided_at", "created_at"]
        levels = {"member_now": Level.SENSITIVE}

    def get_member_now(self, change: FamilyMemberChange) -> dict[str, Any] | None:
        """The member as the family records show them to this reader (masked and audited there)."""
        if change.member is None:
            return None
        request = self.context.get("request")
        context = {**privacy_context(getattr(request, "user", None), "family-members"), "request": request}
        if "audit" in self.context:
            context["audit"] = self.context["audit"]
        return FamilyMemberSerializer(change.member, context=context).data


class DecisionInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, label="未采纳理由")


class HeartMessageSerializer(PrivacyModelSerializer):
    sender_name = serializers.CharField(source="sender_cadre.name", read_only=True)
    sender_unit_name = serializers.CharField(source="sender_cadre.unit.name", read_only=True)
    addressee_label = ChoiceLabelField(source="addressee")
    addressee_unit_name = serializers.CharField(source="addressee_unit.name", read_only=True)
    status_label = ChoiceLabelField(source="status")

    class Meta:
        model = HeartMessage
        fields = [
            "id",
            "sender_cadre",
            "sender_name",
            "sender_unit_name",
            "addressee",
            "addressee_label",
            "addressee_unit",
            "addressee_unit_name",
            "body",
            "status",
            "status_label",
            "answer_due",
            "answer",
            "answered_at",
            "created_at",
        ]
        read_only_fields = [
            "sender_cadre",
            "addressee_unit",
            "status",
            "answer_due",
            "answer",
            "answered_at",
            "created_at",
        ]


class AnswerInputSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=4000, label="回复")
