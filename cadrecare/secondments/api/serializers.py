"""Shapes of secondments and experience; the rules live in
secondments.services and secondments.experience."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from cadrecare.core.api import ChoiceLabelField, PrivacyModelSerializer
from cadrecare.core.i18n import choice_label
from cadrecare.org.choices import LeaderPost, Rank
from cadrecare.org.models import Cadre, OrgUnit
from cadrecare.secondments.choices import SecondmentDecision
from cadrecare.secondments.models import DEFAULT_NOTICE_DAYS, Secondment


class SecondmentSerializer(PrivacyModelSerializer):
    cadre = serializers.PrimaryKeyRelatedField(queryset=Cadre.objects.all(), label="干部")
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    kind_label = ChoiceLabelField(source="kind")
    home_unit_name = serializers.CharField(source="home_unit.name", read_only=True)
    host_unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all(), label="挂职（借调）单位")
    host_unit_name = serializers.CharField(source="host_unit.name", read_only=True)
    host_leader_post_label = ChoiceLabelField(source="host_leader_post")
    planned_end = serializers.DateField(required=False, label="计划结束日期（挂职默认两年）")
    notice_days = serializers.IntegerField(required=False, default=DEFAULT_NOTICE_DAYS, label="提前提醒天数（默认60）")
    decision_from = serializers.DateField(read_only=True, label="期满决定提醒开始日期")
    status_label = ChoiceLabelField(source="status")

    class Meta:
        model = Secondment
        fields = [
            "id",
            "cadre",
            "cadre_name",
            "kind",
            "kind_label",
            "home_unit",
            "home_unit_name",
            "host_unit",
            "host_unit_name",
            "post_title",
            "host_leader_post",
            "host_leader_post_label",
            "start",
            "planned_end",
            "notice_days",
            "decision_from",
            "status",
            "status_label",
            "ended_on",
            "note",
            "decision_note",
            "created_at",
        ]
        read_only_fields = ["home_unit", "status", "ended_on", "decision_note", "created_at"]
        validators: list[Any] = []  # one running term per cadre: the service says so in Chinese, by name


class SecondmentDecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=SecondmentDecision.choices, label="期满决定")
    date = serializers.DateField(required=False, label="返回或转任日期（默认今天）")
    new_end = serializers.DateField(required=False, label="延期后的结束日期")
    to_post_title = serializers.CharField(required=False, allow_blank=True, max_length=100, label="转任职务")
    to_leader_post = serializers.ChoiceField(choices=LeaderPost.choices, required=False, label="转任后的班子职务")
    to_rank = serializers.ChoiceField(choices=Rank.choices, required=False, label="转任后的职级")
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, label="说明")


class ExperienceSerializer(serializers.Serializer):
    """One cadre's grassroots experience (the row's ``experience`` is computed from their post history)."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    unit = serializers.IntegerField(source="unit_id", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    post_title = serializers.CharField(read_only=True)
    leader_post = serializers.CharField(read_only=True)
    leader_post_label = serializers.SerializerMethodField()
    township_years = serializers.FloatField(source="experience.township_years", read_only=True, label="乡镇工作年限")
    township_leader_years = serializers.FloatField(
        source="experience.township_leader_years", read_only=True, label="乡镇领导工作年限"
    )
    grassroots = serializers.BooleanField(source="experience.grassroots", read_only=True, label="有基层一线工作经历")
    long_leadership = serializers.BooleanField(
        source="experience.long_leadership", read_only=True, label="有3年以上乡镇基层领导工作经历"
    )
    was_township_secretary = serializers.BooleanField(
        source="experience.was_township_secretary", read_only=True, label="担任过乡镇党委书记"
    )

    def get_leader_post_label(self, cadre: Cadre) -> str:
        return choice_label(LeaderPost(cadre.leader_post).label) if cadre.leader_post in LeaderPost.values else ""


class TeamExperienceSerializer(serializers.Serializer):
    """A leadership team's counts, with the seed's shares and sentence."""

    unit = serializers.IntegerField(source="unit.pk", read_only=True, allow_null=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    members = serializers.IntegerField(read_only=True, label="班子成员")
    grassroots = serializers.IntegerField(read_only=True, label="有基层一线工作经历")
    grassroots_percent = serializers.SerializerMethodField()
    long_leadership = serializers.IntegerField(read_only=True, label="有3年以上乡镇基层领导工作经历")
    long_leadership_percent = serializers.SerializerMethodField()
    former_secretaries = serializers.IntegerField(read_only=True, label="担任过乡镇党委书记")
    former_secretaries_percent = serializers.SerializerMethodField()
    sentence = serializers.CharField(read_only=True)

    def get_grassroots_percent(self, team: Any) -> int:
        return team.share(team.grassroots)

    def get_long_leadership_percent(self, team: Any) -> int:
        return team.share(team.long_leadership)

    def get_former_secretaries_percent(self, team: Any) -> int:
        return team.share(team.former_secretaries)
