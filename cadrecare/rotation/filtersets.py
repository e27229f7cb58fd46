"""One FilterSet per rest-rotation list resource; unit filters narrow inside scope."""

from __future__ import annotations

import django_filters as filters

from cadrecare.org.filtersets import SubtreeFilter
from cadrecare.rotation.choices import AbsenceKind, Mode, RequestKind
from cadrecare.rotation.models import Absence, RestRequest, RotationPolicy


class RotationPolicyFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="unit")
    mode = filters.MultipleChoiceFilter(choices=Mode.choices)

    class Meta:
        model = RotationPolicy
        fields = ["mode"]


class AbsenceFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="cadre__unit")
    kind = filters.MultipleChoiceFilter(choices=AbsenceKind.choices)
    on_or_after = filters.DateFilter(field_name="end", lookup_expr="gte", label="结束日期不早于")
    on_or_before = filters.DateFilter(field_name="start", lookup_expr="lte", label="开始日期不晚于")

    class Meta:
        model = Absence
        fields = ["cadre", "kind"]


class RestRequestFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="cadre__unit")
    kind = filters.ChoiceFilter(choices=RequestKind.choices)
    on_or_after = filters.DateFilter(field_name="end", lookup_expr="gte", label="结束日期不早于")
    on_or_before = filters.DateFilter(field_name="start", lookup_expr="lte", label="开始日期不晚于")

    class Meta:
        model = RestRequest
        fields = ["cadre", "kind"]
