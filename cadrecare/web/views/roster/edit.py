"""Editing a rest block from the grid: the block's panel and its move, swap
and pin, version-checked like the API's If-Match."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

from cadrecare.core.errors import DomainError, PreconditionFailed
from cadrecare.org.access import CHANGE
from cadrecare.rotation import services
from cadrecare.rotation.models import Roster
from cadrecare.web.forms import form_field
from cadrecare.web.pages import FormPageView, add_service_error
from cadrecare.web.views.roster.dates import month_url, span_label
from cadrecare.web.views.roster.forms import BlockForm, MoveForm, SwapForm
from cadrecare.web.views.roster.month import MonthPageMixin, RosterMonthView, StandsInMixin, TownshipMonthMixin


class RosterBlockView(StandsInMixin, RosterMonthView):
    """A cadre's rest block opened from the grid: move it, swap it, pin it.
    htmx loads the panel alone; without JavaScript it is the page with the
    panel open."""

    action = CHANGE
    partial = "panel"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        self.acting_or_refuse(CHANGE)
        context = super().get_context_data(**kwargs)
        try:
            cadre_id = int(self.request.GET.get("cadre", ""))
            day = dt.date.fromisoformat(self.request.GET.get("date", ""))
        except ValueError:
            raise Http404(_("请从排班表中点选一段休息。")) from None
        context["panel"] = block_panel(self, cadre_id, day)
        if context["panel"] is None:
            raise Http404(_("该干部在这一天没有休息。"))
        return context


def block_panel(
    view: TownshipMonthMixin, cadre_id: int, day: dt.date, bound: BlockForm | None = None
) -> dict[str, Any] | None:
    """The edit panel of the block of ``cadre_id`` holding ``day``: its three
    forms (``bound`` in place of its own when it came back with errors)."""
    grid, roster = view.grid, view.roster
    if grid is None or roster is None or not view.editable:
        return None
    iso = day.isoformat()
    entry = next((c for c in grid["cadres"] if c["id"] == cadre_id), None)
    block = next((b for b in entry["blocks"] if b["start"] <= iso <= b["end"]), None) if entry else None
    if block is None:
        return None
    first, last = dt.date.fromisoformat(block["start"]), dt.date.fromisoformat(block["end"])
    length = block["days"]
    month_dates = [dt.date.fromisoformat(d["date"]) for d in grid["dates"]]
    starts = [
        (d.isoformat(), span_label(d, d + dt.timedelta(days=length - 1)))
        for d in month_dates[: len(month_dates) - length + 1]
        if d != first
    ]
    others = [
        (
            f"{c['name']}（{c['office']}）" if c["office"] else c["name"],
            [
                (
                    f"{c['id']}:{b['start']}",
                    span_label(dt.date.fromisoformat(b["start"]), dt.date.fromisoformat(b["end"])),
                )
                for b in c["blocks"]
            ],
        )
        for c in grid["cadres"]
        if c["id"] != cadre_id and c["blocks"]
    ]
    initial = {"cadre": cadre_id, "date": block["start"], "version": roster.version}
    made = {
        "move": MoveForm(initial={**initial, "op": "move"}, roster=roster, starts=starts, prefix="move"),
        "swap": SwapForm(initial={**initial, "op": "swap"}, roster=roster, blocks=others, prefix="swap"),
        "pin": BlockForm(initial={**initial, "op": "unpin" if block["pinned"] else "pin"}, roster=roster, prefix="pin"),
    }
    if bound is not None:
        if isinstance(bound, MoveForm):
            choices = form_field(made["move"], "to_date", forms.ChoiceField).choices
            form_field(bound, "to_date", forms.ChoiceField).choices = choices
        elif isinstance(bound, SwapForm):
            choices = form_field(made["swap"], "other", forms.ChoiceField).choices
            form_field(bound, "other", forms.ChoiceField).choices = choices
        assert bound.prefix is not None  # the edit view's forms are made with their prefix
        made[bound.prefix] = bound
    return {
        "cadre": entry,
        "block": block,
        "span": span_label(first, last),
        "forms": made,
        "active": bound.prefix if bound is not None else None,
    }


class RosterEditView(StandsInMixin, MonthPageMixin, FormPageView):
    """Move, swap, pin or unpin a block: the API's roster edit
    (``services.roster_edit``), with the version the page showed as its
    If-Match. A broken rule comes back beside the block with the rule, dates
    and people, and a field for the reason to break it anyway; a stale
    version (someone else edited) shows the latest roster and says so."""

    resource = "rosters"
    action = CHANGE
    http_method_names = ["post"]
    partial = "body"
    service_fields = {"to_date": "to_date", "other_cadre": "other", "other_date": "other"}

    def get_form(self) -> BlockForm:
        roster = self.roster_or_404()
        prefix = next((p for p in ("move", "swap", "pin") if f"{p}-op" in self.request.POST), "move")
        grid = self.grid or {"dates": [], "cadres": []}
        kwargs: dict[str, Any] = {"data": self.request.POST, "roster": roster, "prefix": prefix}
        if prefix == "move":
            kwargs["starts"] = [(d["date"], d["date"]) for d in grid["dates"]]
        elif prefix == "swap":
            kwargs["blocks"] = [
                (f"{c['id']}:{b['start']}", f"{c['id']}:{b['start']}") for c in grid["cadres"] for b in c["blocks"]
            ]
        return (MoveForm if prefix == "move" else SwapForm if prefix == "swap" else BlockForm)(**kwargs)

    def perform(self, form: forms.BaseForm) -> Roster:
        assert isinstance(form, BlockForm)  # get_form makes one
        return services.roster_edit(
            actor=self.request.user,
            roster_obj=self.roster_or_404(),
            expected_version=form.cleaned_data["version"],
            request=self.request,
            **form.service_kwargs(),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = kwargs.get("form")
        if form is not None and form.errors and not getattr(self, "stale", False):
            data = form.cleaned_data
            cadre, day = data.get("cadre"), data.get("date")
            panel = block_panel(self, cadre.pk, day, bound=form) if cadre and day else None
            context["panel"] = panel
            if panel is None:  # no block to show the form on: say it above the grid
                context["edit_errors"] = [str(e) for errors in form.errors.values() for e in errors]
        context["flash"] = kwargs.get("flash")
        return context

    def service_error(self, form: forms.BaseForm, error: DomainError) -> HttpResponse:
        if isinstance(error, PreconditionFailed):
            # Someone else changed the roster: show it as it is now, and say so.
            self.stale = True
            self.reload()
            response = self.render_to_response(
                self.get_context_data(
                    flash={
                        "level": "warning",
                        "text": _(
                            "这份排班刚被他人修改（现为第 %(v)d 版），已为您载入最新的排班，请在新排班上重新调整。"
                        )
                        % {"v": self.roster_or_404().version},
                    }
                )
            )
            response.status_code = error.status_code
            return response
        if error.code == "rule_broken" and isinstance(form, BlockForm):
            form.offer_override()
        add_service_error(form, error, self.service_fields)
        return self.form_invalid(form, status=error.status_code)

    def form_valid(self, form: forms.BaseForm, result: Any) -> HttpResponse:
        done = _("已调整，排班现为第 %(v)d 版。") % {"v": result.version}
        if getattr(self.request, "htmx", False):
            self.reload()
            return self.render_to_response(self.get_context_data(flash={"level": "success", "text": done}))
        messages.success(self.request, done)
        return HttpResponseRedirect(month_url(self.unit, self.month), status=303)
