"""Shapes of visit obligations and visits."""

from __future__ import annotations

from typing import Any

from django.db import models
from rest_framework import serializers

from cadrecare.care.api.serializers.common import read_only_on_update
from cadrecare.care.models import (
    FamilyMember,
    Visit,
    VisitObligation,
)
from cadrecare.core import clock
from cadrecare.core.api import ChoiceLabelField, PrivacyModelSerializer
from cadrecare.org import posts
from cadrecare.org.api.serializers import PersonField, PersonNameField, PersonNamesField, ScopedPrimaryKeyField
from cadrecare.org.models import Cadre


class VisitObligationSerializer(PrivacyModelSerializer):
    cadre = ScopedPrimaryKeyField("visit-obligations", queryset=Cadre.objects.select_related("unit"), label="干部")
    owner = PersonField(allow_null=True, required=False, label="责任人（干部编号）")
    deadline = serializers.DateField(required=False, label="走访期限")
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    source_label = ChoiceLabelField(source="source")
    status_label = ChoiceLabelField(source="status")
    cancel_reason_label = ChoiceLabelField(source="cancel_reason")
    owner_name = PersonNameField(source="owner", default=None, label="责任人姓名")
    overdue = serializers.SerializerMethodField(label="已逾期")
    visits = serializers.SerializerMethodField(label="走访记录")

    class Meta:
        model = VisitObligation
        fields = [
            "id",
            "cadre",
            "cadre_name",
            "source",
            "source_label",
            "family_event",
            "condition",
            "reason",
            "event_date",
            "deadline",
            "owner",
            "owner_name",
            "owner_note",
            "owner_post",
            "owner_post_unit",
            "status",
            "status_label",
            "overdue",
            "done_on",
            "waived_reason",
            "waived_by",
            "cancel_reason",
            "cancel_reason_label",
            "cancelled_on",
            "visits",
            "created_at",
        ]
        read_only_fields = [
            "source",
            "family_event",
            "condition",
            "owner_note",
            "owner_post",
            "owner_post_unit",
            "status",
            "done_on",
            "waived_reason",
            "waived_by",
            "cancel_reason",
            "cancelled_on",
            "created_at",
        ]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        read_only_on_update(self, fields, ("cadre", "event_date"))
        if self.instance is None:
            fields["owner"].read_only = True  # routed by the rules; reassigned afterwards
        return fields

    def to_representation(self, instance: models.Model) -> dict[str, Any]:
        """The owner shown is the one today: the holder of the obligation's
        post (``owner_post`` in ``owner_post_unit``) when it was given to a
        post, with the note saying why there is none (岗位空缺 / 未开通账号)."""
        data = super().to_representation(instance)
        owner = posts.owner_now(instance, hand="owner", hand_note="owner_note", day=clock.today())
        data.update(owner=owner.cadre_id, owner_name=owner.name, owner_note=owner.note_text)
        return data

    def get_overdue(self, obligation: VisitObligation) -> bool:
        return obligation.status == "open" and obligation.deadline < clock.today()

    def get_visits(self, obligation: VisitObligation) -> list[int]:
        return [visit.pk for visit in obligation.visits.all()]


class VisitWaiveSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, label="免于走访理由")


class VisitSerializer(PrivacyModelSerializer):
    cadre = ScopedPrimaryKeyField("visits", queryset=Cadre.objects.select_related("unit"), label="干部")
    family_member = ScopedPrimaryKeyField(
        "visits", queryset=FamilyMember.objects.all(), allow_null=True, required=False, label="走访家属"
    )
    visitors = PersonField(many=True, label="走访人（干部编号）")
    obligations = ScopedPrimaryKeyField(
        "visits", queryset=VisitObligation.objects.all(), many=True, required=False, label="完成的走访任务"
    )
    money_amount = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, label="慰问金（元）")
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    kind_label = ChoiceLabelField(source="kind")
    visitor_names = PersonNamesField(source="visitors", label="走访人姓名")

    class Meta:
        model = Visit
        fields = [
            "id",
            "cadre",
            "cadre_name",
            "family_member",
            "date",
            "kind",
            "kind_label",
            "visitors",
            "visitor_names",
            "money_amount",
            "goods",
            "notes",
            "obligations",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = ["recorded_by", "created_at"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        read_only_on_update(self, fields, ("cadre", "obligations"))
        return fields
