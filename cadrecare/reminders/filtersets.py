"""FilterSets of the reminders lists (due items take theirs as a query
serializer: they are a UNION, filtered inside each source before it)."""

from __future__ import annotations

import django_filters as filters
from django.db.models import QuerySet

from cadrecare.core.filters import ChoicesFilter
from cadrecare.org.filtersets import SubtreeFilter
from cadrecare.reminders.choices import JobStatus, Stage
from cadrecare.reminders.models import JobRun, Notice, ReminderSchedule


class NoticeFilterSet(filters.FilterSet):
    unread = filters.BooleanFilter(method="filter_unread", label="未读")
    stage = ChoicesFilter(choices=Stage.choices)
    kind = filters.CharFilter()
    unit = SubtreeFilter(path="unit")
    created_from = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_to = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lte")

    class Meta:
        model = Notice
        fields = ["stage", "kind", "urgent", "cadre"]

    def filter_unread(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return qs
        return qs.filter(read_at__isnull=value)


class JobRunFilterSet(filters.FilterSet):
    status = ChoicesFilter(choices=JobStatus.choices)
    started_from = filters.IsoDateTimeFilter(field_name="started_at", lookup_expr="gte")
    started_to = filters.IsoDateTimeFilter(field_name="started_at", lookup_expr="lte")

    class Meta:
        model = JobRun
        fields = ["name", "status"]


class ReminderScheduleFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="unit")

    class Meta:
        model = ReminderSchedule
        fields: list[str] = []
