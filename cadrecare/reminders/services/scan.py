"""The scan: due items -> notices."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from cadrecare.core import clock
from cadrecare.core.bulk import copy_stage, raw_cursor, relax_commit
from cadrecare.core.errors import TRANSIENT_DB_ERRORS
from cadrecare.core.jobs import job_run_save
from cadrecare.core.locks import advisory_session_lock
from cadrecare.org.choices import UnitKind
from cadrecare.org.models import Cadre, OrgUnit, User, ancestor_paths
from cadrecare.reminders.choices import ESCALATIONS, JobStatus, Stage
from cadrecare.reminders.models import JobRun, Notice
from cadrecare.reminders.services.inserts import _PG_TYPES, NOTICE_COLUMNS, _insert_notices
from cadrecare.reminders.services.jobs import SCAN_JOB, SCAN_LOCK, job_run
from cadrecare.reminders.services.schedules import ScheduleRule, UnitBook
from cadrecare.reminders.sources import (
    SOURCES,
    DueItem,
    due_items,
    iter_due_items,
    org_department_users,
    reading_due_items,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Planned:
    item: DueItem
    stage: str
    period: dt.date
    days_late: int
    escalate_to: int | None = None  # the county or city unit whose organization department hears


def stages_of(item: DueItem, *, today: dt.date, rule: ScheduleRule, book: UnitBook) -> list[Planned]:
    """Which stages an item is in today: the owner N days before, on
    the day, every day while overdue; the county organization department once
    overdue by N days, the city's N more days later. Computed from today and
    the due date alone, so a run that comes late still makes every stage due.

    An item whose source gives its own lead times (a check-up: 60 and 30 days
    by the health policy) is reminded at each of them instead of N days
    before: once it is within a lead, the nearest lead's reminder, keyed on
    the day it falls (due date less the lead), so each lead is noticed once
    and a run after an outage sends only the latest one missed."""
    days_left = (item.due_date - today).days
    late = max(0, -days_left)
    planned: list[Planned] = []
    leads = item.leads
    if days_left > 0 and leads is not None:
        if lead := min((days for days in leads if days_left <= days), default=None):
            planned.append(Planned(item, Stage.UPCOMING, item.due_date - dt.timedelta(days=lead), 0))
    elif 0 < days_left <= rule.lead_days:
        planned.append(Planned(item, Stage.UPCOMING, item.due_date, 0))
    elif days_left == 0:
        planned.append(Planned(item, Stage.DUE, item.due_date, 0))
    elif late > 0:
        planned.append(Planned(item, Stage.OVERDUE, today, late))
    if late >= rule.county_after_days and (county := book.unit_above(item.unit_path, UnitKind.COUNTY)):
        planned.append(Planned(item, Stage.COUNTY, item.due_date, late, county))
    if late >= rule.city_overdue_days and (city := book.unit_above(item.unit_path, UnitKind.CITY)):
        planned.append(Planned(item, Stage.CITY, item.due_date, late, city))
    return planned


def person_names(user_ids: Iterable[int]) -> dict[int, str]:
    """How a person is named in a notice: their cadre name, else their account name."""
    ids = set(user_ids)
    names = {
        pk: (f"{last}{first}".strip() or username)
        for pk, username, first, last in User.objects.filter(pk__in=ids).values_list(
            "pk", "username", "first_name", "last_name"
        )
    }
    names.update(dict(Cadre.objects.filter(user_id__in=ids).values_list("user_id", "name")))
    return names


def notice_body(stage: str, item: DueItem, *, today: dt.date, days_late: int, owner: str) -> str:
    """The Chinese text of a notice; escalations say who owns the item and how late it is."""
    due = f"{item.due_date:%Y年%m月%d日}".replace("年0", "年").replace("月0", "月")
    if stage == Stage.UPCOMING:
        return f"{item.title}：将于{due}到期（还有{(item.due_date - today).days}天），请及时办理。"
    if stage == Stage.DUE:
        return f"{item.title}：今天（{due}）到期，请今天办理。"
    if stage == Stage.OVERDUE:
        return f"{item.title}：应于{due}完成，已逾期{days_late}天，请尽快办理。"
    level = "县委组织部" if stage == Stage.COUNTY else "市委组织部"
    return f"【{level}督办】{item.title}：应于{due}完成，已逾期{days_late}天。责任人：{owner}。"


# Items planned and written per transaction: memory and transaction size stay
# bounded whatever the backlog, and a run stopped half-way (time limit, a killed
# worker) keeps what it wrote; the next run, on the same unique keys, does the rest.
SCAN_BATCH = 5000


def reminders_scan(
    *,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
    kinds: Iterable[str] | None = None,
    lock: bool = True,
) -> JobRun:
    """Make today's notices for every open item in its reminder or escalation
    window, with the urgent ones' deliveries in the same transactions.

    Set-based: one query per source returns only items due within the
    longest lead time or overdue, so the cost follows the due items, not the
    records; notices go in by INSERT ... ON CONFLICT DO NOTHING under the
    unique key, which is what makes a second or concurrent run harmless, in
    batches of SCAN_BATCH items. The advisory lock only spares a concurrent
    run the work. A kind that fails is named in the run's errors and
    ``failed_kinds``, and the run is partial; the other kinds still go out. A
    lost database fails the run (naming the kind it cut off) and raises, so the
    task retries the scan.
    """
    now = timezone.localtime(now or clock.now())
    today = today or now.date()
    with job_run(SCAN_JOB, now=now) as run, advisory_session_lock(SCAN_LOCK if lock else None) as held:
        if not held:
            run.status = JobStatus.SKIPPED
            run.detail = {"reason": "another scan holds the lock"}
            return run
        seconds = {"items": 0.0, "plan": 0.0, "insert": 0.0}
        book = UnitBook()
        horizon = today + dt.timedelta(days=book.max_lead_days)
        per_kind: dict[str, int] = {}
        failed: list[str] = []
        totals = {"stages": 0, "deliveries": 0, "rerouted": 0, "unroutable": 0}
        for kind in sorted(SOURCES if kinds is None else set(kinds) & set(SOURCES)):
            try:
                per_kind[kind] = _scan_kind(
                    kind, today=today, horizon=horizon, now=now, book=book, run=run, seconds=seconds, totals=totals
                )
            except TRANSIENT_DB_ERRORS:
                # The database went away: fail the run and let the task retry it all
                # (what this run wrote is keyed, so the retry makes only the rest).
                run.errors = [*run.errors, f"{kind}: 数据库连接中断"]
                run.detail = {"today": today.isoformat(), "failed_kinds": [kind], "items_by_kind": per_kind}
                raise
            except Exception as exc:  # one kind's bug must not silence every other kind
                logger.exception("due-item kind %s failed", kind)
                failed.append(kind)
                run.errors = [*run.errors, f"{kind}: {type(exc).__name__}: {exc}"]
        if failed:
            run.status = JobStatus.PARTIAL
        if totals["unroutable"]:
            logger.warning("%d reminder stages have nobody to hear them up the tree", totals["unroutable"])
        run.detail = {
            "today": today.isoformat(),
            "items_by_kind": per_kind,
            "failed_kinds": failed,
            "stages": totals["stages"],
            "urgent_deliveries": totals["deliveries"],
            "rerouted_stages": totals["rerouted"],
            "unroutable_stages": totals["unroutable"],
            "seconds": {k: round(v, 3) for k, v in seconds.items()},
        }
    return run


def _scan_kind(
    kind: str,
    *,
    today: dt.date,
    horizon: dt.date,
    now: dt.datetime,
    book: UnitBook,
    run: JobRun,
    seconds: dict[str, float],
    totals: dict[str, int],
) -> int:
    """One kind's share of the scan: its items in the window, their stages,
    the notices in batches; returns how many items it read."""
    started = time.monotonic()
    with reading_due_items():
        in_window = Q(di_due_date__lte=horizon) | Q(di_remind_from__lte=today)
        items = list(iter_due_items(due_items(today=today, where=in_window, kinds=[kind])))
    seconds["items"] += time.monotonic() - started
    run.scanned += len(items)
    for start in range(0, len(items), SCAN_BATCH):
        started = time.monotonic()
        planned = [
            plan
            for item in items[start : start + SCAN_BATCH]
            for plan in stages_of(item, today=today, rule=book.rule_for(item.unit_path), book=book)
        ]
        rows = _notices_for(planned, book=book, today=today, now=now, run=run, totals=totals)
        totals["stages"] += len(planned)
        seconds["plan"] += time.monotonic() - started
        started = time.monotonic()
        with transaction.atomic():
            relax_commit()
            made, sent = _insert_notices(rows, run=run, now=now)
        run.created += made
        totals["deliveries"] += sent
        seconds["insert"] += time.monotonic() - started
        job_run_save(run, ["scanned", "created", "errors"])  # progress, visible while it runs
    return len(items)


def _notices_for(
    planned: list[Planned], *, book: UnitBook, today: dt.date, now: dt.datetime, run: JobRun, totals: dict[str, int]
) -> list[tuple]:
    """The notices of the planned stages, one per recipient. The owner's
    stages go to the owner; when the post is vacant or the owner's account is
    disabled, to the organization department of the owner unit (else the
    county above, else the city): never to a disabled account. Escalations go
    to the county's or city's organization department. A department with
    nobody in it passes its stages to the nearest one above that has someone
    (counted in ``totals["rerouted"]``); a stage nobody up the tree can hear
    makes no notice and is counted in ``totals["unroutable"]``."""
    owners = {p.item.owner_id for p in planned if p.item.owner_id}
    active = set(User.objects.filter(pk__in=owners, is_active=True).values_list("pk", flat=True))

    def standing_in(item: DueItem) -> int | None:
        """The unit whose organization department acts for an owner who cannot hear."""
        return (
            item.owner_unit_id
            or book.unit_above(item.unit_path, UnitKind.COUNTY)
            or book.unit_above(item.unit_path, UnitKind.CITY)
        )

    # The stages their owner hears, by plan; every other stage is a department's (None: no unit to ask).
    by_owner = {
        id(plan): plan.item.owner_id for plan in planned if not plan.escalate_to and plan.item.owner_id in active
    }
    by_unit = {id(plan): plan.escalate_to or standing_in(plan.item) for plan in planned if id(plan) not in by_owner}
    # Whose department stands in for an owner who cannot hear: named in the notices.
    stand_ins = {id(plan): standing_in(plan.item) for plan in planned if plan.item.owner_id not in active}
    departments, answered_by = _departments_hearing(
        unit for unit in (*by_unit.values(), *stand_ins.values()) if unit is not None
    )
    for unit in by_unit.values():
        totals["rerouted"] += unit in answered_by and answered_by[unit] != unit
        totals["unroutable"] += unit not in departments
    names = person_names(owners)
    named = {*answered_by.values(), *stand_ins.values()}
    unit_names = dict(OrgUnit.objects.filter(pk__in=named).values_list("pk", "name"))

    def recipients(plan: Planned) -> list[int]:
        if (owner := by_owner.get(id(plan))) is not None:
            return [owner]
        unit = by_unit[id(plan)]
        return departments.get(unit, []) if unit is not None else []

    to_whom = [(plan, recipient) for plan in planned for recipient in recipients(plan)]
    made = _notices_made([(p.item.kind, p.item.object_id, recipient, p.stage, p.period) for p, recipient in to_whom])
    notices = []
    for plan, recipient in to_whom:
        item = plan.item
        if (item.kind, item.object_id, recipient, plan.stage, plan.period) in made:
            continue
        if item.owner_id in active:
            owner = names.get(item.owner_id, "")
        else:
            # The reader must know whether to fill a post or to open a login again.
            why = f"{names.get(item.owner_id, '')}的账号已停用" if item.owner_id else "岗位空缺"
            stand_in = stand_ins[id(plan)] or 0
            owner = f"{why}，由{unit_names.get(answered_by.get(stand_in, stand_in), '')}组织部门代办"
        body = notice_body(plan.stage, item, today=today, days_late=plan.days_late, owner=owner)
        if item.owner_id not in active and plan.stage not in ESCALATIONS:
            body += f"（{owner}。）"  # a department hearing an owner's reminder is told why it is theirs
        # An urgent notice is born handed to the outbox (its deliveries are made with it).
        urgent = item.urgent or plan.stage in ESCALATIONS
        notices.append(
            (
                item.kind,
                item.object_id,
                recipient,
                plan.stage,
                plan.period,
                item.unit_id,
                item.cadre_id,
                item.owner_id,
                item.owner_unit_id,
                item.due_date,
                plan.days_late,
                item.title[:200],
                body,
                item.url[:300],
                urgent,
                now,
                urgent,
                run.pk,
            )
        )
    return notices


def _departments_hearing(unit_ids: Iterable[int]) -> tuple[dict[int, list[int]], dict[int, int]]:
    """Who hears for each unit's organization department: its own active
    members, else those of the nearest unit above that has any. Returns the
    recipients per unit and the unit whose department answers for it (units
    nobody hears for left out of both)."""
    paths = dict(OrgUnit.objects.filter(pk__in=set(unit_ids)).values_list("pk", "path"))
    chains = {pk: ancestor_paths(path) for pk, path in paths.items()}
    by_path = dict(
        OrgUnit.objects.filter(path__in={p for chain in chains.values() for p in chain}).values_list("path", "pk")
    )
    members = org_department_users(by_path.values())
    hearing: dict[int, list[int]] = {}
    answered_by: dict[int, int] = {}
    for pk, chain in chains.items():
        if answering := next((by_path[p] for p in chain if members.get(by_path.get(p, 0))), None):
            hearing[pk] = members[answering]
            answered_by[pk] = answering
    return hearing, answered_by


def _notices_made(keys: list[tuple]) -> set[tuple]:
    """Which of the notice keys (kind, object, recipient, stage, period) exist
    already: one query on the unique index, shipping only the keys. Most of a
    day's plan is made already (the one-off stages of every item still in its
    window, everything on a second run), and sending those whole rows to be
    refused by ON CONFLICT cost nearly as much as inserting them. Only a
    shortcut: ON CONFLICT still decides, so a concurrent run stays harmless."""
    if not keys or connection.vendor != "postgresql":
        return set()
    columns = NOTICE_COLUMNS[:5]
    with transaction.atomic(), raw_cursor() as cursor:
        copy_stage(cursor, "scan_notice_key", columns, _PG_TYPES[:5], keys)
        # A probe of the unique index per key (LATERAL ... LIMIT 1): the cost follows the keys, never the
        # size of the table, which a hash join the planner may prefer would read whole.
        match = " AND ".join(f"n.{name} = k.{name}" for name in columns)
        cursor.execute(
            f"SELECT k.* FROM scan_notice_key k CROSS JOIN LATERAL (SELECT 1 FROM "
            f"{connection.ops.quote_name(Notice._meta.db_table)} n WHERE {match} LIMIT 1) AS made"
        )
        return set(cursor.fetchall())
