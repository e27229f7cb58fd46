"""Months and days as the roster's pages name and address them: the ``month``
path converter, the neighbouring months, "1月9日（六）" and a month page's URL."""

from __future__ import annotations

import datetime as dt

from django.urls import register_converter, reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from cadrecare.org.models import OrgUnit

WEEKDAYS = (
    pgettext_lazy("weekday", "一"),
    pgettext_lazy("weekday", "二"),
    pgettext_lazy("weekday", "三"),
    pgettext_lazy("weekday", "四"),
    pgettext_lazy("weekday", "五"),
    pgettext_lazy("weekday", "六"),
    pgettext_lazy("weekday", "日"),
)


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
