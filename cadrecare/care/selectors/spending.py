"""Care spending (关爱经费): money given in visits, hardship measures and
check-ups, totalled per unit, category and kind, and the records behind a figure."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from cadrecare.care.choices import MeasureKind, VisitKind
from cadrecare.care.models import HardshipMeasure, Visit
from cadrecare.health.choices import CheckupKind
from cadrecare.health.models import Checkup
from cadrecare.org.models import OrgUnit, User
from cadrecare.org.scoping import scoped


@dataclass(frozen=True)
class SpendingSource:
    """One kind of care spending, read through its own resource's scope so a
    reader never totals what they could not list."""

    resource: str
    rows: QuerySet[Any]
    unit: str  # the lookup to the cadre's unit
    amount: str
    kinds: type[Any]
    note: str  # what the drill-down shows beside the amount: goods given, the provider, the institution


SPENDING_SOURCES = {
    "visits": SpendingSource("visits", Visit.objects.all(), "cadre__unit", "money_amount", VisitKind, "goods"),
    "hardship": SpendingSource(
        "hardship-measures", HardshipMeasure.objects.all(), "case__cadre__unit", "amount", MeasureKind, "provided_by"
    ),
    "checkups": SpendingSource(
        "health-checkups", Checkup.objects.all(), "cadre__unit", "cost", CheckupKind, "institution"
    ),
}
SPENDING_CATEGORIES = {"visits": "走访慰问金", "hardship": "困难帮扶", "checkups": "体检费用"}


def _spending_rows(source: SpendingSource, *, user: User, year: int, unit: OrgUnit | None) -> QuerySet[Any]:
    rows = scoped(source.rows, user, source.resource).filter(date__year=year)
    return rows if unit is None else rows.filter(**{f"{source.unit}__path__startswith": unit.path})


def care_spending(*, user: User, year: int, unit: OrgUnit | None = None) -> dict[str, Any]:
    """Money spent on care in ``year`` per unit, category and kind, for what
    ``user`` may list (one grouped query per category), with totals per
    category; a visit's goods are counted (``goods``: visits that gave any).
    ``unit`` narrows to its subtree."""
    rows: list[dict[str, Any]] = []
    totals: dict[str, Decimal] = {}
    for category, source in SPENDING_SOURCES.items():
        path = source.unit
        goods = Count("id", filter=~Q(goods="")) if category == "visits" else Value(0)
        grouped = (
            _spending_rows(source, user=user, year=year, unit=unit)
            .order_by()
            .values(path, f"{path}__name", f"{path}__path", "kind")
            .annotate(count=Count("id"), amount=Coalesce(Sum(source.amount), Decimal(0)), goods=goods)
        )
        for row in grouped:
            rows.append(
                {
                    "unit": row[path],
                    "unit_name": row[f"{path}__name"],
                    "path": row[f"{path}__path"],
                    "category": category,
                    "category_label": SPENDING_CATEGORIES[category],
                    "kind": row["kind"],
                    "kind_label": source.kinds(row["kind"]).label,
                    "count": row["count"],
                    "goods": row["goods"],
                    "amount": row["amount"],
                }
            )
        totals[category] = sum((row["amount"] for row in rows if row["category"] == category), Decimal(0))
    order = list(SPENDING_CATEGORIES)
    rows.sort(
        key=lambda row: (
            row["path"],
            order.index(row["category"]),
            SPENDING_SOURCES[row["category"]].kinds.values.index(row["kind"]),
        )
    )
    for row in rows:
        del row["path"]
    return {"year": year, "rows": rows, "totals": {**totals, "all": sum(totals.values(), Decimal(0))}}


def care_spending_items(*, user: User, year: int, category: str, kind: str, unit: OrgUnit) -> list[dict[str, Any]]:
    """The records behind one figure of ``care_spending``: date, cadre, amount
    and note of each ``kind`` of ``category`` of cadres of ``unit`` itself (as
    the figure's row) in ``year`` that ``user`` may list. Basic fields only; one query."""
    source = SPENDING_SOURCES[category]
    cadre = source.unit.removesuffix("__unit")
    return list(
        _spending_rows(source, user=user, year=year, unit=None)
        .filter(kind=kind, **{source.unit: unit})
        .order_by("date", "id")
        .values(
            "id",
            "date",
            amount=F(source.amount),
            note=F(source.note),
            cadre_name=F(f"{cadre}__name"),
            unit_name=F(f"{source.unit}__name"),
        )
    )
