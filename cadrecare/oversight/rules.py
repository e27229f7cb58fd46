"""Calendar rules of the oversight plans: when a checkpoint of an interview
plan falls, and which period of the visit cadence a day is in. Pure functions."""

from __future__ import annotations

import calendar
import datetime as dt


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def checkpoint_dates(year: int, checkpoints: int) -> list[dt.date]:
    """The days by which a plan checked ``checkpoints`` times a year must have
    reached 1/n, 2/n … of its interviews: the last day of each period."""
    step = 12 // checkpoints
    return [month_end(year, step * k) for k in range(1, checkpoints + 1)]


def visit_periods(today: dt.date, months: int) -> tuple[dt.date, dt.date, dt.date, dt.date]:
    """For a cadence of one visit per ``months`` (calendar periods: year, half
    year, quarter): (previous period's start, its end, current period's start, its end)."""
    first = (today.month - 1) // months * months + 1
    current_start = dt.date(today.year, first, 1)
    current_end = month_end(today.year, first + months - 1)
    previous_end = current_start - dt.timedelta(days=1)
    previous_first = (previous_end.month - 1) // months * months + 1
    return dt.date(previous_end.year, previous_first, 1), previous_end, current_start, current_end
