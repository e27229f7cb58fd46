"""The due-item source registry: every kind of thing that falls due, computed
from the records it comes from ("not copied into a second table that
can drift").

A source is a function ``(*, today) -> QuerySet`` registered under a kind. It
returns the *open* items of its model (done, waived or cancelled ones left
out), annotated with the DueItem columns by ``due_columns(...)``: one SQL
query, no Python loop. The registry does the rest uniformly over those
columns: scope (the source model's ``SCOPE_UNIT`` / ``SCOPE_CADRE`` under the
source's ``resource`` in the access table), "mine" (owner), filters, the
union of every kind, sorting and paging in the database. See docs/reminders.md
("Adding a kind of due item") for the contract; apps add their kinds in
``cadrecare/<app>/due.py``, which ``RemindersConfig.ready`` imports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, TypedDict, Unpack

from django.db import connection, models, transaction
from django.db.models import ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast, Concat
from django.utils import translation

from cadrecare.core import clock
from cadrecare.core.prepared import planned_cursor, prepared_sql
from cadrecare.org import posts
from cadrecare.org.access import VIEW
from cadrecare.org.choices import Role
from cadrecare.org.models import OrgUnit, RoleGrant, User
from cadrecare.org.scoping import grants_of, own_cadre_id, scope_filter

# The columns every source projects onto, in this order (a UNION needs one).
# Prefixed so they never clash with a source model's own field names.
COLUMNS = (
    "di_kind",
    "di_object_id",
    "di_cadre_id",
    "di_unit_id",
    "di_unit_path",
    "di_owner_id",
    "di_owner_unit_id",
    "di_due_date",
    "di_title",
    "di_url",
    "di_urgent",
    "di_lead_days",
    "di_remind_from",
)

# Roles that act for an organization department: they receive escalations and
# the items whose owner's post is vacant.
ORG_DEPARTMENT_ROLES = (Role.ORG_ADMIN, Role.ORG_STAFF)


@dataclass(frozen=True)
class DueItem:
    """One open item: what is due, about whom, where, who must act, by when."""

    kind: str
    object_id: int
    cadre_id: int | None
    unit_id: int
    unit_path: str
    owner_id: int | None  # None: the post is vacant, the owner unit's organization department acts
    owner_unit_id: int | None
    due_date: dt.date
    title: str
    url: str
    urgent: bool
    # The source's own reminder lead times ("60,30"), None: the unit's reminder
    # schedule (N days before); and the first day of the longest of them.
    lead_days: str | None = None
    remind_from: dt.date | None = None

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> DueItem:
        item = cls(*row)
        if isinstance(item.due_date, str):
            # SQLite (make run's database) hands a UNION's dates back as text and its booleans as integers.
            remind_from = dt.date.fromisoformat(item.remind_from) if item.remind_from else None
            item = replace(
                item, due_date=dt.date.fromisoformat(item.due_date), urgent=bool(item.urgent), remind_from=remind_from
            )
        return item

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.object_id}"

    @property
    def leads(self) -> tuple[int, ...] | None:
        """The source's own lead times in days, longest first (None: the unit schedule's)."""
        if self.lead_days is None:
            return None
        return tuple(sorted((int(day) for day in self.lead_days.split(",") if day.strip()), reverse=True))


SourceFunction = Callable[..., QuerySet]
OwnedWithin = Callable[[User], Q | None]


@dataclass(frozen=True)
class Source:
    kind: str
    label: str  # Chinese name of the kind, shown in lists and digests
    resource: str  # the access-table resource whose view scope says who sees these items
    items: SourceFunction  # (*, today) -> open items annotated with due_columns()
    # (user) -> a condition on the source's rows that every item ``user`` owns
    # meets (None: they own none), for a source whose owner is computed (a
    # role holder found by a subquery): without it, "mine" computes the owner
    # of every row in the province to keep a handful (1.3 s for regular
    # talks); with it, only the rows near the user's own units, and a source
    # the user can own nothing of is left out of the union.
    owned_within: OwnedWithin | None = None


SOURCES: dict[str, Source] = {}


def register(
    kind: str, *, label: str, resource: str, owned_within: OwnedWithin | None = None
) -> Callable[[SourceFunction], SourceFunction]:
    """Decorator: register ``func`` as the source of the items of ``kind``."""

    def decorate(func: SourceFunction) -> SourceFunction:
        SOURCES[kind] = Source(kind=kind, label=label, resource=resource, items=func, owned_within=owned_within)
        return func

    return decorate


def unregister(kind: str) -> None:
    SOURCES.pop(kind, None)


Column = str | Combinable | None


def _expr(value: Column, output: models.Field) -> Combinable:
    if value is None:
        # Typed: two bare NULLs in a row of the union resolve to text, and a
        # later part's date or number then fails to match it.
        return Cast(Value(None), output_field=output)
    if isinstance(value, str):
        return Cast(models.F(value), output_field=output)
    return Cast(value, output_field=output)


def lead_days_text(days: Iterable[int]) -> str:
    """Lead times as the ``di_lead_days`` column holds them: "60,30"."""
    return ",".join(str(day) for day in sorted(set(days), reverse=True))


def due_columns(
    *,
    kind: str,
    cadre_id: Column,
    unit_id: Column,
    unit_path: Column,
    due_date: Column,
    title: Combinable | str,
    url: Combinable | str = "",
    owner_id: Column = None,
    owner_unit_id: Column = None,
    object_id: Column = "id",
    urgent: bool | Combinable = False,
    lead_days: Sequence[int] | Combinable | None = None,
    remind_from: Column = None,
) -> dict[str, Combinable]:
    """The ``annotate()`` keywords projecting a source model onto the DueItem
    columns. Strings name fields (``"cadre__unit__path"``); expressions are
    used as they are; ``title`` / ``url`` strings are literal text.

    ``lead_days``: the source's own reminder lead times, instead of the unit
    schedule's N days: a list of days (``[60, 30]``), or an expression giving
    them as text (``lead_days_text``) together with ``remind_from``, the due
    date less the longest of them (the scan reads items from that day on).
    """
    text: models.CharField[str, str] = models.CharField()
    if isinstance(lead_days, Sequence) and not isinstance(lead_days, str):
        longest = max(lead_days, default=0)
        if remind_from is None:
            remind_from = ExpressionWrapper(
                _expr(due_date, models.DateField()) - dt.timedelta(days=longest), output_field=models.DateField()
            )
        lead_days = Value(lead_days_text(lead_days), output_field=text)
    elif lead_days is not None and remind_from is None:
        raise ValueError("lead_days given as an expression needs remind_from")
    return {
        "di_kind": Value(kind, output_field=text),
        "di_object_id": _expr(object_id, models.BigIntegerField()),
        "di_cadre_id": _expr(cadre_id, models.BigIntegerField()),
        "di_unit_id": _expr(unit_id, models.BigIntegerField()),
        "di_unit_path": _expr(unit_path, text),
        "di_owner_id": _expr(owner_id, models.BigIntegerField()),
        "di_owner_unit_id": _expr(owner_unit_id, models.BigIntegerField()),
        "di_due_date": _expr(due_date, models.DateField()),
        "di_title": Cast(Value(title), output_field=text) if isinstance(title, str) else Cast(title, text),
        "di_url": Cast(Value(url), output_field=text) if isinstance(url, str) else Cast(url, text),
        "di_urgent": Value(urgent, output_field=models.BooleanField())
        if isinstance(urgent, bool)
        else Cast(urgent, models.BooleanField()),
        "di_lead_days": _expr(lead_days, text),
        "di_remind_from": _expr(remind_from, models.DateField()),
    }


def unit_role_holder(unit_field: str, role: str, day: dt.date | None = None) -> Subquery:
    """The owner of an item by role: the first active user holding ``role`` on
    the unit named by ``unit_field`` on ``day`` (default today), an acting
    grant running that day first (None when no one does: a vacant post, whose
    items go to the organization department above)."""
    return Subquery(
        RoleGrant.objects.filter(posts.running(day or clock.today()), unit=OuterRef(unit_field), role=role)
        .filter(user__is_active=True)
        .order_by(F("acting_from").desc(nulls_last=True), "id")
        .values("user_id")[:1]
    )


def kept_by_cadre_unit_role(
    role: str, *, kind: str, due_date: Column, title: str, url: Combinable | str, today: dt.date, **columns: Any
) -> dict[str, Combinable]:
    """The ``due_columns`` of an item about a cadre (a source with a ``cadre``
    field) kept by the holder of ``role`` on the cadre's unit on ``today``,
    the organization department above while nobody holds it: the owner that
    ``role_holder_owned_within(role, "cadre__unit")`` finds. The title is the
    cadre's name and ``title``; ``columns`` are the others of ``due_columns``."""
    return due_columns(
        kind=kind,
        cadre_id="cadre_id",
        unit_id="cadre__unit_id",
        unit_path="cadre__unit__path",
        due_date=due_date,
        title=Concat("cadre__name", Value(title)),
        url=url,
        owner_id=unit_role_holder("cadre__unit_id", role, today),
        owner_unit_id="cadre__unit__parent_id",
        **columns,
    )


def role_holder_owned_within(role: str, unit_field: str) -> OwnedWithin:
    """``owned_within`` for a source owned by the holder of ``role`` on the
    unit at ``unit_field`` (``unit_role_holder``), with the organization
    department of the unit above while nobody holds it (owner unit:
    ``<unit_field>__parent_id``): what ``user`` owns lies in the units of
    their ``role`` grants or under their department's; None for anyone else,
    whose "mine" leaves the source out."""

    def within(user: User) -> Q | None:
        units, org_units = grant_unit_ids(user, role), org_department_unit_ids(user)
        if not units and not org_units:
            return None
        return Q(**{f"{unit_field}__in": units}) | Q(**{f"{unit_field}__parent_id__in": org_units})

    return within


def post_items_owned_within(hand: str, *fallback_units: str) -> OwnedWithin:
    """``owned_within`` for a source whose items follow a post
    (cadrecare.org.posts): what ``user`` owns lies among the items assigned
    to them by hand (``hand``), those of a post they hold or act in, and
    those whose fallback unit (``fallback_units``: where the organization
    department acts while the post is vacant) is one they act for."""

    def within(user: User) -> Q:
        units = sorted({unit for unit, _post in posts.posts_held(user, None)})
        org_units = org_department_unit_ids(user)
        where = Q(**{hand: user.pk}) | Q(owner_post_unit_id__in=units)
        for field in fallback_units:
            where |= Q(**{f"{field}__in": org_units})
        return where

    return within


def api_url(prefix: str, field: str = "id") -> Combinable:
    """``/api/v1/<prefix>/<id>/``: where the owner goes to act on the item."""
    return Concat(Value(f"/api/v1/{prefix}/"), Cast(models.F(field), models.CharField()), Value("/"))


# ---------------------------------------------------------------------------
# Reading items
# ---------------------------------------------------------------------------


def org_department_unit_ids(user: User) -> list[int]:
    """Units on which ``user`` acts for the organization department."""
    return [grant.unit_id for grant in grants_of(user) if grant.role in ORG_DEPARTMENT_ROLES]


def grant_unit_ids(user: User, role: str) -> list[int]:
    """Units on which ``user`` holds ``role``."""
    return [grant.unit_id for grant in grants_of(user) if grant.role == role]


def owned_by(user: User) -> Q:
    """Items ``user`` must act on: theirs by name, or vacant-post items of a
    unit whose organization department they belong to."""
    return Q(di_owner_id=user.pk) | Q(di_owner_id__isnull=True, di_owner_unit_id__in=org_department_unit_ids(user))


class DueFilters(TypedDict, total=False):
    """Which items ``due_items`` reads besides the day, and how (described
    there): one list for it, ``due_items_sql`` and its key, so a filter added
    cannot be left out of the compiled SQL's key."""

    user: User | None
    mine: bool
    owned: bool
    where: Q | None
    kinds: Iterable[str] | None
    columns: Sequence[str]


def _source_rows(source: Source, *, today: dt.date, **filters: Unpack[DueFilters]) -> list[QuerySet]:
    """The parts of the union one source gives: its items in the user's scope
    and, apart, those they own outside it. Not one filter ORing the two: the
    owner is computed per row in several sources, and an OR made PostgreSQL
    compute it for every row of the province before the scope applied (a
    county's 全部待办 took 6.6 s); apart, each part reads its rows by index."""
    user, where, kinds = filters.get("user"), filters.get("where"), filters.get("kinds")
    mine, owned, columns = filters.get("mine", False), filters.get("owned", True), filters.get("columns", COLUMNS)
    if kinds is not None and source.kind not in kinds:
        return []
    within: Q | None = Q() if owned else None
    if user is not None and owned and source.owned_within is not None:
        within = source.owned_within(user)
        if mine and within is None:
            return []  # the user owns nothing of this kind: the source is not even built
    queryset = source.items(today=today)
    if where is not None:
        queryset = queryset.filter(where)
    if user is None:
        return [queryset.order_by().values_list(*columns)]
    in_scope = None if mine else scope_filter(user, source.resource, VIEW, queryset.model)
    parts = []
    if in_scope is not None:
        parts.append(queryset.filter(in_scope))
    # What the user owns outside their scope (all of it with ``mine``); none
    # when the scope has no bounds (a superuser's).
    if within is not None and (in_scope is None or in_scope):
        mine_part = queryset.filter(owned_by(user) & within)
        parts.append(mine_part if in_scope is None else mine_part.exclude(in_scope))
    return [part.order_by().values_list(*columns) for part in parts]


def due_items(*, today: dt.date, **filters: Unpack[DueFilters]) -> QuerySet:
    """Every open item of every registered kind as one query (a UNION ALL of
    the sources) of DueItem column tuples, for ``user``'s scope and ownership
    (everything when ``user`` is None, for the scan); ``where`` filters on
    the ``di_`` columns. Order and slice it like any queryset.

    ``owned=False`` leaves out what the user owns outside their scope, and
    ``columns`` selects fewer columns: for counting what lies in a scope,
    where the owner and title of every row need not be computed (the owner
    is a subquery per row in several sources)."""
    if (kinds := filters.get("kinds")) is not None:
        filters["kinds"] = frozenset(kinds)  # read once per source
    parts = [part for source in SOURCES.values() for part in _source_rows(source, today=today, **filters)]
    if not parts:
        return _nothing()
    first, *rest = parts
    return first.union(*rest, all=True) if rest else first


# The compiled union per request shape and user (cadrecare.core.prepared).
PREPARED = prepared_sql(size=128)  # 60-160 KB of SQL an entry: at most about 20 MB a process


def _user_key(user: User | None) -> Hashable:
    """What the sources' builds take from the user object rather than read
    from the database: the grants cached on it for the request (and the
    user's cadre), the flags scope reads. Everything else about the user
    (posts held, acting grants, the units their routes reach) the builds
    query, and the prepared SQL replays those queries on every use."""
    if user is None:
        return None
    return (user.pk, user.is_superuser, user.is_active, tuple(grants_of(user)), own_cadre_id(user))


def due_items_sql(*, today: dt.date, **filters: Unpack[DueFilters]) -> tuple[str | None, list[Any]]:
    """``due_items(...)`` unordered, as SQL and parameters (None: nothing to
    read), built and compiled once per user and request shape and kept while
    what the build read is unchanged (``PREPARED``): building and compiling
    the union of every kind was 70 % of 我的待办's time. The key holds every
    input the build takes from Python: the sources registered, the day (the
    one given and the clock's, which some sources read), the language, the
    user's grants, the arguments."""
    if (kinds := filters.get("kinds")) is not None:
        filters["kinds"] = frozenset(kinds)
    if (columns := filters.get("columns")) is not None:
        filters["columns"] = tuple(columns)
    key = (
        tuple(SOURCES.values()),
        today,
        clock.today(),
        translation.get_language(),
        _user_key(filters.get("user")),
        tuple(sorted((name, value) for name, value in filters.items() if name != "user")),
    )
    return PREPARED.get(key, lambda: due_items(today=today, **filters).order_by())


def counts_by_area(sql: str | None, params: Sequence[Any], prefix: int) -> dict[tuple[str, str], int]:
    """How many items of ``due_items_sql``'s answer (with at least the
    ``di_kind`` and ``di_unit_path`` columns) there are per area and kind,
    the area being the first ``prefix`` characters of the item's unit path:
    one grouped query (none when there is nothing to read)."""
    if sql is None:
        return {}
    with planned_cursor() as cursor:
        cursor.execute(
            f"SELECT LEFT(di_unit_path, %s), di_kind, COUNT(*) FROM ({sql}) AS items GROUP BY 1, 2", [prefix, *params]
        )
        return {(area, kind): count for area, kind, count in cursor.fetchall()}


def _nothing() -> QuerySet:
    columns = due_columns(kind="", cadre_id=None, unit_id="id", unit_path="path", due_date=None, title="")
    return OrgUnit.objects.none().annotate(**columns).values_list(*COLUMNS)


@contextmanager
def reading_due_items() -> Iterator[None]:
    """A transaction for reading due items, with PostgreSQL's JIT compiler off:
    the union of aggregates and per-row subqueries is estimated far above the
    JIT threshold, and compiling it took 1.4 s of a 3 s check-up query on the
    province data (the query itself runs in milliseconds per thousand rows).
    And with the generic plan of a prepared statement (``planned_cursor``)
    always used: PostgreSQL would otherwise keep planning the union on every
    run (its generic plan's estimate is the higher), which cost more than
    running it (the demo secretary's: 6 ms of CPU a run instead of 29, the
    values are bound into the union's SQL, so the generic plan knows them;
    benchmarks/README.md)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('jit', 'off', true), set_config('plan_cache_mode', 'force_generic_plan', true)"
                )
        yield


def iter_due_items(queryset: QuerySet, chunk_size: int = 5000) -> Iterator[DueItem]:
    for row in queryset.iterator(chunk_size=chunk_size):
        yield DueItem.from_row(row)


def org_department_users(unit_ids: Iterable[int]) -> dict[int, list[int]]:
    """Active users acting for the organization department of each unit."""
    found: dict[int, set[int]] = {}
    for unit_id, user_id in RoleGrant.objects.filter(
        posts.running(clock.today()), unit_id__in=set(unit_ids), role__in=ORG_DEPARTMENT_ROLES, user__is_active=True
    ).values_list("unit_id", "user_id"):
        found.setdefault(unit_id, set()).add(user_id)
    return {unit_id: sorted(users) for unit_id, users in found.items()}
