"""Generating the month (and polling the worker that solves it), publishing
the draft and locking it after its month."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext_lazy
from django_htmx.http import HttpResponseClientRefresh

from cadrecare.org.access import ADD
from cadrecare.rotation import services
from cadrecare.rotation.models import Roster
from cadrecare.web.pages import FormPageView, PageView
from cadrecare.web.views.roster.dates import month_url
from cadrecare.web.views.roster.forms import GenerateForm, LockForm, PublishForm
from cadrecare.web.views.roster.month import MonthPageMixin, StandsInMixin, TownshipMonthMixin


class RosterGenerateView(StandsInMixin, MonthPageMixin, FormPageView):
    """Generate (or regenerate) the month: a run a Celery worker solves; the
    page then shows its progress until the roster is there."""

    resource = "generation-runs"
    action = ADD
    http_method_names = ["post"]
    form_class = GenerateForm
    form_slot = "generate_form"

    def perform(self, form: forms.BaseForm) -> Any:
        self.acting_or_refuse(ADD, "generation-runs")  # a reader who may not generate: the page's 403
        return services.generation_run_create(
            actor=self.request.user,
            unit=self.unit,
            month=self.month,
            keep_pinned=form.cleaned_data["keep_pinned"],
            request=self.request,
        )

    def get_success_url(self, run: Any) -> str:
        return month_url(self.unit, self.month)


class RosterRunView(TownshipMonthMixin, PageView):
    """The progress of the month's generation, polled by the page while a
    worker solves it: the panel again while queued, then a reload (htmx) or
    the month page (without JavaScript)."""

    resource = "generation-runs"
    template_name = "web/roster/month.html"
    partial = "run"
    nav_entry = "web:roster"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.request.htmx:
            return HttpResponseRedirect(month_url(self.unit, self.month))
        context = self.get_context_data(**kwargs)
        context.update(unit=self.unit, month=self.month, **self.run_context())
        if context["run"] is None:
            return HttpResponseClientRefresh()
        return self.render_to_response(context)


class RosterPublishView(StandsInMixin, MonthPageMixin, FormPageView):
    """Publish the draft (cadres are notified); a provisional holiday calendar needs the confirmation."""

    resource = "rosters"
    action = "publish"
    http_method_names = ["post"]
    form_class: ClassVar[type[forms.BaseForm]] = PublishForm
    form_slot: ClassVar[str | None] = "publish_form"
    success_message = gettext_lazy("排班已发布，已通知本乡镇干部。")

    def perform(self, form: forms.BaseForm) -> Roster:
        return services.roster_publish(
            actor=self.request.user,
            roster_obj=self.roster_or_404(),
            confirm_provisional=form.cleaned_data["confirm_provisional"],
            request=self.request,
        )

    def get_success_url(self, roster: Roster) -> str:
        return month_url(self.unit, self.month)


class RosterLockView(RosterPublishView):
    """Lock a published roster after its month: the record of rest planned."""

    action = "lock"
    stands_in = False  # the county locks in its own right (the access table's "lock")
    form_class = LockForm
    form_slot = None
    success_message = gettext_lazy("排班已锁定。")

    def perform(self, form: forms.BaseForm) -> Roster:
        return services.roster_lock(actor=self.request.user, roster_obj=self.roster_or_404(), request=self.request)


# ---------------------------------------------------------------------------
# The notice board: print and xlsx
# ---------------------------------------------------------------------------
