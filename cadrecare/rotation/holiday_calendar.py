"""Public holidays and makeup workdays (调休): seeded from maintained packages,
corrected from the State Council's notice, owned by the database.

docs/rotation.md, holiday calendar: both ``holidays`` and ``chinese_calendar`` carry the
official arrangement up to 2026 and agree on every day; neither knows 2027
(``holidays`` silently guesses, ``chinese_calendar`` refuses). A year is
*official* when loaded from the notice, or when both packages know it and
agree on every day; otherwise it is *provisional*, rosters in it say so and
publishing one needs confirmation. Loading or correcting a year from the
notice, with its preview and what it does to rosters, is
``cadrecare.rotation.holiday_corrections``.
"""

from __future__ import annotations

import calendar as std_calendar
import csv
import datetime as dt
import hashlib
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import chinese_calendar
import holidays
from django.db import IntegrityError, transaction
from django.utils.translation import gettext, gettext_noop

from cadrecare.core.errors import DomainError
from cadrecare.org.models import User
from cadrecare.rotation.choices import CalendarStatus, DayType, HolidayKind
from cadrecare.rotation.models import HolidayDay, HolidayYear

#: Monday to Friday, the days a makeup workday may not fall on.
WEEKDAYS = (
    gettext_noop("星期一"),
    gettext_noop("星期二"),
    gettext_noop("星期三"),
    gettext_noop("星期四"),
    gettext_noop("星期五"),
)
SEED_SOURCE = f"软件包 holidays {holidays.__version__} 与 chinese_calendar {chinese_calendar.__version__} 交叉核对"
#: A makeup workday belongs to a holiday block: the State Council never moves
#: a working day further than two weeks from the break it pays for.
MAKEUP_REACH_DAYS = 14
MIN_YEAR, MAX_YEAR = 2000, 2100
KIND_ALIASES = {
    HolidayKind.HOLIDAY.value: HolidayKind.HOLIDAY,
    HolidayKind.HOLIDAY.label: HolidayKind.HOLIDAY,
    "休": HolidayKind.HOLIDAY,
    HolidayKind.MAKEUP_WORKDAY.value: HolidayKind.MAKEUP_WORKDAY,
    HolidayKind.MAKEUP_WORKDAY.label: HolidayKind.MAKEUP_WORKDAY,
    "班": HolidayKind.MAKEUP_WORKDAY,
}


@dataclass(frozen=True)
class DayRow:
    """One line of a year's arrangement: a holiday or a makeup workday."""

    date: dt.date
    kind: str
    name: str = ""


# ---------------------------------------------------------------------------
# What the packages say
# ---------------------------------------------------------------------------


def package_year(year: int) -> tuple[list[DayRow], bool]:
    """The year's arrangement from ``holidays`` (zh_CN names), and whether
    ``chinese_calendar`` knows the year and agrees on every single day."""
    china = holidays.China(years=year, language="zh_CN")
    rows = [DayRow(day, HolidayKind.HOLIDAY, name) for day, name in sorted(china.items()) if day.year == year]
    rows += [
        DayRow(day, HolidayKind.MAKEUP_WORKDAY, "调休上班")
        for day in sorted(china.weekend_workdays)
        if day.year == year
    ]
    rows.sort(key=lambda row: row.date)
    try:
        agree = all(chinese_calendar.is_workday(day) == china.is_working_day(day) for day in _days_of_year(year))
    except NotImplementedError:  # chinese_calendar has no data for the year: nobody official does
        agree = False
    return rows, agree


def _days_of_year(year: int) -> Iterable[dt.date]:
    day = dt.date(year, 1, 1)
    while day.year == year:
        yield day
        day += dt.timedelta(days=1)


# ---------------------------------------------------------------------------
# Validation and checksum of an arrangement
# ---------------------------------------------------------------------------


def holiday_rows_validate(year: int, rows: Sequence[DayRow]) -> None:
    """The notice's rules (docs/rotation.md, holiday calendar): every date inside the year and
    listed once, makeup workdays only on a Saturday or Sunday and within two
    weeks of a holiday, at least one holiday."""
    errors: list[dict[str, str]] = []
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DomainError(
            gettext("年份须在 %(MIN_YEAR)s 至 %(MAX_YEAR)s 之间。") % {"MIN_YEAR": MIN_YEAR, "MAX_YEAR": MAX_YEAR},
            field="year",
        )
    seen: set[dt.date] = set()
    holiday_dates = [row.date for row in rows if row.kind == HolidayKind.HOLIDAY]
    for index, row in enumerate(rows):
        where = f"rows[{index}]"
        if row.date.year != year:
            errors.append(
                {
                    "field": f"{where}.date",
                    "message": gettext("%(date)s 不在 %(year)s 年内。") % {"date": row.date, "year": year},
                }
            )
        if row.date in seen:
            errors.append({"field": f"{where}.date", "message": gettext("%(date)s 重复出现。") % {"date": row.date}})
        seen.add(row.date)
        if row.kind == HolidayKind.MAKEUP_WORKDAY:
            if row.date.weekday() < 5:
                weekday = gettext(WEEKDAYS[row.date.weekday()])
                errors.append(
                    {
                        "field": f"{where}.kind",
                        "message": gettext("%(date)s 是%(weekday)s，调休上班日只能在星期六或星期日。")
                        % {"date": row.date, "weekday": weekday},
                    }
                )
            elif not any(abs((row.date - day).days) <= MAKEUP_REACH_DAYS for day in holiday_dates):
                errors.append(
                    {
                        "field": f"{where}.date",
                        "message": gettext("调休上班日 %(date)s 前后 %(MAKEUP_REACH_DAYS)s 天内没有法定节假日。")
                        % {"date": row.date, "MAKEUP_REACH_DAYS": MAKEUP_REACH_DAYS},
                    }
                )
    if not holiday_dates:
        errors.append({"field": "rows", "message": gettext("至少需要一个法定节假日。")})
    if errors:
        raise DomainError(errors[0]["message"], errors=errors)


def holiday_rows_checksum(rows: Iterable[DayRow], source_ref: str) -> str:
    """SHA-256 of the canonical text of the arrangement and its source: the
    same notice loaded twice has the same checksum (re-import is a no-op)."""
    lines = [f"{row.date.isoformat()},{row.kind},{row.name}" for row in sorted(rows, key=lambda r: r.date)]
    return hashlib.sha256("\n".join([source_ref.strip(), *lines]).encode()).hexdigest()


def holiday_csv_parse(text: str) -> list[DayRow]:
    """CSV rows ``date,kind,name`` (a header line is allowed; kind as code or
    Chinese label); a malformed row is a 400 naming the line."""
    rows: list[DayRow] = []
    errors: list[dict[str, str]] = []
    for number, record in enumerate(csv.reader(io.StringIO(text.lstrip("\ufeff"))), start=1):
        if not record or all(not cell.strip() for cell in record) or record[0].strip().startswith("#"):
            continue
        if number == 1 and record[0].strip().lower() in ("date", "日期"):
            continue
        where = f"line {number}"
        if len(record) < 2:
            errors.append(
                {"field": where, "message": gettext("第 %(number)s 行应为“日期,类型,名称”。") % {"number": number}}
            )
            continue
        try:
            day = dt.date.fromisoformat(record[0].strip())
        except ValueError:
            errors.append(
                {
                    "field": where,
                    "message": gettext("第 %(number)s 行的日期“%(text)s”无法识别。")
                    % {"number": number, "text": record[0].strip()},
                }
            )
            continue
        kind = KIND_ALIASES.get(record[1].strip())
        if kind is None:
            message = gettext("第 %(number)s 行的类型应为 holiday（法定节假日）或 makeup_workday（调休上班日）。") % {
                "number": number
            }
            errors.append({"field": where, "message": message})
            continue
        rows.append(DayRow(day, kind, record[2].strip()[:100] if len(record) > 2 else ""))
    if errors:
        raise DomainError(errors[0]["message"], errors=errors)
    return rows


# ---------------------------------------------------------------------------
# Writes
# ---------------------------------------------------------------------------


def holiday_year_seed(year: int) -> HolidayYear:
    """The year as the packages have it, unless it is already in the database
    (a loaded notice is never overwritten by a package guess)."""
    existing = HolidayYear.objects.filter(year=year).first()
    if existing is not None:
        return existing
    rows, agree = package_year(year)
    status = CalendarStatus.OFFICIAL if agree else CalendarStatus.PROVISIONAL
    try:
        with transaction.atomic():
            return holiday_days_replace(
                year,
                rows,
                status=status,
                source_ref=SEED_SOURCE,
                checksum=holiday_rows_checksum(rows, SEED_SOURCE),
                actor=None,
            )
    except IntegrityError:  # seeded at the same moment by another worker
        return HolidayYear.objects.get(year=year)


def holiday_days_replace(
    year: int, rows: Sequence[DayRow], *, status: str, source_ref: str, checksum: str, actor: User | None
) -> HolidayYear:
    """The year's record and days become ``rows`` (inside the caller's transaction)."""
    holiday_year, _ = HolidayYear.objects.update_or_create(
        year=year,
        defaults={
            "status": status,
            "source_ref": source_ref,
            "checksum": checksum,
            "loaded_by": actor if actor is not None and actor.is_authenticated else None,
        },
    )
    HolidayDay.objects.filter(year=holiday_year).delete()
    HolidayDay.objects.bulk_create(
        HolidayDay(year=holiday_year, date=row.date, kind=row.kind, name=row.name) for row in rows
    )
    return holiday_year


# ---------------------------------------------------------------------------
# Reads
# ---------------------------------------------------------------------------

#: The good days to rest: weekends and holidays, less makeup workdays.
DESIRABLE_TYPES = frozenset({DayType.WEEKEND, DayType.HOLIDAY})


def day_type(day: dt.date, kind: str | None) -> DayType:
    """What ``day`` is, given its ``HolidayKind`` in the arrangement (None when not listed)."""
    if kind is not None:
        return DayType(kind)
    return DayType.WEEKEND if day.weekday() >= 5 else DayType.WORKDAY


def month_days(month: dt.date) -> list[dt.date]:
    """Every date of the month whose first day is ``month``."""
    ndays = std_calendar.monthrange(month.year, month.month)[1]
    return [month + dt.timedelta(days=offset) for offset in range(ndays)]


def desirable_days(month: dt.date, kinds: Mapping[dt.date, str]) -> tuple[dt.date, ...]:
    """Desirable days of a month = weekends + holidays − makeup workdays,
    given the arrangement's ``HolidayKind`` by date."""
    return tuple(day for day in month_days(month) if day_type(day, kinds.get(day)) in DESIRABLE_TYPES)


@dataclass(frozen=True)
class MonthCalendar:
    """A month's good days to rest and whether they rest on an official notice."""

    year: int
    month: int
    desirable: tuple[dt.date, ...]
    holidays: tuple[dt.date, ...]
    makeup_workdays: tuple[dt.date, ...]
    provisional: bool
    #: The arrangement's name of each listed date (元旦, 春节, 调休上班 ...), for people to read.
    names: tuple[tuple[dt.date, str], ...] = ()


def month_calendar(year: int, month: int) -> MonthCalendar:
    """Desirable days of a month = weekends + holidays − makeup workdays
    ; the year is seeded from the packages on first use."""
    holiday_year = holiday_year_seed(year)
    dates = month_days(dt.date(year, month, 1))
    listed = HolidayDay.objects.filter(date__range=(dates[0], dates[-1])).order_by("date")
    rows = list(listed.values_list("date", "kind", "name"))
    kinds = {day: kind for day, kind, _ in rows}
    holiday_dates = {day for day, kind in kinds.items() if kind == HolidayKind.HOLIDAY}
    makeup = {day for day, kind in kinds.items() if kind == HolidayKind.MAKEUP_WORKDAY}
    return MonthCalendar(
        year,
        month,
        desirable_days(dates[0], kinds),
        tuple(sorted(holiday_dates)),
        tuple(sorted(makeup)),
        provisional=holiday_year.status != CalendarStatus.OFFICIAL,
        names=tuple((day, name) for day, _, name in rows),
    )
