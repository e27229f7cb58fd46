"""The broker as services see it: the tasks they start, named rather than
imported (the task modules import the services, never the other way round:
docs/decisions/0005-tasks-stay-in-scheduler-named-by-services.md), and how many
messages wait in a queue."""

from __future__ import annotations

import logging
from typing import Any

from celery import Signature, current_app

logger = logging.getLogger(__name__)


def task(name: str, *args: Any) -> Signature:
    """The task registered as ``name`` ("scheduler.tasks.rotation.generation_item_run_task")
    called with ``args``: a signature to ``apply_async`` or to gather in a group,
    routed to its queue by name (``CELERY_TASK_ROUTES``). Send it from
    ``transaction.on_commit``, so a worker never reads rows not yet committed."""
    return current_app.signature(name, args=args)


def queue_depth(name: str) -> int | None:
    """Messages waiting in queue ``name`` (not those a worker holds), or None
    when the broker does not answer. A relay that finds messages waiting
    leaves unclaimed rows alone: they are behind a backlog, not lost."""
    try:
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            # kombu types the channel as its abstract StdChannel, without queue_declare; every transport's has it.
            return conn.default_channel.queue_declare(queue=name, passive=True).message_count  # type: ignore[attr-defined]
    except Exception as exc:  # a queue never declared raises too; it has nothing waiting
        if "NOT_FOUND" in str(exc) or "no queue" in str(exc).lower():
            return 0
        logger.warning("broker did not say how many messages wait in %s: %s", name, exc)
        return None
