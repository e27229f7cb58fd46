"""The audit log's hash chain: sealing new entries."""

from __future__ import annotations

from celery import shared_task

from cadrecare.audit import services
from scheduler.tasks.retry import RETRY


@shared_task(**RETRY)
def audit_seal_task() -> int:
    return services.audit_seal()
