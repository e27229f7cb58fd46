"""Shapes of cadres: the list and the record, a change of status, and post changes."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from cadrecare.core import clock
from cadrecare.core.api import ChoiceLabelField, PrivacyModelSerializer
from cadrecare.core.privacy import Level
from cadrecare.org import rules
from cadrecare.org.api.serializers.fields import ScopedPrimaryKeyField
from cadrecare.org.choices import (
    ENDED_STATUSES,
    CadreStatus,
    PostChangeKind,
    Rank,
)
from cadrecare.org.models import Cadre, Office, OrgUnit, PostChange


class CadreListSerializer(PrivacyModelSerializer):
    """A cadre in a list: who and where, no personal fields (those are read one record at a time)."""

    unit = ScopedPrimaryKeyField("cadres", queryset=OrgUnit.objects.all(), label="工作单位")
    establishment_unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all(), label="编制所在单位")
    office = serializers.PrimaryKeyRelatedField(
        queryset=Office.objects.all(), allow_null=True, required=False, label="科室站所"
    )
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    establishment_unit_name = serializers.CharField(source="establishment_unit.name", read_only=True)
    office_name = serializers.CharField(source="office.name", read_only=True, default=None, allow_null=True)
    gender_label = ChoiceLabelField(source="gender")
    ethnicity_label = ChoiceLabelField(source="ethnicity")
    rank_label = ChoiceLabelField(source="rank")
    leader_post_label = ChoiceLabelField(source="leader_post")
    status_label = ChoiceLabelField(source="status")
    age = serializers.SerializerMethodField(label="年龄")

    class Meta:
        model = Cadre
        fields = [
            "id",
            "name",
            "gender",
            "gender_label",
            "ethnicity",
            "ethnicity_label",
            "age",
            "rank",
            "rank_label",
            "post_title",
            "leader_post",
            "leader_post_label",
            "office",
            "office_name",
            "unit",
            "unit_name",
            "establishment_unit",
            "establishment_unit_name",
            "status",
            "status_label",
        ]
        levels = {"age": Level.BASIC}

    def get_age(self, cadre: Cadre) -> int:
        return rules.age_on(cadre.birth_date, clock.today())


class CadreSerializer(CadreListSerializer):
    remote_service_years = serializers.SerializerMethodField(label="边远乡镇工作年限")

    class Meta(CadreListSerializer.Meta):
        fields = [
            "id",
            "name",
            "gender",
            "gender_label",
            "ethnicity",
            "ethnicity_label",
            "birth_date",
            "age",
            "id_number",
            "phone",
            "rank",
            "rank_label",
            "post_title",
            "leader_post",
            "leader_post_label",
            "office",
            "office_name",
            "unit",
            "unit_name",
            "establishment_unit",
            "establishment_unit_name",
            "township_service_start",
            "unit_joined",
            "status",
            "status_label",
            "status_changed_on",
            "remote_service_years",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status_changed_on", "created_at", "updated_at"]
        levels = {"age": Level.BASIC, "remote_service_years": Level.BASIC}

    def get_remote_service_years(self, cadre: Cadre) -> float:
        return rules.remote_service_years(service_periods(cadre))

    def validate_id_number(self, value: str) -> str:
        value = value.strip().upper()
        problem = rules.citizen_id_problem(value)
        if problem:
            raise serializers.ValidationError(problem)
        return value

    def validate_phone(self, value: str) -> str:
        if value and not (len(value) == 11 and value.isdigit() and value.startswith("1")):
            raise serializers.ValidationError(_("手机号应为以1开头的11位数字。"))
        return value


def service_periods(cadre: Cadre) -> list[tuple[Any, Any, str, bool]]:
    """(start, end, unit kind, remote) periods from the prefetched post history,
    or the current unit since joining when there is no history."""
    today = clock.today()
    changes = list(cadre.post_changes.all())
    if not changes:
        start = cadre.unit_joined or cadre.township_service_start
        return [(start, today, cadre.unit.kind, cadre.unit.is_remote)] if start else []
    periods = []
    for change, following in zip(changes, [*changes[1:], None], strict=True):
        end = following.date if following else today
        periods.append((change.date, end, change.to_unit.kind, change.to_unit.is_remote))
    return periods


class CadreStatusInputSerializer(serializers.Serializer):
    """A cadre's service ends: 离退休 or 调离 (a death is recorded as a cadre condition)."""

    status = serializers.ChoiceField(
        choices=[
            (value, label)
            for value, label in CadreStatus.choices
            if value in ENDED_STATUSES and value != CadreStatus.DECEASED
        ],
        label="新状态",
    )
    date = serializers.DateField(label="变动日期")


class PostChangeSerializer(PrivacyModelSerializer):
    cadre = ScopedPrimaryKeyField("post-changes", queryset=Cadre.objects.select_related("unit"), label="干部")
    to_unit = ScopedPrimaryKeyField("post-changes", queryset=OrgUnit.objects.all(), label="新单位")
    to_office = serializers.PrimaryKeyRelatedField(
        queryset=Office.objects.all(), allow_null=True, required=False, write_only=True, label="新科室站所"
    )
    kind = serializers.ChoiceField(choices=PostChangeKind.choices, label="变动类型")
    to_rank = serializers.ChoiceField(choices=Rank.choices, label="新职级")
    kind_label = ChoiceLabelField(source="kind")
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)

    class Meta:
        model = PostChange
        fields = [
            "id",
            "cadre",
            "cadre_name",
            "kind",
            "kind_label",
            "date",
            "from_unit",
            "to_unit",
            "to_office",
            "from_post_title",
            "to_post_title",
            "from_rank",
            "to_rank",
            "from_leader_post",
            "to_leader_post",
            "note",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = [
            "from_unit",
            "from_post_title",
            "from_rank",
            "from_leader_post",
            "recorded_by",
            "recorded_at",
        ]
        extra_kwargs = {"to_leader_post": {"required": False, "help_text": "省略则保持原班子职务"}}
