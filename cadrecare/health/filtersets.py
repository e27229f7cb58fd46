"""One FilterSet per health list. Unit filters narrow inside the scope the
queryset already has; they never widen it."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q, QuerySet

from cadrecare.core import clock
from cadrecare.core.filters import ChoicesFilter
from cadrecare.health.choices import CampaignStatus, CheckupKind, Conclusion, DueState
from cadrecare.health.models import Checkup, CheckupCampaign, CheckupPolicy
from cadrecare.health.selectors import follow_up_overdue
from cadrecare.org.filtersets import SubtreeFilter
from cadrecare.org.models import Cadre


class CheckupPolicyFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="unit")

    class Meta:
        model = CheckupPolicy
        fields = ["payer"]


class CheckupFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="cadre__unit")
    date_from = filters.DateFilter(field_name="date", lookup_expr="gte", label="体检日期起")
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte", label="体检日期止")
    kind = ChoicesFilter(choices=CheckupKind.choices)
    conclusion = ChoicesFilter(choices=Conclusion.choices)
    follow_up_overdue = filters.BooleanFilter(method="filter_follow_up_overdue", label="复查已逾期")

    class Meta:
        model = Checkup
        fields = ["cadre", "kind", "conclusion", "follow_up_needed", "campaign"]

    def filter_follow_up_overdue(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return qs
        return follow_up_overdue(qs, overdue=value, today=clock.today())


class CheckupCampaignFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="unit")
    status = filters.ChoiceFilter(choices=CampaignStatus.choices)
    date_from = filters.DateFilter(field_name="date_to", lookup_expr="gte", label="活动日期起")
    date_to = filters.DateFilter(field_name="date_from", lookup_expr="lte", label="活动日期止")

    class Meta:
        model = CheckupCampaign
        fields = ["status"]


class CheckupDueFilterSet(filters.FilterSet):
    """Filters of the due list, on the columns checkup_due_items computes."""

    unit = SubtreeFilter(path="unit")
    cadre = filters.NumberFilter(field_name="id", label="干部")
    state = ChoicesFilter(field_name="due_state", choices=DueState.choices, label="状态")
    due_from = filters.DateFilter(field_name="due_date", lookup_expr="gte", label="应检日期起")
    due_to = filters.DateFilter(field_name="due_date", lookup_expr="lte", label="应检日期止")
    overdue = filters.BooleanFilter(method="filter_overdue", label="已逾期")

    class Meta:
        model = Cadre
        fields = ["rank"]

    def filter_overdue(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return qs
        overdue = Q(due_state=DueState.OVERDUE)
        return qs.filter(overdue) if value else qs.exclude(overdue)
