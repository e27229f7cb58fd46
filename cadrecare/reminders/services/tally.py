"""The overdue tally: every open item overdue today, counted per township and
kind for the organization department's 总览 (``OverdueTally``), so the page
reads a small table instead of computing the due date of every cadre of a
city. A job of its own every ten minutes, recorded as a ``JobRun``
(/api/v1/job-runs/) like the scan; the page says when it counted."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q

from cadrecare.core import clock
from cadrecare.core.locks import try_advisory_xact_lock
from cadrecare.org.choices import UnitKind
from cadrecare.org.models import OrgUnit
from cadrecare.reminders.choices import JobStatus
from cadrecare.reminders.models import JobRun, OverdueTally
from cadrecare.reminders.services.jobs import job_run
from cadrecare.reminders.sources import counts_by_area, due_items_sql, reading_due_items

TALLY_JOB = "overdue_tally"
TALLY_LOCK = 6_000_004


def overdue_tally_refresh(*, today: dt.date | None = None, now: dt.datetime | None = None) -> JobRun:
    """Count today's overdue items per township (the first characters of a
    unit path that name a township) and kind, for everyone, and keep that
    count in place of the last one, in one transaction: a reader sees the
    old count or the new one, never a mix, and running it twice leaves the
    same rows. A second run while one counts is skipped (an advisory lock)."""
    today = today or clock.today()
    with job_run(TALLY_JOB, now=now) as run:
        township = OrgUnit.objects.filter(kind=UnitKind.TOWNSHIP).values_list("path", flat=True).first()
        with reading_due_items():
            if not try_advisory_xact_lock(TALLY_LOCK):
                run.status = JobStatus.SKIPPED
                run.detail = {"reason": "another count holds the lock"}
                return run
            counted_at = clock.now()
            counts: dict[tuple[str, str], int] = {}
            if township is not None:
                sql, params = due_items_sql(
                    today=today, where=Q(di_due_date__lt=today), columns=("di_kind", "di_unit_path")
                )
                counts = counts_by_area(sql, params, len(township))
            with transaction.atomic():
                OverdueTally.objects.all().delete()
                # The count's own row (no area, no kind; the total overdue) says it was made, nothing overdue or not.
                OverdueTally.objects.bulk_create(
                    OverdueTally(day=today, area=area, kind=kind, overdue=count, counted_at=counted_at)
                    for (area, kind), count in sorted({("", ""): sum(counts.values()), **counts}.items())
                )
        run.scanned = sum(counts.values())
        run.created = len(counts)  # rows of an area and kind
        run.detail = {"day": today.isoformat(), "areas": len({area for area, _kind in counts})}
    return run
