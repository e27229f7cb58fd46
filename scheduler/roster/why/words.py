"""Days, spans and numbers as the sentences write them, in Chinese and English."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from fractions import Fraction

from ..periods import Month, runs


def _day_sets(month: Month, rest: Mapping[str, Iterable[dt.date]]) -> dict[str, frozenset[int]]:
    here = (month.problem.year, month.problem.month)
    return {c.id: frozenset(d.day for d in rest.get(c.id, ()) if (d.year, d.month) == here) for c in month.cadres}


def _zh_day(date: dt.date) -> str:
    return f"{date.month}月{date.day}日"


def _en_day(date: dt.date) -> str:
    return f"{calendar.month_abbr[date.month]} {date.day}"


def _zh_span(month: Month, a: int, b: int) -> str:
    return f"{month.problem.month}月{a}日" + (f"至{b}日" if b > a else "")


def _en_span(month: Month, a: int, b: int) -> str:
    return f"{calendar.month_abbr[month.problem.month]} {a}" + (f"-{b}" if b > a else "")


def _zh_days(month: Month, days: Iterable[int]) -> str:
    return "、".join(_zh_span(month, a, b) for a, b in runs(days))


def _en_days(month: Month, days: Iterable[int]) -> str:
    return ", ".join(_en_span(month, a, b) for a, b in runs(days))


def _num(value: int | Fraction) -> str:
    """2, 2.5 or 2.33: as a person writes a number."""
    if isinstance(value, Fraction) and value.denominator != 1:
        return f"{float(value):.2f}".rstrip("0").rstrip(".")
    return str(int(value))


def _percent(ratio: Fraction) -> str:
    return f"{float(ratio) * 100:.0f}%" if (ratio * 100).denominator == 1 else f"{float(ratio) * 100:.1f}%"


def _shape(month: Month) -> tuple[str, str]:
    """Rule 2 in the township's mode, in words."""
    if month.mode == "weekly":
        return (
            "每段 2 天，每个周一至周日最多开始一段，两段之间至少隔一个工作日",
            "blocks of 2 days, at most one starting in each Monday-Sunday week, a working day between two",
        )
    if month.mode == "half_month":
        return (
            "每段 4 天，1 日至 15 日、16 日至月底各最多一段，不能跨过 15 日",
            "blocks of 4 days, at most one in days 1-15 and one in days 16-end, none across the 15th",
        )
    return "整月的休息连成一段", "the month's rest in one block"
