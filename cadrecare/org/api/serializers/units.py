"""Shapes of the organisation tree: units and their offices."""

from __future__ import annotations

from rest_framework import serializers

from cadrecare.core.api import ChoiceLabelField, PrivacyModelSerializer
from cadrecare.org.api.serializers.fields import ScopedPrimaryKeyField
from cadrecare.org.models import Office, OrgUnit


class OrgUnitSerializer(PrivacyModelSerializer):
    # The stubs see Field.parent (the serializer a field is bound to); DRF's metaclass takes declared
    # fields off the class, so this one shadows nothing.
    parent = ScopedPrimaryKeyField(  # type: ignore[assignment]
        "org-units", queryset=OrgUnit.objects.all(), allow_null=True, required=False, label="上级单位"
    )
    kind_label = ChoiceLabelField(source="kind")
    remoteness_label = ChoiceLabelField(source="remoteness")

    class Meta:
        model = OrgUnit
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "kind_label",
            "parent",
            "path",
            "remoteness",
            "remoteness_label",
            "distance_km",
            "active",
        ]
        read_only_fields = ["path"]


class OfficeSerializer(PrivacyModelSerializer):
    unit = ScopedPrimaryKeyField("offices", queryset=OrgUnit.objects.all(), label="所属单位")
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Office
        fields = ["id", "unit", "unit_name", "name", "active"]
