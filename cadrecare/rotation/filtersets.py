"""One FilterSet per rest-rotation list resource; unit filters narrow inside scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters as filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from cadrecare.core.filters import ChoicesFilter
from cadrecare.org.filtersets import SubtreeFilter
from cadrecare.org.models import Cadre
from cadrecare.rotation.choices import (
    AbsenceKind,
    DayKind,
    MissedRestStatus,
    Mode,
    RequestKind,
    RestConfirmationStatus,
    RosterStatus,
    SwapStatus,
)
from cadrecare.rotation.holiday_calendar import month_days
from cadrecare.rotation.models import (
    Absence,
    GenerationRun,
    MissedRest,
    Recall,
    RestConfirmation,
    RestRequest,
    Roster,
    RosterDay,
    RosterEntitlement,
    RotationPolicy,
    SwapRequest,
)
from cadrecare.rotation.selectors import rest_days_spent_away


class RotationPolicyFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="unit")
    mode = ChoicesFilter(choices=Mode.choices)

    class Meta:
        model = RotationPolicy
        fields = ["mode"]


class AbsenceFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="cadre__unit")
    kind = ChoicesFilter(choices=AbsenceKind.choices)
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


class MonthField(forms.Field):
    """``YYYY-MM`` read as the month's first day; a bad value is an error of the parameter itself."""

    def to_python(self, value: object) -> dt.date | None:
        text = "" if value in self.empty_values else str(value).strip()
        if not text:
            return None
        try:
            return dt.date.fromisoformat(f"{text}-01")
        except ValueError:
            raise forms.ValidationError(_("月份格式应为 YYYY-MM，如 2027-03。")) from None


@extend_schema_field(OpenApiTypes.STR)
class MonthFilter(filters.Filter):
    """``?month=YYYY-MM`` on a date field: the dates of that month."""

    field_class = MonthField

    def __init__(self, *args: Any, label: str = "月份（YYYY-MM）", **kwargs: Any) -> None:
        super().__init__(*args, label=label, **kwargs)

    def filter(self, qs: QuerySet, value: dt.date | None) -> QuerySet:
        if value is None:
            return qs
        return qs.filter(**{f"{self.field_name}__range": (value, month_days(value)[-1])})


class RosterFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="unit")
    month = MonthFilter(field_name="month")
    status = ChoicesFilter(choices=RosterStatus.choices)
    provisional_calendar = filters.BooleanFilter()

    class Meta:
        model = Roster
        fields = ["status"]


class GenerationRunFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="unit")
    month = MonthFilter(field_name="month")

    class Meta:
        model = GenerationRun
        fields = ["kind"]


class RosterDayFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="version__roster__unit")
    month = MonthFilter(field_name="date")
    kind = filters.ChoiceFilter(choices=DayKind.choices, method="filter_kind")

    def filter_kind(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """The kind the day reads as: published rest spent away on an absence
        recorded afterwards (still owed) is away, not rest (as in the list's rows)."""
        if value not in (DayKind.REST, DayKind.AWAY):
            return queryset.filter(kind=value)
        month, cadre = self.form.cleaned_data.get("month"), self.form.cleaned_data.get("cadre")
        first, last = (month, month_days(month)[-1]) if month else (dt.date.min, dt.date.max)
        spent_away = Q(pk__in=[])
        for cadre_id, day in rest_days_spent_away(
            first=first, last=last, cadre_ids=[cadre.pk] if cadre is not None else None
        ):
            spent_away |= Q(cadre_id=cadre_id, date=day)
        if value == DayKind.REST:
            return queryset.filter(kind=DayKind.REST).exclude(spent_away)
        return queryset.filter(Q(kind=DayKind.AWAY) | (Q(kind=DayKind.REST) & spent_away))

    class Meta:
        model = RosterDay
        fields = ["cadre", "date", "kind"]


class RecallFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="cadre__unit")
    month = MonthFilter(field_name="date")

    class Meta:
        model = Recall
        fields = ["cadre"]


class MissedRestFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="roster__unit")
    month = MonthFilter(field_name="month")
    status = ChoicesFilter(choices=MissedRestStatus.choices)

    class Meta:
        model = MissedRest
        fields = ["cadre", "roster"]


class RestConfirmationFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="roster__unit")
    month = MonthFilter(field_name="roster__month")
    status = ChoicesFilter(choices=RestConfirmationStatus.choices)

    class Meta:
        model = RestConfirmation
        fields = ["cadre", "roster"]


class SwapRequestFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="roster__unit")
    month = MonthFilter(field_name="roster__month")
    status = ChoicesFilter(choices=SwapStatus.choices)
    cadre = filters.ModelChoiceFilter(
        queryset=Cadre.objects.all(), method="either_party", label="申请人或对方（干部编号）"
    )

    class Meta:
        model = SwapRequest
        fields = ["roster", "status"]

    def either_party(self, qs: QuerySet, name: str, value: Cadre) -> QuerySet:
        return qs.filter(Q(requester=value) | Q(counterpart=value))


class RestComplianceFilterSet(filters.FilterSet):
    """Filters of the rest-compliance rows (and, the same, of their unit summary)."""

    unit = SubtreeFilter(path="version__roster__unit")
    month = MonthFilter(field_name="version__roster__month")
    below_entitlement = filters.BooleanFilter(label="实休少于应休")

    class Meta:
        model = RosterEntitlement
        fields = ["cadre"]
