from __future__ import annotations

import django_filters as filters

from cadrecare.org.filtersets import SubtreeFilter
from cadrecare.oversight.models import FieldVisit, InterviewPlan, TransferReview


class TransferReviewFilterSet(filters.FilterSet):
    county = SubtreeFilter(path="county", label="县（区）（含下级）")

    class Meta:
        model = TransferReview
        fields = ["year"]


class InterviewPlanFilterSet(filters.FilterSet):
    county = SubtreeFilter(path="county", label="县（区）（含下级）")

    class Meta:
        model = InterviewPlan
        fields = ["year"]


class FieldVisitFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="township", label="单位（如县，含下级）")
    date_from = filters.DateFilter(field_name="date", lookup_expr="gte", label="日期不早于")
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte", label="日期不晚于")

    class Meta:
        model = FieldVisit
        fields = ["township"]
