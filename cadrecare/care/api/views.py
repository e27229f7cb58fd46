"""Care endpoints: declarative viewsets on the scoped base; writes hand the
validated data to one service each."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from django.db import models
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cadrecare.audit.services import audit_log
from cadrecare.care import selectors, services
from cadrecare.care.api.serializers import (
    CadreConditionSerializer,
    CareDecisionSerializer,
    CarePolicySerializer,
    CareSpendingRowSerializer,
    FacilityGapSerializer,
    FacilitySerializer,
    FamilyEventSerializer,
    FamilyMemberSerializer,
    HardshipCaseSerializer,
    HardshipFirstContactInputSerializer,
    HardshipMeasureSerializer,
    HardshipReviewInputSerializer,
    PostAllowanceSerializer,
    TransferCandidateSerializer,
    VisitObligationSerializer,
    VisitSerializer,
    VisitWaiveSerializer,
)
from cadrecare.care.filtersets import (
    CadreConditionFilterSet,
    CareDecisionFilterSet,
    CarePolicyFilterSet,
    FacilityFilterSet,
    FacilityGapFilterSet,
    FamilyEventFilterSet,
    FamilyMemberFilterSet,
    HardshipCaseFilterSet,
    HardshipMeasureFilterSet,
    PostAllowanceFilterSet,
    TransferCandidateFilterSet,
    VisitFilterSet,
    VisitObligationFilterSet,
)
from cadrecare.care.imports import FamilyMemberImporter, PostAllowanceImporter
from cadrecare.care.models import CarePolicy, Facility, FamilyEvent, Visit
from cadrecare.core import clock
from cadrecare.core.api import (
    ImportActionsMixin,
    OwnerSeesNotesMixin,
    ScopedCreateMixin,
    ScopedModelViewSet,
    ScopedViewSet,
    record_of,
    visible_unit,
    year_param,
)
from cadrecare.core.authenticated import AuthenticatedRequest
from cadrecare.core.errors import DomainError
from cadrecare.core.exports import xlsx_response
from cadrecare.core.filters import ScopedFilterBackend
from cadrecare.org import posts
from cadrecare.org.access import CHANGE, VIEW
from cadrecare.org.choices import Remoteness

MAX_EXPORT_ROWS = 10000
NO_PUT_OR_DELETE = ["get", "post", "patch", "head", "options"]


class ExportMixin:
    """``GET <resource>/export/``: the filtered list as .xlsx with Chinese
    headers, built from the (masked) API rows and logged as one export."""

    export_title: ClassVar[str]
    export_columns: ClassVar[Sequence[tuple[str, str]]]

    def export_rows(self) -> list[Any]:
        view: Any = self
        return list(view.filter_queryset(view.get_queryset())[: MAX_EXPORT_ROWS + 1])

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"])
    def export(self, request: AuthenticatedRequest) -> HttpResponse:
        view: Any = self
        rows = self.export_rows()
        if len(rows) > MAX_EXPORT_ROWS:
            raise DomainError(
                _("一次最多导出 %(MAX_EXPORT_ROWS)s 行，请缩小筛选范围。") % {"MAX_EXPORT_ROWS": MAX_EXPORT_ROWS},
                field="unit",
            )
        data = view.get_serializer(rows, many=True).data
        audit_log(actor=request.user, action="export", accesses=list(view._audit_reads), request=request._request)
        view._audit_reads.clear()
        return xlsx_response(title=self.export_title, filename=view.resource, columns=self.export_columns, rows=data)


class RecordOnceMixin:
    """Create through a service that records exactly once per client key:
    the ``Idempotency-Key`` header (or ``request_key`` in the body). A retry
    answers with the first record and ``Idempotent-Replayed: true``."""

    record: ClassVar[Callable[..., tuple[models.Model, bool]]]
    service_audits = True  # the recording service places and audits the first record only

    def request_key(self, data: dict[str, Any]) -> str:
        view: Any = self
        key = (view.request.headers.get("Idempotency-Key") or data.pop("request_key", "") or "").strip()
        data.pop("request_key", None)
        if len(key) > 64:
            raise DomainError(_("请求编号（Idempotency-Key）不能超过64个字符。"), field="request_key")
        return key

    def create_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        view: Any = self
        data = dict(serializer.validated_data)
        key = self.request_key(data)
        record, created = type(self).record(
            actor=view.request.user, request_key=key, request=view.request._request, **data
        )
        self.replayed = not created
        return record

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().create(request, *args, **kwargs)  # type: ignore[misc]
        if getattr(self, "replayed", False):
            response["Idempotent-Replayed"] = "true"
        return response


class CarePolicyViewSet(ScopedModelViewSet):
    """Care settings per unit (visit deadlines, a designated visit owner),
    inherited down the tree."""

    resource = "care-policies"
    service_audits = True
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


class FamilyMemberViewSet(ImportActionsMixin, ExportMixin, ScopedModelViewSet):
    """Family members (家属基本信息库): personal; health and notes sensitive;
    a child under 14 is sensitive throughout."""

    resource = "family-members"
    service_audits = True
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


class FamilyEventViewSet(OwnerSeesNotesMixin, RecordOnceMixin, ScopedModelViewSet):
    """Major family events (家庭发生重大变故): recording one opens a must-visit
    obligation and a must-talk trigger, exactly once per Idempotency-Key. The
    owner of the visit an event is for reads it in full (a per-record rule)."""

    resource = "family-events"
    serializer_class = FamilyEventSerializer
    filterset_class = FamilyEventFilterSet
    ordering_fields = ["date", "id"]
    http_method_names = NO_PUT_OR_DELETE
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


class VisitObligationViewSet(ScopedModelViewSet):
    """Visits that must happen (必访/慰问), each with a deadline and an owner."""

    resource = "visit-obligations"
    service_audits = True
    serializer_class = VisitObligationSerializer
    filterset_class = VisitObligationFilterSet
    ordering_fields = ["deadline", "id", "status"]
    http_method_names = NO_PUT_OR_DELETE
    action_access = {"waive": "waive"}

    def base_queryset(self) -> models.QuerySet:
        return selectors.visit_obligation_queryset()

    def create_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        return services.visit_obligation_create(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )

    def update_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        return services.visit_obligation_update(
            actor=self.request.user,
            obligation=record_of(serializer),
            request=self.request._request,
            **serializer.validated_data,
        )

    @extend_schema(request=VisitWaiveSerializer, responses=VisitObligationSerializer)
    @action(detail=True, methods=["post"])
    def waive(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        """Waive an open obligation, with the reason."""
        obligation = self.get_object()
        form = VisitWaiveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        obligation = services.visit_obligation_waive(
            actor=request.user, obligation=obligation, reason=form.validated_data["reason"], request=request._request
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=obligation.pk)).data)


class VisitViewSet(OwnerSeesNotesMixin, ExportMixin, ScopedModelViewSet):
    """Visits (走访慰问); a visit fulfils the open obligations it names. Whoever
    recorded a visit reads back its notes (a per-record rule)."""

    resource = "visits"
    service_audits = True
    serializer_class = VisitSerializer
    filterset_class = VisitFilterSet
    ordering_fields = ["date", "id"]
    http_method_names = NO_PUT_OR_DELETE
    action_access = {"export": "export"}
    export_title = "走访慰问记录"
    export_columns = (
        ("date", "走访日期"),
        ("cadre_name", "干部"),
        ("kind_label", "走访类型"),
        ("visitor_names", "走访人"),
        ("money_amount", "慰问金（元）"),
        ("goods", "慰问物资"),
        ("notes", "走访情况"),
        ("obligations", "完成的走访任务编号"),
    )

    def base_queryset(self) -> models.QuerySet:
        return selectors.visit_queryset()

    def get_queryset(self) -> models.QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return Visit.objects.none()
        return selectors.visit_list(user=self.request.user)

    def record_owner_ids(self, instance: models.Model) -> set[int]:
        return {instance.recorded_by_id} if instance.recorded_by_id else set()  # type: ignore[attr-defined]

    def create_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        return services.visit_record(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )

    def update_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        return services.visit_update(
            actor=self.request.user,
            visit=record_of(serializer),
            request=self.request._request,
            **serializer.validated_data,
        )


class HardshipCaseViewSet(ScopedModelViewSet):
    """Hardship cases (困难帮扶); an open one marks the cadre ``hardship``."""

    resource = "hardship-cases"
    service_audits = True
    serializer_class = HardshipCaseSerializer
    filterset_class = HardshipCaseFilterSet
    ordering_fields = ["opened_on", "next_review", "id"]
    http_method_names = NO_PUT_OR_DELETE
    action_access = {"review": CHANGE, "first_contact": CHANGE}

    def base_queryset(self) -> models.QuerySet:
        return selectors.hardship_case_queryset()

    def create_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        return services.hardship_case_create(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )

    def update_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        return services.hardship_case_update(
            actor=self.request.user,
            case=record_of(serializer),
            request=self.request._request,
            **serializer.validated_data,
        )

    @extend_schema(request=HardshipReviewInputSerializer, responses=HardshipCaseSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        """Record a review (回访) of the case; the next one falls due by the care policy unless given."""
        case = self.get_object()
        form = HardshipReviewInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        case = services.hardship_case_review(
            actor=request.user, case=case, request=request._request, **form.validated_data
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=case.pk)).data)

    @extend_schema(request=HardshipFirstContactInputSerializer, responses=HardshipCaseSerializer)
    @action(detail=True, methods=["post"], url_path="first-contact")
    def first_contact(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        """Record the first contact with a new case (及时关心问候); its first-contact item is done."""
        case = self.get_object()
        form = HardshipFirstContactInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        case = services.hardship_first_contact_record(
            actor=request.user, case=case, request=request._request, **form.validated_data
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=case.pk)).data)


class CareDecisionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedCreateMixin):
    """Decisions on care (关爱跟进决定) for a cadre whose check-up concluded
    需治疗 or who is on a long sick leave: a hardship case, a visit, or closed
    with a reason. Recorded once; what they open is changed where it lives."""

    resource = "care-decisions"
    service_audits = True
    serializer_class = CareDecisionSerializer
    filterset_class = CareDecisionFilterSet
    ordering_fields = ["decided_on", "id"]

    def base_queryset(self) -> models.QuerySet:
        return selectors.care_decision_queryset()

    def create_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        return services.care_decision_record(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )


class HardshipMeasureViewSet(ScopedModelViewSet):
    """Measures taken on hardship cases: date, kind, amount, by whom."""

    resource = "hardship-measures"
    service_audits = True
    serializer_class = HardshipMeasureSerializer
    filterset_class = HardshipMeasureFilterSet
    ordering_fields = ["date", "id"]
    http_method_names = NO_PUT_OR_DELETE

    def base_queryset(self) -> models.QuerySet:
        return selectors.hardship_measure_queryset()

    def create_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        return services.hardship_measure_add(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )

    def update_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        return services.hardship_measure_update(
            actor=self.request.user,
            measure=record_of(serializer),
            request=self.request._request,
            **serializer.validated_data,
        )


class TransferCandidateViewSet(ExportMixin, mixins.ListModelMixin, ScopedViewSet):
    """Exchange (交流) candidates: section-level cadres with ``years`` (default
    5) or more in townships of the ``remoteness`` grades (default all)."""

    resource = "transfer-candidates"
    serializer_class = TransferCandidateSerializer
    filterset_class = TransferCandidateFilterSet
    filter_backends = [ScopedFilterBackend]
    action_access = {"export": "export"}
    export_title = "交流候选人"
    export_columns = (
        ("county_name", "县（区）"),
        ("unit_name", "乡镇"),
        ("remoteness_label", "边远等级"),
        ("name", "姓名"),
        ("gender_label", "性别"),
        ("rank_label", "职级"),
        ("post_title", "职务"),
        ("age", "年龄"),
        ("remote_years", "边远乡镇工作年限"),
        ("hardship", "家庭困难"),
        ("health_concern", "健康状况需关注"),
    )

    def base_queryset(self) -> models.QuerySet:
        return selectors.transfer_candidate_queryset()

    def _years(self) -> float:
        raw = self.request.query_params.get("years", "5")
        try:
            years = float(raw)
        except ValueError:
            raise DomainError(_("年限应为数字。"), field="years") from None
        if not 0 <= years <= 50:
            raise DomainError(_("年限应在0到50之间。"), field="years")
        return years

    def _grades(self) -> list[str]:
        raw = [part for value in self.request.query_params.getlist("remoteness") for part in value.split(",") if part]
        grades = raw or list(selectors.REMOTE_GRADES)
        unknown = [grade for grade in grades if grade not in selectors.REMOTE_GRADES]
        if unknown:
            raise DomainError(_("边远等级只能是 grade_1、grade_2、grade_3。"), field="remoteness")
        return grades

    def export_rows(self) -> list[Any]:
        return selectors.transfer_candidates(
            self.filter_queryset(self.get_queryset()), years=self._years(), grades=self._grades()
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("years", float, description="至少在边远乡镇工作的年限，默认5"),
            OpenApiParameter(
                "remoteness",
                str,
                many=True,
                enum=[g.value for g in Remoteness if g != Remoteness.NONE],
                description="计入的边远等级，默认全部",
            ),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page: list[Any] | None = self.paginate_queryset(self.export_rows())  # type: ignore[arg-type]
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


SPENDING_PARAMETERS = [
    OpenApiParameter("year", int, description="年度（默认今年）"),
    OpenApiParameter("unit", int, description="只看该单位及其下级"),
]


class CareSpendingViewSet(ExportMixin, mixins.ListModelMixin, ScopedViewSet):
    """Care spending (关爱经费) in a year: visit money, hardship measures and
    check-up costs per unit and kind, each counted from what the reader may
    list of it; ``totals/`` per category, ``export/`` as .xlsx."""

    resource = "care-spending"
    serializer_class = CareSpendingRowSerializer
    filter_backends: list[Any] = []
    action_access = {"export": "export", "totals": VIEW}
    export_title = "关爱经费"
    export_columns = (
        ("unit_name", "单位"),
        ("category_label", "类别"),
        ("kind_label", "类型"),
        ("count", "笔数"),
        ("goods", "送慰问物资次数"),
        ("amount", "金额（元）"),
    )

    def get_queryset(self) -> models.QuerySet:
        return Visit.objects.none()  # the report reads its three sources in its selector

    def _spending(self) -> dict[str, Any]:
        params = self.request.query_params
        unit = visible_unit(self.request, self.resource, params["unit"]) if params.get("unit") else None
        return selectors.care_spending(user=self.request.user, year=year_param(params.get("year")), unit=unit)

    def export_rows(self) -> list[Any]:
        return self._spending()["rows"]

    @extend_schema(parameters=SPENDING_PARAMETERS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The rows, a unit and kind each, in tree order (paged as every list)."""
        page = self.paginate_queryset(self._spending()["rows"])
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        parameters=SPENDING_PARAMETERS,
        responses=inline_serializer(
            "CareSpendingTotals",
            {
                "year": serializers.IntegerField(),
                **{
                    key: serializers.DecimalField(max_digits=14, decimal_places=2)
                    for key in ("visits", "hardship", "checkups", "all")
                },
            },
        ),
    )
    @action(detail=False, methods=["get"])
    def totals(self, request: AuthenticatedRequest) -> Response:
        """The year's totals per category and in all, over the same rows."""
        spending = self._spending()
        return Response({"year": spending["year"], **{k: f"{v:.2f}" for k, v in spending["totals"].items()}})


class FacilityViewSet(ScopedModelViewSet):
    """Each township's five small facilities, meals and lodging (五小)."""

    resource = "facilities"
    service_audits = True
    queryset = Facility.objects.select_related("township")
    serializer_class = FacilitySerializer
    filterset_class = FacilityFilterSet
    ordering_fields = ["township", "item", "as_of"]

    def create_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        return services.facility_save(
            actor=self.request.user, request=self.request._request, **serializer.validated_data
        )

    def update_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        return services.facility_save(
            actor=self.request.user,
            facility=record_of(serializer),
            request=self.request._request,
            **serializer.validated_data,
        )

    def destroy_object(self, instance: models.Model) -> None:
        services.facility_delete(actor=self.request.user, facility=instance, request=self.request._request)  # type: ignore[arg-type]


class FacilityGapViewSet(ExportMixin, mixins.ListModelMixin, ScopedViewSet):
    """The gaps report: townships lacking a facility, and which."""

    resource = "facility-gaps"
    serializer_class = FacilityGapSerializer
    filterset_class = FacilityGapFilterSet
    action_access = {"export": "export"}
    export_title = "乡镇五小设施缺项"
    export_columns = (
        ("county_name", "县（区）"),
        ("name", "乡镇"),
        ("remoteness_label", "边远等级"),
        ("gap_count", "缺项数"),
        ("gap_text", "缺项"),
    )

    def base_queryset(self) -> models.QuerySet:
        return selectors.facility_gap_queryset()


class PostAllowanceViewSet(ImportActionsMixin, ExportMixin, ScopedModelViewSet):
    """Post allowances (岗位补贴) per township and month; ``?problem=late|short|any``
    is the report of months not paid on time or in full."""

    resource = "post-allowances"
    serializer_class = PostAllowanceSerializer
    filterset_class = PostAllowanceFilterSet
    ordering_fields = ["month", "township", "id"]
    action_access = {"export": "export"}
    importer = PostAllowanceImporter
    export_title = "乡镇岗位补贴发放"
    export_columns = (
        ("county_name", "县（区）"),
        ("township_name", "乡镇"),
        ("month", "月份"),
        ("due_amount", "应发金额（元）"),
        ("paid_amount", "实发金额（元）"),
        ("due_by", "应发放截止日"),
        ("paid_on", "发放日期"),
        ("is_late", "未按时发放"),
        ("is_short", "未足额发放"),
        ("note", "说明"),
    )

    def base_queryset(self) -> models.QuerySet:
        return selectors.post_allowance_queryset()

    def placement_field(self) -> str:
        return "township"

    def _annotated(self, instance: models.Model) -> models.Model:
        return self.base_queryset().get(pk=instance.pk)

    def create_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        serializer.instance = self._annotated(serializer.save())
        return serializer.instance

    def update_object(self, serializer: serializers.BaseSerializer) -> models.Model:
        serializer.instance = self._annotated(serializer.save())
        return serializer.instance
