"""Finding the month: the township chooser, a roster by id, who is on duty today."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from cadrecare.core import clock
from cadrecare.core.i18n import choice_label
from cadrecare.org.access import VIEW
from cadrecare.org.models import OrgUnit
from cadrecare.rotation import selectors
from cadrecare.rotation.choices import SolverStatus
from cadrecare.web.pages import PageView
from cadrecare.web.views.roster.dates import day_label, month_url, next_month
from cadrecare.web.views.roster.forms import MonthPickForm


def township_choice(view: PageView, resource: str = "rosters", action: str = VIEW) -> tuple[OrgUnit | None, Any]:
    """The township a page is for: ``?unit=`` among those in the user's scope
    (else 404), or the only one they have; None and the list to choose from
    when they have several (county and city)."""
    units = selectors.roster_units(user=view.request.user, resource=resource, action=action)
    raw = view.request.GET.get("unit", "")
    if raw:
        if not raw.isdecimal():
            raise Http404(_("乡镇编号应为数字。"))
        return get_object_or_404(units, pk=int(raw)), units
    only = list(units[:2])
    return (only[0] if len(only) == 1 else None), units


class RosterIndexView(PageView):
    """轮休排班: a secretary goes straight to next month; whoever watches
    several townships chooses one. ``?unit=&month=`` (the month picker) goes
    to that month."""

    resource = "rosters"
    template_name = "web/roster/choose.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        unit, units = township_choice(self)
        if unit is not None:
            month = next_month(clock.today())
            if "month" in request.GET:
                form = MonthPickForm(request.GET)
                if not form.is_valid():
                    context = self.get_context_data(units=None, unit=unit, pick_form=form)
                    return self.render_to_response(context, status=400)
                month = form.cleaned_data["month"]
            return HttpResponseRedirect(month_url(unit, month))
        return self.render_to_response(self.get_context_data(units=units, month=next_month(clock.today())))


class RosterDetailView(PageView):
    """A roster by its id (the link of 我的待办 and of notices about it): its month page."""

    resource = "rosters"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        roster = get_object_or_404(selectors.roster_list(user=self.request.user), pk=pk)
        return HttpResponseRedirect(month_url(roster.unit_id, roster.month))


class OnDutyTodayView(PageView):
    """Who is on duty today in a township (群众办事找得到人): leaders first, then by office."""

    resource = "rosters"
    template_name = "web/roster/today.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        unit, units = township_choice(self)
        today = clock.today()
        context.update(unit=unit, units=None if unit else units, today=today, today_label=day_label(today))
        if unit is not None:
            roster = selectors.roster_of_month(unit=unit, month=today.replace(day=1))
            current = roster.current if roster is not None else None
            if current is None or current.solver_status == SolverStatus.INFEASIBLE:
                roster = None  # no roster says who is on duty
            people = selectors.roster_on_duty(roster=roster, date=today) if roster is not None else []
            context.update(
                roster=roster,
                people=people,
                leaders=[p for p in people if p["leader"]],
                staff=[p for p in people if not p["leader"]],
                status_label=choice_label(roster.get_status_display()) if roster is not None else "",
                month_url=month_url(unit, today.replace(day=1)),
            )
        return context
