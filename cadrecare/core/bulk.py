"""Bulk loading on PostgreSQL: a raw psycopg cursor on Django's connection and
binary COPY into a temporary table, the one place that does either.

Binary COPY lets psycopg format the rows in C, a third of the time of the same
rows sent as bound column arrays, whose Python-side quoting was most of their
cost (measured on the reminders scan, benchmarks/reminders); a statement then
moves them from the temporary table with whatever conflict handling it needs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

import psycopg
from django.db import connection


@contextmanager
def raw_cursor() -> Iterator[psycopg.Cursor]:
    """A psycopg cursor on Django's connection (server-side binding, COPY),
    inside a transaction, with the JIT compiler off for it: bulk statements
    touch thousands of rows by index, and compiling them costs more than running them."""
    connection.ensure_connection()
    # Raw psycopg errors as Django's, so a lost connection is a transient error to every caller.
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute("SET LOCAL jit = off")
        yield cursor


def copy_stage(
    cursor: psycopg.Cursor, table: str, columns: Sequence[str], types: Sequence[str], rows: Iterable[tuple]
) -> None:
    """Fill a temporary table of this transaction with ``rows`` by binary COPY
    (made on first use in a session, emptied now and at every commit)."""
    quote = connection.ops.quote_name
    names = ", ".join(map(quote, columns))
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {table} "
        f"({', '.join(f'{quote(c)} {t}' for c, t in zip(columns, types, strict=True))}) "
        "ON COMMIT DELETE ROWS"
    )
    cursor.execute(f"TRUNCATE {table}")
    with cursor.copy(f"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(list(types))
        for row in rows:
            copy.write_row(row)


def relax_commit() -> None:
    """Let this transaction's commit return before its WAL reaches the disk.
    Safe only for a re-runnable job: a crash can lose just the latest run,
    which the next run (same unique keys) makes again."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
