"""One FilterSet per care list. Filters narrow inside the scope the queryset
already has; a unit outside it finds nothing."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q, QuerySet

from cadrecare.care.choices import (
    CadreConditionKind,
    FacilityItem,
    FacilityStatus,
    FamilyEventKind,
    FollowUpOutcome,
    HardshipCategory,
    HardshipStatus,
    MeasureKind,
    ObligationSource,
    ObligationStatus,
    Relation,
    VisitKind,
)
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
from cadrecare.core import clock
from cadrecare.core.filters import ChoicesFilter
from cadrecare.org import posts
from cadrecare.org.choices import Remoteness
from cadrecare.org.filtersets import SubtreeFilter
from cadrecare.org.models import Cadre, OrgUnit


class DateRange(filters.FilterSet):
    """``date_from`` / ``date_to`` on the model's ``date`` field."""

    date_from = filters.DateFilter(field_name="date", lookup_expr="gte", label="起始日期")
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte", label="截止日期")


class CarePolicyFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="unit")

    class Meta:
        model = CarePolicy
        fields: list[str] = []


class FamilyMemberFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="cadre__unit")
    relation = ChoicesFilter(choices=Relation.choices)
    lives_with_cadre = filters.BooleanFilter()
    living = filters.BooleanFilter(field_name="deceased_on", lookup_expr="isnull", label="在世")

    class Meta:
        model = FamilyMember
        fields = ["cadre", "relation", "lives_with_cadre"]


class FamilyEventFilterSet(DateRange):
    unit = SubtreeFilter(path="cadre__unit")
    kind = ChoicesFilter(choices=FamilyEventKind.choices)

    class Meta:
        model = FamilyEvent
        fields = ["cadre", "kind", "family_member"]


class CadreConditionFilterSet(DateRange):
    unit = SubtreeFilter(path="cadre__unit")
    kind = ChoicesFilter(choices=CadreConditionKind.choices)

    class Meta:
        model = CadreCondition
        fields = ["cadre", "kind"]


class VisitObligationFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="cadre__unit")
    status = ChoicesFilter(choices=ObligationStatus.choices)
    source = ChoicesFilter(choices=ObligationSource.choices)
    deadline_from = filters.DateFilter(field_name="deadline", lookup_expr="gte", label="期限起")
    deadline_to = filters.DateFilter(field_name="deadline", lookup_expr="lte", label="期限止")
    overdue = filters.BooleanFilter(method="filter_overdue", label="已逾期")
    mine = filters.BooleanFilter(method="filter_mine", label="我负责的")
    # The owner today (care.selectors.visit_obligation_queryset annotates it: cadrecare.org.posts).
    owner = filters.NumberFilter(field_name="owner_now_cadre_id", label="责任人（干部编号）")
    unowned = filters.BooleanFilter(field_name="owner_now_id", lookup_expr="isnull", label="无责任人")

    class Meta:
        model = VisitObligation
        fields = ["cadre", "status", "source"]

    def filter_overdue(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        overdue = Q(status=ObligationStatus.OPEN, deadline__lt=clock.today())
        return qs.filter(overdue) if value else qs.exclude(overdue)

    def filter_mine(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        mine = posts.owned_by(self.request.user, hand="owner", day=clock.today())
        return qs.filter(mine) if value else qs.exclude(mine)


class VisitFilterSet(DateRange):
    unit = SubtreeFilter(path="cadre__unit")
    kind = ChoicesFilter(choices=VisitKind.choices)
    visitor = filters.NumberFilter(field_name="visitors__cadre", label="走访人（干部编号）")
    obligation = filters.NumberFilter(field_name="obligations", label="走访任务")

    class Meta:
        model = Visit
        fields = ["cadre", "kind", "family_member"]


class HardshipCaseFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="cadre__unit")
    category = ChoicesFilter(choices=HardshipCategory.choices)
    status = ChoicesFilter(choices=HardshipStatus.choices)
    opened_from = filters.DateFilter(field_name="opened_on", lookup_expr="gte", label="登记日期起")
    opened_to = filters.DateFilter(field_name="opened_on", lookup_expr="lte", label="登记日期止")
    review_due = filters.BooleanFilter(method="filter_review_due", label="回访已到期")

    class Meta:
        model = HardshipCase
        fields = ["cadre", "category", "status"]

    def filter_review_due(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        due = Q(next_review__lte=clock.today()) & ~Q(status=HardshipStatus.RESOLVED)
        return qs.filter(due) if value else qs.exclude(due)


class CareDecisionFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="cadre__unit")
    outcome = ChoicesFilter(choices=FollowUpOutcome.choices)
    decided_from = filters.DateFilter(field_name="decided_on", lookup_expr="gte", label="决定日期起")
    decided_to = filters.DateFilter(field_name="decided_on", lookup_expr="lte", label="决定日期止")

    class Meta:
        model = CareDecision
        fields = ["cadre", "outcome"]


class HardshipMeasureFilterSet(DateRange):
    unit = SubtreeFilter(path="case__cadre__unit")
    kind = ChoicesFilter(choices=MeasureKind.choices)
    cadre = filters.NumberFilter(field_name="case__cadre", label="干部")

    class Meta:
        model = HardshipMeasure
        fields = ["case", "kind"]


class FacilityFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="township")
    item = ChoicesFilter(choices=FacilityItem.choices)
    status = ChoicesFilter(choices=FacilityStatus.choices)

    class Meta:
        model = Facility
        fields = ["township", "item", "status"]


class FacilityGapFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="")
    remoteness = ChoicesFilter(choices=Remoteness.choices)
    item = filters.ChoiceFilter(choices=FacilityItem.choices, method="filter_item", label="缺少该项")

    class Meta:
        model = OrgUnit
        fields = ["remoteness"]

    def filter_item(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        present = Facility.objects.filter(item=value, status=FacilityStatus.PRESENT).values("township_id")
        return qs.exclude(pk__in=present)


class PostAllowanceFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="township")
    month_from = filters.DateFilter(field_name="month", lookup_expr="gte", label="起始月份（YYYY-MM-01）")
    month_to = filters.DateFilter(field_name="month", lookup_expr="lte", label="截止月份（YYYY-MM-01）")
    problem = filters.ChoiceFilter(
        choices=[("late", "未按时发放"), ("short", "未足额发放"), ("any", "未按时或未足额")],
        method="filter_problem",
        label="问题",
    )

    class Meta:
        model = PostAllowance
        fields = ["township"]

    def filter_problem(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        if value == "late":
            return qs.filter(is_late=True)
        if value == "short":
            return qs.filter(is_short=True)
        return qs.filter(Q(is_late=True) | Q(is_short=True))


class TransferCandidateFilterSet(filters.FilterSet):
    """``years`` and ``grades`` are read by the view (they shape the report);
    here the unit (a county, say) narrows it."""

    unit = SubtreeFilter(path="unit", label="单位（如县，含下级）")
    county = SubtreeFilter(path="unit", label="县（区）")

    class Meta:
        model = Cadre
        fields: list[str] = []
