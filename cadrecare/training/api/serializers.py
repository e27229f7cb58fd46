"""Shapes of training programmes, their nominations and reports; the rules live in services."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from cadrecare.core.api import ChoiceLabelField, PrivacyModelSerializer
from cadrecare.org.api.serializers import ScopedPrimaryKeyField
from cadrecare.org.models import Cadre, OrgUnit
from cadrecare.training.choices import Attendance
from cadrecare.training.models import Nomination, TrainingProgramme
from cadrecare.training.selectors import RESOURCE, years_since


class TrainingProgrammeSerializer(PrivacyModelSerializer):
    unit = ScopedPrimaryKeyField(RESOURCE, queryset=OrgUnit.objects.all(), label="主办单位")
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    kind_label = ChoiceLabelField(source="kind")
    nominated = serializers.IntegerField(read_only=True, label="已提名")
    attended = serializers.IntegerField(read_only=True, label="已参加")

    class Meta:
        model = TrainingProgramme
        fields = [
            "id",
            "unit",
            "unit_name",
            "kind",
            "kind_label",
            "name",
            "date_from",
            "date_to",
            "location",
            "places",
            "note",
            "nominated",
            "attended",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["created_by", "created_at"]


class NominationSerializer(PrivacyModelSerializer):
    programme_name = serializers.CharField(source="programme.name", read_only=True)
    kind_label = ChoiceLabelField(source="programme.kind")
    date_from = serializers.DateField(source="programme.date_from", read_only=True)
    date_to = serializers.DateField(source="programme.date_to", read_only=True)
    organiser_name = serializers.CharField(source="programme.unit.name", read_only=True)
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    unit_name = serializers.CharField(source="cadre.unit.name", read_only=True)
    attendance_label = ChoiceLabelField(source="attendance")

    class Meta:
        model = Nomination
        fields = [
            "id",
            "programme",
            "programme_name",
            "kind_label",
            "date_from",
            "date_to",
            "organiser_name",
            "cadre",
            "cadre_name",
            "unit_name",
            "priority",
            "attendance",
            "attendance_label",
            "excuse",
            "absence",
            "nominated_by",
            "nominated_at",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class CandidateSerializer(serializers.Serializer):
    """One cadre the priority rule proposes, in order (not saved until confirmed)."""

    cadre = serializers.IntegerField(source="cadre.pk", label="干部")
    cadre_name = serializers.CharField(source="cadre.name", label="姓名")
    unit_name = serializers.CharField(source="cadre.unit.name", label="单位")
    grassroots = serializers.BooleanField(label="基层一线干部")
    last_trained = serializers.DateField(allow_null=True, label="上次参加同类培训结束日期")
    years_without = serializers.FloatField(allow_null=True, label="未参加同类培训年数（空为从未参加）")
    reason = serializers.CharField(label="推荐理由")
    busy = serializers.CharField(label="期间外出情况")


class NominateInputSerializer(serializers.Serializer):
    cadres = ScopedPrimaryKeyField(
        RESOURCE, queryset=Cadre.objects.select_related("unit"), many=True, label="干部（按推荐顺序）"
    )


class AttendanceRowSerializer(serializers.Serializer):
    nomination = ScopedPrimaryKeyField(RESOURCE, queryset=Nomination.objects.all(), label="提名")
    attendance = serializers.ChoiceField(choices=Attendance.choices, label="出勤")
    excuse = serializers.CharField(max_length=300, required=False, allow_blank=True, default="", label="请假原因")


class ProgrammeAttendanceInputSerializer(serializers.Serializer):
    rows = AttendanceRowSerializer(many=True, label="出勤表（每人一行）")


class NotTrainedSerializer(serializers.ModelSerializer):
    """A cadre in post who attended no programme of the kind in the years asked."""

    cadre = serializers.IntegerField(source="pk", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    rank_label = ChoiceLabelField(source="rank")
    last_trained = serializers.DateField(read_only=True, allow_null=True, label="上次参加培训结束日期")
    years_without = serializers.SerializerMethodField(label="未参加培训年数（空为从未参加）")

    class Meta:
        model = Cadre
        fields = ["cadre", "name", "unit", "unit_name", "rank_label", "post_title", "last_trained", "years_without"]
        read_only_fields = fields

    def get_years_without(self, cadre: Any) -> float | None:
        return years_since(cadre.last_trained, self.context["today"])


class NotTrainedUnitSerializer(serializers.Serializer):
    unit = serializers.IntegerField(label="单位")
    unit_name = serializers.CharField(label="单位名称")
    in_post = serializers.IntegerField(label="在岗人数")
    untrained = serializers.IntegerField(label="未参加培训人数")
