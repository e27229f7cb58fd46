"""Job-run bookkeeping, the one place that records a run of a scheduled job:
started before the work (so a run in progress is visible), finished after it,
failed with the error when the work raised, and failed by a sweep when its
process died without a word (docs/decisions/0002-the-database-is-the-truth-of-jobs.md).

The run rows are a domain app's model (reminders' ``JobRun``, listed at
/api/v1/job-runs/); ``core`` imports no domain app, so the helpers take the
model class and work on the fields every run row has (``JobRecord``).
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

# `_` only marks a label for the catalogue (gettext_noop): labels stay Chinese in code, texts and the
# database; the API translates them per request (cadrecare.core.i18n).
from django.utils.translation import gettext_noop as _

from cadrecare.core import clock
from cadrecare.core.errors import TRANSIENT_DB_ERRORS

logger = logging.getLogger(__name__)


class JobStatus(models.TextChoices):
    RUNNING = "running", _("运行中")
    SUCCEEDED = "succeeded", _("成功")
    PARTIAL = "partial", _("部分失败")  # some kinds failed (named in the run); the others were done
    FAILED = "failed", _("失败")
    SKIPPED = "skipped", _("跳过")


class JobRecord(Protocol):
    """The fields of a run row the bookkeeping reads and writes."""

    pk: Any
    name: str
    status: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    lease_until: dt.datetime | None
    errors: list[str]

    def save(self, *, update_fields: list[str]) -> None: ...


Run = TypeVar("Run", bound=models.Model)


def job_lease() -> dt.timedelta:
    """How long a run may say 'running': a task is killed at the hard time
    limit, so a run still running a minute after it died with its process."""
    return dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


@contextmanager
def job_run(model: type[Run], name: str, *, now: dt.datetime | None = None) -> Iterator[Run]:
    """Record one run of the job ``name`` as a row of ``model``: failed with
    the error when the work raised (and the error raised on, so the task
    retries a lost database), else succeeded unless the job said otherwise
    (partial, skipped). The fields the job fills (counts, errors, detail) are
    saved with the end."""
    run: Any = model._default_manager.create(
        name=name, status=JobStatus.RUNNING, started_at=now or clock.now(), lease_until=clock.now() + job_lease()
    )
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
        job_run_save(run, ["status", "finished_at", *_job_fields(model)])


def job_run_done(model: type[Run], name: str, *, started_at: dt.datetime, **fields: Any) -> Run:
    """Record a run that is already over (a short job inside one transaction,
    which records only the ticks that had work)."""
    return model._default_manager.create(
        name=name, status=JobStatus.SUCCEEDED, started_at=started_at, finished_at=clock.now(), **fields
    )


def _job_fields(model: type[models.Model]) -> list[str]:
    """The fields a job fills besides the bookkeeping's own (counts, errors, detail)."""
    own = {"id", "name", "status", "started_at", "finished_at", "lease_until"}
    return [f.name for f in model._meta.concrete_fields if f.name not in own]


def job_run_save(run: JobRecord, fields: list[str]) -> None:
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


def job_runs_expire(model: type[models.Model], *, now: dt.datetime | None = None) -> int:
    """Fail every run of ``model`` still 'running' past its lease: its process
    was killed (SIGKILL, out of memory, a lost machine) before it could say so.
    The next run of the job does the work, its effects being keyed rows.
    Returns how many runs were failed."""
    now = now or clock.now()
    expired = 0
    with transaction.atomic():
        run: Any
        for run in model._default_manager.select_for_update(skip_locked=True).filter(
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
