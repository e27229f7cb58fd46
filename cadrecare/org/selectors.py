"""Reads on the organisation, each starting from the one scope filter."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from cadrecare.org.choices import UnitKind
from cadrecare.org.models import Cadre, PostChange, User
from cadrecare.org.scoping import scoped

LIST_COLUMNS = (
    "id",
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "rank",
    "post_title",
    "leader_post",
    "status",
    "office__name",
    "unit__name",
    "establishment_unit__name",
)


def cadre_list_queryset() -> QuerySet[Cadre]:
    """Cadres with only the columns the list serializer reads: one query a page, and no
    time spent loading and converting columns no list shows."""
    return Cadre.objects.select_related("unit", "establishment_unit", "office").only(*LIST_COLUMNS)


def cadre_queryset() -> QuerySet[Cadre]:
    """Cadres with what the detail serializer reads: the list's plus the post history."""
    return Cadre.objects.select_related("unit", "establishment_unit", "office").prefetch_related(
        Prefetch("post_changes", queryset=PostChange.objects.select_related("to_unit").order_by("date", "id"))
    )


def borrowed_township_cadres(*, user: User) -> QuerySet[Cadre]:
    """Cadres on a township establishment who work in a county or city body:
    the seed forbids it (乡镇编制专编专用)."""
    return (
        scoped(cadre_list_queryset(), user, "staffing-check")
        .filter(establishment_unit__kind=UnitKind.TOWNSHIP)
        .filter(unit__kind__in=[UnitKind.COUNTY, UnitKind.COUNTY_AGENCY, UnitKind.CITY])
        .exclude(status__in=["retired", "deceased", "transferred_out"])
        .order_by("establishment_unit__path", "id")
    )
