"""Shapes of the care resources; the rules live in care.services.

Label fields of personal or sensitive values declare that level in
``Meta.levels`` so a label never shows what its value masks.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Any, cast

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cadrecare.care.choices import ContactWay, FacilityItem, FacilityStatus, FollowUpOutcome, HardshipCategory
from cadrecare.care.models import (
    CadreCondition,
    CareDecision,
    CarePolicy,
    Facility,
    FamilyEvent,
    FamilyMember,
    HardshipCase,
    HardshipMeasure,
    PostAllowance,
    Visit,
    VisitObligation,
)
from cadrecare.care.rules import member_visible_level
from cadrecare.care.selectors import UNRECORDED, facility_gaps
from cadrecare.core import clock
from cadrecare.core.api import ChoiceLabelField, PrivacyModelSerializer
from cadrecare.core.i18n import choice_label
from cadrecare.core.privacy import Level
from cadrecare.health.models import Checkup
from cadrecare.org import posts
from cadrecare.org.api.serializers import PersonField, PersonNameField, PersonNamesField, ScopedPrimaryKeyField
from cadrecare.org.choices import UnitKind
from cadrecare.org.models import Cadre, OrgUnit
from cadrecare.rotation.models import Absence


def _read_only_on_update(serializer: serializers.Serializer, fields: dict[str, Any], names: tuple[str, ...]) -> None:
    """What a record is about is fixed once recorded."""
    if serializer.instance is not None:
        for name in names:
            if name in fields:
                fields[name].read_only = True


class CarePolicySerializer(PrivacyModelSerializer):
    unit = ScopedPrimaryKeyField("care-policies", queryset=OrgUnit.objects.all(), label="单位")
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    family_event_days = serializers.IntegerField(
        min_value=1, max_value=60, allow_null=True, required=False, label="家庭变故必访期限（天）"
    )
    illness_days = serializers.IntegerField(
        min_value=1, max_value=60, allow_null=True, required=False, label="干部重病慰问期限（天）"
    )
    death_days = serializers.IntegerField(
        min_value=1, max_value=60, allow_null=True, required=False, label="干部去世慰问期限（天）"
    )
    hardship_review_months = serializers.IntegerField(
        min_value=1, max_value=24, allow_null=True, required=False, label="困难帮扶回访周期（月）"
    )
    message_answer_days = serializers.IntegerField(
        min_value=1, max_value=60, allow_null=True, required=False, label="心里话回复期限（天）"
    )
    first_contact_days = serializers.IntegerField(
        min_value=1, max_value=60, allow_null=True, required=False, label="困难帮扶首次联系期限（天）"
    )
    sick_leave_days = serializers.IntegerField(
        min_value=1, max_value=180, allow_null=True, required=False, label="长期病假关怀起点（天）"
    )
    visit_owner = PersonField(allow_null=True, required=False, label="指定走访责任人（干部编号）")
    visit_owner_name = PersonNameField(source="visit_owner", default=None, label="指定走访责任人姓名")

    class Meta:
        model = CarePolicy
        fields = [
            "id",
            "unit",
            "unit_name",
            "family_event_days",
            "illness_days",
            "death_days",
            "hardship_review_months",
            "message_answer_days",
            "first_contact_days",
            "sick_leave_days",
            "visit_owner",
            "visit_owner_name",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]
        validators: list[Any] = []

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        _read_only_on_update(self, fields, ("unit",))
        return fields

    def validate_unit(self, unit: OrgUnit) -> OrgUnit:
        if CarePolicy.objects.filter(unit=unit).exists():
            raise serializers.ValidationError(_("该单位已有关爱政策，请修改原记录。"))
        return unit


class FamilyMemberSerializer(PrivacyModelSerializer):
    cadre = ScopedPrimaryKeyField("family-members", queryset=Cadre.objects.select_related("unit"), label="干部")
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    relation_label = ChoiceLabelField(source="relation")
    gender_label = ChoiceLabelField(source="gender")

    class Meta:
        model = FamilyMember
        fields = [
            "id",
            "cadre",
            "cadre_name",
            "relation",
            "relation_label",
            "name",
            "gender",
            "gender_label",
            "birth_date",
            "work_unit",
            "phone",
            "lives_with_cadre",
            "health_condition",
            "notes",
            "deceased_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        levels = {"gender_label": Level.PERSONAL}
        validators: list[Any] = []

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        _read_only_on_update(self, fields, ("cadre",))
        return fields

    def visible_level(self, instance: models.Model) -> Level:
        """A child under 14 is sensitive throughout (``rules.member_visible_level``)."""
        member = cast(FamilyMember, instance)
        return member_visible_level(member, super().visible_level(member), self._today)

    @cached_property
    def _today(self) -> dt.date:
        return clock.today()


class FamilyEventSerializer(PrivacyModelSerializer):
    cadre = ScopedPrimaryKeyField("family-events", queryset=Cadre.objects.select_related("unit"), label="干部")
    family_member = ScopedPrimaryKeyField(
        "family-events", queryset=FamilyMember.objects.all(), allow_null=True, required=False, label="涉及家属"
    )
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    kind_label = ChoiceLabelField(source="kind")
    family_member_relation = ChoiceLabelField(source="family_member.relation", default=None, allow_null=True)
    request_key = serializers.CharField(max_length=64, required=False, allow_blank=True, label="请求幂等键")
    obligation = serializers.SerializerMethodField(label="必访任务")

    class Meta:
        model = FamilyEvent
        fields = [
            "id",
            "cadre",
            "cadre_name",
            "family_member",
            "family_member_relation",
            "kind",
            "kind_label",
            "date",
            "description",
            "request_key",
            "obligation",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = ["recorded_by", "created_at"]
        validators: list[Any] = []

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        _read_only_on_update(self, fields, ("cadre", "family_member", "kind", "date", "request_key"))
        return fields

    def get_obligation(self, event: FamilyEvent) -> int | None:
        obligation = getattr(event, "obligation", None)
        return obligation.pk if obligation is not None else None


class CadreConditionSerializer(PrivacyModelSerializer):
    cadre = ScopedPrimaryKeyField("cadre-conditions", queryset=Cadre.objects.select_related("unit"), label="干部")
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    kind_label = ChoiceLabelField(source="kind")
    request_key = serializers.CharField(max_length=64, required=False, allow_blank=True, label="请求幂等键")
    obligation = serializers.SerializerMethodField(label="慰问任务")

    class Meta:
        model = CadreCondition
        fields = [
            "id",
            "cadre",
            "cadre_name",
            "kind",
            "kind_label",
            "date",
            "description",
            "request_key",
            "obligation",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = ["recorded_by", "created_at"]
        validators: list[Any] = []

    def get_obligation(self, condition: CadreCondition) -> int | None:
        obligation = getattr(condition, "obligation", None)
        return obligation.pk if obligation is not None else None


class VisitObligationSerializer(PrivacyModelSerializer):
    cadre = ScopedPrimaryKeyField("visit-obligations", queryset=Cadre.objects.select_related("unit"), label="干部")
    owner = PersonField(allow_null=True, required=False, label="责任人（干部编号）")
    deadline = serializers.DateField(required=False, label="走访期限")
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    source_label = ChoiceLabelField(source="source")
    status_label = ChoiceLabelField(source="status")
    cancel_reason_label = ChoiceLabelField(source="cancel_reason")
    owner_name = PersonNameField(source="owner", default=None, label="责任人姓名")
    overdue = serializers.SerializerMethodField(label="已逾期")
    visits = serializers.SerializerMethodField(label="走访记录")

    class Meta:
        model = VisitObligation
        fields = [
            "id",
            "cadre",
            "cadre_name",
            "source",
            "source_label",
            "family_event",
            "condition",
            "reason",
            "event_date",
            "deadline",
            "owner",
            "owner_name",
            "owner_note",
            "owner_post",
            "owner_post_unit",
            "status",
            "status_label",
            "overdue",
            "done_on",
            "waived_reason",
            "waived_by",
            "cancel_reason",
            "cancel_reason_label",
            "cancelled_on",
            "visits",
            "created_at",
        ]
        read_only_fields = [
            "source",
            "family_event",
            "condition",
            "owner_note",
            "owner_post",
            "owner_post_unit",
            "status",
            "done_on",
            "waived_reason",
            "waived_by",
            "cancel_reason",
            "cancelled_on",
            "created_at",
        ]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        _read_only_on_update(self, fields, ("cadre", "event_date"))
        if self.instance is None:
            fields["owner"].read_only = True  # routed by the rules; reassigned afterwards
        return fields

    def to_representation(self, instance: models.Model) -> dict[str, Any]:
        """The owner shown is the one today: the holder of the obligation's
        post (``owner_post`` in ``owner_post_unit``) when it was given to a
        post, with the note saying why there is none (岗位空缺 / 未开通账号)."""
        data = super().to_representation(instance)
        owner = posts.owner_now(instance, hand="owner", hand_note="owner_note", day=clock.today())
        data.update(owner=owner.cadre_id, owner_name=owner.name, owner_note=owner.note_text)
        return data

    def get_overdue(self, obligation: VisitObligation) -> bool:
        return obligation.status == "open" and obligation.deadline < clock.today()

    def get_visits(self, obligation: VisitObligation) -> list[int]:
        return [visit.pk for visit in obligation.visits.all()]


class VisitWaiveSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, label="免于走访理由")


class VisitSerializer(PrivacyModelSerializer):
    cadre = ScopedPrimaryKeyField("visits", queryset=Cadre.objects.select_related("unit"), label="干部")
    family_member = ScopedPrimaryKeyField(
        "visits", queryset=FamilyMember.objects.all(), allow_null=True, required=False, label="走访家属"
    )
    visitors = PersonField(many=True, label="走访人（干部编号）")
    obligations = ScopedPrimaryKeyField(
        "visits", queryset=VisitObligation.objects.all(), many=True, required=False, label="完成的走访任务"
    )
    money_amount = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, label="慰问金（元）")
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    kind_label = ChoiceLabelField(source="kind")
    visitor_names = PersonNamesField(source="visitors", label="走访人姓名")

    class Meta:
        model = Visit
        fields = [
            "id",
            "cadre",
            "cadre_name",
            "family_member",
            "date",
            "kind",
            "kind_label",
            "visitors",
            "visitor_names",
            "money_amount",
            "goods",
            "notes",
            "obligations",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = ["recorded_by", "created_at"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        _read_only_on_update(self, fields, ("cadre", "obligations"))
        return fields


class HardshipMeasureBriefSerializer(serializers.ModelSerializer):
    """Measures inside their case: the facts, not the (sensitive) notes."""

    kind_label = ChoiceLabelField(source="kind")

    class Meta:
        model = HardshipMeasure
        fields = ["id", "date", "kind", "kind_label", "amount", "provided_by"]


class HardshipCaseSerializer(PrivacyModelSerializer):
    cadre = ScopedPrimaryKeyField("hardship-cases", queryset=Cadre.objects.select_related("unit"), label="干部")
    opened_on = serializers.DateField(required=False, label="登记日期")
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    category_label = ChoiceLabelField(source="category")
    status_label = ChoiceLabelField(source="status")
    first_contact_way_label = ChoiceLabelField(source="first_contact_way")
    measures = HardshipMeasureBriefSerializer(many=True, read_only=True)

    class Meta:
        model = HardshipCase
        fields = [
            "id",
            "cadre",
            "cadre_name",
            "category",
            "category_label",
            "description",
            "status",
            "status_label",
            "opened_on",
            "next_review",
            "last_reviewed_on",
            "resolved_on",
            "first_contact_due",
            "first_contact_on",
            "first_contact_way",
            "first_contact_way_label",
            "measures",
            "recorded_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "last_reviewed_on",
            "first_contact_due",
            "first_contact_on",
            "first_contact_way",
            "recorded_by",
            "created_at",
            "updated_at",
        ]
        levels = {"category_label": Level.PERSONAL}

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        _read_only_on_update(self, fields, ("cadre",))
        return fields


class HardshipReviewInputSerializer(serializers.Serializer):
    """A review of a hardship case: when it took place and, optionally, when the next one is due."""

    date = serializers.DateField(required=False, label="回访日期")
    next_review = serializers.DateField(required=False, label="下次回访日期")


class HardshipFirstContactInputSerializer(serializers.Serializer):
    """The first contact with a new hardship case (及时关心问候): how and when."""

    way = serializers.ChoiceField(choices=ContactWay.choices, label="联系方式")
    date = serializers.DateField(required=False, label="联系日期（默认今天）")


class CareDecisionSerializer(PrivacyModelSerializer):
    """A decision on care for a cadre whose check-up concluded 需治疗 (``checkup``)
    or who is on a long sick leave (``absence``): name one of them. ``category``
    is the hardship category when opening a case; ``deadline`` the visit's,
    when arranging one (default: the care policy's days)."""

    checkup = ScopedPrimaryKeyField(
        "care-decisions",
        queryset=Checkup.objects.select_related("cadre__unit"),
        allow_null=True,
        required=False,
        label="体检记录（结论需治疗）",
    )
    absence = ScopedPrimaryKeyField(
        "care-decisions",
        queryset=Absence.objects.select_related("cadre__unit"),
        allow_null=True,
        required=False,
        label="病假",
    )
    category = serializers.ChoiceField(
        choices=HardshipCategory.choices, required=False, write_only=True, label="困难类别（登记困难帮扶时）"
    )
    deadline = serializers.DateField(required=False, write_only=True, label="走访期限（安排走访时）")
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    trigger_label = ChoiceLabelField(source="trigger")
    outcome_label = ChoiceLabelField(source="outcome")
    decided_by_name = PersonNameField(source="decided_by", default=None, label="决定人姓名")

    class Meta:
        model = CareDecision
        fields = [
            "id",
            "cadre",
            "cadre_name",
            "trigger",
            "trigger_label",
            "checkup",
            "absence",
            "outcome",
            "outcome_label",
            "reason",
            "category",
            "deadline",
            "hardship_case",
            "visit_obligation",
            "decided_on",
            "decided_by",
            "decided_by_name",
            "created_at",
        ]
        read_only_fields = [
            "cadre",
            "trigger",
            "hardship_case",
            "visit_obligation",
            "decided_on",
            "decided_by",
            "created_at",
        ]
        levels = {"trigger_label": Level.SENSITIVE}

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["outcome"].choices = FollowUpOutcome.choices  # type: ignore[attr-defined]  # a ChoiceField
        return fields


class HardshipMeasureSerializer(PrivacyModelSerializer):
    case = ScopedPrimaryKeyField("hardship-measures", queryset=HardshipCase.objects.all(), label="帮扶对象")
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, label="金额（元）")
    cadre = serializers.IntegerField(source="case.cadre_id", read_only=True, label="干部")
    kind_label = ChoiceLabelField(source="kind")

    class Meta:
        model = HardshipMeasure
        fields = ["id", "case", "cadre", "date", "kind", "kind_label", "amount", "provided_by", "note", "created_at"]
        read_only_fields = ["created_at"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        _read_only_on_update(self, fields, ("case",))
        return fields


# ---------------------------------------------------------------------------
# Township conditions
# ---------------------------------------------------------------------------


def _township(unit: OrgUnit) -> OrgUnit:
    if unit.kind != UnitKind.TOWNSHIP:
        raise serializers.ValidationError(_("请选择乡镇（街道）。"))
    return unit


class FacilitySerializer(PrivacyModelSerializer):
    township = ScopedPrimaryKeyField("facilities", queryset=OrgUnit.objects.all(), label="乡镇")
    township_name = serializers.CharField(source="township.name", read_only=True)
    item_label = ChoiceLabelField(source="item")
    status_label = ChoiceLabelField(source="status")

    class Meta:
        model = Facility
        fields = [
            "id",
            "township",
            "township_name",
            "item",
            "item_label",
            "status",
            "status_label",
            "as_of",
            "note",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]
        validators: list[Any] = []

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        _read_only_on_update(self, fields, ("township", "item"))
        return fields


class FacilityGapSerializer(PrivacyModelSerializer):
    """One township of the gaps report: what it lacks of the five small
    facilities, meals and lodging."""

    county_name = serializers.CharField(source="parent.name", read_only=True, default=None)
    remoteness_label = ChoiceLabelField(source="remoteness")
    gaps = serializers.SerializerMethodField(label="缺项")
    gap_count = serializers.SerializerMethodField(label="缺项数")
    gap_text = serializers.SerializerMethodField(label="缺项说明")

    class Meta:
        model = OrgUnit
        fields = [
            "id",
            "code",
            "name",
            "county_name",
            "remoteness",
            "remoteness_label",
            "gaps",
            "gap_count",
            "gap_text",
        ]

    def get_gaps(self, township: OrgUnit) -> list[dict[str, str]]:
        labels = dict(FacilityStatus.choices) | {UNRECORDED: gettext_noop("未登记")}
        return [
            {
                "item": item,
                "item_label": choice_label(FacilityItem(item).label),
                "status": status,
                "status_label": choice_label(labels[status]),
            }
            for item, status in facility_gaps(township).items()
        ]

    def get_gap_count(self, township: OrgUnit) -> int:
        return len(facility_gaps(township))

    def get_gap_text(self, township: OrgUnit) -> str:
        return "、".join(f"{gap['item_label']}（{gap['status_label']}）" for gap in self.get_gaps(township))


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-03"})
class MonthField(serializers.Field):
    """A month as "YYYY-MM" on the wire, its first day in the database."""

    default_error_messages = {"invalid": gettext_lazy("月份格式应为 YYYY-MM。")}

    def to_internal_value(self, data: Any) -> dt.date:
        try:
            year, month = str(data).split("-")
            return dt.date(int(year), int(month), 1)
        except ValueError:
            self.fail("invalid")
            raise  # unreachable: fail() raises

    def to_representation(self, value: dt.date) -> str:
        return f"{value:%Y-%m}"


def month_end(first: dt.date) -> dt.date:
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


class PostAllowanceSerializer(PrivacyModelSerializer):
    township = ScopedPrimaryKeyField("post-allowances", queryset=OrgUnit.objects.all(), label="乡镇")
    month = MonthField(label="月份")
    due_amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, label="应发金额（元）")
    paid_amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, label="实发金额（元）"
    )
    due_by = serializers.DateField(required=False, label="应发放截止日（默认当月最后一天）")
    township_name = serializers.CharField(source="township.name", read_only=True)
    county_name = serializers.CharField(source="township.parent.name", read_only=True, default=None)
    is_late = serializers.BooleanField(read_only=True, label="未按时发放")
    is_short = serializers.BooleanField(read_only=True, label="未足额发放")

    class Meta:
        model = PostAllowance
        fields = [
            "id",
            "township",
            "township_name",
            "county_name",
            "month",
            "due_amount",
            "paid_amount",
            "due_by",
            "paid_on",
            "is_late",
            "is_short",
            "note",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]
        validators: list[Any] = []

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        _read_only_on_update(self, fields, ("township", "month"))
        return fields

    def validate_township(self, unit: OrgUnit) -> OrgUnit:
        return _township(unit)

    def validate_month(self, month: dt.date) -> dt.date:
        if month > clock.today().replace(day=1):
            raise serializers.ValidationError(_("不能登记以后月份的补贴发放。"))
        return month

    def validate_paid_on(self, day: dt.date | None) -> dt.date | None:
        if day is not None and day > clock.today():
            raise serializers.ValidationError(_("发放日期不能晚于今天。"))
        return day

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        month: dt.date = attrs["month"] if "month" in attrs else self.instance.month  # type: ignore[union-attr]
        if self.instance is None:
            if PostAllowance.objects.filter(township=attrs["township"], month=month).exists():
                raise serializers.ValidationError(
                    {
                        "month": _("该乡镇%(month)s的补贴已登记，请修改原记录。")
                        % {"month": month.strftime(_("%Y年%m月"))}
                    }
                )
            attrs.setdefault("due_by", month_end(month))
        due_by = attrs.get("due_by", getattr(self.instance, "due_by", None))
        if due_by is not None and due_by < month:
            raise serializers.ValidationError({"due_by": _("应发放截止日不能早于该月第一天。")})
        return attrs


class TransferCandidateSerializer(PrivacyModelSerializer):
    """A row of the transfer-candidates report (selectors.transfer_candidates)."""

    unit_name = serializers.CharField(source="unit.name", read_only=True)
    county_name = serializers.CharField(source="unit.parent.name", read_only=True, default=None)
    remoteness_label = ChoiceLabelField(source="unit.remoteness")
    gender_label = ChoiceLabelField(source="gender")
    rank_label = ChoiceLabelField(source="rank")
    age = serializers.IntegerField(read_only=True, label="年龄")
    remote_years = serializers.FloatField(read_only=True, label="边远乡镇工作年限")
    hardship = serializers.BooleanField(read_only=True, label="家庭困难")
    health_concern = serializers.BooleanField(read_only=True, label="健康状况需关注")

    class Meta:
        model = Cadre
        fields = [
            "id",
            "name",
            "gender",
            "gender_label",
            "rank",
            "rank_label",
            "post_title",
            "unit",
            "unit_name",
            "county_name",
            "remoteness_label",
            "age",
            "remote_years",
            "hardship",
            "health_concern",
        ]
        levels = {
            "age": Level.BASIC,
            "remote_years": Level.BASIC,
            "hardship": Level.PERSONAL,
            "health_concern": Level.SENSITIVE,
        }


class CareSpendingRowSerializer(serializers.Serializer):
    """One unit's spending of one category and kind in a year (labels in the request's language)."""

    id = serializers.IntegerField(source="unit", label="单位")  # rows are per unit, as the other reports'
    unit = serializers.IntegerField(label="单位")
    unit_name = serializers.CharField(label="单位名称")
    category = serializers.CharField(label="类别")
    category_label = serializers.SerializerMethodField(label="类别名称")
    kind = serializers.CharField(label="类型")
    kind_label = serializers.SerializerMethodField(label="类型名称")
    count = serializers.IntegerField(label="笔数")
    goods = serializers.IntegerField(label="送慰问物资次数")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, label="金额（元）")

    def get_category_label(self, row: dict[str, Any]) -> str:
        return choice_label(row["category_label"])

    def get_kind_label(self, row: dict[str, Any]) -> str:
        return choice_label(row["kind_label"])
