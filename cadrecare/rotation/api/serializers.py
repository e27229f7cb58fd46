"""Shapes of the rest-rotation resources; the rules live in services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cadrecare.core.api import ChoiceLabelField, PrivacyModelSerializer
from cadrecare.core.i18n import choice_label
from cadrecare.core.privacy import Level
from cadrecare.org.api.serializers import ScopedPrimaryKeyField
from cadrecare.org.models import Cadre, OrgUnit
from cadrecare.rotation import explain, selectors
from cadrecare.rotation.choices import CalendarStatus, DayKind, DayType, HolidayKind, RosterStatus, RunStatus
from cadrecare.rotation.models import (
    Absence,
    GenerationItem,
    GenerationRun,
    HolidayDay,
    HolidayYear,
    MissedRest,
    Recall,
    RestConfirmation,
    RestRequest,
    Roster,
    RosterDay,
    RosterEntitlement,
    RotationPolicy,
    SwapRequest,
)


@extend_schema_field(OpenApiTypes.STR)
class MonthField(serializers.Field):
    """A month as ``YYYY-MM`` (``YYYY-MM-01`` also accepted), held as its first day."""

    default_error_messages = {"invalid": gettext_lazy("月份格式应为 YYYY-MM，如 2027-03。")}

    def to_internal_value(self, data: Any) -> dt.date:
        text = str(data).strip()
        if len(text) == 7:
            text += "-01"
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            self.fail("invalid")
        if day.day != 1 or not 2000 <= day.year <= 2100:
            self.fail("invalid")
        return day

    def to_representation(self, value: dt.date) -> str:
        return f"{value:%Y-%m}"


# ---------------------------------------------------------------------------
# Holiday calendar
# ---------------------------------------------------------------------------


class HolidayDaySerializer(PrivacyModelSerializer):
    kind_label = ChoiceLabelField(source="kind")

    class Meta:
        model = HolidayDay
        fields = ["date", "kind", "kind_label", "name"]


class HolidayYearSerializer(PrivacyModelSerializer):
    status_label = ChoiceLabelField(source="status")
    loaded_by_name = serializers.CharField(source="loaded_by.username", read_only=True, default=None)
    days = HolidayDaySerializer(many=True, read_only=True)

    class Meta:
        model = HolidayYear
        fields = [
            "id",
            "year",
            "status",
            "status_label",
            "source_ref",
            "loaded_by",
            "loaded_by_name",
            "loaded_at",
            "checksum",
            "days",
        ]
        read_only_fields = fields


class HolidayRowSerializer(serializers.Serializer):
    date = serializers.DateField(label="日期")
    kind = serializers.ChoiceField(choices=HolidayKind.choices, label="类型")
    name = serializers.CharField(max_length=100, allow_blank=True, required=False, default="", label="名称")


class HolidayYearLoadSerializer(serializers.Serializer):
    """A year's arrangement from the State Council's notice: rows, or a CSV file."""

    year = serializers.IntegerField(min_value=2000, max_value=2100, label="年份")
    source_ref = serializers.CharField(max_length=300, label="通知文号或网址")
    rows = HolidayRowSerializer(many=True, required=False, label="日期行")
    file = serializers.FileField(required=False, label="CSV 文件（日期,类型,名称）")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("rows") and not attrs.get("file"):
            raise serializers.ValidationError({"rows": _("请提供日期行或上传 CSV 文件。")})
        return attrs


@extend_schema_field(OpenApiTypes.STR)
class LabelOf(serializers.Field):
    """The label of a code in a choice set, in the request's language (the value
    itself when unknown): ``ChoiceLabelField`` for serializers without a model."""

    def __init__(self, choices: type[models.TextChoices], **kwargs: Any) -> None:
        self.labels = dict(choices.choices)
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value: Any) -> str:
        label = self.labels.get(value)
        return choice_label(label) if label is not None else value


class PreviewDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    name = serializers.CharField()


class PreviewRenamedSerializer(serializers.Serializer):
    date = serializers.DateField()
    kind = serializers.CharField()
    name_before = serializers.CharField()
    name_after = serializers.CharField()


class PreviewChangeSerializer(serializers.Serializer):
    """A date whose kind changes: workday, weekend, holiday or makeup workday."""

    date = serializers.DateField()
    before = serializers.CharField()
    before_label = LabelOf(DayType, source="before")
    after = serializers.CharField()
    after_label = LabelOf(DayType, source="after")
    name_before = serializers.CharField()
    name_after = serializers.CharField()
    desirable_before = serializers.BooleanField(label="原为宜休日（周末或节假日）")
    desirable_after = serializers.BooleanField(label="更正后为宜休日")


class PreviewDiffSerializer(serializers.Serializer):
    holidays_added = PreviewDaySerializer(many=True)
    holidays_removed = PreviewDaySerializer(many=True)
    makeup_workdays_added = PreviewDaySerializer(many=True)
    makeup_workdays_removed = PreviewDaySerializer(many=True)
    renamed = PreviewRenamedSerializer(many=True)
    changes = PreviewChangeSerializer(many=True)


class PreviewRosterSerializer(serializers.Serializer):
    """A roster whose month has a changed date."""

    roster = serializers.IntegerField(source="roster_id")
    unit = serializers.IntegerField(source="unit_id")
    unit_name = serializers.CharField()
    month = MonthField()
    status = serializers.CharField()
    status_label = LabelOf(RosterStatus, source="status")
    provisional_calendar = serializers.BooleanField()
    changed_dates = serializers.ListField(child=serializers.DateField())
    rest_days_on_changed_dates = serializers.IntegerField(label="在变动日期安排的休息（人次）")
    rest_days_losing_desirable = serializers.IntegerField(label="休在不再是宜休日的日子（人次）")
    rest_days_gaining_desirable = serializers.IntegerField(label="休在新成为宜休日的日子（人次）")
    fairness_spread_before = serializers.FloatField(allow_null=True)
    fairness_spread_after = serializers.FloatField(allow_null=True)
    metrics_change = serializers.BooleanField(label="宜休日均衡指标是否变化")


class HolidayYearPreviewSerializer(serializers.Serializer):
    """What loading a notice would do; nothing is written."""

    year = serializers.IntegerField()
    source_ref = serializers.CharField()
    status_before = serializers.CharField(allow_null=True)
    status_before_label = LabelOf(CalendarStatus, source="status_before", allow_null=True)
    unchanged = serializers.BooleanField(label="与已导入的通知相同，导入不会改动")
    diff = PreviewDiffSerializer()
    rosters = PreviewRosterSerializer(many=True)
    rosters_outside_scope = serializers.IntegerField(label="管理范围之外受影响的排班数")
    provisional_rosters = serializers.IntegerField(label="将不再标为“节假日暂定”的排班数")


# ---------------------------------------------------------------------------
# Rotation policy
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Absences and rest requests
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Rosters and generation runs
# ---------------------------------------------------------------------------


class RosterSerializer(PrivacyModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    month = MonthField(read_only=True)
    status_label = ChoiceLabelField(source="status")
    solver_status = serializers.CharField(source="current.solver_status", read_only=True, default=None)
    metrics = serializers.JSONField(source="current.metrics", read_only=True, default=None)
    metrics_version = serializers.IntegerField(
        source="current.metrics_version",
        read_only=True,
        default=None,
        label="质量指标版本",
        help_text="2：含节假日休息人次（desirable_rest），工作日平稳度；1：旧版指标，重新生成后为 2",
    )
    reasons = serializers.SerializerMethodField(
        label="无解原因", help_text="每条附 remedy：读者本人可调整的政策项，其余请谁调整"
    )
    current_version = serializers.IntegerField(source="current.number", read_only=True, default=None)

    def get_reasons(self, roster: Roster) -> list[dict[str, Any]]:
        current = roster.current
        reasons = current.reasons if current is not None else []
        request = self.context.get("request")
        if not reasons or request is None:
            return list(reasons)
        return explain.reasons_for_reader(roster=roster, reasons=reasons, user=request.user)

    class Meta:
        model = Roster
        fields = [
            "id",
            "unit",
            "unit_name",
            "month",
            "status",
            "status_label",
            "solver_status",
            "metrics",
            "metrics_version",
            "reasons",
            "version",
            "current_version",
            "provisional_calendar",
            "calendar_changed_at",
            "published_at",
            "published_by",
            "locked_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PublishSerializer(serializers.Serializer):
    confirm_provisional = serializers.BooleanField(default=False, label="确认按暂定节假日发布")


class RegenerateSerializer(serializers.Serializer):
    keep_pinned = serializers.BooleanField(default=True, label="保留已固定的休息日")


class GenerationItemSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    status_label = ChoiceLabelField(source="status")

    class Meta:
        model = GenerationItem
        fields = [
            "unit",
            "unit_name",
            "status",
            "status_label",
            "reasons",
            "roster",
            "solve_seconds",
            "attempts",
            "finished_at",
        ]


class GenerationRunSerializer(PrivacyModelSerializer):
    unit = ScopedPrimaryKeyField("generation-runs", queryset=OrgUnit.objects.all(), label="单位")
    month = MonthField(label="月份（YYYY-MM）")
    status = serializers.SerializerMethodField(label="进度")
    progress = serializers.SerializerMethodField(label="各状态单位数")
    items = GenerationItemSerializer(many=True, read_only=True)

    class Meta:
        model = GenerationRun
        fields = [
            "id",
            "unit",
            "month",
            "kind",
            "keep_pinned",
            "status",
            "progress",
            "items",
            "requested_by",
            "created_at",
        ]
        read_only_fields = ["kind", "requested_by", "created_at"]

    def get_progress(self, run: GenerationRun) -> dict[str, int]:
        counts = {choice: 0 for choice in RunStatus.values}
        for item in run.items.all():
            counts[item.status] += 1
        return counts

    def get_status(self, run: GenerationRun) -> str:
        """queued while any unit waits; else failed, infeasible or solved, worst first."""
        progress = self.get_progress(run)
        for status in (RunStatus.QUEUED, RunStatus.FAILED, RunStatus.INFEASIBLE):
            if progress[status]:
                return status
        return RunStatus.SOLVED


class RosterDayListSerializer(serializers.ListSerializer):
    """A page of roster days, its rest spent away read in one query for the page."""

    def to_representation(self, data: Any) -> list[dict[str, Any]]:
        days = list(data.all() if isinstance(data, models.manager.BaseManager) else data)
        if days:
            assert isinstance(self.child, RosterDaySerializer)  # the list_serializer_class of that one only
            self.child.away = selectors.rest_days_spent_away(
                first=min(day.date for day in days),
                last=max(day.date for day in days),
                cadre_ids={day.cadre_id for day in days},
            )
        return super().to_representation(days)


class RosterDaySerializer(PrivacyModelSerializer):
    """A published day; a rest day spent away on an absence recorded afterwards
    (still owed) reads as away, as on the grid and the cadre's calendar."""

    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    unit = serializers.IntegerField(source="version.roster.unit_id", read_only=True)
    roster = serializers.IntegerField(source="version.roster_id", read_only=True)
    kind_label = ChoiceLabelField(source="kind")
    away: set[tuple[int, dt.date]] | None = None

    class Meta:
        model = RosterDay
        fields = ["id", "roster", "unit", "cadre", "cadre_name", "date", "kind", "kind_label", "pinned"]
        read_only_fields = fields
        list_serializer_class = RosterDayListSerializer

    def to_representation(self, instance: models.Model) -> dict[str, Any]:
        data = super().to_representation(instance)
        assert isinstance(instance, RosterDay)  # this serializer's model
        if instance.kind != DayKind.REST:
            return data
        away = self.away
        if away is None:  # one day read on its own
            away = selectors.rest_days_spent_away(
                first=instance.date, last=instance.date, cadre_ids=[instance.cadre_id]
            )
        if (instance.cadre_id, instance.date) in away:
            data["kind"], data["kind_label"] = DayKind.AWAY.value, choice_label(DayKind.AWAY.label)
        return data


class RosterEditSerializer(serializers.Serializer):
    """One manual edit of a draft roster, or an amendment of a published one
    (with its ``reason``); the roster version goes in If-Match."""

    op = serializers.ChoiceField(
        choices=[("move", "调整"), ("swap", "互换"), ("pin", "固定"), ("unpin", "取消固定")], label="操作"
    )
    cadre = ScopedPrimaryKeyField("rosters", queryset=Cadre.objects.all(), label="干部")
    date = serializers.DateField(label="该干部休息段中的任一天")
    to_date = serializers.DateField(required=False, label="调整后的开始日期（move）")
    other_cadre = ScopedPrimaryKeyField(
        "rosters", queryset=Cadre.objects.all(), required=False, label="互换的另一名干部（swap）"
    )
    other_date = serializers.DateField(required=False, label="另一名干部休息段中的任一天（swap）")
    override_reason = serializers.CharField(
        required=False, allow_blank=True, max_length=300, default="", label="打破规则仍要调整的理由"
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=300,
        default="",
        label="调整原因（已发布的排班必填，被调整的干部会收到）",
    )


class RecallSerializer(PrivacyModelSerializer):
    cadre = ScopedPrimaryKeyField("recalls", queryset=Cadre.objects.all(), label="干部")
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)

    class Meta:
        model = Recall
        fields = ["id", "cadre", "cadre_name", "date", "days_lost", "reason", "recorded_by", "recorded_at"]
        read_only_fields = ["recorded_by", "recorded_at"]


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
