"""轮休排班: a township's month roster in the workbench, for the party
secretary who plans it (and, read-only, the county and city who watch).

One page per township and month (``/roster/<unit>/<YYYY-MM>/``): the month
grid (cadres by days), the solver's status and quality in words, the latest
generation (polled while a worker solves it) and the reasons when there is
no roster; generate, edit a rest block (move, swap, pin: the API's roster
edit, version-checked like its If-Match), publish, lock; the notice-board
print and the xlsx. Every write is the API's service; every read its selector.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cached_property
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, register_converter, reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy, pgettext, pgettext_lazy
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRefresh

from cadrecare.core import clock
from cadrecare.core.errors import DomainError, PreconditionFailed
from cadrecare.core.i18n import choice_label
from cadrecare.org import scoping
from cadrecare.org.access import ADD, CHANGE, STAND_IN, VIEW
from cadrecare.org.models import OrgUnit
from cadrecare.rotation import selectors, services
from cadrecare.rotation.choices import DayKind, DayType, RosterStatus, RunStatus, SolverStatus
from cadrecare.rotation.exports import roster_grid_xlsx
from cadrecare.rotation.models import GenerationItem, Roster
from cadrecare.web.pages import FormPageView, PageView, add_service_error

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WEEKDAYS = (
    pgettext_lazy("weekday", "一"),
    pgettext_lazy("weekday", "二"),
    pgettext_lazy("weekday", "三"),
    pgettext_lazy("weekday", "四"),
    pgettext_lazy("weekday", "五"),
    pgettext_lazy("weekday", "六"),
    pgettext_lazy("weekday", "日"),
)
POLL_SECONDS = 2

#: What the secretary can change when the solver finds no roster, by the rule
#: of docs/roster-format.md it names (0: the policy as a whole). The policy itself
#: is the county's (rotation-policies: the secretary reads it).
RULE_HINTS = {
    0: gettext_lazy("请县（区）委组织部调整本乡镇的轮休政策（轮休模式、在岗要求或禁休日期）。"),
    1: gettext_lazy("核对该干部的请假、外出登记和往月召回结转的天数；必要时请县（区）委组织部调整每月休息天数。"),
    2: gettext_lazy("取消或调整固定的休息日后不保留固定重新生成；或请县（区）委组织部改用其他轮休模式。"),
    3: gettext_lazy("取消落在禁休日的固定休息日；或请县（区）委组织部缩短、取消禁休日期。"),
    4: gettext_lazy("请县（区）委组织部降低最低在岗比例（一般 0.6 左右）；或减少固定的休息日。"),
    5: gettext_lazy("错开班子成员的固定休息日和请假；或请县（区）委组织部减少最少在岗班子成员人数。"),
    6: gettext_lazy("错开同一科室干部的固定休息日，或调整科室人员；或请县（区）委组织部降低每个科室最少在岗人数。"),
    7: gettext_lazy("错开这两人的固定休息日；或请县（区）委组织部取消这一“不得同时休息”的配对。"),
    8: gettext_lazy("取消或调整这些固定的休息日，再不保留固定重新生成。"),
}


class MonthConverter:
    """``2027-03`` in a path, as the month's first day."""

    regex = r"[0-9]{4}-(?:0[1-9]|1[0-2])"

    def to_python(self, value: str) -> dt.date:
        return dt.date.fromisoformat(f"{value}-01")

    def to_url(self, value: dt.date) -> str:
        return f"{value:%Y-%m}"


register_converter(MonthConverter, "month")


def next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def previous_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def day_label(day: dt.date) -> str:
    """ "1月9日（六）": a date as the secretary says it."""
    return _("%(month)d月%(day)d日（%(weekday)s）") % {
        "month": day.month,
        "day": day.day,
        "weekday": WEEKDAYS[day.weekday()],
    }


def span_label(first: dt.date, last: dt.date) -> str:
    if first == last:
        return day_label(first)
    return _("%(first)s至%(last)s") % {"first": day_label(first), "last": day_label(last)}


def month_url(unit: OrgUnit | int, month: dt.date, name: str = "web:roster-month") -> str:
    return reverse(name, kwargs={"unit": getattr(unit, "pk", unit), "month": month})


# ---------------------------------------------------------------------------
# Quality and reasons in words
# ---------------------------------------------------------------------------


def metrics_sentences(metrics: dict[str, Any] | None, version: int | None) -> list[str]:
    """The solver's quality metrics as sentences a secretary reads (metrics v2,
    docs/roster-format.md); a version solved before v2 says it is the old measure."""
    if not metrics:
        return []
    penalty = metrics.get("preference_penalty", 0)
    wishes = (
        _("个人休息意愿全部满足")
        if not penalty
        else _("个人休息意愿未满足 %(n)d 处（身体欠佳或家庭困难的干部一处按三处计）") % {"n": penalty}
    )
    spread = f"{round(float(metrics.get('fairness_spread', 0)), 2):g}"
    fairness = _("各人（连同前几个月）月均周末和节假日休息天数，最多与最少相差 %(n)s 天") % {"n": spread}
    if version == 1:
        smoothness = metrics.get("smoothness", 0)
        smooth = _("每天休息人数最多与最少相差 %(n)d 人（旧口径，含周末和节假日）") % {"n": smoothness}
        return [_("以下为旧版质量指标（重新生成后按新版计算，并计入周末和节假日休息人次）："), wishes, fairness, smooth]
    return [
        _("周末和节假日共安排休息 %(n)d 人次") % {"n": metrics.get("desirable_rest", 0)},
        wishes,
        fairness,
        _("工作日每天休息人数最多与最少相差 %(n)d 人") % {"n": metrics.get("smoothness", 0)},
    ]


SOLVER_WORDS = {
    SolverStatus.OPTIMAL: gettext_lazy("最优：在现有规则下已证明没有更好的排法。"),
    SolverStatus.FEASIBLE: gettext_lazy("可行：符合全部规则，是限定时间内找到的较好排法（未证明最优）。"),
    SolverStatus.EDITED: gettext_lazy("手工调整：在生成的排班上作过调整。"),
    SolverStatus.INFEASIBLE: gettext_lazy("无可行方案：按现行政策排不出符合全部规则的排班。"),
}


def reason_rows(reasons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The solver's (or a failed run's) reasons with the rule named and what can be changed."""
    rows = []
    for reason in reasons:
        rule = reason.get("rule")
        rows.append(
            {
                "message": reason.get("message", ""),
                "rule": rule,
                "rule_name": services.RULE_ZH.get(rule, "") if rule else "",
                "dates": [day_label(dt.date.fromisoformat(d)) for d in reason.get("dates", [])[:10]],
                "more_dates": max(0, len(reason.get("dates", [])) - 10),
                "hint": RULE_HINTS.get(rule) if rule is not None else None,
            }
        )
    return rows


# ---------------------------------------------------------------------------
# Forms: they parse; the rules are the services'
# ---------------------------------------------------------------------------


class MonthPickForm(forms.Form):
    unit = forms.IntegerField(label=gettext_lazy("乡镇"), widget=forms.HiddenInput)
    month = forms.CharField(label=gettext_lazy("月份"), max_length=7, widget=forms.DateInput(attrs={"type": "month"}))

    def clean_month(self) -> dt.date:
        text = self.cleaned_data["month"].strip()
        if not re.fullmatch(MonthConverter.regex, text):
            raise forms.ValidationError(_("月份格式应为 YYYY-MM，如 2027-03。"))
        return MonthConverter().to_python(text)


class GenerateForm(forms.Form):
    keep_pinned = forms.BooleanField(label=gettext_lazy("保留已固定的休息日"), required=False, initial=True)


class PublishForm(forms.Form):
    confirm_provisional = forms.BooleanField(
        label=gettext_lazy("我已知悉本月节假日安排为暂定（尚未按国务院通知确认），仍要发布"), required=False
    )


class BlockForm(forms.Form):
    """One edit of a cadre's rest block, as the API's roster edit takes it:
    the block (any day of it), the roster version the secretary saw (the
    If-Match of the API) and, once a rule break was shown, why to break it."""

    op = forms.ChoiceField(choices=[(op, op) for op in services.EDIT_OPS], widget=forms.HiddenInput)
    cadre = forms.ModelChoiceField(queryset=None, label=gettext_lazy("干部"), widget=forms.HiddenInput)
    date = forms.DateField(label=gettext_lazy("休息日"), widget=forms.HiddenInput)
    version = forms.IntegerField(label=gettext_lazy("版本"), min_value=0, widget=forms.HiddenInput)
    override_reason = forms.CharField(
        label=gettext_lazy("打破规则仍要调整的理由"), required=False, max_length=300, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, roster: Roster, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = selectors.roster_cadres(roster=roster)

    def offer_override(self) -> None:
        """After a rule break: ask for the reason to break it (kept with the version)."""
        field = self.fields["override_reason"]
        field.widget = forms.Textarea(attrs={"rows": 2, "maxlength": 300})
        field.help_text = _("写明为什么仍要这样调整；理由随版本保存，县（区）委组织部可以看到。")

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "op": data["op"],
            "cadre": data["cadre"],
            "date": data["date"],
            "override_reason": data.get("override_reason") or "",
        }


class MoveForm(BlockForm):
    to_date = forms.TypedChoiceField(label=gettext_lazy("调到（新的开始日期）"), coerce=dt.date.fromisoformat)

    def __init__(self, *args: Any, starts: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_date"].choices = [("", _("请选择"))] + starts

    def service_kwargs(self) -> dict[str, Any]:
        return {**super().service_kwargs(), "to_date": self.cleaned_data["to_date"]}


class SwapForm(BlockForm):
    other = forms.ChoiceField(label=gettext_lazy("与谁的休息互换"))

    def __init__(self, *args: Any, blocks: list[tuple[str, list[tuple[str, str]]]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other"].choices = [("", _("请选择"))] + blocks

    def clean_other(self) -> tuple[Any, dt.date]:
        cadre_id, _sep, day = self.cleaned_data["other"].partition(":")
        cadre = self.fields["cadre"].queryset.filter(pk=int(cadre_id)).first()
        if cadre is None:
            raise forms.ValidationError(_("请选择这份排班中另一名干部的休息。"))
        return cadre, dt.date.fromisoformat(day)

    def service_kwargs(self) -> dict[str, Any]:
        other_cadre, other_date = self.cleaned_data["other"]
        return {**super().service_kwargs(), "other_cadre": other_cadre, "other_date": other_date}


EDIT_FORMS: dict[str, type[BlockForm]] = {"move": MoveForm, "swap": SwapForm, "pin": BlockForm, "unpin": BlockForm}


# ---------------------------------------------------------------------------
# The township's month
# ---------------------------------------------------------------------------


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
        return (
            bool(self.grid)
            and self.roster.status == RosterStatus.DRAFT  # type: ignore[union-attr]
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


def grid_table(grid: dict[str, Any], block_url: str, duty_mark: str | None = None) -> dict[str, Any]:
    """The grid as rows of ready cells for the template (which only prints
    them): per cell (class, mark, link, label, pinned), a rest day linking to
    its block when ``block_url`` is given (the user may edit) and the block's
    first day labelled for screen readers; per date its labels and the count
    on duty against the minimum. ``duty_mark`` replaces the mark of a day on
    duty (the notice board leaves it blank)."""
    dates = []
    for entry in grid["dates"]:
        day = dt.date.fromisoformat(entry["date"])
        name = re.sub(r"[（(].*$", "", entry["holiday_name"])
        if entry["day_type"] == DayType.MAKEUP_WORKDAY:
            name = _("调休上班")
        classes = ["w"] if entry["desirable"] else []
        if entry["blackout"]:
            classes.append("bo")
        dates.append(
            {
                **entry,
                "day": day.day,
                "weekday_label": WEEKDAYS[day.weekday()],
                "label": day_label(day),
                "short_name": name or (_("禁休") if entry["blackout"] else ""),
                "cls": " ".join(classes),
            }
        )
    pinned_mark = format_html("<sup>{}</sup>", _("定"))
    marks = {
        DayKind.REST: pgettext("roster mark", "休"),
        DayKind.AWAY: pgettext("roster mark", "外"),
        DayKind.DUTY: pgettext("roster mark", "·") if duty_mark is None else duty_mark,
    }
    rows = []
    for cadre in grid["cadres"]:
        starts = {}
        for block in cadre["blocks"]:
            first = dt.date.fromisoformat(block["start"])
            for offset in range(block["days"]):
                starts[first + dt.timedelta(days=offset)] = (block, offset == 0)
        cells = []
        for index, kind in enumerate(cadre["days"]):
            shade = dates[index]["cls"]
            if kind == DayKind.REST:
                block, first = starts[dt.date.fromisoformat(dates[index]["date"])]
                href = f"{block_url}?cadre={cadre['id']}&date={block['start']}" if block_url else ""
                label = (
                    _("%(name)s %(span)s休息")
                    % {
                        "name": cadre["name"],
                        "span": span_label(dt.date.fromisoformat(block["start"]), dt.date.fromisoformat(block["end"])),
                    }
                    if first
                    else ""
                )
                cells.append((f"r {shade}", marks[DayKind.REST], href, label, block["pinned"]))
            elif kind == DayKind.AWAY:
                cells.append((f"a {shade}", marks[DayKind.AWAY], "", "", False))
            else:
                cells.append((f"d {shade}", marks[DayKind.DUTY], "", "", False))
        rows.append({**cadre, "cells": cells, "cells_html": cells_html(cells, pinned_mark)})
    return {
        "dates": dates,
        "rows": rows,
        "body_html": rows_html(rows),
        "short_days": sum(1 for d in dates if d["short"]),
        "named_days": any(d["short_name"] for d in dates),
    }


def cells_html(cells: list[tuple[str, str, str, str, bool]], pinned_mark: str) -> SafeString:
    """A row's day cells as HTML (a rest day a link to its block, the block's
    first day labelled for screen readers, others out of the tab order).
    Formatted here, not in the template: a 150-cadre month is 4,650 cells,
    and the template's lookups on them took a third of a second (format_html
    per cell, a sixth). Every text is escaped; a day without a link is one
    of a few cells, formatted once."""
    plain: dict[tuple[str, str, bool], str] = {}
    parts = []
    for cls, mark, href, label, pinned in cells:
        inner = f"{escape(mark)}{pinned_mark if pinned else ''}"
        if not href:
            if (cls, mark, pinned) not in plain:
                plain[cls, mark, pinned] = f'<td class="{escape(cls)}">{inner}</td>'
            parts.append(plain[cls, mark, pinned])
            continue
        focus = f' aria-label="{escape(label)}"' if label else ' tabindex="-1"'
        parts.append(f'<td class="{escape(cls)}"><a href="{escape(href)}"{focus}>{inner}</a></td>')
    return mark_safe("".join(parts))  # noqa: S308 - every part escaped above


def rows_html(rows: list[dict[str, Any]]) -> SafeString:
    """The grid's body, a row per cadre: their name (and 班子 for a leader),
    rest days against their entitlement and office, then their day cells.
    Formatted here, once per grid (``TownshipMonthMixin.grid_table`` keeps
    it): the template's loop over 150 rows cost 10 ms a request. Every text
    is escaped, as the template would."""
    lead = f'<span class="g-lead">{escape(_("班子"))}</span>'
    parts = []
    for row in rows:
        entitled = row.get("entitled")
        note = escape(_("休%(n)s") % {"n": row["rest_days"]})
        if entitled is not None and entitled != row["rest_days"]:
            note += escape(_("（应休%(n)s）") % {"n": entitled})
        if row["office"]:
            note += f" · {escape(row['office'])}"
        parts.append(
            f'<tr><th scope="row" class="g-name"><span class="g-who">{escape(row["name"])}'
            f"{lead if row['leader'] else ''}</span><small>{note}</small></th>{row['cells_html']}</tr>\n          "
        )
    return mark_safe("".join(parts))  # noqa: S308 - every part escaped above


class MonthPageMixin(TownshipMonthMixin):
    """Views that answer with the month page (or a fragment of it)."""

    template_name = "web/roster/month.html"
    nav_entry = "web:roster"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context.update(self.month_context(**kwargs))
        return context


class StandsInMixin:
    """Views the county organization department may also use for a township
    whose party secretary post is vacant: whether it is, is checked on the
    township (``acting_or_refuse``, ``editable``)."""

    stands_in = True

    @classmethod
    def allowed(cls, user: Any) -> bool:
        return super().allowed(user) or (cls.stands_in and scoping.may(user, "rosters", STAND_IN))  # type: ignore[misc]


class RosterMonthView(MonthPageMixin, PageView):
    """The month page: status, quality, generation, the grid, and its actions."""

    resource = "rosters"


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
    grid = view.grid
    if grid is None or not view.editable:
        return None
    iso = day.isoformat()
    entry = next((c for c in grid["cadres"] if c["id"] == cadre_id), None)
    block = next((b for b in entry["blocks"] if b["start"] <= iso <= b["end"]), None) if entry else None
    if block is None:
        return None
    roster = view.roster
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
    initial = {"cadre": cadre_id, "date": block["start"], "version": roster.version}  # type: ignore[union-attr]
    made = {
        "move": MoveForm(initial={**initial, "op": "move"}, roster=roster, starts=starts, prefix="move"),
        "swap": SwapForm(initial={**initial, "op": "swap"}, roster=roster, blocks=others, prefix="swap"),
        "pin": BlockForm(initial={**initial, "op": "unpin" if block["pinned"] else "pin"}, roster=roster, prefix="pin"),
    }
    if bound is not None:
        if isinstance(bound, MoveForm):
            bound.fields["to_date"].choices = made["move"].fields["to_date"].choices
        elif isinstance(bound, SwapForm):
            bound.fields["other"].choices = made["swap"].fields["other"].choices
        made[bound.prefix] = bound  # type: ignore[index]
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

    def perform(self, form: BlockForm) -> Roster:  # type: ignore[override]
        return services.roster_edit(
            actor=self.request.user,
            roster_obj=self.roster_or_404(),
            expected_version=form.cleaned_data["version"],
            acting_for=self.acting_or_refuse(CHANGE),
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
            self.__dict__.pop("roster", None)
            self.__dict__.pop("grid", None)
            response = self.render_to_response(
                self.get_context_data(
                    flash={
                        "level": "warning",
                        "text": _(
                            "这份排班刚被他人修改（现为第 %(v)d 版），已为您载入最新的排班，请在新排班上重新调整。"
                        )
                        % {"v": self.roster.version},
                    }
                )
            )  # type: ignore[union-attr]
            response.status_code = error.status_code
            return response
        if error.code == "rule_broken" and isinstance(form, BlockForm):
            form.offer_override()
        add_service_error(form, error, self.service_fields)
        return self.form_invalid(form, status=error.status_code)

    def form_valid(self, form: forms.BaseForm, result: Any) -> HttpResponse:
        done = _("已调整，排班现为第 %(v)d 版。") % {"v": result.version}
        if getattr(self.request, "htmx", False):
            self.__dict__.pop("roster", None)
            self.__dict__.pop("grid", None)
            return self.render_to_response(self.get_context_data(flash={"level": "success", "text": done}))
        messages.success(self.request, done)
        return HttpResponseRedirect(month_url(self.unit, self.month), status=303)


class RosterGenerateView(StandsInMixin, MonthPageMixin, FormPageView):
    """Generate (or regenerate) the month: a run a Celery worker solves; the
    page then shows its progress until the roster is there."""

    resource = "generation-runs"
    action = ADD
    http_method_names = ["post"]
    form_class = GenerateForm
    form_slot = "generate_form"

    def perform(self, form: GenerateForm) -> Any:  # type: ignore[override]
        acting_for = self.acting_or_refuse(ADD, "generation-runs")
        run = services.generation_request(
            actor=self.request.user, unit=self.unit, month=self.month, keep_pinned=form.cleaned_data["keep_pinned"]
        )
        self.log_change("create", run, ["unit", "month"], acting_for=acting_for)
        return run

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
        if not request.htmx:
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
    form_class = PublishForm
    form_slot = "publish_form"
    success_message = gettext_lazy("排班已发布，已通知本乡镇干部。")

    def perform(self, form: PublishForm) -> Roster:  # type: ignore[override]
        acting_for = self.acting_or_refuse("publish")
        roster = services.roster_publish(
            actor=self.request.user,
            roster_obj=self.roster_or_404(),
            confirm_provisional=form.cleaned_data["confirm_provisional"],
        )
        self.log_change("update", roster, ["status"], acting_for=acting_for)
        return roster

    def get_success_url(self, roster: Roster) -> str:
        return month_url(self.unit, self.month)


class LockForm(forms.Form):
    pass


class RosterLockView(RosterPublishView):
    """Lock a published roster after its month: the record of rest planned."""

    action = "lock"
    stands_in = False  # the county locks in its own right (the access table's "lock")
    form_class = LockForm
    form_slot = None
    success_message = gettext_lazy("排班已锁定。")

    def perform(self, form: forms.Form) -> Roster:  # type: ignore[override]
        roster = services.roster_lock(actor=self.request.user, roster_obj=self.roster_or_404())
        self.log_change("update", roster, ["status"])
        return roster


# ---------------------------------------------------------------------------
# The notice board: print and xlsx
# ---------------------------------------------------------------------------


class PrintForm(forms.Form):
    phone = forms.CharField(
        label=gettext_lazy("值班电话"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("印在表头，供群众联系；如 0888-5123456。"),
    )
    maker = forms.CharField(label=gettext_lazy("制表人"), required=False, max_length=20)

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not re.fullmatch(r"[0-9][0-9\- ]{4,19}", phone):
            raise forms.ValidationError(_("请填写数字电话号码，可含连字符，如 0888-5123456。"))
        return phone


class RosterPrintView(TownshipMonthMixin, PageView):
    """The roster for the notice board: A4 landscape, readable type, the
    holidays named, each day's duty leader, a contact phone and the sign-off
    lines (制表 / 审核 / 日期)."""

    resource = "rosters"
    template_name = "web/roster/print.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        roster = self.roster_or_404()
        if self.grid is None:
            raise Http404(_("该月的排班没有可行方案，无从打印。"))
        maker = self.request.user.get_full_name() or self.request.user.get_username()
        form = PrintForm(request.GET or None, initial={"maker": maker})
        valid = form.is_valid() if form.is_bound else True
        options = form.cleaned_data if form.is_bound and valid else {"phone": "", "maker": maker}
        context = self.get_context_data(
            form=form,
            unit=self.unit,
            month=self.month,
            roster=roster,
            options=options,
            table=self.grid_table(board=True),
            month_url=month_url(self.unit, self.month),
        )
        return self.render_to_response(context, status=200 if valid else 400)


class RosterXlsxView(TownshipMonthMixin, PageView):
    """The month grid as .xlsx, the API's export (one A4 landscape page)."""

    resource = "rosters"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        roster = self.roster_or_404()
        if self.grid is None:
            raise Http404(_("该月的排班没有可行方案，无从导出。"))
        body = roster_grid_xlsx(self.grid, unit_name=self.unit.name, status_label=roster.get_status_display())
        response = HttpResponse(body, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="roster-{self.unit.code}-{self.month:%Y-%m}.xlsx"'
        return response


# ---------------------------------------------------------------------------
# Finding the month: the township chooser, a roster by id, who is on duty today
# ---------------------------------------------------------------------------


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
            usable = (
                roster is not None
                and roster.current is not None
                and roster.current.solver_status != SolverStatus.INFEASIBLE
            )
            people = selectors.roster_on_duty(roster=roster, date=today) if usable else []
            context.update(
                roster=roster if usable else None,
                people=people,
                leaders=[p for p in people if p["leader"]],
                staff=[p for p in people if not p["leader"]],
                status_label=choice_label(roster.get_status_display()) if usable else "",
                month_url=month_url(unit, today.replace(day=1)),
            )
        return context


urlpatterns = [
    path("roster/", RosterIndexView.as_view(), name="roster"),
    path("roster/today/", OnDutyTodayView.as_view(), name="roster-today"),
    path("roster/r/<int:pk>/", RosterDetailView.as_view(), name="roster-detail"),
    path("roster/<int:unit>/<month:month>/", RosterMonthView.as_view(), name="roster-month"),
    path("roster/<int:unit>/<month:month>/block/", RosterBlockView.as_view(), name="roster-block"),
    path("roster/<int:unit>/<month:month>/edit/", RosterEditView.as_view(), name="roster-edit"),
    path("roster/<int:unit>/<month:month>/generate/", RosterGenerateView.as_view(), name="roster-generate"),
    path("roster/<int:unit>/<month:month>/run/", RosterRunView.as_view(), name="roster-run"),
    path("roster/<int:unit>/<month:month>/publish/", RosterPublishView.as_view(), name="roster-publish"),
    path("roster/<int:unit>/<month:month>/lock/", RosterLockView.as_view(), name="roster-lock"),
    path("roster/<int:unit>/<month:month>/print/", RosterPrintView.as_view(), name="roster-print"),
    path("roster/<int:unit>/<month:month>/xlsx/", RosterXlsxView.as_view(), name="roster-xlsx"),
]
