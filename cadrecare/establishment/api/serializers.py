"""Serializers of the establishment: they shape data; the borrowing rules
live in establishment.services."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from cadrecare.care.api.serializers import read_only_on_update
from cadrecare.core.api import PrivacyModelSerializer
from cadrecare.core.i18n import choice_label
from cadrecare.establishment.choices import BorrowingState
from cadrecare.establishment.models import Borrowing, EstablishmentSlot
from cadrecare.org.api.serializers import PersonNameField, ScopedPrimaryKeyField
from cadrecare.org.choices import UnitKind
from cadrecare.org.models import Cadre, OrgUnit


class EstablishmentSlotSerializer(PrivacyModelSerializer):
    """A township's approved slots with what fills them, counted (selectors.slot_queryset)."""

    township = ScopedPrimaryKeyField("establishment", queryset=OrgUnit.objects.all(), label="乡镇")
    township_name = serializers.CharField(source="township.name", read_only=True)
    county_name = serializers.CharField(source="township.parent.name", read_only=True, default=None)
    approved = serializers.IntegerField(min_value=0, max_value=9999, label="核定编制数")
    filled = serializers.IntegerField(read_only=True, default=0, label="实有人数")
    vacant = serializers.IntegerField(read_only=True, default=0, label="空编数")
    over = serializers.IntegerField(read_only=True, default=0, label="超编数")
    borrowed = serializers.IntegerField(read_only=True, default=0, label="被借用人数")

    class Meta:
        model = EstablishmentSlot
        fields = [
            "id",
            "township",
            "township_name",
            "county_name",
            "approved",
            "approved_on",
            "filled",
            "vacant",
            "over",
            "borrowed",
            "note",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]
        validators: list[Any] = []

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        read_only_on_update(self, fields, ("township",))  # another township has a slot count of its own
        return fields

    def validate_township(self, unit: OrgUnit) -> OrgUnit:
        if unit.kind != UnitKind.TOWNSHIP:
            raise serializers.ValidationError(_("请选择乡镇（街道）。"))
        if EstablishmentSlot.objects.filter(township=unit).exists():
            raise serializers.ValidationError(_("%(name)s的核定编制数已登记，请修改原记录。") % {"name": unit.name})
        return unit


class BorrowingSerializer(PrivacyModelSerializer):
    """A borrowing (借用): the cadre and the borrowing body are named on
    creation, the township is the cadre's establishment unit."""

    cadre = ScopedPrimaryKeyField(
        "establishment-borrowings", queryset=Cadre.objects.select_related("establishment_unit"), label="干部"
    )
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    township_name = serializers.CharField(source="township.name", read_only=True)
    borrower = ScopedPrimaryKeyField("establishment-borrowings", queryset=OrgUnit.objects.all(), label="借用单位")
    borrower_name = serializers.CharField(source="borrower.name", read_only=True)
    state = serializers.CharField(read_only=True, default=None, label="状态")
    state_label = serializers.SerializerMethodField(label="状态名称")
    recorded_by_name = PersonNameField(source="recorded_by", default=None, label="登记人姓名")
    reviewed_by_name = PersonNameField(source="reviewed_by", default=None, label="审核人姓名")

    class Meta:
        model = Borrowing
        fields = [
            "id",
            "cadre",
            "cadre_name",
            "township",
            "township_name",
            "borrower",
            "borrower_name",
            "start",
            "until",
            "reason",
            "state",
            "state_label",
            "recorded_on",
            "recorded_by_name",
            "reviewed_on",
            "reviewed_by_name",
            "review_note",
            "returned_on",
        ]
        read_only_fields = ["township", "recorded_on", "reviewed_on", "review_note", "returned_on"]

    def get_state_label(self, borrowing: Borrowing) -> str | None:
        state = getattr(borrowing, "state", None)
        return choice_label(BorrowingState(state).label) if state else None

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        read_only_on_update(self, fields, ("cadre", "borrower", "start"))  # who, by whom and from when
        return fields


class BorrowingReviewSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, allow_blank=True, label="审核意见")


class BorrowingReturnSerializer(serializers.Serializer):
    returned_on = serializers.DateField(label="返回乡镇日期")
