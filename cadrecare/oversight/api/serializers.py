"""Serializers of the oversight resources: explicit fields, labels in the
request's language, personal fields masked by the reader's level."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cadrecare.core import clock
from cadrecare.core.api import ChoiceLabelField, PrivacyModelSerializer
from cadrecare.core.privacy import Level
from cadrecare.org.api.serializers import PersonField, PersonNameField, PersonNamesField, ScopedPrimaryKeyField
from cadrecare.org.models import Cadre, OrgUnit
from cadrecare.oversight.choices import DECIDABLE_OUTCOMES, TransferOutcome
from cadrecare.oversight.models import FieldVisit, InterviewPlan, InterviewPlanLine, TransferDecision, TransferReview
from cadrecare.talks.choices import TalkForm

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from cadrecare.oversight.selectors import InterviewProgress

# ---------------------------------------------------------------------------
# Exchange reviews
# ---------------------------------------------------------------------------


class TransferDecisionSerializer(PrivacyModelSerializer):
    cadre_name = serializers.CharField(source="cadre.name", read_only=True, label="姓名")
    township_name = serializers.CharField(source="township.name", read_only=True, label="所在乡镇")
    outcome_label = ChoiceLabelField(source="outcome")
    decided_by_name = PersonNameField(source="decided_by", default=None, label="研判人姓名")

    class Meta:
        model = TransferDecision
        fields = [
            "id",
            "cadre",
            "cadre_name",
            "township",
            "township_name",
            "remote_years",
            "outcome",
            "outcome_label",
            "reason",
            "decided_on",
            "decided_by_name",
            "post_change",
        ]
        read_only_fields = fields


class TransferReviewSerializer(PrivacyModelSerializer):
    county = ScopedPrimaryKeyField("transfer-reviews", queryset=OrgUnit.objects.all(), label="县（区）")
    county_name = serializers.CharField(source="county.name", read_only=True)
    year = serializers.IntegerField(label="年度", min_value=2000, max_value=2100)
    decide_by = serializers.DateField(required=False, label="研判截止日期")
    min_years = serializers.DecimalField(
        max_digits=4, decimal_places=1, required=False, min_value=0, max_value=50, label="边远乡镇工作年限不少于"
    )
    decisions = TransferDecisionSerializer(many=True, read_only=True, label="交流人选")
    pending = serializers.SerializerMethodField(label="待研判人数")

    class Meta:
        model = TransferReview
        fields = [
            "id",
            "county",
            "county_name",
            "year",
            "min_years",
            "decide_by",
            "pending",
            "decisions",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["created_by", "created_at"]
        levels = {"decisions": Level.BASIC, "pending": Level.BASIC}
        validators: list[Any] = []  # one review a year: the service says so, by field, in Chinese

    def get_pending(self, review: TransferReview) -> int:
        return sum(1 for decision in review.decisions.all() if decision.outcome == TransferOutcome.PENDING)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None:
            frozen = sorted(set(attrs) - {"decide_by"})
            if frozen:
                raise serializers.ValidationError({frozen[0]: _("研判建立后只能修改研判截止日期。")})
        return attrs


class TransferDecideInputSerializer(serializers.Serializer):
    decision = serializers.IntegerField(label="交流人选（研判结果编号）")
    outcome = serializers.ChoiceField(
        choices=[(value, TransferOutcome(value).label) for value in DECIDABLE_OUTCOMES],
        label="研判结果",
        error_messages={
            "invalid_choice": gettext_lazy(
                "研判结果只能是 proposed（拟交流）、deferred（暂缓交流）或 declined（本人不愿交流）。"
            )
        },
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, label="理由")


# ---------------------------------------------------------------------------
# Interview plans
# ---------------------------------------------------------------------------


class InterviewPlanLineSerializer(PrivacyModelSerializer):
    cadre_name = serializers.CharField(source="cadre.name", read_only=True, label="姓名")
    rank_label = ChoiceLabelField(source="cadre.rank")
    township_name = serializers.CharField(source="township.name", read_only=True, label="乡镇")
    status_label = ChoiceLabelField(source="status")

    class Meta:
        model = InterviewPlanLine
        fields = [
            "id",
            "cadre",
            "cadre_name",
            "rank_label",
            "township",
            "township_name",
            "status",
            "status_label",
            "talk",
            "done_date",
            "cancel_reason",
            "cancelled_on",
        ]
        read_only_fields = fields


class TownshipProgressSerializer(serializers.Serializer):
    """One township's progress on the plan (selectors.townships_with_interviews)."""

    township = serializers.IntegerField(source="id", label="乡镇")
    township_name = serializers.CharField(source="name", label="乡镇名称")
    total = serializers.IntegerField(source="lines_total", label="应约谈人数")
    done = serializers.IntegerField(source="lines_done", label="已约谈人数")
    due = serializers.DateField(source="interview_due", allow_null=True, label="须赶上进度的日期（空：进度正常）")
    behind = serializers.SerializerMethodField(label="已落后")

    # Typed for the schema here: the generator reads a method's annotations at run time,
    # where WithAnnotations (a name for the type checker only) does not exist.
    @extend_schema_field(OpenApiTypes.BOOL)
    def get_behind(self, township: WithAnnotations[OrgUnit, InterviewProgress]) -> bool:
        due = township.interview_due
        return due is not None and due < self.context.get("today", clock.today())


class InterviewPlanSerializer(PrivacyModelSerializer):
    county = ScopedPrimaryKeyField("interview-plans", queryset=OrgUnit.objects.all(), label="县（区）")
    county_name = serializers.CharField(source="county.name", read_only=True)
    year = serializers.IntegerField(label="年度", min_value=2000, max_value=2100)
    checkpoints_label = ChoiceLabelField(source="checkpoints")
    interviewers = PersonField(many=True, label="约谈人（干部编号）")
    interviewer_names = PersonNamesField(source="interviewers", label="约谈人姓名")
    lines = InterviewPlanLineSerializer(many=True, read_only=True, label="约谈对象")
    total = serializers.SerializerMethodField(label="应约谈人数")
    done = serializers.SerializerMethodField(label="已约谈人数")

    class Meta:
        model = InterviewPlan
        fields = [
            "id",
            "county",
            "county_name",
            "year",
            "checkpoints",
            "checkpoints_label",
            "interviewers",
            "interviewer_names",
            "total",
            "done",
            "lines",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["created_by", "created_at"]
        levels = {"lines": Level.BASIC}
        validators: list[Any] = []  # one plan a year: the service says so, by field, in Chinese

    def get_total(self, plan: InterviewPlan) -> int:
        return sum(1 for line in plan.lines.all() if line.status != "cancelled")

    def get_done(self, plan: InterviewPlan) -> int:
        return sum(1 for line in plan.lines.all() if line.status == "done")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None:
            frozen = sorted(set(attrs) & {"county", "year"})
            if frozen:
                raise serializers.ValidationError({frozen[0]: _("计划建立后不能修改县（区）和年度。")})
        return attrs


class InterviewInputSerializer(serializers.Serializer):
    """An interview held under the plan: recorded as a talk with the cadre."""

    cadre = ScopedPrimaryKeyField("interview-plans", queryset=Cadre.objects.all(), label="约谈对象（干部编号）")
    date = serializers.DateField(label="约谈日期")
    form = serializers.ChoiceField(choices=TalkForm.choices, default=TalkForm.FACE_TO_FACE, label="形式")
    interviewers = PersonField(many=True, required=False, label="约谈人（干部编号，默认本人）")
    summary = serializers.CharField(required=False, allow_blank=True, max_length=10000, label="约谈内容")


# ---------------------------------------------------------------------------
# Field visits
# ---------------------------------------------------------------------------


class FieldVisitSerializer(PrivacyModelSerializer):
    township = ScopedPrimaryKeyField("field-visits", queryset=OrgUnit.objects.all(), label="乡镇")
    township_name = serializers.CharField(source="township.name", read_only=True)
    county_name = serializers.CharField(source="township.parent.name", read_only=True, default=None)
    visitors = PersonField(many=True, label="下基层人员（干部编号）")
    visitor_names = PersonNamesField(source="visitors", label="下基层人员姓名")
    recorded_by_name = PersonNameField(source="recorded_by", default=None, label="记录人姓名")

    class Meta:
        model = FieldVisit
        fields = [
            "id",
            "township",
            "township_name",
            "county_name",
            "date",
            "visitors",
            "visitor_names",
            "notes",
            "recorded_by_name",
            "created_at",
        ]
        read_only_fields = ["created_at"]


class NotVisitedSerializer(serializers.Serializer):
    """A township not visited in the current period (selectors.townships_with_visits)."""

    id = serializers.IntegerField(label="乡镇")
    name = serializers.CharField(label="乡镇名称")
    county_name = serializers.CharField(source="parent.name", default=None, label="县（区）")
    last_visit = serializers.DateField(allow_null=True, label="上次下基层日期")
    visit_cadence = serializers.IntegerField(label="频次（月）")
    visit_due = serializers.DateField(label="应下基层日期")
