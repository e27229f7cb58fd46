"""Rosters, their generation runs, their days and the edits to them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from rest_framework import serializers

from cadrecare.core.api import ChoiceLabelField, PrivacyModelSerializer
from cadrecare.core.i18n import choice_label
from cadrecare.org.api.serializers import ScopedPrimaryKeyField
from cadrecare.org.models import Cadre, OrgUnit
from cadrecare.rotation import explain, selectors
from cadrecare.rotation.api.serializers.common import MonthField
from cadrecare.rotation.choices import DayKind, RunStatus
from cadrecare.rotation.models import (
    GenerationItem,
    GenerationRun,
    Roster,
    RosterDay,
)


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
