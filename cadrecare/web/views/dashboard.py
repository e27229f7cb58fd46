"""总览 for the county and city organization departments (the monthly 部务会):
a township x measure table, each cell linking to the list behind it, the
trend of the last 12 months and the table as xlsx.

A county's department sees its townships; a city's sees its counties and
drills into one county's townships (``?unit=<county>``). Every figure comes
from the domain's own scoped selector, grouped by township in one query per
measure, so the page costs the same number of queries for 5 townships or 150
(a test pins it). A county row of the city's table is the sum of its townships.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from cadrecare.care.selectors import care_counts_by_area, visits_by_month
from cadrecare.core import clock
from cadrecare.core.exports import xlsx_response
from cadrecare.core.i18n import choice_label
from cadrecare.health.selectors import checkup_coverage_by_area, checkups_by_month
from cadrecare.org import scoping
from cadrecare.org.choices import UnitKind
from cadrecare.org.models import OrgUnit
from cadrecare.reminders import selectors as reminders
from cadrecare.reminders.choices import ItemState
from cadrecare.reminders.sources import SOURCES, reading_due_items
from cadrecare.rotation.choices import RosterStatus
from cadrecare.rotation.selectors import rest_taken_by_area, roster_states
from cadrecare.talks.selectors import must_talks_by_area, talks_by_month
from cadrecare.web.pages import PageView

TREND_MONTHS = 12
CACHE_SECONDS = 10 * 60
# A township's roster for next month, as the table names it (a locked roster was published).
ROSTER_STATES = (
    ("published", gettext_noop("已发布")),
    ("draft", gettext_noop("草稿")),
    ("infeasible", gettext_noop("无可行方案")),
    ("missing", gettext_noop("未生成")),
)


def month_start(day: dt.date, months: int = 0) -> dt.date:
    """The first day of the month ``months`` after (or before) ``day``'s."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@dataclass
class Measures:
    """The figures of one row: a township, or a county summing its townships."""

    overdue: Counter[str] = field(default_factory=Counter)  # kind -> items overdue
    rosters: Counter[str] = field(default_factory=Counter)  # state of next month's roster -> townships
    rest_taken: int = 0
    rest_entitled: int = 0
    checkup_covered: int = 0
    checkup_total: int = 0
    talks_open: int = 0
    talks_overdue: int = 0
    talks_done: int = 0
    talks_done_on_time: int = 0
    visits_open: int = 0
    visits_overdue: int = 0
    hardship_open: int = 0

    def add(self, other: Measures) -> None:
        for name, value in vars(other).items():
            if isinstance(value, Counter):
                getattr(self, name).update(value)
            else:
                setattr(self, name, getattr(self, name) + value)

    @property
    def overdue_total(self) -> int:
        return sum(self.overdue.values())

    @property
    def rest_percent(self) -> int | None:
        return percent(self.rest_taken, self.rest_entitled)

    @property
    def checkup_percent(self) -> int | None:
        return percent(self.checkup_covered, self.checkup_total)

    @property
    def talks_on_time_percent(self) -> int | None:
        return percent(self.talks_done_on_time, self.talks_done)


def township_measures(
    *, user: Any, root: OrgUnit, townships: list[OrgUnit], today: dt.date, tally: bool = True
) -> tuple[dict[int, Measures], dt.datetime | None]:
    """township id -> its figures, each measure read in one grouped query by
    the selector of its domain (scoped to ``user`` there); and when the
    overdue items were counted, when they come from the tally (None: now).

    The overdue items of the kinds the user sees whole under ``root`` come
    from the tally the ``overdue_tally`` job keeps (every ten minutes):
    counting them live means the due date of every cadre under root, 2–9 s
    for a city. The other kinds (a role seeing only some of a kind's items)
    and a day the job has not counted yet are counted live, and every kind
    without ``tally`` (立即刷新 asks for now)."""
    measures = {township.pk: Measures() for township in townships}
    if not townships:
        return measures, None
    # Townships sit at one depth of the tree (city > county > township): the
    # first characters of a unit path say which township a record belongs to.
    prefix = len(townships[0].path)
    by_path = {township.path: measures[township.pk] for township in townships}

    def at(area: str) -> Measures | None:
        return by_path.get(area)

    overdue: dict[tuple[str, str], int] = {}
    live = set(SOURCES)
    counted_at = None
    kept = reminders.overdue_tally(root=root, today=today) if tally else None
    if kept is not None:
        whole = reminders.kinds_seen_whole(user=user, root=root)
        counted, counted_at = kept
        overdue.update((key, count) for key, count in counted.items() if key[1] in whole)
        live -= whole
    if live:
        where = reminders.due_item_where(today=today, states=[ItemState.OVERDUE], unit=root)
        with reading_due_items():
            overdue.update(
                reminders.due_item_counts_by_area(user=user, today=today, where=where, prefix=prefix, kinds=live)
            )
    for (area, kind), count in overdue.items():
        if (row := at(area)) is not None:
            row.overdue[kind] += count

    states = roster_states(user=user, units=OrgUnit.objects.filter(pk__in=measures), month=month_start(today, 1))
    for township in townships:
        state = states.get(township.pk, "missing")
        measures[township.pk].rosters["published" if state == RosterStatus.LOCKED else state] += 1

    last_month = month_start(today, -1)
    for (area, _month), (taken, entitled) in rest_taken_by_area(
        user=user, root=root, months=(last_month, last_month), prefix=prefix
    ).items():
        if (row := at(area)) is not None:
            row.rest_taken, row.rest_entitled = taken, entitled

    for area, (covered, total) in checkup_coverage_by_area(user=user, root=root, prefix=prefix, today=today).items():
        if (row := at(area)) is not None:
            row.checkup_covered, row.checkup_total = covered, total

    for area, talks in must_talks_by_area(user=user, root=root, prefix=prefix, today=today).items():
        if (row := at(area)) is not None:
            row.talks_open, row.talks_overdue = talks["open"], talks["overdue"]
            row.talks_done, row.talks_done_on_time = talks["done"], talks["done_on_time"]

    for area, care in care_counts_by_area(user=user, root=root, prefix=prefix, today=today).items():
        if (row := at(area)) is not None:
            for name, value in care.items():
                setattr(row, name, value)
    return measures, counted_at


def trend(*, user: Any, root: OrgUnit, today: dt.date) -> dict[str, Any]:
    """The last 12 months under ``root``: talks held, visits made and check-ups
    recorded per month, and the share of entitled rest days taken."""
    months = [month_start(today, offset) for offset in range(1 - TREND_MONTHS, 1)]
    since = months[0]
    talks = talks_by_month(user=user, root=root, since=since)
    visits = visits_by_month(user=user, root=root, since=since)
    checkups = checkups_by_month(user=user, root=root, since=since)
    rest: dict[dt.date, list[int]] = {month: [0, 0] for month in months}
    for (_area, month), (taken, entitled) in rest_taken_by_area(
        user=user, root=root, months=(since, months[-1]), prefix=len(root.path)
    ).items():
        rest[month][0] += taken
        rest[month][1] += entitled
    return {
        "months": [f"{month:%Y-%m}" for month in months],
        "series": [
            {"name": _("谈话"), "data": [talks.get(month, 0) for month in months]},
            {"name": _("走访"), "data": [visits.get(month, 0) for month in months]},
            {"name": _("体检"), "data": [checkups.get(month, 0) for month in months]},
        ],
        "rest": {"name": _("休息落实率（%）"), "data": [percent(*rest[month]) for month in months]},
    }


class DashboardView(PageView):
    """总览: the table of the department's townships (or the city's counties)."""

    resource = "dashboard"
    template_name = "web/dashboard/index.html"

    @cached_property
    def root(self) -> OrgUnit:
        """The unit the table is of: ``?unit=`` (a county or city in scope), else
        the highest county or city the user's grants reach."""
        units = scoping.scoped(
            OrgUnit.objects.filter(kind__in=(UnitKind.CITY, UnitKind.COUNTY), active=True),
            self.request.user,
            self.resource,
        ).order_by("path")
        wanted = self.request.GET.get("unit")
        if wanted:
            unit = units.filter(pk=wanted).first() if wanted.isdecimal() else None
            if unit is None:
                raise Http404(_("没有这个县（区）或市。"))
            return unit
        unit = units.first()
        if unit is None:
            raise Http404(_("您的授权不在县（区）或市一级。"))
        return unit

    @cached_property
    def townships(self) -> list[OrgUnit]:
        return list(
            OrgUnit.objects.filter(kind=UnitKind.TOWNSHIP, active=True, path__startswith=self.root.path).order_by(
                "path"
            )
        )

    @cached_property
    def figures(self) -> dict[str, Any]:
        """Every township's measures and the trend, kept for ``CACHE_SECONDS``
        per user, unit, day and language (``?refresh=1`` recomputes, the
        overdue items from the job's tally; ``?refresh=now``, the 立即刷新 link,
        counts them too): the figures are read for a monthly meeting, and a
        city's whole union of due items takes seconds; the lists behind the
        cells are always live."""
        user, root, today = self.request.user, self.root, clock.today()
        key = f"web:dashboard:{user.pk}:{root.pk}:{today.isoformat()}:{get_language()}"
        refresh = self.request.GET.get("refresh")
        figures = None if refresh else cache.get(key)
        if figures is None or set(figures["measures"]) != {township.pk for township in self.townships}:
            measures, counted_at = township_measures(
                user=user, root=root, townships=self.townships, today=today, tally=refresh != "now"
            )
            figures = {
                "measures": measures,
                "trend": trend(user=user, root=root, today=today),
                # The oldest figure's time: the overdue items' count when the tally gave it.
                "as_of": timezone.localtime(min(counted_at, clock.now()) if counted_at else None),
            }
            cache.set(key, figures, CACHE_SECONDS)
        return figures

    def table(self) -> dict[str, Any]:
        """The rows (townships, or counties each summing theirs) and the kinds of overdue items seen."""
        root, today, townships = self.root, clock.today(), self.townships
        measures = self.figures["measures"]
        if root.kind == UnitKind.CITY:
            counties = list(OrgUnit.objects.filter(kind=UnitKind.COUNTY, active=True, parent=root).order_by("path"))
            sums = {county.pk: Measures() for county in counties}
            for township in townships:
                if township.parent_id in sums:  # a township sits right under its county
                    sums[township.parent_id].add(measures[township.pk])
            rows = [self.row(county, sums[county.pk], today) for county in counties]
        else:
            rows = [self.row(township, measures[township.pk], today) for township in townships]
        total = Measures()
        for township in townships:
            total.add(measures[township.pk])
        kinds = [kind for kind in SOURCES if total.overdue[kind]]
        for row in rows:
            row["overdue_kinds"] = [
                {
                    "kind": kind,
                    "label": choice_label(SOURCES[kind].label),
                    "count": row["measures"].overdue[kind],
                    "url": self.items_url(row["unit"], state="overdue", kind=kind),
                }
                for kind in kinds
            ]
        return {
            "rows": rows,
            "total": total,
            "kinds": kinds,
            "townships": len(townships),
            "today": today,
            "next_month": month_start(today, 1),
            "last_month": month_start(today, -1),
        }

    def row(self, unit: OrgUnit, measures: Measures, today: dt.date) -> dict[str, Any]:
        township = unit.kind == UnitKind.TOWNSHIP
        links = {
            "unit": reverse("web:dashboard") + "?" + urlencode({"unit": unit.pk}) if not township else None,
            "overdue": self.items_url(unit, state="overdue"),
            "checkups": self.items_url(unit, kind="checkup"),
            "talks_open": self.items_url(unit, kind="talk_trigger"),
            "talks_overdue": self.items_url(unit, kind="talk_trigger", state="overdue"),
            "visits_open": self.items_url(unit, kind="visit_obligation"),
            "visits_overdue": self.items_url(unit, kind="visit_obligation", state="overdue"),
            "hardship": self.items_url(unit, kind="hardship_review"),
        }
        if township:
            links["roster"] = reverse("web:roster-month", kwargs={"unit": unit.pk, "month": month_start(today, 1)})
            links["rest"] = reverse("web:roster-month", kwargs={"unit": unit.pk, "month": month_start(today, -1)})
        roster = [
            {"state": state, "label": _(label), "count": measures.rosters[state]}
            for state, label in ROSTER_STATES
            if measures.rosters[state]
        ]
        return {"unit": unit, "measures": measures, "links": links, "roster": roster, "township": township}

    @cached_property
    def items_path(self) -> str:
        return reverse("web:due-items")  # once: a city's table links a thousand cells to it

    def items_url(self, unit: OrgUnit, **filters: str) -> str:
        return self.items_path + "?" + urlencode({"unit": unit.pk, "within": "all", **filters})

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        months = self.figures["trend"]
        rows = [
            (month, [series["data"][index] for series in months["series"]], months["rest"]["data"][index])
            for index, month in enumerate(months["months"])
        ]
        context.update(
            self.table(),
            root=self.root,
            trend=months,
            trend_rows=rows,
            as_of=self.figures["as_of"],
            refresh_url=reverse("web:dashboard") + "?" + urlencode({"unit": self.root.pk, "refresh": "now"}),
        )
        parent = self.root.parent if self.root.kind == UnitKind.COUNTY else None
        if parent is not None and scoping.may_in_unit(self.request.user, self.resource, "view", parent):
            context["up"] = reverse("web:dashboard") + "?" + urlencode({"unit": parent.pk})
        return context


class DashboardXlsxView(DashboardView):
    """The table as an .xlsx workbook (the project's one xlsx writer)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        table = self.table()
        columns = [
            ("unit", _("单位")),
            ("overdue", _("逾期事项")),
            *[
                (f"overdue:{kind}", _("逾期：%(kind)s") % {"kind": choice_label(SOURCES[kind].label)})
                for kind in table["kinds"]
            ],
            *[(f"roster:{state}", _("下月排班：%(state)s") % {"state": _(label)}) for state, label in ROSTER_STATES],
            ("rest_taken", _("上月已休天数")),
            ("rest_entitled", _("上月应休天数")),
            ("checkup_percent", _("体检覆盖率（%）")),
            ("talks_open", _("必谈未办")),
            ("talks_overdue", _("必谈逾期")),
            ("talks_on_time", _("必谈按时办结率（%）")),
            ("visits_open", _("走访待办")),
            ("visits_overdue", _("走访逾期")),
            ("hardship_open", _("困难帮扶在办")),
        ]
        rows = []
        for row in [*table["rows"], {"unit": None, "measures": table["total"]}]:
            measures: Measures = row["measures"]
            rows.append(
                {
                    "unit": row["unit"].name if row["unit"] else _("合计"),
                    "overdue": measures.overdue_total,
                    **{f"overdue:{kind}": measures.overdue[kind] for kind in table["kinds"]},
                    **{f"roster:{state}": measures.rosters[state] for state, _label in ROSTER_STATES},
                    "rest_taken": measures.rest_taken,
                    "rest_entitled": measures.rest_entitled,
                    "checkup_percent": measures.checkup_percent,
                    "talks_open": measures.talks_open,
                    "talks_overdue": measures.talks_overdue,
                    "talks_on_time": measures.talks_on_time_percent,
                    "visits_open": measures.visits_open,
                    "visits_overdue": measures.visits_overdue,
                    "hardship_open": measures.hardship_open,
                }
            )
        return xlsx_response(title=_("总览"), filename=f"dashboard-{self.root.code}", columns=columns, rows=rows)


urlpatterns = [
    path("dashboard/", DashboardView.as_view(), name="dashboard"),
    path("dashboard/xlsx/", DashboardXlsxView.as_view(), name="dashboard-xlsx"),
]
