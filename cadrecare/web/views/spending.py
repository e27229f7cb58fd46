"""关爱经费 for the organization department and HR: what was given in visits,
hardship measures and check-ups in a year, a row per unit and a column per
kind (``care.selectors.care_spending``, one grouped query per category), each
figure opening the records behind it (``care_spending_items``: basic fields,
only what the reader may list of that source). The spreadsheet is the API's
``care-spending/export/`` of the same year."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from cadrecare.care.selectors import SPENDING_CATEGORIES, SPENDING_SOURCES, care_spending, care_spending_items
from cadrecare.core import clock
from cadrecare.core.i18n import choice_label
from cadrecare.org import scoping
from cadrecare.org.access import VIEW
from cadrecare.org.models import OrgUnit
from cadrecare.web.forms import form_field, year_choices
from cadrecare.web.pages import PageView

YEARS_SHOWN = 6


class SpendingForm(forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, required=False)
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    category = forms.ChoiceField(required=False, widget=forms.HiddenInput)
    kind = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "year", forms.ChoiceField).choices = year_choices(YEARS_SHOWN)
        form_field(self, "category", forms.ChoiceField).choices = [("", ""), *((key, key) for key in SPENDING_SOURCES)]


class CareSpendingView(PageView):
    """The year's care spending, unit by kind, and the records behind one figure."""

    resource = "care-spending"
    template_name = "web/care/spending.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = SpendingForm(self.request.GET or None)
        data = form.cleaned_data if form.is_valid() else {}
        year = data.get("year") or clock.today().year
        spending = care_spending(user=user, year=year)
        columns = _columns(spending["rows"])
        table = _table(spending["rows"], columns, year)
        drill = None
        if data.get("unit") and data.get("category") and data.get("kind"):
            drill = self._drill(year, data["unit"], data["category"], data["kind"])
        export = None
        if scoping.may(user, self.resource, "export"):
            export = f"{reverse('care-spending-export')}?{urlencode({'year': year})}"
        context.update(
            form=form,
            year=year,
            columns=columns,
            groups=_groups(columns),
            table=table,
            totals=spending["totals"],
            drill=drill,
            export_url=export,
        )
        return context

    def _drill(self, year: int, unit_id: int, category: str, kind: str) -> dict[str, Any]:
        """The records behind one figure, for a unit the reader may see and a source they may list (else 404)."""
        source = SPENDING_SOURCES[category]
        unit = OrgUnit.objects.filter(pk=unit_id).first()
        if (
            unit is None
            or kind not in source.kinds.values
            or not scoping.may_in_unit(self.request.user, self.resource, VIEW, unit)
            or not scoping.may(self.request.user, source.resource, VIEW)
        ):
            raise Http404(_("没有这项经费明细，或不在您的管理范围内。"))
        items = care_spending_items(user=self.request.user, year=year, category=category, kind=kind, unit=unit)
        return {
            "unit": unit,
            "category": category,
            "category_label": choice_label(SPENDING_CATEGORIES[category]),
            "kind_label": choice_label(source.kinds(kind).label),
            "items": items,
            "total": sum((item["amount"] for item in items), Decimal(0)),
        }


def _columns(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The kinds that have any spending this year, by category then kind."""
    seen = {(row["category"], row["kind"]) for row in rows}
    return [
        {"category": category, "kind": kind, "label": choice_label(source.kinds(kind).label)}
        for category, source in SPENDING_SOURCES.items()
        for kind in source.kinds.values
        if (category, kind) in seen
    ]


def _groups(columns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The header row above the kinds: each category and how many kinds it spans."""
    spans: dict[str, int] = defaultdict(int)
    for column in columns:
        spans[column["category"]] += 1
    return [{"label": choice_label(SPENDING_CATEGORIES[category]), "span": span} for category, span in spans.items()]


def _table(rows: list[dict[str, Any]], columns: list[dict[str, Any]], year: int) -> dict[str, Any]:
    """A row per unit (tree order) with a cell per column, each linking to its
    records; the column totals below."""
    units: dict[int, dict[str, Any]] = {}
    for row in rows:
        unit = units.setdefault(row["unit"], {"id": row["unit"], "name": row["unit_name"], "cells": {}})
        unit["cells"][(row["category"], row["kind"])] = row
    body = []
    for unit in units.values():
        cells = []
        for column in columns:
            row = unit["cells"].get((column["category"], column["kind"]))
            query = {"year": year, "unit": unit["id"], "category": column["category"], "kind": column["kind"]}
            cells.append(row and {**row, "url": f"?{urlencode(query)}#spending-items"})
        body.append(
            {"name": unit["name"], "cells": cells, "total": sum((row["amount"] for row in unit["cells"].values()), 0)}
        )
    foot = [
        sum((row["amount"] for row in rows if (row["category"], row["kind"]) == (c["category"], c["kind"])), 0)
        for c in columns
    ]
    return {"rows": body, "totals": foot, "total": sum(foot, 0)}


urlpatterns = [
    path("care-spending/", CareSpendingView.as_view(), name="care-spending"),
]
