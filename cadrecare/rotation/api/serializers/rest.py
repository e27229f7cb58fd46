"""The cadre's rest as it happens: swap requests (换休申请), rest compliance
(休息落实情况), rest spent away and owed, and the cadres' confirmations."""

from __future__ import annotations

from rest_framework import serializers

from cadrecare.core.api import ChoiceLabelField, PrivacyModelSerializer
from cadrecare.rotation.api.serializers.common import MonthField
from cadrecare.rotation.models import (
    MissedRest,
    RestConfirmation,
    RosterEntitlement,
    SwapRequest,
)

# ---------------------------------------------------------------------------
# Swap requests (换休申请)
# ---------------------------------------------------------------------------

MAX_ID = 2**63 - 1


class SwapRequestSerializer(PrivacyModelSerializer):
    unit = serializers.IntegerField(source="roster.unit_id", read_only=True)
    unit_name = serializers.CharField(source="roster.unit.name", read_only=True)
    month = MonthField(source="roster.month", read_only=True)
    requester_name = serializers.CharField(source="requester.name", read_only=True)
    counterpart_name = serializers.CharField(source="counterpart.name", read_only=True)
    status_label = ChoiceLabelField(source="status")
    applied_version_number = serializers.IntegerField(source="applied_version.number", read_only=True, default=None)

    class Meta:
        model = SwapRequest
        fields = [
            "id",
            "roster",
            "unit",
            "unit_name",
            "month",
            "roster_version",
            "requester",
            "requester_name",
            "requester_start",
            "requester_end",
            "counterpart",
            "counterpart_name",
            "counterpart_start",
            "counterpart_end",
            "reason",
            "status",
            "status_label",
            "requested_by",
            "created_at",
            "responded_at",
            "decided_by",
            "decided_at",
            "note",
            "applied_version",
            "applied_version_number",
        ]
        read_only_fields = fields


class SwapRequestCreateSerializer(serializers.Serializer):
    """A cadre's request: their block and the colleague's, each by its first
    day (the last day too, to be sure), on a published roster."""

    roster = serializers.IntegerField(min_value=1, max_value=MAX_ID, label="排班表编号")
    requester_start = serializers.DateField(label="我的休息段开始日期")
    requester_end = serializers.DateField(required=False, label="我的休息段结束日期（核对用）")
    counterpart = serializers.IntegerField(min_value=1, max_value=MAX_ID, label="对方干部编号")
    counterpart_start = serializers.DateField(label="对方休息段开始日期")
    counterpart_end = serializers.DateField(required=False, label="对方休息段结束日期（核对用）")
    reason = serializers.CharField(max_length=300, label="理由（对方和书记都会看到）")


class SwapDecisionSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=300, default="", label="审批意见（不批准时必填）"
    )


# ---------------------------------------------------------------------------
# Rest compliance (休息落实情况)
# ---------------------------------------------------------------------------


class RestComplianceSerializer(PrivacyModelSerializer):
    """One cadre's month: entitled, planned, recalled, taken, owed, forfeited."""

    roster = serializers.IntegerField(read_only=True, label="排班表")
    unit = serializers.IntegerField(read_only=True, label="单位")
    unit_name = serializers.CharField(source="version.roster.unit.name", read_only=True, label="单位名称")
    month = MonthField(read_only=True, label="月份")
    cadre_name = serializers.CharField(source="cadre.name", read_only=True, label="姓名")
    carried_in = serializers.IntegerField(source="carry_days", read_only=True, label="其中补休（往月召回）")
    planned = serializers.IntegerField(read_only=True, label="排班休息天数")
    recalled = serializers.IntegerField(read_only=True, label="召回损失天数")
    taken = serializers.IntegerField(read_only=True, label="实际休息天数")
    away = serializers.IntegerField(read_only=True, label="外出未休天数")
    entitlement_cut = serializers.IntegerField(read_only=True, label="外出减少的应休天数")
    owed = serializers.IntegerField(read_only=True, label="待补休天数（结转以后月份）")
    forfeited = serializers.IntegerField(read_only=True, label="未安排且不补的天数")
    below_entitlement = serializers.BooleanField(read_only=True, label="实休少于应休")
    confirmed = serializers.IntegerField(read_only=True, label="已确认休息天数（锁定且无待处理更正）")
    confirmation = serializers.CharField(read_only=True, allow_null=True, label="本人月末确认")

    class Meta:
        model = RosterEntitlement
        fields = [
            "id",
            "roster",
            "unit",
            "unit_name",
            "month",
            "cadre",
            "cadre_name",
            "available_days",
            "carried_in",
            "entitled",
            "planned",
            "recalled",
            "away",
            "entitlement_cut",
            "taken",
            "owed",
            "forfeited",
            "below_entitlement",
            "confirmed",
            "confirmation",
        ]
        read_only_fields = fields


class MissedRestSerializer(PrivacyModelSerializer):
    """Published rest days a cadre spent away, and whether they are owed."""

    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    unit = serializers.IntegerField(source="roster.unit_id", read_only=True)
    month = MonthField(read_only=True)
    status_label = ChoiceLabelField(source="status")

    class Meta:
        model = MissedRest
        fields = [
            "id",
            "absence",
            "roster",
            "unit",
            "month",
            "cadre",
            "cadre_name",
            "dates",
            "days",
            "entitlement_cut",
            "owed",
            "status",
            "status_label",
            "note",
            "decided_by",
            "decided_at",
            "created_at",
        ]
        read_only_fields = fields


class MissedRestTakenSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="", label="说明")


class RestConfirmationSerializer(PrivacyModelSerializer):
    """A cadre's month-end word on their rest, and the secretary's answer."""

    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    unit = serializers.IntegerField(source="roster.unit_id", read_only=True)
    month = MonthField(source="roster.month", read_only=True)
    status_label = ChoiceLabelField(source="status")

    class Meta:
        model = RestConfirmation
        fields = [
            "id",
            "roster",
            "unit",
            "month",
            "cadre",
            "cadre_name",
            "status",
            "status_label",
            "days_rested",
            "note",
            "submitted_on",
            "created_at",
            "updated_at",
            "resolved_by",
            "resolved_at",
            "resolution",
        ]
        read_only_fields = fields


class RestConfirmationInputSerializer(serializers.Serializer):
    roster = serializers.IntegerField(min_value=1, max_value=2**63 - 1, label="排班表")
    confirm = serializers.BooleanField(label="确认无误（false 为更正）")
    days_rested = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=31, label="实际休息天数"
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="", label="更正说明")


class RestConfirmationResolveSerializer(serializers.Serializer):
    resolution = serializers.CharField(max_length=500, label="处理意见")


class RestComplianceUnitSerializer(serializers.Serializer):
    """One unit's month, summed over its cadres; ``id`` is the roster's."""

    id = serializers.IntegerField(source="roster", read_only=True)
    unit = serializers.IntegerField(read_only=True)
    unit_name = serializers.CharField(read_only=True)
    month = MonthField(read_only=True)
    cadres = serializers.IntegerField(read_only=True, label="干部人数")
    entitled = serializers.IntegerField(source="entitled_total", read_only=True, label="应休天数")
    planned = serializers.IntegerField(source="planned_total", read_only=True, label="排班休息天数")
    recalled = serializers.IntegerField(source="recalled_total", read_only=True, label="召回损失天数")
    away = serializers.IntegerField(source="away_total", read_only=True, label="外出未休天数")
    taken = serializers.IntegerField(source="taken_total", read_only=True, label="实际休息天数")
    confirmed = serializers.IntegerField(source="confirmed_total", read_only=True, label="已确认休息天数")
    open_corrections = serializers.IntegerField(read_only=True, label="待处理的更正")
    owed = serializers.IntegerField(source="owed_total", read_only=True, label="待补休天数")
    forfeited = serializers.IntegerField(source="forfeited_total", read_only=True, label="未安排且不补的天数")
    below_entitlement = serializers.IntegerField(
        source="below_entitlement_count", read_only=True, label="实休少于应休的人数"
    )
