"""Rest-rotation jobs: thin wrappers around
cadrecare.rotation.services; every one is idempotent, so a redelivered or
duplicated message does no harm."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from cadrecare.rotation import services
from scheduler.tasks.retry import RETRY


@shared_task(**RETRY)
def generation_item_run_task(item_id: int) -> str:
    """One unit's month: solve, then write the draft atomically."""
    return services.generation_item_run(item_id=item_id)


@shared_task(**RETRY)
def generation_due_run_task(today: str | None = None) -> int:
    """Daily: next month's drafts for every unit whose generation day it is."""
    run = services.generation_due_run(today=dt.date.fromisoformat(today) if today else None)
    return run.items.count() if run else 0


@shared_task(**RETRY)
def generation_items_redispatch_task() -> dict[str, int]:
    """Every 30 seconds: send again the items whose message was lost, fail those out of attempts."""
    return services.generation_items_redispatch()
