"""我的待办: what the signed-in person must do, soonest first, from the
due-item selector the API's ``/api/v1/due-items/?mine=1`` uses; and 全部待办,
every open item in the user's scope (``/api/v1/due-items/``) filtered by unit,
kind and state: the list behind each cell of the department's 总览."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, ClassVar

from django import forms
from django.core.paginator import Paginator
from django.urls import path
from django.utils.translation import gettext_lazy as _

from cadrecare.core import clock
from cadrecare.core.i18n import choice_label
from cadrecare.core.pagination import page_number
from cadrecare.org import scoping
from cadrecare.org.choices import UnitKind
from cadrecare.org.models import OrgUnit
from cadrecare.reminders import selectors
from cadrecare.reminders.choices import ItemState
from cadrecare.reminders.sources import SOURCES, DueItem, reading_due_items
from cadrecare.web.actions import action_for
from cadrecare.web.forms import form_field
from cadrecare.web.pages import PageView

PAGE_SIZE = 30
HORIZONS = (("30", _("30 天内")), ("90", _("90 天内")), ("365", _("一年内")), ("all", _("全部")))


class DueItemFilterForm(forms.Form):
    """The list's filters as query parameters; parsing only."""

    kind = forms.ChoiceField(label=_("事项类型"), required=False)
    state = forms.ChoiceField(label=_("状态"), required=False)
    within = forms.ChoiceField(label=_("到期时间"), required=False, choices=HORIZONS)

    def __init__(self, *args: Any, kinds: Sequence[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "kind", forms.ChoiceField).choices = [("", _("全部类型"))] + [
            (kind, choice_label(source.label)) for kind, source in SOURCES.items() if kinds is None or kind in kinds
        ]
        form_field(self, "state", forms.ChoiceField).choices = [("", _("全部状态"))] + [
            (state.value, choice_label(state.label)) for state in ItemState
        ]


class DueItemListFilterForm(DueItemFilterForm):
    """The filters of 全部待办: a unit of the user's scope (a city, county or
    township, with everything under it) besides kind, state and horizon."""

    unit = forms.ModelChoiceField(
        label=_("单位"), required=False, queryset=OrgUnit.objects.none(), empty_label=_("全部单位")
    )

    field_order = ("unit", "kind", "state", "within")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "unit", forms.ModelChoiceField).queryset = scoping.scoped(
            OrgUnit.objects.filter(kind__in=(UnitKind.CITY, UnitKind.COUNTY, UnitKind.TOWNSHIP), active=True),
            user,
            "due-items",
        ).order_by("path")


class HomeView(PageView):
    """我的待办: overdue first, then due today, then upcoming within the chosen
    horizon; by kind; each item with its owner, cadre, unit, days late and a
    link to the page that acts on it (``cadrecare.web.actions``)."""

    resource = "due-items"
    template_name = "web/home.html"
    partial = "items"
    mine: ClassVar[bool] = True  # only what the user owns
    default_within = "30"
    kinds_shown: ClassVar[tuple[str, ...] | None] = None  # a page of some kinds only (谈话, 走访)

    def filter_form(self) -> DueItemFilterForm:
        return DueItemFilterForm(self.request.GET or None, kinds=self.kinds_shown)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = self.filter_form()
        filters = form.cleaned_data if form.is_valid() else {}
        today = clock.today()
        within = filters.get("within") or self.default_within
        due_to = None if within == "all" else today + dt.timedelta(days=int(within))
        states = [filters["state"]] if filters.get("state") else []
        kinds = [filters["kind"]] if filters.get("kind") else self.kinds_shown
        user = self.request.user

        where = selectors.due_item_where(today=today, due_to=due_to, unit=filters.get("unit"))
        with reading_due_items():
            listed = selectors.DueItemPages(
                selectors.due_item_sql(user=user, today=today, mine=self.mine, kinds=kinds, where=where),
                today=today,
                states=states,
            )
            listed.read_page(page_number(self.request.GET.get("page")), PAGE_SIZE)
            counts = listed.counts()
            # Paginator only slices its list when given the count (DueItemPages is read by slices alone);
            # the stubs ask for a list that also has a length and iterates.
            paginator: Paginator[DueItem] = Paginator(listed, PAGE_SIZE)  # type: ignore[arg-type]
            # The counts say how many already: no second COUNT over the union of every source.
            paginator.count = sum(counts[state] for state in states) if states else sum(counts.values())
            page = paginator.get_page(self.request.GET.get("page"))
            rows = selectors.due_item_rows(page, today=today)
        for row in rows:
            row["action"] = action_for(user, row["kind"], row["object_id"])
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(form=form, page=page, rows=rows, counts=counts, today=today, query=query.urlencode())
        return context


class DueItemListView(HomeView):
    """全部待办: every open item the user sees (not only their own), by unit."""

    mine = False
    default_within = "all"

    def filter_form(self) -> DueItemFilterForm:
        return DueItemListFilterForm(self.request.GET or None, user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "heading": _("全部待办")}


urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("items/", DueItemListView.as_view(), name="due-items"),
]
