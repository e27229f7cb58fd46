"""The FilterSet of the programme list. Filters narrow inside the scope the
queryset already has; they never widen it."""

from __future__ import annotations

import django_filters as filters

from cadrecare.core.filters import ChoicesFilter, YearFilter
from cadrecare.org.filtersets import SubtreeFilter
from cadrecare.training.choices import ProgrammeKind
from cadrecare.training.models import TrainingProgramme


class TrainingProgrammeFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="unit", label="主办单位")
    kind = ChoicesFilter(choices=ProgrammeKind.choices)
    year = YearFilter(field_name="date_from")
    date_from = filters.DateFilter(field_name="date_to", lookup_expr="gte", label="日期起")
    date_to = filters.DateFilter(field_name="date_from", lookup_expr="lte", label="日期止")

    class Meta:
        model = TrainingProgramme
        fields = ["kind"]
