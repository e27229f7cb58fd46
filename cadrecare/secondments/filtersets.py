"""One FilterSet per list of secondments and experience. Filters narrow inside
the scope the queryset already has; a unit outside it finds nothing."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q, QuerySet

from cadrecare.core.filters import ChoicesFilter
from cadrecare.org.choices import LeaderPost, UnitKind
from cadrecare.org.filtersets import SubtreeFilter
from cadrecare.org.models import Cadre, OrgUnit
from cadrecare.secondments.choices import RUNNING, SecondmentKind, SecondmentStatus
from cadrecare.secondments.experience import TEAM_POSTS
from cadrecare.secondments.models import Secondment


class SecondmentFilterSet(filters.FilterSet):
    unit = filters.ModelChoiceFilter(
        queryset=OrgUnit.objects.all(), method="filter_unit", label="原单位或挂职单位（含下级）"
    )
    home_unit = SubtreeFilter(path="home_unit", label="原单位（含下级）")
    host_unit = SubtreeFilter(path="host_unit", label="挂职（借调）单位（含下级）")
    kind = ChoicesFilter(choices=SecondmentKind.choices)
    status = ChoicesFilter(choices=SecondmentStatus.choices)
    running = filters.BooleanFilter(method="filter_running", label="期内（在岗或已延期）")
    ending_before = filters.DateFilter(field_name="planned_end", lookup_expr="lte", label="计划结束不晚于")

    class Meta:
        model = Secondment
        fields = ["cadre"]

    def filter_unit(self, qs: QuerySet, name: str, value: OrgUnit | None) -> QuerySet:
        if value is None:
            return qs
        return qs.filter(Q(home_unit__path__startswith=value.path) | Q(host_unit__path__startswith=value.path))

    def filter_running(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return qs
        return qs.filter(status__in=RUNNING) if value else qs.exclude(status__in=RUNNING)


class ExperienceFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="unit")
    unit_kind = ChoicesFilter(field_name="unit__kind", choices=UnitKind.choices, label="单位类型")
    leaders = filters.BooleanFilter(method="filter_leaders", label="只看班子成员")
    leader_post = ChoicesFilter(choices=LeaderPost.choices)

    class Meta:
        model = Cadre
        fields: list[str] = []

    def filter_leaders(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return qs
        return qs.filter(leader_post__in=TEAM_POSTS) if value else qs.exclude(leader_post__in=TEAM_POSTS)
