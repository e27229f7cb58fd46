"""The reminders' jobs: their names, their advisory lock keys, and the run
bookkeeping of ``cadrecare.core.jobs`` bound to this app's ``JobRun`` rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.conf import settings

from cadrecare.core import jobs
from cadrecare.core.jobs import job_lease
from cadrecare.reminders.models import JobRun

__all__ = ["job_lease", "job_run", "job_runs_expire"]

SCAN_JOB = "reminders_scan"
DIGEST_JOB = "reminders_digest"
DISPATCH_JOB = "reminders_dispatch"
# pg advisory lock keys (cadrecare.core.locks): they only keep a second scan or
# dispatcher from doing the same work at once; correctness comes from the unique keys.
SCAN_LOCK = 6_000_001
DISPATCH_LOCK = 6_000_002
DIGEST_LOCK = 6_000_003

T = TypeVar("T")


def _setting(name: str, default: T) -> T:
    """A setting of the service, taken to be of its default's type."""
    return getattr(settings, name, default)


@contextmanager
def job_run(name: str, *, now: dt.datetime | None = None) -> Iterator[JobRun]:
    """Record one run of a reminders job (``cadrecare.core.jobs.job_run``)."""
    with jobs.job_run(JobRun, name, now=now) as run:
        yield run


def job_runs_expire(*, now: dt.datetime | None = None) -> int:
    """Fail every run still 'running' past its lease (``cadrecare.core.jobs.job_runs_expire``)."""
    return jobs.job_runs_expire(JobRun, now=now)
