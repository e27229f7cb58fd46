"""Reminder schedules: per unit, inherited down the tree."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from cadrecare.audit.services import changed_fields, written
from cadrecare.core.errors import ConflictError, DomainError
from cadrecare.org.choices import UnitKind
from cadrecare.org.inheritance import nearest, nearest_first
from cadrecare.org.models import OrgUnit, User, ancestor_paths
from cadrecare.reminders.models import (
    DEFAULT_CITY_AFTER_DAYS,
    DEFAULT_COUNTY_AFTER_DAYS,
    DEFAULT_LEAD_DAYS,
    ReminderSchedule,
)


@dataclass(frozen=True)
class ScheduleRule:
    """A unit's reminder schedule in force (``ReminderSchedule``, or the defaults)."""

    lead_days: int = DEFAULT_LEAD_DAYS
    county_after_days: int = DEFAULT_COUNTY_AFTER_DAYS
    city_after_days: int = DEFAULT_CITY_AFTER_DAYS

    @property
    def city_overdue_days(self) -> int:
        return self.county_after_days + self.city_after_days


class UnitBook:
    """Per-unit facts the scan needs, loaded once: the schedule in force (the
    nearest unit up the tree that has one), the county and city above."""

    def __init__(self) -> None:
        self.rules = {
            path: ScheduleRule(lead, county, city)
            for path, lead, county, city in ReminderSchedule.objects.values_list(
                "unit__path", "lead_days", "county_after_days", "city_after_days"
            )
        }
        self.escalation_units = {
            path: (kind, unit_id)
            for unit_id, path, kind in OrgUnit.objects.filter(kind__in=[UnitKind.COUNTY, UnitKind.CITY]).values_list(
                "id", "path", "kind"
            )
        }
        self._rule_cache: dict[str, ScheduleRule] = {}
        self._level_cache: dict[tuple[str, str], int | None] = {}

    @property
    def max_lead_days(self) -> int:
        return max([DEFAULT_LEAD_DAYS, *(rule.lead_days for rule in self.rules.values())])

    def rule_for(self, path: str) -> ScheduleRule:
        rule = self._rule_cache.get(path)
        if rule is None:
            rule = nearest(path, self.rules, ScheduleRule())
            self._rule_cache[path] = rule
        return rule

    def unit_above(self, path: str, kind: str) -> int | None:
        """The nearest unit of ``kind`` (county, city) at or above ``path``."""
        key = (path, kind)
        if key not in self._level_cache:
            self._level_cache[key] = next(
                (
                    found[1]
                    for p in ancestor_paths(path)
                    if (found := self.escalation_units.get(p)) and found[0] == kind
                ),
                None,
            )
        return self._level_cache[key]


def schedule_in_force(unit: OrgUnit) -> ScheduleRule:
    """The reminder rule that applies to ``unit`` (its own or the nearest above)."""
    schedule = nearest_first(ReminderSchedule.objects.all(), unit.path).first()
    if schedule is None:
        return ScheduleRule()
    return ScheduleRule(schedule.lead_days, schedule.county_after_days, schedule.city_after_days)


RESOURCE = "reminder-schedules"
SCHEDULE_LIMITS = {"lead_days": (0, 90), "county_after_days": (1, 365), "city_after_days": (1, 365)}


@transaction.atomic
def reminder_schedule_save(
    *,
    actor: User | None,
    unit: OrgUnit,
    schedule: ReminderSchedule | None = None,
    request: HttpRequest | None = None,
    **fields: int,
) -> ReminderSchedule:
    """Set a unit's own reminder schedule (it then applies to its whole subtree
    down to the next unit with one of its own), in a unit ``actor`` may set
    one for. The API's ``ReminderScheduleViewSet`` and the workbench's 提醒规则
    form both write here. Audited with the fields given (a new one) or changed."""
    for name, (low, high) in SCHEDULE_LIMITS.items():
        if name in fields and not low <= fields[name] <= high:
            raise DomainError(_("应在 %(low)s 到 %(high)s 天之间。") % {"low": low, "high": high}, field=name)
    created = schedule is None
    if schedule is None:
        if ReminderSchedule.objects.filter(unit=unit).exists():
            raise ConflictError(_("该单位已有提醒规则，请修改原有规则。"), field="unit")
        schedule = ReminderSchedule(unit=unit)
    elif unit.pk != schedule.unit_id:
        raise DomainError(_("提醒规则所属单位不能修改。"), field="unit")
    before = {name: getattr(schedule, name) for name in fields}
    for name, value in fields.items():
        setattr(schedule, name, value)
    schedule.save()
    if created:
        written(actor, request, "create", RESOURCE, schedule, sorted({"unit", *fields}))
    else:
        written(actor, request, "update", RESOURCE, schedule, changed_fields(schedule, before))
    return schedule


@transaction.atomic
def reminder_schedule_delete(
    *, actor: User | None, schedule: ReminderSchedule, request: HttpRequest | None = None
) -> None:
    """Remove a unit's own schedule: it follows the nearest one above it again."""
    written(actor, request, "delete", RESOURCE, schedule)  # first: the row names it while it exists
    schedule.delete()
