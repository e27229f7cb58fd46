"""Shapes of care policies, family members, family events and a cadre's illness or death."""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Any, cast

from django.db import models
from rest_framework import serializers

from cadrecare.care.api.serializers.common import read_only_on_update
from cadrecare.care.models import (
    CadreCondition,
    CarePolicy,
    FamilyEvent,
    FamilyMember,
)
from cadrecare.care.rules import member_visible_level
from cadrecare.core import clock
from cadrecare.core.api import ChoiceLabelField, PrivacyModelSerializer
from cadrecare.core.privacy import Level
from cadrecare.org.api.serializers import PersonField, PersonNameField, ScopedPrimaryKeyField
from cadrecare.org.models import Cadre, OrgUnit


class CarePolicySerializer(PrivacyModelSerializer):
    unit = ScopedPrimaryKeyField("care-policies", queryset=OrgUnit.objects.all(), label="单位")
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    family_event_days = serializers.IntegerField(
        min_value=1, max_value=60, allow_null=True, required=False, label="家庭变故必访期限（天）"
    )
    illness_days = serializers.IntegerField(
        min_value=1, max_value=60, allow_null=True, required=False, label="干部重病慰问期限（天）"
    )
    death_days = serializers.IntegerField(
        min_value=1, max_value=60, allow_null=True, required=False, label="干部去世慰问期限（天）"
    )
    hardship_review_months = serializers.IntegerField(
        min_value=1, max_value=24, allow_null=True, required=False, label="困难帮扶回访周期（月）"
    )
    message_answer_days = serializers.IntegerField(
        min_value=1, max_value=60, allow_null=True, required=False, label="心里话回复期限（天）"
    )
    first_contact_days = serializers.IntegerField(
        min_value=1, max_value=60, allow_null=True, required=False, label="困难帮扶首次联系期限（天）"
    )
    sick_leave_days = serializers.IntegerField(
        min_value=1, max_value=180, allow_null=True, required=False, label="长期病假关怀起点（天）"
    )
    visit_owner = PersonField(allow_null=True, required=False, label="指定走访责任人（干部编号）")
    visit_owner_name = PersonNameField(source="visit_owner", default=None, label="指定走访责任人姓名")

    class Meta:
        model = CarePolicy
        fields = [
            "id",
            "unit",
            "unit_name",
            "family_event_days",
            "illness_days",
            "death_days",
            "hardship_review_months",
            "message_answer_days",
            "first_contact_days",
            "sick_leave_days",
            "visit_owner",
            "visit_owner_name",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]
        validators: list[Any] = []

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        read_only_on_update(self, fields, ("unit",))
        return fields


class FamilyMemberSerializer(PrivacyModelSerializer):
    cadre = ScopedPrimaryKeyField("family-members", queryset=Cadre.objects.select_related("unit"), label="干部")
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    relation_label = ChoiceLabelField(source="relation")
    gender_label = ChoiceLabelField(source="gender")

    class Meta:
        model = FamilyMember
        fields = [
            "id",
            "cadre",
            "cadre_name",
            "relation",
            "relation_label",
            "name",
            "gender",
            "gender_label",
            "birth_date",
            "work_unit",
            "phone",
            "lives_with_cadre",
            "health_condition",
            "notes",
            "deceased_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        levels = {"gender_label": Level.PERSONAL}
        validators: list[Any] = []

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        read_only_on_update(self, fields, ("cadre",))
        return fields

    def visible_level(self, instance: models.Model) -> Level:
        """A child under 14 is sensitive throughout (``rules.member_visible_level``)."""
        member = cast(FamilyMember, instance)
        return member_visible_level(member, super().visible_level(member), self._today)

    @cached_property
    def _today(self) -> dt.date:
        return clock.today()


class FamilyEventSerializer(PrivacyModelSerializer):
    cadre = ScopedPrimaryKeyField("family-events", queryset=Cadre.objects.select_related("unit"), label="干部")
    family_member = ScopedPrimaryKeyField(
        "family-events", queryset=FamilyMember.objects.all(), allow_null=True, required=False, label="涉及家属"
    )
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    kind_label = ChoiceLabelField(source="kind")
    family_member_relation = ChoiceLabelField(source="family_member.relation", default=None, allow_null=True)
    request_key = serializers.CharField(max_length=64, required=False, allow_blank=True, label="请求幂等键")
    obligation = serializers.SerializerMethodField(label="必访任务")

    class Meta:
        model = FamilyEvent
        fields = [
            "id",
            "cadre",
            "cadre_name",
            "family_member",
            "family_member_relation",
            "kind",
            "kind_label",
            "date",
            "description",
            "request_key",
            "obligation",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = ["recorded_by", "created_at"]
        validators: list[Any] = []

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        read_only_on_update(self, fields, ("cadre", "family_member", "kind", "date", "request_key"))
        return fields

    def get_obligation(self, event: FamilyEvent) -> int | None:
        obligation = getattr(event, "obligation", None)
        return obligation.pk if obligation is not None else None


class CadreConditionSerializer(PrivacyModelSerializer):
    cadre = ScopedPrimaryKeyField("cadre-conditions", queryset=Cadre.objects.select_related("unit"), label="干部")
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    kind_label = ChoiceLabelField(source="kind")
    request_key = serializers.CharField(max_length=64, required=False, allow_blank=True, label="请求幂等键")
    obligation = serializers.SerializerMethodField(label="慰问任务")

    class Meta:
        model = CadreCondition
        fields = [
            "id",
            "cadre",
            "cadre_name",
            "kind",
            "kind_label",
            "date",
            "description",
            "request_key",
            "obligation",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = ["recorded_by", "created_at"]
        validators: list[Any] = []

    def get_obligation(self, condition: CadreCondition) -> int | None:
        obligation = getattr(condition, "obligation", None)
        return obligation.pk if obligation is not None else None
