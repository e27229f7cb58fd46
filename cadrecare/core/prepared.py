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
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.core.signals import setting_changed
from django.db import connection
from django.db.models import QuerySet


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
        """The SQL and parameters of ``build()``'s queryset, built only when
        nothing is kept under ``key`` or a read it made returns other rows."""
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
            return kept.sql, list(kept.params)
        recorder = _Recorder()
        self.builds += 1
        with connection.execute_wrapper(recorder):
            sql, params = _compile(build())
        if recorder.keepable:
            with self._lock:
                self._entries[key] = Prepared(sql, params, tuple(recorder.reads))
                self._entries.move_to_end(key)
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
        return sql, list(params)


VERIFY = os.environ.get("PREPARED_SQL_VERIFY") == "1"

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
