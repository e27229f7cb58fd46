"""One FilterSet per list resource. A unit filter narrows inside the scope the
queryset already has; it can never widen it."""

from __future__ import annotations

import datetime as dt

import django_filters as filters
from django.db.models import Q, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from cadrecare.core import clock
from cadrecare.core.filters import ChoicesFilter
from cadrecare.org.choices import CadreStatus, Ethnicity, Gender, LeaderPost, PostChangeKind, Rank, Role, UnitKind
from cadrecare.org.models import Cadre, Office, OrgUnit, PostChange, RoleGrant, User


@extend_schema_field(OpenApiTypes.INT)
class SubtreeFilter(filters.ModelChoiceFilter):
    """``?unit=<id>``: records of that unit and everything under it."""

    def __init__(self, *args: object, path: str, **kwargs: object) -> None:
        self.path = path
        kwargs.setdefault("queryset", OrgUnit.objects.all())
        kwargs.setdefault("label", "单位（含下级）")
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet, value: OrgUnit | None) -> QuerySet:
        if value is None:
            return qs
        lookup = f"{self.path}__path__startswith" if self.path else "path__startswith"
        return qs.filter(**{lookup: value.path})


class OrgUnitFilterSet(filters.FilterSet):
    within = SubtreeFilter(path="", label="单位（含下级）")
    kind = ChoicesFilter(choices=UnitKind.choices)
    q = filters.CharFilter(method="search", label="名称或代码")

    class Meta:
        model = OrgUnit
        fields = ["kind", "remoteness", "active", "parent"]

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(Q(name__icontains=value) | Q(code__icontains=value))


class OfficeFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="unit")

    class Meta:
        model = Office
        fields = ["active"]


class CadreFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="unit")
    establishment_unit = SubtreeFilter(path="establishment_unit", label="编制单位（含下级）")
    rank = ChoicesFilter(choices=Rank.choices)
    leader_post = ChoicesFilter(choices=LeaderPost.choices)
    status = ChoicesFilter(choices=CadreStatus.choices)
    gender = filters.ChoiceFilter(choices=Gender.choices)
    ethnicity = filters.ChoiceFilter(choices=Ethnicity.choices)
    office = filters.NumberFilter(field_name="office_id")
    age_min = filters.NumberFilter(method="filter_age_min", label="最小年龄")
    age_max = filters.NumberFilter(method="filter_age_max", label="最大年龄")
    # Names are written in Chinese characters, which have no case: UPPER() on both sides
    # only tripled the time of a province-wide search.
    q = filters.CharFilter(field_name="name", lookup_expr="contains", label="姓名")

    class Meta:
        model = Cadre
        fields = ["rank", "leader_post", "status", "gender", "ethnicity"]

    @staticmethod
    def _years_ago(years: int) -> dt.date:
        today = clock.today()
        try:
            return today.replace(year=today.year - years)
        except ValueError:  # 29 February
            return today.replace(year=today.year - years, day=28)

    def filter_age_min(self, qs: QuerySet, name: str, value: float) -> QuerySet:
        return qs.filter(birth_date__lte=self._years_ago(max(0, min(int(value), 150))))

    def filter_age_max(self, qs: QuerySet, name: str, value: float) -> QuerySet:
        born_after = self._years_ago(max(0, min(int(value), 150)) + 1)
        return qs.filter(birth_date__gt=born_after)


class PostChangeFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="cadre__unit")
    kind = ChoicesFilter(choices=PostChangeKind.choices)
    date_from = filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = PostChange
        fields = ["cadre", "kind"]


class RoleGrantFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="unit")
    role = ChoicesFilter(choices=Role.choices)

    class Meta:
        model = RoleGrant
        fields = ["user", "role"]


class UserFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label="用户名或姓名")

    class Meta:
        model = User
        fields = ["is_active"]

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(Q(username__icontains=value) | Q(first_name__icontains=value) | Q(last_name__icontains=value))
