"""Care policies, family members, family events and a cadre's illness or death."""

from __future__ import annotations

from django.db import models
from rest_framework import mixins, serializers

from cadrecare.care import selectors, services
from cadrecare.care.api.serializers import (
    CadreConditionSerializer,
    CarePolicySerializer,
    FamilyEventSerializer,
    FamilyMemberSerializer,
)
from cadrecare.care.api.views.common import ExportMixin, RecordOnceMixin
from cadrecare.care.filtersets import (
    CadreConditionFilterSet,
    CarePolicyFilterSet,
    FamilyEventFilterSet,
    FamilyMemberFilterSet,
)
from cadrecare.care.imports import FamilyMemberImporter
from cadrecare.care.models import CarePolicy, FamilyEvent
from cadrecare.core import clock
from cadrecare.core.api import (
    NO_PUT,
    ImportActionsMixin,
    OwnerSeesNotesMixin,
    ScopedCreateMixin,
    ScopedKeptViewSet,
    ScopedModelViewSet,
    record_of,
)
from cadrecare.org import posts


class CarePolicyViewSet(ScopedModelViewSet):
    """Care settings per unit (visit deadlines, a designated visit owner),
    inherited down the tree."""

    resource = "care-policies"
    queryset = CarePolicy.objects.select_related("unit", "visit_owner__cadre")
    serializer_class = CarePolicySerializer
    filterset_class = CarePolicyFilterSet

    def create_object(self, serializer: serializers.BaseSerializer) -> CarePolicy:
        return services.care_policy_save(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )

    def update_object(self, serializer: serializers.BaseSerializer) -> CarePolicy:
        data = dict(serializer.validated_data)
        policy: CarePolicy = record_of(serializer)
        unit = data.pop("unit", policy.unit)
        return services.care_policy_save(
            actor=self.request.user, unit=unit, policy=policy, request=self.request._request, **data
        )

    def destroy_object(self, instance: models.Model) -> None:
        services.care_policy_delete(actor=self.request.user, policy=instance, request=self.request._request)  # type: ignore[arg-type]


class FamilyMemberViewSet(ImportActionsMixin, ExportMixin, ScopedModelViewSet):
    """Family members (家属基本信息库): personal; health and notes sensitive;
    a child under 14 is sensitive throughout."""

    resource = "family-members"
    serializer_class = FamilyMemberSerializer
    filterset_class = FamilyMemberFilterSet
    ordering_fields = ["id", "cadre", "relation", "birth_date"]
    action_access = {"export": "export"}
    importer = FamilyMemberImporter
    export_title = "干部家属信息"
    export_columns = (
        ("cadre_name", "干部"),
        ("relation_label", "关系"),
        ("name", "姓名"),
        ("gender_label", "性别"),
        ("birth_date", "出生日期"),
        ("work_unit", "工作单位或学校"),
        ("phone", "联系电话"),
        ("lives_with_cadre", "与干部同住"),
        ("health_condition", "健康状况"),
        ("notes", "备注"),
        ("deceased_on", "去世日期"),
    )

    def base_queryset(self) -> models.QuerySet:
        return selectors.family_member_queryset()

    def create_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        return services.family_member_create(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )

    def update_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        return services.family_member_update(
            actor=self.request.user,
            member=record_of(serializer),
            request=self.request._request,
            **serializer.validated_data,
        )

    def destroy_object(self, instance: models.Model) -> None:
        services.family_member_delete(actor=self.request.user, member=instance, request=self.request._request)  # type: ignore[arg-type]


class FamilyEventViewSet(OwnerSeesNotesMixin, RecordOnceMixin, ScopedKeptViewSet):
    """Major family events (家庭发生重大变故): recording one opens a must-visit
    obligation and a must-talk trigger, exactly once per Idempotency-Key. The
    owner of the visit an event is for reads it in full (a per-record rule)."""

    resource = "family-events"
    serializer_class = FamilyEventSerializer
    filterset_class = FamilyEventFilterSet
    ordering_fields = ["date", "id"]
    http_method_names = NO_PUT
    record = staticmethod(services.family_event_record)

    def base_queryset(self) -> models.QuerySet:
        return selectors.family_event_queryset()

    def get_queryset(self) -> models.QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return FamilyEvent.objects.none()
        return selectors.family_event_list(user=self.request.user)

    def update_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        return services.family_event_update(
            actor=self.request.user,
            event=record_of(serializer),
            request=self.request._request,
            **serializer.validated_data,
        )

    def record_owner_ids(self, instance: models.Model) -> set[int]:
        if hasattr(instance, "visit_owner_now_id"):  # read through the list's selector
            owner = instance.visit_owner_now_id
        elif (obligation := getattr(instance, "obligation", None)) is not None:  # none for an event without a visit
            owner = posts.owner_now(obligation, hand="owner", hand_note="owner_note", day=clock.today()).user_id
        else:
            return set()
        return {owner} if owner else set()


class CadreConditionViewSet(RecordOnceMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedCreateMixin):
    """A cadre's serious illness or death: opens a condolence visit; a death
    sets the cadre's status to 去世."""

    resource = "cadre-conditions"
    serializer_class = CadreConditionSerializer
    filterset_class = CadreConditionFilterSet
    ordering_fields = ["date", "id"]
    record = staticmethod(services.cadre_condition_record)

    def base_queryset(self) -> models.QuerySet:
        return selectors.cadre_condition_queryset()
