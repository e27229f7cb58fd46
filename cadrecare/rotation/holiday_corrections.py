"""Loading or correcting a year's holidays from the State Council's notice,
previewed first ("an API, admin screen and management command to load
or correct a year's official arrangement ... with validation").

A notice loaded over a provisional year, or correcting an official one, can
change the kind of dates that rosters were planned on: a Saturday becomes a
makeup workday, a weekday becomes a holiday. ``holiday_year_preview`` says,
writing nothing, what the notice would change (``YearDiff``) and which rosters
plan on the changed dates (``RosterImpact``); ``holiday_year_load`` applies it,
in one transaction with what follows for the rosters.

What a township secretary gets when a notice is applied:

- Every roster of the year stops saying its calendar is provisional: the year
  is official now (``Roster.provisional_calendar`` cleared).
- A draft or published roster whose month has a changed date is flagged
  (``Roster.calendar_changed_at``) and each secretary of its unit gets an
  in-app notice (the reminders inbox and daily digest, as publishing uses)
  naming the changed dates, who rests on a date that stops being a good day to
  rest, and how the fairness of desirable days moves. A draft should be
  generated again before publishing; the new version is solved on the new
  calendar and clears the flag. A published roster is not changed behind the
  cadres' backs: its rest days still meet every hard rule (the calendar only
  decides which days count as desirable), so the secretary decides whom to
  tell; the cadres get no notice of their own, since their days did not move.
- A locked roster (a month that is over) is listed by the preview, never flagged.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest
from django.utils.translation import gettext as _

from cadrecare.audit.services import Access, audit_log
from cadrecare.core import clock
from cadrecare.core.errors import DomainError, ForbiddenError
from cadrecare.org.choices import Role, UnitKind
from cadrecare.org.models import OrgUnit, RoleGrant, User
from cadrecare.org.scoping import grants_of, scoped
from cadrecare.rotation.choices import CalendarStatus, DayKind, DayType, HolidayKind, RosterStatus
from cadrecare.rotation.holiday_calendar import (
    DESIRABLE_TYPES,
    DayRow,
    day_type,
    desirable_days,
    holiday_days_replace,
    holiday_rows_checksum,
    holiday_rows_validate,
)
from cadrecare.rotation.models import HolidayDay, HolidayYear, Roster, RosterDay
from cadrecare.rotation.problem import problem_from_stored
from cadrecare.rotation.services import notices_send
from scheduler import roster as solver

RESOURCE = "holiday-years"
CALENDAR_NOTICE_KIND = "roster_calendar_changed"
#: A locked roster is the record of a month that is over: listed, not flagged.
FLAGGED_STATUSES = (RosterStatus.DRAFT, RosterStatus.PUBLISHED)
NAMES_PER_DATE = 10
WEEKDAYS = "一二三四五六日"


def _day_label(day: dt.date) -> str:
    return f"{day.month}月{day.day}日（星期{WEEKDAYS[day.weekday()]}）"


# ---------------------------------------------------------------------------
# The diff of an arrangement against the one in the database
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DateChange:
    """A date whose kind the notice changes, e.g. a Saturday made a makeup workday."""

    date: dt.date
    before: DayType
    after: DayType
    name_before: str = ""
    name_after: str = ""

    @property
    def desirable_before(self) -> bool:
        return self.before in DESIRABLE_TYPES

    @property
    def desirable_after(self) -> bool:
        return self.after in DESIRABLE_TYPES

    def describe(self) -> str:
        after = self.after.label + (f"（{self.name_after}）" if self.name_after else "")
        return f"{_day_label(self.date)}由{self.before.label}改为{after}"


@dataclass(frozen=True)
class Renamed:
    """A listed date that keeps its kind under a new name."""

    date: dt.date
    kind: str
    name_before: str
    name_after: str


@dataclass(frozen=True)
class YearDiff:
    """What a notice changes in a year: the rows added and removed by kind,
    the renamed ones, and every date whose kind changes (``changes``)."""

    holidays_added: tuple[DayRow, ...]
    holidays_removed: tuple[DayRow, ...]
    makeup_workdays_added: tuple[DayRow, ...]
    makeup_workdays_removed: tuple[DayRow, ...]
    renamed: tuple[Renamed, ...]
    changes: tuple[DateChange, ...]

    def titled(self) -> list[tuple[str, tuple[DayRow, ...]]]:
        """The rows added and removed that are not empty, each list with its title."""
        return [
            (title, rows)
            for title, rows in (
                ("新增法定节假日", self.holidays_added),
                ("取消法定节假日", self.holidays_removed),
                ("新增调休上班日", self.makeup_workdays_added),
                ("取消调休上班日", self.makeup_workdays_removed),
            )
            if rows
        ]


def holiday_year_diff(year: int, rows: Sequence[DayRow]) -> YearDiff:
    """``rows`` against the year's arrangement in the database (none yet: everything is added)."""
    before = {
        day: DayRow(day, kind, name)
        for day, kind, name in HolidayDay.objects.filter(year__year=year).values_list("date", "kind", "name")
    }
    after = {row.date: row for row in rows}

    def only_in(side: Mapping[dt.date, DayRow], other: Mapping[dt.date, DayRow], kind: str) -> tuple[DayRow, ...]:
        return tuple(
            sorted(
                (
                    row
                    for day, row in side.items()
                    if row.kind == kind and getattr(other.get(day), "kind", None) != kind
                ),
                key=lambda row: row.date,
            )
        )

    changes: list[DateChange] = []
    renamed: list[Renamed] = []
    for day in sorted(before.keys() | after.keys()):
        old, new = before.get(day), after.get(day)
        was, becomes = day_type(day, old.kind if old else None), day_type(day, new.kind if new else None)
        if was != becomes:
            changes.append(DateChange(day, was, becomes, old.name if old else "", new.name if new else ""))
        elif old and new and old.name != new.name:
            renamed.append(Renamed(day, new.kind, old.name, new.name))
    return YearDiff(
        holidays_added=only_in(after, before, HolidayKind.HOLIDAY),
        holidays_removed=only_in(before, after, HolidayKind.HOLIDAY),
        makeup_workdays_added=only_in(after, before, HolidayKind.MAKEUP_WORKDAY),
        makeup_workdays_removed=only_in(before, after, HolidayKind.MAKEUP_WORKDAY),
        renamed=tuple(renamed),
        changes=tuple(changes),
    )


# ---------------------------------------------------------------------------
# The rosters a diff reaches
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterImpact:
    """A roster whose month has a changed date: how many planned rest days fall
    on changed dates, and the fairness of desirable days (docs/roster-format.md
    quality 2) as planned and on the new calendar (None without a solution)."""

    roster_id: int
    unit_id: int
    unit_name: str
    month: dt.date
    status: str
    provisional_calendar: bool
    version_id: int | None
    changed_dates: tuple[dt.date, ...]
    rest_days_on_changed_dates: int
    rest_days_losing_desirable: int  # rest planned on a date that stops being a good day to rest
    rest_days_gaining_desirable: int
    fairness_spread_before: float | None
    fairness_spread_after: float | None

    @property
    def metrics_change(self) -> bool:
        return self.fairness_spread_before != self.fairness_spread_after


def _fairness(problem: solver.Problem, rest: Mapping[str, Sequence[dt.date]]) -> float:
    return round(float(solver.check(solver.month_of(problem), rest).metrics.fairness_spread), 6)


def _fairness_before_after(
    problem_doc: Mapping | None, solution_doc: Mapping | None, desirable_after: tuple[dt.date, ...]
) -> tuple[float | None, float | None]:
    rest_doc = (solution_doc or {}).get("rest")
    if not problem_doc or not rest_doc:  # no version yet, or infeasible: nothing planned
        return None, None
    try:
        problem = problem_from_stored(problem_doc)
    except solver.ProblemError:
        return None, None
    rest = {cadre: [dt.date.fromisoformat(day) for day in days] for cadre, days in rest_doc.items()}
    return _fairness(problem, rest), _fairness(replace(problem, desirable=desirable_after), rest)


def rosters_affected(diff: YearDiff, after: Sequence[DayRow], *, user: User | None) -> tuple[list[RosterImpact], int]:
    """Rosters (draft, published, locked) whose month has a date the diff
    changes, those ``user`` may see (everyone's for None), in month and unit
    order; and how many more there are outside the user's scope."""
    changes = {change.date: change for change in diff.changes}
    months = sorted({day.replace(day=1) for day in changes})
    if not months:
        return [], 0
    everything = Roster.objects.filter(month__in=months)
    visible = everything if user is None else scoped(everything, user, "rosters")
    rows = list(
        visible.order_by("month", "unit__path").values_list(
            "pk", "unit_id", "unit__name", "month", "status", "provisional_calendar", "current_id"
        )
    )
    resting: dict[tuple[int, dt.date], int] = {
        (version_id, day): count
        for version_id, day, count in RosterDay.objects.filter(
            version_id__in=[row[-1] for row in rows if row[-1]],
            kind=DayKind.REST,
            date__in=list(changes),
        )
        .order_by()
        .values_list("version_id", "date")
        .annotate(count=Count("id"))
    }
    kinds = {row.date: row.kind for row in after}
    desirable_after = {month: desirable_days(month, kinds) for month in months}
    fairness = {
        pk: _fairness_before_after(problem, solution, desirable_after[month])
        for pk, month, problem, solution in Roster.objects.filter(
            pk__in=[row[0] for row in rows],
            current__isnull=False,
        )
        .values_list("pk", "month", "current__problem", "current__solution")
        .iterator(chunk_size=200)
    }
    impacts = []
    for pk, unit_id, unit_name, month, status, provisional, version_id in rows:
        dates = tuple(day for day in changes if day.replace(day=1) == month)
        on = {day: resting.get((version_id, day), 0) for day in dates}
        before, after_spread = fairness.get(pk, (None, None))
        impacts.append(
            RosterImpact(
                roster_id=pk,
                unit_id=unit_id,
                unit_name=unit_name,
                month=month,
                status=status,
                provisional_calendar=provisional,
                version_id=version_id,
                changed_dates=dates,
                rest_days_on_changed_dates=sum(on.values()),
                rest_days_losing_desirable=sum(
                    n for day, n in on.items() if changes[day].desirable_before and not changes[day].desirable_after
                ),
                rest_days_gaining_desirable=sum(
                    n for day, n in on.items() if changes[day].desirable_after and not changes[day].desirable_before
                ),
                fairness_spread_before=before,
                fairness_spread_after=after_spread,
            )
        )
    outside = 0 if user is None else everything.count() - len(rows)
    return impacts, outside


# ---------------------------------------------------------------------------
# Preview and load
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticePreview:
    """What loading a notice would do, computed without writing anything."""

    year: int
    source_ref: str
    status_before: str | None  # None: the year is not in the database yet
    unchanged: bool  # this very notice is loaded already: loading it again changes nothing
    diff: YearDiff
    rosters: tuple[RosterImpact, ...]
    rosters_outside_scope: int
    provisional_rosters: int  # rosters of the year that stop saying their calendar is provisional


def may_load_holidays(user: User) -> bool:
    """The national calendar is loaded by a superuser or a city's org admin."""
    if user.is_superuser:
        return True
    city_ids = [grant.unit_id for grant in grants_of(user) if grant.role == Role.ORG_ADMIN]
    return OrgUnit.objects.filter(pk__in=city_ids).filter(kind=UnitKind.CITY).exists()


def _notice_checked(actor: User | None, year: int, rows: Sequence[DayRow], source_ref: str) -> str:
    """Who may load, and the notice's rules; returns the source reference trimmed."""
    if actor is not None and not may_load_holidays(actor):
        raise ForbiddenError(_("只有市级组织部管理员可以导入节假日安排。"))
    source_ref = source_ref.strip()
    if not source_ref:
        raise DomainError(_("请填写国务院办公厅通知的文号或网址。"), field="source_ref")
    holiday_rows_validate(year, rows)
    return source_ref


def _preview(
    year: int, rows: Sequence[DayRow], source_ref: str, existing: HolidayYear | None, *, user: User | None
) -> NoticePreview:
    unchanged = (
        existing is not None
        and existing.status == CalendarStatus.OFFICIAL
        and existing.checksum == holiday_rows_checksum(rows, source_ref)
    )
    diff = holiday_year_diff(year, rows)
    impacts, outside = rosters_affected(diff, rows, user=user)
    of_year = Roster.objects.filter(month__year=year, provisional_calendar=True)
    provisional = 0 if unchanged else (of_year if user is None else scoped(of_year, user, "rosters")).count()
    return NoticePreview(
        year=year,
        source_ref=source_ref,
        status_before=existing.status if existing else None,
        unchanged=unchanged,
        diff=diff,
        rosters=tuple(impacts),
        rosters_outside_scope=outside,
        provisional_rosters=provisional,
    )


def holiday_year_preview(*, actor: User | None, year: int, rows: Sequence[DayRow], source_ref: str) -> NoticePreview:
    """The dry run of ``holiday_year_load``: the same checks and errors, the
    diff and the rosters it reaches (those the actor may see), nothing written."""
    source_ref = _notice_checked(actor, year, rows, source_ref)
    return _preview(year, rows, source_ref, HolidayYear.objects.filter(year=year).first(), user=actor)


def holiday_year_load(
    *, actor: User | None, year: int, rows: Sequence[DayRow], source_ref: str, request: HttpRequest | None = None
) -> tuple[HolidayYear, bool]:
    """Load or correct a year from the State Council's notice: validated,
    idempotent by checksum (returns ``changed=False`` for the same notice),
    audit-logged; the year becomes official, and the rosters it reaches are
    flagged and their secretaries told (module doc), all in one transaction."""
    source_ref = _notice_checked(actor, year, rows, source_ref)
    checksum = holiday_rows_checksum(rows, source_ref)
    with transaction.atomic():
        existing = HolidayYear.objects.select_for_update().filter(year=year).first()
        if existing and existing.checksum == checksum and existing.status == CalendarStatus.OFFICIAL:
            return existing, False
        preview = _preview(year, rows, source_ref, existing, user=None)
        holiday_year = holiday_days_replace(
            year, rows, status=CalendarStatus.OFFICIAL, source_ref=source_ref, checksum=checksum, actor=actor
        )
        audit_log(
            actor=actor,
            action="import",
            request=request,
            accesses=[Access(RESOURCE, holiday_year.pk, None, ["status", "source_ref", "days"])],
        )
        rosters_flag_corrected(preview)
    return holiday_year, True


def rosters_flag_corrected(preview: NoticePreview) -> int:
    """After a notice is applied (inside its transaction): the year's rosters
    lose the provisional mark, the draft and published ones it reaches are
    flagged and their secretaries told. Returns the notices written."""
    now = clock.now()
    Roster.objects.filter(month__year=preview.year, provisional_calendar=True).update(
        provisional_calendar=False, updated_at=now
    )
    flagged = [impact for impact in preview.rosters if impact.status in FLAGGED_STATUSES]
    if not flagged:
        return 0
    Roster.objects.filter(pk__in=[impact.roster_id for impact in flagged]).update(
        calendar_changed_at=now, updated_at=now
    )
    return _secretaries_notify(preview, flagged, now)


def _secretaries_notify(preview: NoticePreview, flagged: Sequence[RosterImpact], now: dt.datetime) -> int:
    """One in-app notice per flagged roster and secretary of its unit, once a day
    (unique per roster, person and day, like every notice)."""
    secretaries: dict[int, list[int]] = defaultdict(list)
    for unit_id, user_id in RoleGrant.objects.filter(
        role=Role.SECRETARY, unit_id__in={impact.unit_id for impact in flagged}
    ).values_list("unit_id", "user_id"):
        secretaries[unit_id].append(user_id)
    changes = {change.date: change for change in preview.diff.changes}
    losing = [day for day, change in changes.items() if change.desirable_before and not change.desirable_after]
    # Looked up by every impact's version, None for a month without one (none stored under it).
    names: dict[tuple[int | None, dt.date], list[str]] = defaultdict(list)
    for version_id, day, name in (
        RosterDay.objects.filter(
            version_id__in=[impact.version_id for impact in flagged if impact.version_id],
            kind=DayKind.REST,
            date__in=losing,
        )
        .order_by("date", "cadre__name")
        .values_list("version_id", "date", "cadre__name")
    ):
        names[(version_id, day)].append(name)
    today = now.date()
    written = 0
    for impact in flagged:
        label = f"{impact.month.year}年{impact.month.month}月"
        body = (
            f"国务院办公厅通知（{preview.source_ref}）更正了{preview.year}年的节假日安排，{label}："
            + "；".join(changes[day].describe() for day in impact.changed_dates)
            + "。"
        )
        resting = [
            f"{_names(names[(impact.version_id, day)])}在{day.month}月{day.day}日休息"
            for day in impact.changed_dates
            if names.get((impact.version_id, day))
        ]
        if resting:
            body += "按本排班，" + "；".join(resting) + "，这些日子不再是节假日或周末。"
        if impact.metrics_change and impact.fairness_spread_after is not None:
            body += (
                f"节假日休息最多与最少的干部之差由每月 {impact.fairness_spread_before:g} 天"
                f"变为 {impact.fairness_spread_after:g} 天。"
            )
        if impact.status == RosterStatus.DRAFT:
            body += "该排班尚未发布，建议重新生成（保留已固定的休息日）后再发布。"
        else:
            body += (
                "已发布的排班不会自动改动：休息天数和在岗要求仍然满足，变的只是节假日休息是否均衡；"
                "是否调整，请与相关干部商量。"
            )
        written += notices_send(
            kind=CALENDAR_NOTICE_KIND,
            object_id=impact.roster_id,
            unit_id=impact.unit_id,
            period=today,
            due_date=today,
            url=f"/api/v1/rosters/{impact.roster_id}/",
            messages=[
                (user_id, None, f"{impact.unit_name}{label}轮休排班：节假日安排已更正", body)
                for user_id in secretaries[impact.unit_id]
            ],
        )
    return written


def _names(names: Sequence[str]) -> str:
    shown = "、".join(names[:NAMES_PER_DATE])
    return shown + (f"等 {len(names)} 人" if len(names) > NAMES_PER_DATE else "")
