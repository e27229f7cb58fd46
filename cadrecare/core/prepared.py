"""Compiled SQL kept between requests, and kept right.

Building a large queryset (the due items' union of a dozen kinds, each with
subqueries, CASEs and casts) and compiling it costs far more Python than
PostgreSQL spends running it: 70 % of the workbench's 我的待办 on the province
data (benchmarks/README.md). ``PreparedSql.get(key, build)`` builds and
compiles once and keeps the SQL and its parameters under ``key``; later calls
skip both. What keeps the SQL right is the contract of a build: it is a
function of

- the Python values it is given, every one of which is in ``key`` (the day,
  the language, the user's grants already read and cached on the user
  object, the list filters...), and
- what it reads from the database while it runs (a policy, the posts a user
  holds, a county's talk routes, the units of a subtree). Every such query is
  recorded with the rows it returned, and each ``get`` runs it again (in
  order: a later read may depend on an earlier one's rows): any other rows,
  and the SQL is built again. Nothing has to remember to invalidate the
  cache, a write in another process included; the price is the build's own
  small reads on every request, which it ran anyway before.

So a stale entry is impossible for a build that keeps the contract, and a
build that reads something it is not given and does not query (a setting, a
module-level cache) must put it in ``key``. ``PREPARED_SQL_VERIFY=1`` in the
environment builds on every hit as well and raises when the kept SQL differs:
a check for a missing key input, for a developer's test run (it doubles the
queries, so the query-count tests do not hold under it).

Kept SQL is also kept *planned*: ``planned_cursor`` runs it as a prepared
statement of the connection, so PostgreSQL parses and plans it once per
connection (per worker thread, with persistent connections) instead of on
every request: planning the due items' union (60-160 KB of SQL) cost more
than running it.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.core.signals import setting_changed
from django.db import connection
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models import QuerySet
from psycopg import ClientCursor, Cursor


@dataclass(frozen=True)
class Read:
    """One query a build ran and the rows it returned."""

    sql: str
    params: tuple[Any, ...] | None
    rows: tuple[tuple[Any, ...], ...]


@dataclass(frozen=True)
class Prepared:
    """A build's compiled SQL (None: the build selects nothing) and the reads it depended on."""

    sql: str | None
    params: tuple[Any, ...]
    reads: tuple[Read, ...]
    bound: str | None  # ``sql`` with ``params`` bound in (``_bind``)


class _Recorder:
    """An ``execute_wrapper`` keeping each query of a build with its rows.

    The rows are read from the cursor and the cursor rewound (psycopg's
    client-side cursors hold a result in memory), so the build reads them as
    usual and no query runs twice. PostgreSQL only: elsewhere (SQLite, which
    ``make run`` may use) nothing is kept.
    """

    def __init__(self) -> None:
        self.reads: list[Read] = []
        self.keepable = True

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict) -> Any:
        result = execute(sql, params, many, context)
        words = sql.lstrip(" \t\n(").split(None, 1)  # a UNION opens with "(SELECT"
        statement = words[0].upper() if words else ""
        if statement in ("SAVEPOINT", "RELEASE", "ROLLBACK"):
            return result
        if many or statement not in ("SELECT", "WITH"):
            self.keepable = False
            return result
        cursor = context["cursor"]
        if getattr(cursor.cursor, "name", None):  # a server-side cursor cannot rewind: keep nothing
            self.keepable = False
            return result
        rows = tuple(tuple(row) for row in cursor.fetchall())
        if rows:  # rewound for the build to read (an empty result has nowhere to rewind to)
            cursor.scroll(0, mode="absolute")
        frozen_params = _freeze(params)
        self.reads.append(Read(sql, frozen_params, rows))
        return result


def _freeze(params: Any) -> tuple[Any, ...] | None:
    if params is None:
        return None
    return tuple(tuple(value) if isinstance(value, list) else value for value in params)


def _thaw(params: tuple[Any, ...] | None) -> list[Any] | None:
    if params is None:
        return None
    return [list(value) if isinstance(value, tuple) else value for value in params]


def _still_true(reads: Sequence[Read]) -> bool:
    """Whether every read returns the rows it returned when the SQL was built."""
    if not reads:
        return True
    with connection.cursor() as cursor:
        for read in reads:
            cursor.execute(read.sql, _thaw(read.params))
            if tuple(tuple(row) for row in cursor.fetchall()) != read.rows:
                return False
    return True


def _compile(queryset: QuerySet) -> tuple[str | None, tuple[Any, ...]]:
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return None, ()
    return sql, tuple(params)


class PreparedSql:
    """Compiled SQL per key, least recently used dropped past ``size`` entries
    (see the module's docstring for what keeps an entry right)."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, Prepared] = OrderedDict()
        self._lock = threading.Lock()
        self.builds = 0  # how many times a build ran (for tests and benchmarks)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def get(self, key: Hashable, build: Callable[[], QuerySet]) -> tuple[str | None, list[Any]]:
        """The SQL of ``build()``'s queryset and its parameters, built only
        when nothing is kept under ``key`` or a read it made returns other
        rows. On PostgreSQL the parameters come bound into the SQL (``_bind``)
        and the list is empty."""
        if connection.vendor != "postgresql":
            sql, params = _compile(build())
            return sql, list(params)
        key = (connection.alias, key)
        with self._lock:
            kept = self._entries.get(key)
            if kept is not None:
                self._entries.move_to_end(key)
        if kept is not None and _still_true(kept.reads):
            if VERIFY:
                sql, params = _compile(build())
                if (sql, params) != (kept.sql, kept.params):
                    raise AssertionError(f"prepared SQL under {key!r} is stale: its key misses an input")
            return kept.bound, []
        recorder = _Recorder()
        self.builds += 1
        with connection.execute_wrapper(recorder):
            sql, params = _compile(build())
        bound = _bind(sql, params)
        if recorder.keepable:
            with self._lock:
                self._entries[key] = Prepared(sql, params, tuple(recorder.reads), bound)
                self._entries.move_to_end(key)
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
        return bound, []


def _bind(sql: str | None, params: Sequence[Any]) -> str | None:
    """``sql`` with its parameters bound in, as Django's cursor (psycopg's
    client-side binding) would send it, and every ``%`` doubled for an
    ``execute`` with parameters of its own (or an empty list). Bound once per
    entry, not on every run: binding the due items' union (1,200-2,900
    placeholders) was a quarter of a request's Python. And a statement with
    its values in it stays one that PostgreSQL plans with them known, also
    as a prepared statement (``planned_cursor``), and that binding on the
    server cannot break (a parameter in both a select list and its GROUP BY
    is two expressions to PostgreSQL)."""
    if sql is None:
        return None
    connection.ensure_connection()
    with ClientCursor(connection.connection) as cursor:
        return cursor.mogrify(sql, params).replace("%", "%%")


VERIFY = os.environ.get("PREPARED_SQL_VERIFY") == "1"

#: Statements a connection keeps prepared, least recently used closed first. A kept union is one statement
#: per user, list shape and day (its values are bound in); each holds its parse tree and plan in the
#: PostgreSQL backend: 6-8 MB for a township user's due items, about 20 MB for a county's or the city's whole
#: list (the demo city), so at most 60-160 MB a connection.
PREPARED_PER_CONNECTION = 8


@contextmanager
def planned_cursor() -> Iterator[Any]:
    """A cursor whose statements PostgreSQL plans once per connection: each
    becomes a prepared statement of the connection (psycopg's, binding on the
    server), and a later run of the same text only binds its parameters.
    Under ``plan_cache_mode = force_generic_plan`` (set by the reader, e.g.
    ``reminders.sources.reading_due_items``) it is not planned again at all;
    otherwise PostgreSQL may still plan it for each run's values. For large
    SQL run again and again (``PreparedSql``'s, its values bound in). The
    connection keeps the ``PREPARED_PER_CONNECTION`` last used; Django's own
    cursors bind on the client and never prepare. A connection pooler in
    transaction mode would have to keep protocol-level prepared statements
    (PgBouncer 1.21 and later, ``max_prepared_statements``). Anywhere but
    PostgreSQL: Django's cursor."""
    if connection.vendor != "postgresql":
        with connection.cursor() as django_cursor:
            yield django_cursor
        return
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:  # Django's default: psycopg prepares nothing, even when asked
        raw.prepare_threshold = 2**31  # only when asked (this cursor): never by count
        raw.prepared_max = PREPARED_PER_CONNECTION
    with connection.wrap_database_errors:
        cursor = _PlannedCursor(raw)
    wrapper = _PlannedDebugWrapper if connection.queries_logged else CursorWrapper
    with wrapper(cursor, connection) as wrapped:
        yield wrapped


class _PlannedCursor(Cursor[Any]):
    """psycopg's cursor binding on the server (Django's binds on the client), every statement prepared."""

    def execute(
        self, query: Any, params: Any = None, *, prepare: bool | None = None, binary: bool | None = None
    ) -> Any:
        return super().execute(query, params, prepare=True, binary=binary)


class _PlannedDebugWrapper(CursorDebugWrapper):
    """Django's query log for ``planned_cursor``: the statement as written,
    with its placeholders (a run of a prepared statement leaves psycopg no
    query text, which Django's log would show as None)."""

    def execute(self, sql: Any, params: Any = None) -> Any:
        with self.debug_sql(sql, params, use_last_executed_query=False):
            return CursorWrapper.execute(self, sql, params)


_ALL: list[PreparedSql] = []


def prepared_sql(size: int = 256) -> PreparedSql:
    """A new cache of prepared SQL, emptied whenever a setting changes (tests
    override settings a build may read)."""
    cache = PreparedSql(size)
    _ALL.append(cache)
    return cache


def _forget_all(**_kwargs: Any) -> None:
    for cache in _ALL:
        cache.clear()


setting_changed.connect(_forget_all, dispatch_uid="cadrecare.core.prepared")
