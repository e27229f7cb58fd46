"""What the outbox relays ask the broker: how many messages wait in a queue."""

from __future__ import annotations

import logging

from config.celery import app

logger = logging.getLogger(__name__)


def queue_depth(name: str) -> int | None:
    """Messages waiting in queue ``name`` (not those a worker holds), or None
    when the broker does not answer. A relay that finds messages waiting
    leaves unclaimed rows alone: they are behind a backlog, not lost."""
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            return conn.default_channel.queue_declare(queue=name, passive=True).message_count
    except Exception as exc:  # a queue never declared raises too; it has nothing waiting
        if "NOT_FOUND" in str(exc) or "no queue" in str(exc).lower():
            return 0
        logger.warning("broker did not say how many messages wait in %s: %s", name, exc)
        return None
