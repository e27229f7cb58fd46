"""Reads on the organisation, each starting from the one scope filter."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from cadrecare.org.choices import UnitKind
from cadrecare.org.models import Cadre, PostChange, User
from cadrecare.org.scoping import scoped


def cadre_queryset() -> QuerySet[Cadre]:
    """Cadres with what their serializer reads, so a page costs a fixed number of queries."""
    return Cadre.objects.select_related("unit", "establishment_unit", "office").prefetch_related(
        Prefetch("post_changes", queryset=PostChange.objects.select_related("to_unit").order_by("date", "id"))
    )


def cadre_list(*, user: User) -> QuerySet[Cadre]:
    return scoped(cadre_queryset(), user, "cadres")


def borrowed_township_cadres(*, user: User) -> QuerySet[Cadre]:
    """Cadres on a township establishment who work in a county or city body:
    the seed forbids it (乡镇编制专编专用)."""
    return (
        scoped(Cadre.objects.select_related("unit", "establishment_unit"), user, "staffing-check")
        .filter(establishment_unit__kind=UnitKind.TOWNSHIP)
        .filter(unit__kind__in=[UnitKind.COUNTY, UnitKind.COUNTY_AGENCY, UnitKind.CITY])
        .exclude(status__in=["retired", "deceased", "transferred_out"])
        .order_by("establishment_unit__path", "id")
    )
