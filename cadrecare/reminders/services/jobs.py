"""Job runs (the database's record of every run of a job) and the advisory
locks that keep a second run from doing the same work at once."""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from cadrecare.core import clock
from cadrecare.core.errors import TRANSIENT_DB_ERRORS
from cadrecare.reminders.choices import JobStatus
from cadrecare.reminders.models import JobRun

logger = logging.getLogger(__name__)

SCAN_JOB = "reminders_scan"
DIGEST_JOB = "reminders_digest"
DISPATCH_JOB = "reminders_dispatch"
# pg advisory lock keys: they only keep a second scan or dispatcher from doing
# the same work at once; correctness comes from the unique keys.
SCAN_LOCK = 6_000_001
DISPATCH_LOCK = 6_000_002
DIGEST_LOCK = 6_000_003


def _setting(name: str, default: object) -> object:
    return getattr(settings, name, default)


def job_lease() -> dt.timedelta:
    """How long a run may say 'running': a task is killed at the hard time
    limit, so a run still running a minute after it died with its process."""
    return dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


@contextmanager
def job_run(name: str, *, now: dt.datetime | None = None) -> Iterator[JobRun]:
    """Record one run of a job: the row is written before the work (so a run
    in progress is visible), finished after it: failed with the error when
    the work raised (and the error raised on, so the task retries a lost
    database), else succeeded unless the job said otherwise (partial,
    skipped). A run whose process died without a word is failed by
    ``job_runs_expire`` once its lease is over."""
    run = JobRun.objects.create(name=name, started_at=now or clock.now(), lease_until=clock.now() + job_lease())
    try:
        yield run
    except Exception as exc:
        run.status = JobStatus.FAILED
        run.errors = [*run.errors, f"{type(exc).__name__}: {exc}", traceback.format_exc(limit=5)]
        raise
    else:
        if run.status == JobStatus.RUNNING:
            run.status = JobStatus.SUCCEEDED
    finally:
        # The real end, even when the job ran on a given clock (never before its start).
        run.finished_at = max(clock.now(), run.started_at)
        _run_save(run, ["status", "finished_at", "scanned", "created", "errors", "detail"])


def _run_save(run: JobRun, fields: list[str]) -> None:
    """Save a run's progress or end, on a new connection if the job's own was
    lost (the reason the run failed); if the database is still away, the
    lease sweep records the failure later."""
    try:
        run.save(update_fields=fields)
    except TRANSIENT_DB_ERRORS:
        if connection.in_atomic_block:
            raise
        connection.close()
        try:
            run.save(update_fields=fields)
        except TRANSIENT_DB_ERRORS:
            logger.exception("job run %s could not be recorded; its lease will expire", run.pk)


def job_runs_expire(*, now: dt.datetime | None = None) -> int:
    """Fail every run still 'running' past its lease: its process was killed
    (SIGKILL, out of memory, a lost machine) before it could say so. The next
    run of the job does the work, its effects being keyed rows. Returns how
    many runs were failed."""
    now = now or clock.now()
    expired = 0
    with transaction.atomic():
        for run in JobRun.objects.select_for_update(skip_locked=True).filter(
            status=JobStatus.RUNNING, lease_until__lt=now
        ):
            run.status = JobStatus.FAILED
            run.finished_at = now
            lease = f"{timezone.localtime(run.lease_until):%Y-%m-%d %H:%M:%S}"
            run.errors = [
                *run.errors,
                f"租约于 {lease} 到期时仍未结束：执行它的进程已中断"
                "（被终止、超时或失去数据库连接），未做完的部分由下一次运行补做。",
            ]
            run.save(update_fields=["status", "finished_at", "errors"])
            expired += 1
    if expired:
        logger.warning("%d job runs were still running past their lease: marked failed", expired)
    return expired


def _try_advisory_lock(key: int) -> bool:
    """Take a transaction-level advisory lock if PostgreSQL is underneath
    (SQLite, the embedded default, serialises writers anyway)."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [key])
        return bool(cursor.fetchone()[0])


def _relax_commit() -> None:
    """Let this transaction's commit return before its WAL reaches the disk.
    Safe for a re-runnable job: a crash can only lose the latest run, which the
    next run (same unique keys, stages from the calendar) makes again."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


@contextmanager
def _session_lock(key: int | None) -> Iterator[bool]:
    """Hold a session-level advisory lock for a job made of several
    transactions (True when ``key`` is None or the database has none)."""
    if key is None or connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        held = bool(cursor.fetchone()[0])
    try:
        yield held
    finally:
        if held:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
            except TRANSIENT_DB_ERRORS:
                pass  # the session is gone, and its lock with it
