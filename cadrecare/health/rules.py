"""The health rules as plain functions: no database, no request, so tests and
the reminders module state them directly."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _

from cadrecare.health.choices import DueState, Payer

# Seed 三(二) asks for check-ups "at regular intervals"; a year is the usual one,
# reminded two months and one month ahead. The city's own policy overrides these.
DEFAULT_INTERVAL_MONTHS = 12
DEFAULT_REMINDER_DAYS = (60, 30)
MAX_REMINDERS = 5

# The report file: what the hospitals hand out, nothing a browser would run.
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}
ATTACHMENT_CONTENT_TYPES = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}


@dataclass(frozen=True)
class CheckupPolicyInForce:
    """The check-up policy a unit follows; ``source_unit_id`` None is the built-in default."""

    interval_months: int = DEFAULT_INTERVAL_MONTHS
    reminder_days: tuple[int, ...] = DEFAULT_REMINDER_DAYS
    payer: str = Payer.UNIT
    source_unit_id: int | None = None


def checkup_next_due(last_checkup: dt.date | None, interval_months: int, today: dt.date) -> dt.date:
    """The date a cadre's next periodic check-up falls due: the last
    one plus the interval in calendar months, clamped to the month's end
    (2024-02-29 + 12 months = 2025-02-28); never checked means due today.
    selectors.checkup_due_items states the same rule in SQL for many cadres."""
    if last_checkup is None:
        return today
    return last_checkup + relativedelta(months=interval_months)


def due_state(due_date: dt.date, reminder_days: tuple[int, ...] | list[int], today: dt.date) -> DueState:
    """Where a due date stands today: overdue once past; due inside the last
    (shortest) reminder window; upcoming inside the first (longest); else not due."""
    days_left = (due_date - today).days
    if days_left < 0:
        return DueState.OVERDUE
    if days_left <= min(reminder_days, default=0):
        return DueState.DUE
    if days_left <= max(reminder_days, default=0):
        return DueState.UPCOMING
    return DueState.NOT_DUE


def overdue_days(due_date: dt.date, today: dt.date) -> int:
    return max(0, (today - due_date).days)


def reminder_days_problem(value: object) -> str | None:
    """Reminder lead times are a short list of distinct whole days, 1 to 365."""
    if not isinstance(value, list) or not all(isinstance(day, int) and not isinstance(day, bool) for day in value):
        return _("提前提醒天数应为整数列表，例如 [60, 30]。")
    if len(value) > MAX_REMINDERS:
        return _("提前提醒最多设置 %(MAX_REMINDERS)s 次。") % {"MAX_REMINDERS": MAX_REMINDERS}
    if any(day < 1 or day > 365 for day in value):
        return _("提前提醒天数应在 1 到 365 天之间。")
    if len(set(value)) != len(value):
        return _("提前提醒天数不能重复。")
    return None


def checkup_problems(
    *, date: dt.date, cost: Decimal | None, follow_up_needed: bool, follow_up_by: dt.date | None, today: dt.date
) -> list[tuple[str, str]]:
    """(field, message) for every rule a check-up's values break."""
    problems = []
    if date > today:
        problems.append(("date", _("体检日期不能晚于今天。")))
    if cost is not None and cost < 0:
        problems.append(("cost", _("体检费用不能为负数。")))
    if follow_up_needed and follow_up_by is None:
        problems.append(("follow_up_by", _("需要复查时请填写复查期限。")))
    if follow_up_by is not None and not follow_up_needed:
        problems.append(("follow_up_by", _("未标记需要复查时不应填写复查期限。")))
    if follow_up_by is not None and follow_up_by <= date:
        problems.append(("follow_up_by", _("复查期限应晚于体检日期。")))
    return problems


def attachment_problem(name: str, size: int, head: bytes) -> str | None:
    """A report file is a PDF, JPG or PNG (by name and by its first bytes) of at most 10 MB."""
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    signatures = ATTACHMENT_SIGNATURES.get(suffix)
    if signatures is None or not any(head.startswith(signature) for signature in signatures):
        return _("体检报告只能是 PDF、JPG 或 PNG 文件。")
    if size > ATTACHMENT_MAX_BYTES:
        return _("体检报告文件不能超过 %(value)s MB。") % {"value": ATTACHMENT_MAX_BYTES // (1024 * 1024)}
    return None
