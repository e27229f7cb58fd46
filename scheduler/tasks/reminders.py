"""Reminder jobs: thin tasks, each calling one service.

Every one is idempotent (unique keys and conditional claims in the
database), so acks_late + reject_on_worker_lost redelivery, a retry or a
second beat only repeat harmless work."""

from __future__ import annotations

from celery import shared_task

from cadrecare.reminders import services
from scheduler.tasks.retry import RETRY


@shared_task(**RETRY)
def reminders_scan_task() -> dict:
    run = services.reminders_scan()
    return {"job_run": run.pk, "status": run.status, "scanned": run.scanned, "created": run.created}


@shared_task(**RETRY)
def digest_build_task() -> dict:
    run = services.digest_build()
    return {"job_run": run.pk if run else None, "created": run.created if run else 0}


@shared_task(**RETRY)
def deliveries_dispatch_task() -> dict:
    return {"claimed": len(services.deliveries_dispatch())}


@shared_task(**RETRY)
def delivery_send_task(delivery_id: int) -> str:
    return services.delivery_send(delivery_id=delivery_id)


@shared_task(**RETRY)
def job_runs_expire_task() -> int:
    return services.job_runs_expire()


@shared_task(**RETRY)
def overdue_tally_refresh_task() -> dict:
    run = services.overdue_tally_refresh()
    return {"job_run": run.pk, "status": run.status, "scanned": run.scanned, "created": run.created}
