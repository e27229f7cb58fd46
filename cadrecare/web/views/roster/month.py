"""The township's month: the township and month from the URL, its roster and
grid, what the month page shows and who may act on it."""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Any, ClassVar

from django.core.cache import cache
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cadrecare.core import clock
from cadrecare.core.i18n import choice_label
from cadrecare.org import scoping
from cadrecare.org.access import ADD, CHANGE, STAND_IN
from cadrecare.org.models import OrgUnit
from cadrecare.rotation import selectors
from cadrecare.rotation.choices import RosterStatus, RunStatus, SolverStatus
from cadrecare.rotation.models import GenerationItem, Roster
from cadrecare.web.pages import PageView
from cadrecare.web.views.roster.dates import month_url, next_month, previous_month
from cadrecare.web.views.roster.forms import GenerateForm, MonthPickForm, PublishForm
from cadrecare.web.views.roster.grid import grid_table
from cadrecare.web.views.roster.words import SOLVER_WORDS, metrics_sentences, reason_rows

POLL_SECONDS = 2


class TownshipMonthMixin(PageView):
    """A township and month from the URL: the township among those the user
    may see rosters of (else 404, as the API answers out of scope), its roster
    of the month if there is one, and everything the month page shows."""

    #: Where a bound form of this view goes in the page ("generate_form", ...).
    form_slot: ClassVar[str | None] = None

    @cached_property
    def unit(self) -> OrgUnit:
        return get_object_or_404(selectors.roster_units(user=self.request.user), pk=self.kwargs["unit"])

    @property
    def month(self) -> dt.date:
        return self.kwargs["month"]

    @cached_property
    def roster(self) -> Roster | None:
        return selectors.roster_of_month(unit=self.unit, month=self.month)

    def reload(self) -> None:
        """Read the roster and its grid again, after an edit here or by someone else."""
        for name in ("roster", "keyed_grid"):
            self.__dict__.pop(name, None)

    def roster_or_404(self) -> Roster:
        if self.roster is None:
            raise Http404(_("该月还没有排班。"))
        return self.roster

    @cached_property
    def keyed_grid(self) -> tuple[str, dict[str, Any]] | None:
        roster = self.roster
        if roster is None or roster.current is None or roster.current.solver_status == SolverStatus.INFEASIBLE:
            return None
        return selectors.roster_grid_keyed(roster=roster)

    @property
    def grid(self) -> dict[str, Any] | None:
        return self.keyed_grid[1] if self.keyed_grid else None

    def grid_table(self, block_url: str = "", *, board: bool = False) -> dict[str, Any] | None:
        """``grid_table`` of the month's grid for the month page (its body as
        one piece of HTML) or, with ``board``, for the notice board (each
        cell, a day on duty left blank), kept under the grid's key (which
        names everything the grid is built from), the links and the
        language: formatting 4,650 cells took 40 ms a request."""
        if self.keyed_grid is None:
            return None
        grid_key, grid = self.keyed_grid
        key = f"web:grid-table:{grid_key}:{block_url}:{board}:{get_language()}"
        table = cache.get(key)
        if table is None:
            table = grid_table(grid, block_url, "" if board else None)
            # Only what the page prints is kept (the whole table is 0.7 MB for 150 cadres).
            if board:
                table = {**table, "rows": [{**row, "cells_html": ""} for row in table["rows"]], "body_html": ""}
            else:
                table = {**table, "rows": []}
            cache.set(key, table, selectors.GRID_CACHE_SECONDS)
        return table

    def may(self, action: str, resource: str = "rosters") -> bool:
        return scoping.may_in_unit(self.request.user, resource, action, self.unit)

    @cached_property
    def acting_for(self) -> str:
        """The township secretary's post the user publishes for while it is vacant (else "")."""
        return "" if self.may("publish") else selectors.stand_in_post(user=self.request.user, unit=self.unit)

    @property
    def editable(self) -> bool:
        roster = self.roster
        return (
            bool(self.grid)
            and roster is not None
            and roster.status == RosterStatus.DRAFT
            and (self.may(CHANGE) or bool(self.acting_for))
        )

    def acting_or_refuse(self, action: str, resource: str = "rosters") -> str:
        """ "" when the user may ``action`` in their own right, else the vacant
        post they stand in for (PermissionDenied naming the serving secretary)."""
        if self.may(action, resource):
            return ""
        return selectors.stand_in_or_refuse(user=self.request.user, unit=self.unit)

    def month_context(self, **forms_: Any) -> dict[str, Any]:
        roster, grid, today = self.roster, self.grid, clock.today()
        draft = roster is None or roster.status == RosterStatus.DRAFT
        feasible = grid is not None
        current = roster.current if roster else None
        latest = self.latest_item
        running = latest is not None and latest.status == RunStatus.QUEUED
        context: dict[str, Any] = {
            "unit": self.unit,
            "month": self.month,
            "roster": roster,
            "current": current,
            "month_url": month_url(self.unit, self.month),
            "previous_url": month_url(self.unit, previous_month(self.month)),
            "next_url": month_url(self.unit, next_month(self.month)),
            "pick_form": MonthPickForm(initial={"unit": self.unit.pk, "month": f"{self.month:%Y-%m}"}),
            "status_label": choice_label(roster.get_status_display()) if roster else _("尚未生成"),
            "solver_words": SOLVER_WORDS.get(current.solver_status) if current else None,
            "metrics": metrics_sentences(current.metrics, current.metrics_version) if current else [],
            "provisional": grid["provisional_calendar"] if grid else bool(roster and roster.provisional_calendar),
            **self.run_context(),
            "may_generate": draft
            and self.month >= today.replace(day=1)
            and not running
            and (self.may(ADD, "generation-runs") or bool(self.acting_for)),
            "may_edit": self.editable,
            "may_publish": draft and feasible and roster is not None and (self.may("publish") or bool(self.acting_for)),
            "acting_for": self.acting_for,
            "may_lock": roster is not None
            and roster.status == RosterStatus.PUBLISHED
            and next_month(self.month) <= today
            and self.may("lock"),
            "generate_form": GenerateForm(),
            "publish_form": PublishForm(),
            "failed_run": self._failed_run(latest, current),
            "reasons": reason_rows(current.reasons) if current and not feasible else [],
            "table": self.grid_table(month_url(self.unit, self.month, "web:roster-block") if self.editable else ""),
        }
        if self.form_slot and forms_.get("form") is not None:
            context[self.form_slot] = forms_["form"]
        return context

    @cached_property
    def latest_item(self) -> GenerationItem | None:
        return selectors.generation_item_latest(unit=self.unit, month=self.month)

    def run_context(self) -> dict[str, Any]:
        """The month's generation while a worker solves it (None when none is queued)."""
        latest = self.latest_item
        running = latest if latest is not None and latest.status == RunStatus.QUEUED else None
        return {
            "run": running,
            "run_url": month_url(self.unit, self.month, "web:roster-run"),
            "poll_seconds": POLL_SECONDS,
            "waited": int((clock.now() - running.run.created_at).total_seconds()) if running else 0,
        }

    def _failed_run(self, latest: GenerationItem | None, current: Any) -> dict[str, Any] | None:
        """The newest generation when it did not give the current version
        (infeasible or failed, the last good draft kept): when and why."""
        if latest is None or latest.status not in (RunStatus.INFEASIBLE, RunStatus.FAILED):
            return None
        if current is not None and current.generation_item_id == latest.pk:
            return None  # the version itself shows its reasons
        return {
            "item": latest,
            "status_label": choice_label(latest.get_status_display()),
            "reasons": reason_rows(latest.reasons),
        }


class MonthPageMixin(TownshipMonthMixin):
    """Views that answer with the month page (or a fragment of it)."""

    template_name = "web/roster/month.html"
    nav_entry = "web:roster"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.month_context(**kwargs))
        return context


class StandsInMixin(PageView):
    """Views the county organization department may also use for a township
    whose party secretary post is vacant: whether it is, is checked on the
    township (``acting_or_refuse``, ``editable``)."""

    stands_in: ClassVar[bool] = True

    @classmethod
    def allowed(cls, user: Any) -> bool:
        return super().allowed(user) or (cls.stands_in and scoping.may(user, "rosters", STAND_IN))


class RosterMonthView(MonthPageMixin, PageView):
    """The month page: status, quality, generation, the grid, and its actions."""

    resource = "rosters"
