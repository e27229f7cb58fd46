"""PostgreSQL advisory locks, the one place that takes them.

An advisory lock only spares a second worker the same work at the same time;
correctness always comes from unique keys and row locks (docs/reminders.md,
docs/decisions/0002-the-database-is-the-truth-of-jobs.md).
On SQLite (the embedded default of `make run`), which serialises writers
anyway, every lock is granted at once.

A key is one bigint or two integers; PostgreSQL keeps the two forms apart, so
a one-key lock never meets a two-key lock with the same numbers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

from cadrecare.core.errors import TRANSIENT_DB_ERRORS


def _has_advisory_locks() -> bool:
    return connection.vendor == "postgresql"


def advisory_xact_lock(*key: int) -> None:
    """Wait for the transaction-level lock on ``key``; it is let go at commit
    or rollback, so call it inside ``transaction.atomic``."""
    if _has_advisory_locks():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT pg_advisory_xact_lock({', '.join(['%s'] * len(key))})", list(key))


def try_advisory_xact_lock(*key: int) -> bool:
    """Take the transaction-level lock on ``key`` if nobody holds it; False
    when another transaction does (then skip the work, it is being done)."""
    if not _has_advisory_locks():
        return True
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_try_advisory_xact_lock({', '.join(['%s'] * len(key))})", list(key))
        return bool(cursor.fetchone()[0])


@contextmanager
def advisory_session_lock(key: int | None) -> Iterator[bool]:
    """Hold a session-level lock for a job made of several transactions,
    yielding whether it is held (True when ``key`` is None: no lock wanted)."""
    if key is None or not _has_advisory_locks():
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
