"""Reads on reminders: due items for a person, their notices, job runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Q, QuerySet

from cadrecare.core.i18n import choice_label
from cadrecare.core.prepared import planned_cursor
from cadrecare.org import scoping
from cadrecare.org.access import VIEW, rule_for
from cadrecare.org.models import Cadre, OrgUnit, User
from cadrecare.reminders.choices import ESCALATIONS, ItemState
from cadrecare.reminders.models import ChannelPreference, JobRun, Notice, OverdueTally
from cadrecare.reminders.services import channels_enabled, quiet_hours_default
from cadrecare.reminders.sources import SOURCES, DueItem, counts_by_area, due_items, due_items_sql, reading_due_items

# ?ordering= values and the union columns they sort on (a stable tie-break last).
DUE_ITEM_ORDERINGS = {
    "due_date": ("di_due_date", "di_kind", "di_object_id"),
    "-due_date": ("-di_due_date", "di_kind", "di_object_id"),
    "kind": ("di_kind", "di_due_date", "di_object_id"),
    "-kind": ("-di_kind", "di_due_date", "di_object_id"),
    "unit": ("di_unit_path", "di_due_date", "di_kind", "di_object_id"),
    "-unit": ("-di_unit_path", "di_due_date", "di_kind", "di_object_id"),
}


def due_item_where(
    *,
    today: dt.date,
    states: Iterable[str] = (),
    unit: OrgUnit | None = None,
    owner: int | None = None,
    cadre: int | None = None,
    due_from: dt.date | None = None,
    due_to: dt.date | None = None,
    urgent: bool | None = None,
) -> Q:
    """The list filters as one condition on the DueItem columns."""
    where = Q()
    state_q: dict[str, Q] = {  # keyed by the states as given (?state=)
        ItemState.UPCOMING: Q(di_due_date__gt=today),
        ItemState.DUE: Q(di_due_date=today),
        ItemState.OVERDUE: Q(di_due_date__lt=today),
    }
    states = list(states)
    if states:
        either = Q()
        for state in states:
            either |= state_q[state]
        where &= either
    if unit is not None:
        where &= Q(di_unit_path__startswith=unit.path)
    if owner is not None:
        where &= Q(di_owner_id=owner)
    if cadre is not None:
        where &= Q(di_cadre_id=cadre)
    if due_from is not None:
        where &= Q(di_due_date__gte=due_from)
    if due_to is not None:
        where &= Q(di_due_date__lte=due_to)
    if urgent is not None:
        where &= Q(di_urgent=urgent)
    return where


def due_item_list(
    *,
    user: User,
    today: dt.date,
    mine: bool = False,
    kinds: Iterable[str] | None = None,
    where: Q | None = None,
    ordering: str = "due_date",
) -> QuerySet:
    """Open items ``user`` sees (scope of each kind's resource, plus what they
    own), or only what they own with ``mine``; one UNION query, sorted."""
    return due_items(today=today, user=user, mine=mine, kinds=kinds, where=where).order_by(
        *DUE_ITEM_ORDERINGS[ordering]
    )


def due_item_sql(
    *,
    user: User,
    today: dt.date,
    mine: bool = False,
    kinds: Iterable[str] | None = None,
    where: Q | None = None,
) -> tuple[str | None, list[Any]]:
    """``due_item_list``'s items unordered, compiled (kept between requests:
    ``sources.due_items_sql``), for ``DueItemPages``."""
    return due_items_sql(today=today, user=user, mine=mine, kinds=kinds, where=where)


class DueItemPages:
    """A due-item list compiled once and read twice, for a page of it: the
    counts by state over the whole list, and the rows of a slice in one
    state (all: none given), sorted and sliced in SQL. Building and compiling
    the union of every source is most of a page's server time (about 120 ms
    each on the province data): one build, not one per read. Hand it to a
    ``Paginator`` as its object list, with the count from ``counts``."""

    def __init__(
        self,
        items: tuple[str | None, Sequence[Any]],
        *,
        today: dt.date,
        states: Iterable[str] = (),
        ordering: str = "due_date",
    ) -> None:
        self.today = today
        self._counts: dict[str, int] | None = None  # read with a page by ``read_page``
        self._read: tuple[int, int, list[DueItem]] | None = None  # that page: start, stop, items
        # Compiled and kept (``due_item_sql``: on PostgreSQL with its values bound in, as the prepared
        # statements of ``planned_cursor`` need them); None: nothing to read.
        sql, params = items
        self.sql, self.params = sql or "", list(params)
        state_sql: dict[str, str] = {
            ItemState.OVERDUE: "di_due_date < %s",
            ItemState.DUE: "di_due_date = %s",
            ItemState.UPCOMING: "di_due_date > %s",
        }
        self.states = states = list(states)
        self.where = " OR ".join(state_sql[state] for state in states) or "TRUE"
        self.where_params = [today] * len(states)
        self.order = ", ".join(
            f"{column.lstrip('-')} {'DESC' if column.startswith('-') else 'ASC'}"
            for column in DUE_ITEM_ORDERINGS[ordering]
        )

    _COUNTS_SQL = (
        "SUM(CASE WHEN di_due_date < %s THEN 1 ELSE 0 END)",
        "SUM(CASE WHEN di_due_date = %s THEN 1 ELSE 0 END)",
        "SUM(CASE WHEN di_due_date > %s THEN 1 ELSE 0 END)",
    )

    def read_page(self, number: int, size: int) -> None:
        """Read page ``number`` of the slice and the counts over the whole list
        in one query (window sums, taken before the slice's filter and LIMIT):
        planning and running the union once instead of twice. ``counts`` and
        the page's ``__getitem__`` then answer from what was read; a page past
        the end, or an empty state, reads no row, so ``counts`` asks on its own."""
        start = max(number - 1, 0) * size
        if not self.sql:
            return
        windows = ", ".join(f"{part} OVER () AS di_n{index}" for index, part in enumerate(self._COUNTS_SQL))
        with planned_cursor() as cursor:
            cursor.execute(
                f"SELECT * FROM (SELECT items.*, {windows}, ({self.where}) AS di_in_slice FROM ({self.sql}) AS items)"
                f" AS counted WHERE di_in_slice ORDER BY {self.order} LIMIT %s OFFSET %s",
                [self.today, self.today, self.today, *self.where_params, *self.params, size, start],
            )
            rows = cursor.fetchall()
        if rows:
            overdue, due, upcoming = (int(n) for n in rows[0][-4:-1])
            self._counts = {ItemState.OVERDUE: overdue, ItemState.DUE: due, ItemState.UPCOMING: upcoming}
            self._read = (start, start + size, [DueItem.from_row(row[:-4]) for row in rows])
        elif start == 0 and not self.states:  # the first page of the whole list is empty: so is the list
            self._counts = dict.fromkeys((ItemState.OVERDUE, ItemState.DUE, ItemState.UPCOMING), 0)
            self._read = (0, size, [])

    def counts(self) -> dict[str, int]:
        """How many items are overdue, due today and upcoming (one query, unless ``read_page`` read them)."""
        if self._counts is not None:
            return self._counts
        if not self.sql:
            return dict.fromkeys((ItemState.OVERDUE, ItemState.DUE, ItemState.UPCOMING), 0)
        with planned_cursor() as cursor:
            cursor.execute(
                "SELECT COALESCE(SUM(CASE WHEN di_due_date < %s THEN 1 ELSE 0 END), 0),"
                " COALESCE(SUM(CASE WHEN di_due_date = %s THEN 1 ELSE 0 END), 0),"
                f" COALESCE(SUM(CASE WHEN di_due_date > %s THEN 1 ELSE 0 END), 0) FROM ({self.sql}) AS items",
                [self.today, self.today, self.today, *self.params],
            )
            overdue, due, upcoming = cursor.fetchone()
        return {ItemState.OVERDUE: overdue, ItemState.DUE: due, ItemState.UPCOMING: upcoming}

    def count(self) -> int:
        """How many items the slices are taken from (what a ``Paginator`` asks)."""
        counts = self.counts()
        return sum(counts[state] for state in self.states) if self.states else sum(counts.values())

    def __getitem__(self, index: slice) -> list[DueItem]:
        start, stop = index.start or 0, index.stop
        if not self.sql:
            return []
        read = self._read
        if read is not None and read[0] == start and stop <= read[1]:  # the last page stops at the count
            return read[2][: stop - start]
        with planned_cursor() as cursor:
            cursor.execute(
                f"SELECT * FROM ({self.sql}) AS items WHERE {self.where} ORDER BY {self.order} LIMIT %s OFFSET %s",
                [*self.params, *self.where_params, stop - start, start],
            )
            return [DueItem.from_row(row) for row in cursor.fetchall()]


def due_item_rows(items: Sequence[DueItem], *, today: dt.date) -> list[dict[str, Any]]:
    """A page of items with the names a reader needs, in a fixed number of
    queries whatever the page size (users, their cadre names, units, cadres)."""
    user_ids = {item.owner_id for item in items if item.owner_id}
    users = {
        pk: f"{last}{first}".strip() or username
        for pk, username, first, last in User.objects.filter(pk__in=user_ids).values_list(
            "pk", "username", "first_name", "last_name"
        )
    }
    owner_cadres = {}  # the owner is shown as their cadre record, as every person in the API
    for user_id, cadre_id, name in Cadre.objects.filter(user_id__in=user_ids).values_list("user_id", "pk", "name"):
        owner_cadres[user_id], users[user_id] = cadre_id, name
    units = dict(
        OrgUnit.objects.filter(
            pk__in={item.unit_id for item in items} | {item.owner_unit_id for item in items if item.owner_unit_id}
        ).values_list("pk", "name")
    )
    cadres = dict(
        Cadre.objects.filter(pk__in={item.cadre_id for item in items if item.cadre_id}).values_list("pk", "name")
    )
    rows = []
    for item in items:
        days_left = (item.due_date - today).days
        state = ItemState.UPCOMING if days_left > 0 else ItemState.DUE if days_left == 0 else ItemState.OVERDUE
        source = SOURCES.get(item.kind)
        rows.append(
            {
                "id": item.key,
                "kind": item.kind,
                "kind_label": choice_label(source.label) if source else item.kind,
                "object_id": item.object_id,
                "title": item.title,
                "url": item.url,
                "due_date": item.due_date,
                "state": state.value,
                "state_label": choice_label(state.label),
                "days_left": max(days_left, 0),
                "days_overdue": max(-days_left, 0),
                "urgent": item.urgent,
                "cadre": item.cadre_id,
                "cadre_name": cadres.get(item.cadre_id, "") if item.cadre_id else "",
                "unit": item.unit_id,
                "unit_name": units.get(item.unit_id, ""),
                "owner": owner_cadres.get(item.owner_id) if item.owner_id else None,
                "owner_name": users.get(item.owner_id, "") if item.owner_id else "",
                "owner_unit": item.owner_unit_id,
                "owner_unit_name": units.get(item.owner_unit_id, "") if item.owner_unit_id else "",
                "vacant": item.owner_id is None,
            }
        )
    return rows


def notice_list(*, user: User) -> QuerySet[Notice]:
    """A person's own notices: the in-app inbox."""
    return Notice.objects.filter(recipient=user).select_related("unit", "owner", "owner_unit", "cadre")


def notice_unread_count(*, user: User) -> int:
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()


def job_run_list() -> QuerySet[JobRun]:
    return JobRun.objects.all()


def due_item_counts_by_area(
    *, user: User, today: dt.date, where: Q, prefix: int, kinds: Iterable[str] | None = None
) -> dict[tuple[str, str], int]:
    """How many open items in ``user``'s scope meet ``where``, per area and
    kind, the area being the first ``prefix`` characters of the item's unit
    path (a township's path, for the organization department's overview):
    one grouped query over the union, whatever the number of areas, reading
    only the columns it counts by (no owner or title computed per row)."""
    sql, params = due_items_sql(
        today=today, user=user, owned=False, where=where, kinds=kinds, columns=("di_kind", "di_unit_path")
    )
    return counts_by_area(sql, params, prefix)


def kinds_seen_whole(*, user: User, root: OrgUnit) -> set[str]:
    """The kinds of due item whose every item under ``root`` lies in
    ``user``'s scope: a grant on ``root`` or above whose rule views the
    kind's resource over the whole subtree (not only the user's own records
    or those routed to them). For these kinds the overdue tally counted for
    everyone (``overdue_tally``) is also the user's count."""
    if user.is_superuser:
        return set(SOURCES)
    grants = [grant for grant in scoping.grants_of(user) if root.path.startswith(grant.unit_path)]
    whole = set()
    for kind, source in SOURCES.items():
        for grant in grants:
            rule = rule_for(source.resource, grant.role)
            if rule is not None and VIEW in rule.actions and not rule.self_only and not rule.routed_only:
                whole.add(kind)
                break
    return whole


def overdue_tally(*, root: OrgUnit, today: dt.date) -> tuple[dict[tuple[str, str], int], dt.datetime] | None:
    """The overdue items per township and kind under ``root`` as the last
    ``overdue_tally_refresh`` counted them today, with when it counted; None
    when it has not counted today (the figures are then computed live). One
    query: the count's own row (no area, no kind) says it was made."""
    rows = list(
        OverdueTally.objects.filter(Q(area__startswith=root.path) | Q(area=""), day=today).values_list(
            "area", "kind", "overdue", "counted_at"
        )
    )
    if not rows:
        return None
    return {(area, kind): overdue for area, kind, overdue, _at in rows if kind}, min(at for *_rest, at in rows)


def escalation_list(*, user: User, today: dt.date) -> list[Notice]:
    """Items escalated to ``user``'s organization department and still open:
    the latest escalation notice of each (county or city stage), soonest due
    first. Two queries: the notices, then which of their items are still
    open in the user's scope (one union over the kinds concerned)."""
    notices = list(
        Notice.objects.filter(recipient=user, stage__in=ESCALATIONS)
        .order_by("kind", "object_id", "-period", "-pk")
        .distinct("kind", "object_id")
        .select_related("unit", "cadre", "owner", "owner_unit")
    )
    if not notices:
        return []
    with reading_due_items():
        open_items = due_item_list(
            user=user,
            today=today,
            kinds={notice.kind for notice in notices},
            where=Q(di_object_id__in={notice.object_id for notice in notices}),
        )
        still_open = {(item.kind, item.object_id) for item in map(DueItem.from_row, open_items)}
    return sorted(
        (notice for notice in notices if (notice.kind, notice.object_id) in still_open),
        key=lambda notice: (notice.due_date, notice.kind, notice.object_id),
    )


def channel_preference_of(*, user: User) -> dict[str, Any]:
    """How ``user`` is reached: their choices (the defaults when they made
    none), their address on each channel, and the service's channels."""
    preference = ChannelPreference.objects.filter(user=user).first() or ChannelPreference(user=user)
    default = quiet_hours_default()
    return {
        "email_on": preference.email_on,
        "sms_on": preference.sms_on,
        "wecom_on": preference.wecom_on,
        "dingtalk_on": preference.dingtalk_on,
        "quiet_start": preference.quiet_start,
        "quiet_end": preference.quiet_end,
        "email": user.email,
        "phone": Cadre.objects.filter(user=user).values_list("phone", flat=True).first() or "",
        "wecom_userid": preference.wecom_userid,
        "dingtalk_userid": preference.dingtalk_userid,
        "available": channels_enabled(),
        "default_quiet_hours": f"{default[0]:%H:%M}-{default[1]:%H:%M}" if default else "",
    }
