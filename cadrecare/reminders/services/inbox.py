"""Reading notices."""

from __future__ import annotations

import datetime as dt

from cadrecare.core import clock
from cadrecare.org.models import User
from cadrecare.reminders.models import Notice


def notice_mark_read(*, user: User, notice: Notice, now: dt.datetime | None = None) -> Notice:
    """Mark one of the user's own notices read (the first time counts)."""
    Notice.objects.filter(pk=notice.pk, recipient=user, read_at__isnull=True).update(read_at=now or clock.now())
    notice.refresh_from_db(fields=["read_at"])
    return notice


def notice_mark_all_read(*, user: User, now: dt.datetime | None = None) -> int:
    """Mark every unread notice of the user read; returns how many changed."""
    return Notice.objects.filter(recipient=user, read_at__isnull=True).update(read_at=now or clock.now())
