"""Shapes of the must-talk resources; rules live in services and routing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cadrecare.core import clock
from cadrecare.core.api import ChoiceLabelField, PrivacyModelSerializer
from cadrecare.core.privacy import Level
from cadrecare.org import posts
from cadrecare.org.api.serializers import PersonField, PersonNameField, PersonNamesField, ScopedPrimaryKeyField
from cadrecare.org.models import Cadre, OrgUnit
from cadrecare.talks.choices import TriggerStatus
from cadrecare.talks.models import (
    Commendation,
    InterviewItem,
    InterviewRound,
    Petition,
    Talk,
    TalkFollowUp,
    TalkPolicy,
    TalkRoute,
    TalkTrigger,
    TeamFlag,
)
from cadrecare.talks.selectors import talk_trigger_list, talkees_routed_to
from cadrecare.talks.services import COMMENDATION_CORRECTABLE, MAX_DUE_DAYS

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from cadrecare.talks.selectors import RegularTalkDue


def _frozen_on_update(serializer: serializers.Serializer, attrs: dict[str, Any], editable: tuple[str, ...]) -> None:
    """Refuse changing what was recorded; only ``editable`` fields move on PATCH/PUT."""
    if serializer.instance is None:
        return
    frozen = [name for name in attrs if name not in editable and attrs[name] != getattr(serializer.instance, name)]
    if frozen:
        raise serializers.ValidationError({name: _("该字段登记后不能修改。") for name in frozen})


class TalkRouteSerializer(PrivacyModelSerializer):
    """One county's rule for one talkee group; what it is about (county, group) is fixed once saved."""

    county = ScopedPrimaryKeyField("talk-routes", queryset=OrgUnit.objects.all(), label="县（区）")
    county_name = serializers.CharField(source="county.name", read_only=True)
    talkee_group_label = ChoiceLabelField(source="talkee_group")
    talker_post_label = ChoiceLabelField(source="talker_post")
    talker_leader_post_label = ChoiceLabelField(source="talker_leader_post")
    talker_unit = ScopedPrimaryKeyField(
        "talk-routes", queryset=OrgUnit.objects.all(), allow_null=True, required=False, label="谈话人所在单位"
    )
    talker_unit_name = serializers.CharField(source="talker_unit.name", read_only=True, default=None)

    class Meta:
        model = TalkRoute
        fields = [
            "id",
            "county",
            "county_name",
            "talkee_group",
            "talkee_group_label",
            "talker_post",
            "talker_post_label",
            "talker_leader_post",
            "talker_leader_post_label",
            "talker_unit",
            "talker_unit_name",
            "cadence_months",
        ]
        validators: list[Any] = []  # one row per county and group: said in Chinese below

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _frozen_on_update(self, attrs, ("talker_post", "talker_leader_post", "talker_unit", "cadence_months"))
        if (
            self.instance is None
            and TalkRoute.objects.filter(county=attrs.get("county"), talkee_group=attrs.get("talkee_group")).exists()
        ):
            raise serializers.ValidationError({"talkee_group": _("该县（区）已设置这类谈话对象的分工，请修改原记录。")})
        return attrs


class TalkPolicySerializer(PrivacyModelSerializer):
    """A unit's days allowed for one kind of must-talk; unit and kind are fixed once saved."""

    unit = ScopedPrimaryKeyField("talk-policies", queryset=OrgUnit.objects.all(), label="单位")
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    kind_label = ChoiceLabelField(source="kind")
    due_days = serializers.IntegerField(min_value=1, max_value=MAX_DUE_DAYS, label="应谈期限（天）")

    class Meta:
        model = TalkPolicy
        fields = ["id", "unit", "unit_name", "kind", "kind_label", "due_days"]
        validators: list[Any] = []  # one row per unit and kind: said in Chinese below

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _frozen_on_update(self, attrs, ("due_days",))
        if self.instance is None and TalkPolicy.objects.filter(unit=attrs.get("unit"), kind=attrs.get("kind")).exists():
            raise serializers.ValidationError({"kind": _("该单位已设置这种谈话情形的期限，请修改原记录。")})
        return attrs


class TalkTriggerSerializer(PrivacyModelSerializer):
    cadre = ScopedPrimaryKeyField("talk-triggers", queryset=Cadre.objects.select_related("unit"), label="谈话对象")
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    unit = serializers.IntegerField(source="cadre.unit_id", read_only=True, label="单位")
    unit_name = serializers.CharField(source="cadre.unit.name", read_only=True)
    kind_label = ChoiceLabelField(source="kind")
    source_label = ChoiceLabelField(source="source")
    status_label = ChoiceLabelField(source="status")
    cancel_reason_label = ChoiceLabelField(source="cancel_reason")
    talker = PersonField(required=False, allow_null=True, label="谈话人（干部编号）")
    talker_name = PersonNameField(source="talker", default=None, label="谈话人姓名")
    routed_to_unit_name = serializers.CharField(source="routed_to_unit.name", read_only=True, default=None)
    petition_summary = serializers.CharField(
        source="petition.summary", read_only=True, default=None, label="信访内容摘要"
    )
    source_key = serializers.CharField(required=False, allow_blank=True, max_length=64, label="来源编号")
    overdue = serializers.SerializerMethodField(label="是否逾期")

    class Meta:
        model = TalkTrigger
        fields = [
            "id",
            "cadre",
            "cadre_name",
            "unit",
            "unit_name",
            "kind",
            "kind_label",
            "source",
            "source_label",
            "source_key",
            "event_date",
            "due_date",
            "talker",
            "talker_name",
            "talker_post",
            "routed_to_unit",
            "routed_to_unit_name",
            "routing_note",
            "owner_post",
            "owner_post_unit",
            "status",
            "status_label",
            "waive_reason",
            "cancel_reason",
            "cancel_reason_label",
            "cancelled_on",
            "confidential",
            "note",
            "post_change",
            "commendation",
            "petition",
            "petition_summary",
            "team_flag",
            "talk",
            "done_date",
            "overdue",
            "created_at",
        ]
        read_only_fields = [
            "source",
            "talker_post",
            "routed_to_unit",
            "routing_note",
            "owner_post",
            "owner_post_unit",
            "status",
            "waive_reason",
            "cancel_reason",
            "cancelled_on",
            "confidential",
            "post_change",
            "commendation",
            "petition",
            "team_flag",
            "talk",
            "done_date",
            "created_at",
        ]
        extra_kwargs = {"due_date": {"required": False}}
        levels = {"petition_summary": Level.SENSITIVE}

    def to_representation(self, instance: models.Model) -> dict[str, Any]:
        """The talker shown is the one today: the holder of the talker's post
        (``owner_post`` in ``owner_post_unit``) for a trigger given to a post,
        with the note saying why there is none (岗位空缺 / 未开通账号)."""
        data = super().to_representation(instance)
        talker = posts.owner_now(instance, hand="talker", hand_note="routing_note", day=clock.today())
        data.update(talker=talker.cadre_id, talker_name=talker.name, routing_note=talker.note_text)
        return data

    def get_overdue(self, trigger: TalkTrigger) -> bool:
        return trigger.status == TriggerStatus.OPEN and trigger.due_date < clock.today()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None:
            for name in ("talker", "due_date"):
                if attrs.get(name) is not None:
                    raise serializers.ValidationError({name: _("谈话人和应谈日期由谈话分工和期限设置自动确定。")})
        _frozen_on_update(self, attrs, ("talker", "due_date", "note"))
        return attrs


class TalkWaiveSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, label="免谈理由")


class TalkeeField(ScopedPrimaryKeyField):
    """A cadre in the user's scope for talks, or one whose open must-talk is
    routed to the user (a county leader reaches no unit, only those)."""

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        in_scope = super().get_queryset()
        if request is None or not request.user.is_authenticated:
            return in_scope
        assert self.queryset is not None  # a writable related field has one (DRF's RelatedField checks it)
        return in_scope | self.queryset.filter(pk__in=talkees_routed_to(request.user).values("pk"))


class VisibleTriggerField(serializers.PrimaryKeyRelatedField):
    """A trigger the requesting user can see (else 'not found', 400)."""

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:
            return TalkTrigger.objects.none()
        return talk_trigger_list(user=request.user)


class TalkFollowUpSerializer(serializers.ModelSerializer):
    owner = PersonField(required=False, allow_null=True, label="责任人（干部编号）")
    owner_name = PersonNameField(source="owner", default=None, label="责任人姓名")
    status_label = ChoiceLabelField(source="status")

    class Meta:
        model = TalkFollowUp
        fields = [
            "id",
            "action",
            "owner",
            "owner_name",
            "due_date",
            "status",
            "status_label",
            "done_date",
            "cancel_reason",
            "cancelled_on",
        ]
        read_only_fields = ["status", "done_date", "cancel_reason", "cancelled_on"]


class TalkSerializer(PrivacyModelSerializer):
    talkee = TalkeeField("talks", queryset=Cadre.objects.select_related("unit"), label="谈话对象")
    talkee_name = serializers.CharField(source="talkee.name", read_only=True)
    unit_name = serializers.CharField(source="talkee.unit.name", read_only=True)
    talkers = PersonField(many=True, label="谈话人（干部编号）")
    talker_names = PersonNamesField(source="talkers", label="谈话人姓名")
    form_label = ChoiceLabelField(source="form")
    triggers = VisibleTriggerField(many=True, required=False, label="答复的必谈事项")
    follow_ups = TalkFollowUpSerializer(many=True, required=False, label="跟进事项")

    class Meta:
        model = Talk
        fields = [
            "id",
            "talkee",
            "talkee_name",
            "unit_name",
            "talkers",
            "talker_names",
            "date",
            "place",
            "form",
            "form_label",
            "summary",
            "triggers",
            "follow_ups",
            "next_talk_date",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = ["recorded_by", "created_at"]
        levels = {"follow_ups": Level.SENSITIVE, "talker_names": Level.BASIC}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _frozen_on_update(self, attrs, ("place", "form", "summary", "next_talk_date"))
        return attrs


class CloseFollowUpInputSerializer(serializers.Serializer):
    follow_up = serializers.IntegerField(label="跟进事项")


class CommendationSerializer(PrivacyModelSerializer):
    cadre = ScopedPrimaryKeyField("commendations", queryset=Cadre.objects.select_related("unit"), label="干部")
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    unit_name = serializers.CharField(source="cadre.unit.name", read_only=True)
    level_label = ChoiceLabelField(source="level")
    kind_label = ChoiceLabelField(source="kind")
    status_label = ChoiceLabelField(source="status")

    class Meta:
        model = Commendation
        fields = [
            "id",
            "cadre",
            "cadre_name",
            "unit_name",
            "level",
            "level_label",
            "kind",
            "kind_label",
            "title",
            "date",
            "status",
            "status_label",
            "recommended",
            "issuing_body",
            "citation",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = ["recommended", "recorded_by", "created_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _frozen_on_update(self, attrs, COMMENDATION_CORRECTABLE)
        return attrs


class CommendationStatisticsRowSerializer(serializers.Serializer):
    unit = serializers.IntegerField(label="单位")
    unit_name = serializers.CharField(label="单位名称")
    year = serializers.IntegerField(label="年度", allow_null=True)
    awarded = serializers.IntegerField(label="表彰奖励人数")
    posthumous = serializers.IntegerField(label="追授人数")
    recommended = serializers.IntegerField(label="推荐上报人数")


class CommendationStatisticsSerializer(serializers.Serializer):
    from_year = serializers.IntegerField(label="起始年度")
    to_year = serializers.IntegerField(label="截止年度")
    summary = serializers.CharField(label="统计表述")
    rows = CommendationStatisticsRowSerializer(many=True, label="各单位逐年人数")
    units = CommendationStatisticsRowSerializer(many=True, label="各单位期间人数")
    total = CommendationStatisticsRowSerializer(label="合计")


class PetitionSerializer(PrivacyModelSerializer):
    cadre = ScopedPrimaryKeyField("petitions", queryset=Cadre.objects.select_related("unit"), label="涉及干部")
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    seriousness_label = ChoiceLabelField(source="seriousness")

    class Meta:
        model = Petition
        fields = [
            "id",
            "cadre",
            "cadre_name",
            "date",
            "summary",
            "seriousness",
            "seriousness_label",
            "important",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = ["recorded_by", "created_at"]
        levels = {"seriousness_label": Level.SENSITIVE}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _frozen_on_update(self, attrs, ("date", "summary", "seriousness", "important"))
        return attrs


class TeamFlagSerializer(PrivacyModelSerializer):
    unit = ScopedPrimaryKeyField("team-flags", queryset=OrgUnit.objects.all(), label="单位")
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = TeamFlag
        fields = ["id", "unit", "unit_name", "date", "note", "flagged_by", "created_at"]
        read_only_fields = ["flagged_by", "created_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _frozen_on_update(self, attrs, ("note",))
        return attrs


class InterviewItemSerializer(serializers.ModelSerializer):
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    status_label = ChoiceLabelField(source="status")

    class Meta:
        model = InterviewItem
        fields = [
            "id",
            "cadre",
            "cadre_name",
            "status",
            "status_label",
            "talk",
            "done_date",
            "cancel_reason",
            "cancelled_on",
        ]


class InterviewRoundSerializer(PrivacyModelSerializer):
    unit = ScopedPrimaryKeyField("interview-rounds", queryset=OrgUnit.objects.all(), label="乡镇")
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    interviewers = PersonField(many=True, label="约谈人（干部编号）")
    interviewer_names = PersonNamesField(source="interviewers", label="约谈人姓名")
    items = InterviewItemSerializer(many=True, read_only=True, label="约谈对象")

    class Meta:
        model = InterviewRound
        fields = [
            "id",
            "unit",
            "unit_name",
            "title",
            "start_date",
            "end_date",
            "interviewers",
            "interviewer_names",
            "items",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["created_by", "created_at"]
        levels = {"items": Level.BASIC}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _frozen_on_update(self, attrs, ("title", "start_date", "end_date", "interviewers"))
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        if start and end and end < start:
            raise serializers.ValidationError({"end_date": _("结束日期不能早于开始日期。")})
        return attrs


class RegularTalkSerializer(PrivacyModelSerializer):
    """A cadre and their regular-talk clock (annotated by the selector)."""

    unit_name = serializers.CharField(source="unit.name", read_only=True)
    talkee_group = serializers.CharField(read_only=True)
    last_talk_date = serializers.DateField(read_only=True, allow_null=True)
    regular_cadence_months = serializers.IntegerField(read_only=True)
    next_regular_talk_due = serializers.DateField(read_only=True)
    overdue = serializers.SerializerMethodField(label="是否逾期")

    class Meta:
        model = Cadre
        fields = [
            "id",
            "name",
            "unit",
            "unit_name",
            "leader_post",
            "talkee_group",
            "last_talk_date",
            "regular_cadence_months",
            "next_regular_talk_due",
            "overdue",
        ]
        levels = {
            name: Level.BASIC
            for name in ("talkee_group", "last_talk_date", "regular_cadence_months", "next_regular_talk_due", "overdue")
        }

    # Typed for the schema here: the generator reads a method's annotations at run time,
    # where WithAnnotations (a name for the type checker only) does not exist.
    @extend_schema_field(OpenApiTypes.BOOL)
    def get_overdue(self, cadre: WithAnnotations[Cadre, RegularTalkDue]) -> bool:
        return cadre.next_regular_talk_due < clock.today()
