"""The month grid as ready HTML: a row per cadre, a cell per day, formatted
once per grid and kept (``TownshipMonthMixin.grid_table``)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cadrecare.rotation.choices import DayKind, DayType
from cadrecare.web.views.roster.dates import WEEKDAYS, day_label, span_label


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
                block, opens = starts[dt.date.fromisoformat(dates[index]["date"])]
                href = f"{block_url}?cadre={cadre['id']}&date={block['start']}" if block_url else ""
                label = (
                    _("%(name)s %(span)s休息")
                    % {
                        "name": cadre["name"],
                        "span": span_label(dt.date.fromisoformat(block["start"]), dt.date.fromisoformat(block["end"])),
                    }
                    if opens
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
        note: str = escape(_("休%(n)s") % {"n": row["rest_days"]})
        if entitled is not None and entitled != row["rest_days"]:
            note += escape(_("（应休%(n)s）") % {"n": entitled})
        if row["office"]:
            note += f" · {escape(row['office'])}"
        parts.append(
            f'<tr><th scope="row" class="g-name"><span class="g-who">{escape(row["name"])}'
            f"{lead if row['leader'] else ''}</span><small>{note}</small></th>{row['cells_html']}</tr>\n          "
        )
    return mark_safe("".join(parts))  # noqa: S308 - every part escaped above
