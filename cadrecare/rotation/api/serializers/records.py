"""What takes a cadre off the roster or owes them rest: absences, rest
requests, recalls."""

from __future__ import annotations

from rest_framework import serializers

from cadrecare.core.api import ChoiceLabelField, PrivacyModelSerializer
from cadrecare.core.privacy import Level
from cadrecare.org.api.serializers import ScopedPrimaryKeyField
from cadrecare.org.models import Cadre
from cadrecare.rotation.models import (
    Absence,
    Recall,
    RestRequest,
)


class AbsenceSerializer(PrivacyModelSerializer):
    cadre = ScopedPrimaryKeyField("absences", queryset=Cadre.objects.all(), label="干部")
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    kind_label = ChoiceLabelField(source="kind")

    class Meta:
        model = Absence
        fields = ["id", "cadre", "cadre_name", "kind", "kind_label", "start", "end", "note", "created_by", "created_at"]
        read_only_fields = ["created_by", "created_at"]
        levels = {"kind_label": Level.PERSONAL}  # "sick leave" says something about health


class RestRequestSerializer(PrivacyModelSerializer):
    cadre = ScopedPrimaryKeyField("rest-requests", queryset=Cadre.objects.all(), label="干部")
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    kind_label = ChoiceLabelField(source="kind")

    class Meta:
        model = RestRequest
        fields = [
            "id",
            "cadre",
            "cadre_name",
            "kind",
            "kind_label",
            "start",
            "end",
            "reason",
            "poor_health",
            "family_hardship",
            "requested_by",
            "created_at",
        ]
        read_only_fields = ["requested_by", "created_at"]


class RecallSerializer(PrivacyModelSerializer):
    cadre = ScopedPrimaryKeyField("recalls", queryset=Cadre.objects.all(), label="干部")
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)

    class Meta:
        model = Recall
        fields = ["id", "cadre", "cadre_name", "date", "days_lost", "reason", "recorded_by", "recorded_at"]
        read_only_fields = ["recorded_by", "recorded_at"]
