"""Reminders: the scan that turns due items into notices, the daily digest,
the outbox dispatcher and sender, and reading notices
(docs/reliability.md).

Every job is idempotent because its effects are rows under unique keys:
running it twice, after a crash, or from two beats at once makes each notice
and each delivery once. Stages follow from today against the due date, never
from the tick that happened to run, so an item that fell due while no worker
ran is noticed on the next run (catch-up). Every function takes ``today`` /
``now`` so tests control the clock.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import traceback
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, DateTimeField, F, OuterRef, Q, QuerySet, Subquery, Value
from django.http import HttpRequest
from django.utils import timezone

from cadrecare.audit.models import AuditAction
from cadrecare.audit.services import Access, audit_log
from cadrecare.core import clock
from cadrecare.core.broker import queue_depth
from cadrecare.core.errors import TRANSIENT_DB_ERRORS, ConflictError, DomainError
from cadrecare.org.choices import UnitKind
from cadrecare.org.models import Cadre, OrgUnit, User, ancestor_paths
from cadrecare.reminders.channels import channel_send
from cadrecare.reminders.choices import ESCALATIONS, Channel, DeliveryStatus, JobStatus, ReceiptStatus, Stage
from cadrecare.reminders.gateways import GiveUp
from cadrecare.reminders.models import (
    DEFAULT_CITY_AFTER_DAYS,
    DEFAULT_COUNTY_AFTER_DAYS,
    DEFAULT_LEAD_DAYS,
    ChannelPreference,
    Delivery,
    Digest,
    JobRun,
    Notice,
    ReminderSchedule,
)
from cadrecare.reminders.sources import (
    SOURCES,
    DueItem,
    due_items,
    iter_due_items,
    org_department_users,
    reading_due_items,
)

logger = logging.getLogger(__name__)

SCAN_JOB = "reminders_scan"
DIGEST_JOB = "reminders_digest"
DISPATCH_JOB = "reminders_dispatch"
# pg advisory lock keys: they only keep a second scan or dispatcher from doing
# the same work at once; correctness comes from the unique keys.
SCAN_LOCK = 6_000_001
DISPATCH_LOCK = 6_000_002
DIGEST_LOCK = 6_000_003


def _setting(name: str, default: object) -> object:
    return getattr(settings, name, default)


# ---------------------------------------------------------------------------
# Job runs
# ---------------------------------------------------------------------------


def job_lease() -> dt.timedelta:
    """How long a run may say 'running': a task is killed at the hard time
    limit, so a run still running a minute after it died with its process."""
    return dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


@contextmanager
def job_run(name: str, *, now: dt.datetime | None = None) -> Iterator[JobRun]:
    """Record one run of a job: the row is written before the work (so a run
    in progress is visible), finished after it: failed with the error when
    the work raised (and the error raised on, so the task retries a lost
    database), else succeeded unless the job said otherwise (partial,
    skipped). A run whose process died without a word is failed by
    ``job_runs_expire`` once its lease is over."""
    run = JobRun.objects.create(name=name, started_at=now or clock.now(), lease_until=clock.now() + job_lease())
    try:
        yield run
    except Exception as exc:
        run.status = JobStatus.FAILED
        run.errors = [*run.errors, f"{type(exc).__name__}: {exc}", traceback.format_exc(limit=5)]
        raise
    else:
        if run.status == JobStatus.RUNNING:
            run.status = JobStatus.SUCCEEDED
    finally:
        # The real end, even when the job ran on a given clock (never before its start).
        run.finished_at = max(clock.now(), run.started_at)
        _run_save(run, ["status", "finished_at", "scanned", "created", "errors", "detail"])


def _run_save(run: JobRun, fields: list[str]) -> None:
    """Save a run's progress or end, on a new connection if the job's own was
    lost (the reason the run failed); if the database is still away, the
    lease sweep records the failure later."""
    try:
        run.save(update_fields=fields)
    except TRANSIENT_DB_ERRORS:
        if connection.in_atomic_block:
            raise
        connection.close()
        try:
            run.save(update_fields=fields)
        except TRANSIENT_DB_ERRORS:
            logger.exception("job run %s could not be recorded; its lease will expire", run.pk)


def job_runs_expire(*, now: dt.datetime | None = None) -> int:
    """Fail every run still 'running' past its lease: its process was killed
    (SIGKILL, out of memory, a lost machine) before it could say so. The next
    run of the job does the work, its effects being keyed rows. Returns how
    many runs were failed."""
    now = now or clock.now()
    expired = 0
    with transaction.atomic():
        for run in JobRun.objects.select_for_update(skip_locked=True).filter(
            status=JobStatus.RUNNING, lease_until__lt=now
        ):
            run.status = JobStatus.FAILED
            run.finished_at = now
            lease = f"{timezone.localtime(run.lease_until):%Y-%m-%d %H:%M:%S}"
            run.errors = [
                *run.errors,
                f"租约于 {lease} 到期时仍未结束：执行它的进程已中断"
                "（被终止、超时或失去数据库连接），未做完的部分由下一次运行补做。",
            ]
            run.save(update_fields=["status", "finished_at", "errors"])
            expired += 1
    if expired:
        logger.warning("%d job runs were still running past their lease: marked failed", expired)
    return expired


def _try_advisory_lock(key: int) -> bool:
    """Take a transaction-level advisory lock if PostgreSQL is underneath
    (SQLite, the embedded default, serialises writers anyway)."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [key])
        return bool(cursor.fetchone()[0])


def _relax_commit() -> None:
    """Let this transaction's commit return before its WAL reaches the disk.
    Safe for a re-runnable job: a crash can only lose the latest run, which the
    next run (same unique keys, stages from the calendar) makes again."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


# ---------------------------------------------------------------------------
# Schedules: per unit, inherited down the tree
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    lead_days: int = DEFAULT_LEAD_DAYS
    county_after_days: int = DEFAULT_COUNTY_AFTER_DAYS
    city_after_days: int = DEFAULT_CITY_AFTER_DAYS

    @property
    def city_overdue_days(self) -> int:
        return self.county_after_days + self.city_after_days


class UnitBook:
    """Per-unit facts the scan needs, loaded once: the schedule in force (the
    nearest unit up the tree that has one), the county and city above."""

    def __init__(self) -> None:
        self.rules = {
            path: Rule(lead, county, city)
            for path, lead, county, city in ReminderSchedule.objects.values_list(
                "unit__path", "lead_days", "county_after_days", "city_after_days"
            )
        }
        self.escalation_units = {
            path: (kind, unit_id)
            for unit_id, path, kind in OrgUnit.objects.filter(kind__in=[UnitKind.COUNTY, UnitKind.CITY]).values_list(
                "id", "path", "kind"
            )
        }
        self._rule_cache: dict[str, Rule] = {}
        self._level_cache: dict[tuple[str, str], int | None] = {}

    @property
    def max_lead_days(self) -> int:
        return max([DEFAULT_LEAD_DAYS, *(rule.lead_days for rule in self.rules.values())])

    def rule_for(self, path: str) -> Rule:
        rule = self._rule_cache.get(path)
        if rule is None:
            rule = next((self.rules[p] for p in ancestor_paths(path) if p in self.rules), Rule())
            self._rule_cache[path] = rule
        return rule

    def unit_above(self, path: str, kind: str) -> int | None:
        """The nearest unit of ``kind`` (county, city) at or above ``path``."""
        key = (path, kind)
        if key not in self._level_cache:
            self._level_cache[key] = next(
                (
                    found[1]
                    for p in ancestor_paths(path)
                    if (found := self.escalation_units.get(p)) and found[0] == kind
                ),
                None,
            )
        return self._level_cache[key]


def schedule_in_force(unit: OrgUnit) -> Rule:
    """The reminder rule that applies to ``unit`` (its own or the nearest above)."""
    schedule = ReminderSchedule.objects.filter(unit__path__in=ancestor_paths(unit.path)).order_by("-unit__path").first()
    if schedule is None:
        return Rule()
    return Rule(schedule.lead_days, schedule.county_after_days, schedule.city_after_days)


SCHEDULE_LIMITS = {"lead_days": (0, 90), "county_after_days": (1, 365), "city_after_days": (1, 365)}


def reminder_schedule_save(
    *, actor: User | None, unit: OrgUnit, schedule: ReminderSchedule | None = None, **fields: int
) -> ReminderSchedule:
    """Set a unit's own reminder schedule (it then applies to its whole subtree
    down to the next unit with one of its own). The API's
    ``ReminderScheduleViewSet`` and the workbench's 提醒规则 form both write here."""
    for name, (low, high) in SCHEDULE_LIMITS.items():
        if name in fields and not low <= fields[name] <= high:
            raise DomainError(f"应在 {low} 到 {high} 天之间。", field=name)
    if schedule is None:
        if ReminderSchedule.objects.filter(unit=unit).exists():
            raise ConflictError("该单位已有提醒规则，请修改原有规则。", field="unit")
        schedule = ReminderSchedule(unit=unit)
    elif unit.pk != schedule.unit_id:
        raise DomainError("提醒规则所属单位不能修改。", field="unit")
    for name, value in fields.items():
        setattr(schedule, name, value)
    schedule.save()
    return schedule


# ---------------------------------------------------------------------------
# The scan: due items -> notices
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    item: DueItem
    stage: str
    period: dt.date
    days_late: int
    escalate_to: int | None = None  # the county or city unit whose organization department hears


def stages_of(item: DueItem, *, today: dt.date, rule: Rule, book: UnitBook) -> list[Planned]:
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
    with job_run(SCAN_JOB, now=now) as run, _session_lock(SCAN_LOCK if lock else None) as held:
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
            _relax_commit()
            made, sent = _insert_notices(rows, run=run, now=now)
        run.created += made
        totals["deliveries"] += sent
        seconds["insert"] += time.monotonic() - started
        _run_save(run, ["scanned", "created", "errors"])  # progress, visible while it runs
    return len(items)


@contextmanager
def _session_lock(key: int | None) -> Iterator[bool]:
    """Hold a session-level advisory lock for a job made of several
    transactions (True when ``key`` is None or the database has none)."""
    if key is None or connection.vendor != "postgresql":
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


# The columns a scan writes, in the order _notices_for makes its rows.
NOTICE_COLUMNS = (
    "kind",
    "object_id",
    "recipient_id",
    "stage",
    "period",
    "unit_id",
    "cadre_id",
    "owner_id",
    "owner_unit_id",
    "due_date",
    "days_overdue",
    "title",
    "body",
    "url",
    "urgent",
    "created_at",
    "outboxed",
    "job_run_id",
)
_PG_TYPES = (
    "varchar",
    "bigint",
    "bigint",
    "varchar",
    "date",
    "bigint",
    "bigint",
    "bigint",
    "bigint",
    "date",
    "integer",
    "varchar",
    "text",
    "varchar",
    "boolean",
    "timestamptz",
    "boolean",
    "bigint",
)


def _insert_notices(rows: list[tuple], *, run: JobRun, now: dt.datetime) -> tuple[int, int]:
    """Write the notices, and the outbox rows of the urgent ones, in the scan's
    transaction (so a crash leaves both or neither); returns how many notices
    and deliveries were new. Urgent notices are written already handed to the
    outbox; the rest wait for the digest.

    On PostgreSQL the rows go over by binary COPY into a temporary table
    (psycopg formats them in C: a third of the time of the same rows as
    bound column arrays, whose Python-side quoting was most of their cost),
    then one statement inserts them with ON CONFLICT DO NOTHING and, in the
    same statement, the deliveries of those that were new (a data-modifying
    WITH). Elsewhere (the embedded SQLite of `make run`) bulk_create and one
    INSERT ... SELECT per channel do the same.
    """
    channels = list(_setting("REMINDERS_URGENT_CHANNELS", [Channel.EMAIL, Channel.SMS]))  # type: ignore[call-overload]
    if connection.vendor != "postgresql":
        before = Notice.objects.filter(job_run=run).count()
        Notice.objects.bulk_create(
            [Notice(**dict(zip(NOTICE_COLUMNS, row, strict=True))) for row in rows],
            batch_size=500,
            ignore_conflicts=True,
        )
        fresh = Notice.objects.filter(job_run=run, urgent=True)
        return Notice.objects.filter(job_run=run).count() - before, sum(
            _deliveries_for(fresh, channel=channel, now=now) for channel in channels
        )
    if not rows:
        return 0, 0
    quote = connection.ops.quote_name
    names = ", ".join(map(quote, NOTICE_COLUMNS))
    parts = [
        f"new AS (INSERT INTO {quote(Notice._meta.db_table)} ({names}) SELECT {names} FROM scan_notice "
        "ON CONFLICT DO NOTHING RETURNING id, recipient_id, urgent)"
    ]
    users, cadres = quote(User._meta.db_table), quote(Cadre._meta.db_table)
    prefs = quote(ChannelPreference._meta.db_table)
    user = f"JOIN {users} u ON u.id = new.recipient_id"
    # (join, address, switched on): without a preference row a channel is on.
    sources = {
        Channel.EMAIL: (f"{user} LEFT JOIN {prefs} p ON p.user_id = u.id", "u.email", "COALESCE(p.email_on, TRUE)"),
        Channel.SMS: (
            f"{user} JOIN {cadres} c ON c.user_id = u.id LEFT JOIN {prefs} p ON p.user_id = u.id",
            "c.phone",
            "COALESCE(p.sms_on, TRUE)",
        ),
        Channel.WECOM: (f"{user} JOIN {prefs} p ON p.user_id = u.id", "p.wecom_userid", "p.wecom_on"),
        Channel.DINGTALK: (f"{user} JOIN {prefs} p ON p.user_id = u.id", "p.dingtalk_userid", "p.dingtalk_on"),
    }
    for n, channel in enumerate(channels):
        join, address, switched_on = sources[Channel(channel)]
        parts.append(
            f"d{n} AS (INSERT INTO {quote(Delivery._meta.db_table)} (notice_id, channel, recipient_id, address, "
            f"status, attempts, next_attempt_at, last_error, created_at) SELECT new.id, '{Channel(channel).value}', "
            f"new.recipient_id, {address}, 'pending', 0, %s, '', %s FROM new {join} WHERE new.urgent "
            f"AND u.is_active AND {address} <> '' AND {switched_on} ON CONFLICT DO NOTHING RETURNING 1)"
        )
    counts = " + ".join(f"(SELECT count(*) FROM d{n})" for n in range(len(channels))) or "0"
    with _raw_cursor() as cursor:
        _stage(cursor, "scan_notice", NOTICE_COLUMNS, _PG_TYPES, rows)
        cursor.execute(
            f"WITH {', '.join(parts)} SELECT (SELECT count(*) FROM new), {counts}", [now, now] * len(channels)
        )
        made, delivered = cursor.fetchone()
    return made, delivered


@contextmanager
def _raw_cursor() -> Iterator[psycopg.Cursor]:
    """A psycopg cursor on Django's connection (server-side binding, COPY),
    inside a transaction, with the JIT compiler off for it: these statements
    touch thousands of rows by index, and compiling them cost more than running them."""
    connection.ensure_connection()
    # Raw psycopg errors as Django's, so a lost connection is a transient error to every caller.
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute("SET LOCAL jit = off")
        yield cursor


def _stage(
    cursor: psycopg.Cursor, table: str, columns: tuple[str, ...], types: tuple[str, ...], rows: Iterable[tuple]
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


def _notices_for(
    planned: list[Planned], *, book: UnitBook, today: dt.date, now: dt.datetime, run: JobRun, totals: dict[str, int]
) -> list[tuple]:
    """The notices of the planned stages, one per recipient. The owner's
    stages go to the owner; when the post is vacant or the owner's account is
    disabled, to the organization department of the owner unit (else the
    county); escalations to the county's or city's organization department.
    A department with nobody in it passes its stages to the nearest one above
    that has someone (counted in ``totals["rerouted"]``); a stage nobody up
    the tree can hear is counted in ``totals["unroutable"]``."""
    owners = {p.item.owner_id for p in planned if p.item.owner_id}
    active = set(User.objects.filter(pk__in=owners, is_active=True).values_list("pk", flat=True))

    def audience(plan: Planned) -> int | None:
        if plan.escalate_to:
            return plan.escalate_to
        if plan.item.owner_id in active:
            return None
        return plan.item.owner_unit_id or book.unit_above(plan.item.unit_path, UnitKind.COUNTY)

    audiences = {id(plan): audience(plan) for plan in planned}
    departments, borrowed = _departments_hearing(unit for unit in audiences.values() if unit is not None)
    for unit in audiences.values():
        if unit is not None:
            totals["rerouted"] += unit in borrowed
            totals["unroutable"] += unit not in departments
    names = person_names(owners)
    unit_names = dict(
        OrgUnit.objects.filter(
            pk__in={p.item.owner_unit_id or p.item.unit_id for p in planned if p.item.owner_id not in active}
        ).values_list("pk", "name")
    )

    def recipients(plan: Planned) -> list[int]:
        unit = audiences[id(plan)]
        return departments.get(unit, []) if unit is not None else [plan.item.owner_id]

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
            owner = f"岗位空缺，由{unit_names.get(item.owner_unit_id or item.unit_id, '')}组织部门代办"
        body = notice_body(plan.stage, item, today=today, days_late=plan.days_late, owner=owner)
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


def _departments_hearing(unit_ids: Iterable[int]) -> tuple[dict[int, list[int]], set[int]]:
    """Who hears for each unit's organization department: its own active
    members, else those of the nearest unit above that has any. Returns the
    recipients per unit (units nobody hears for left out) and the units that
    borrowed a department above."""
    paths = dict(OrgUnit.objects.filter(pk__in=set(unit_ids)).values_list("pk", "path"))
    chains = {pk: ancestor_paths(path) for pk, path in paths.items()}
    by_path = dict(
        OrgUnit.objects.filter(path__in={p for chain in chains.values() for p in chain}).values_list("path", "pk")
    )
    members = org_department_users(by_path.values())
    hearing: dict[int, list[int]] = {}
    borrowed: set[int] = set()
    for pk, chain in chains.items():
        if answering := next((by_path[p] for p in chain if members.get(by_path.get(p, 0))), None):
            hearing[pk] = members[answering]
            if answering != pk:
                borrowed.add(pk)
    return hearing, borrowed


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
    with transaction.atomic(), _raw_cursor() as cursor:
        _stage(cursor, "scan_notice_key", columns, _PG_TYPES[:5], keys)
        # A probe of the unique index per key (LATERAL ... LIMIT 1): the cost follows the keys, never the
        # size of the table, which a hash join the planner may prefer would read whole.
        match = " AND ".join(f"n.{name} = k.{name}" for name in columns)
        cursor.execute(
            f"SELECT k.* FROM scan_notice_key k CROSS JOIN LATERAL (SELECT 1 FROM "
            f"{connection.ops.quote_name(Notice._meta.db_table)} n WHERE {match} LIMIT 1) AS made"
        )
        return set(cursor.fetchall())


# ---------------------------------------------------------------------------
# The outbox: deliveries of urgent notices and of digests
# ---------------------------------------------------------------------------


def _addresses(user_ids: Iterable[int], channel: str) -> dict[int, str]:
    """Each person's address on ``channel``, for those who have one there and
    have not switched the channel off (我的通知方式)."""
    ids = set(user_ids)
    off = ChannelPreference.objects.filter(user_id__in=ids, **{f"{channel}_on": False}).values("user_id")
    if channel == Channel.EMAIL:
        return dict(
            User.objects.filter(pk__in=ids, is_active=True)
            .exclude(email="")
            .exclude(pk__in=off)
            .values_list("pk", "email")
        )
    if channel == Channel.SMS:
        return dict(
            Cadre.objects.filter(user_id__in=ids, user__is_active=True)
            .exclude(phone="")
            .exclude(user_id__in=off)
            .values_list("user_id", "phone")
        )
    if channel in (Channel.WECOM, Channel.DINGTALK):
        return dict(
            ChannelPreference.objects.filter(user_id__in=ids, user__is_active=True, **{f"{channel}_on": True})
            .exclude(**{f"{channel}_userid": ""})
            .values_list("user_id", f"{channel}_userid")
        )
    return {}


# Where each channel's address of a notice's recipient is found.
_ADDRESS_OF = {
    Channel.EMAIL: "recipient__email",
    Channel.SMS: "recipient__cadre__phone",
    Channel.WECOM: "recipient__channel_preference__wecom_userid",
    Channel.DINGTALK: "recipient__channel_preference__dingtalk_userid",
}


def _deliveries_for(notices: QuerySet[Notice], *, channel: str, now: dt.datetime) -> int:
    """One INSERT ... SELECT ... ON CONFLICT DO NOTHING making ``channel``'s
    deliveries of ``notices`` for recipients who have an address there."""
    address = _ADDRESS_OF[Channel(channel)]
    select = (
        notices.filter(recipient__is_active=True)
        .exclude(**{address: ""})
        .exclude(**{address: None})
        .exclude(**{f"recipient__channel_preference__{channel}_on": False})
        .order_by()
        .annotate(
            **{
                "d_notice": F("id"),
                "d_channel": Value(channel),
                "d_recipient": F("recipient_id"),
                "d_address": F(address),
                "d_status": Value(DeliveryStatus.PENDING.value),
                "d_attempts": Value(0),
                "d_next": Value(now, output_field=DateTimeField()),
                "d_error": Value(""),
                "d_created": Value(now, output_field=DateTimeField()),
            }
        )
        .values_list(
            "d_notice",
            "d_channel",
            "d_recipient",
            "d_address",
            "d_status",
            "d_attempts",
            "d_next",
            "d_error",
            "d_created",
        )
    )
    sql, params = select.query.sql_with_params()
    columns = "notice_id, channel, recipient_id, address, status, attempts, next_attempt_at, last_error, created_at"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(Delivery._meta.db_table)} ({columns}) {sql} "
            "ON CONFLICT DO NOTHING",
            params,
        )
        return max(cursor.rowcount, 0)


def notices_deliver_now(notices: QuerySet[Notice], *, now: dt.datetime | None = None) -> int:
    """Hand ``notices`` (marked urgent and outboxed by their writer) to the
    outbox at once: a delivery per urgent channel for each recipient with an
    address there, instead of waiting for the day's digest. Idempotent: a
    delivery already made is not made again."""
    now = now or clock.now()
    channels = list(_setting("REMINDERS_URGENT_CHANNELS", [Channel.EMAIL, Channel.SMS]))  # type: ignore[call-overload]
    return sum(_deliveries_for(notices, channel=channel, now=now) for channel in channels)


def _digest_time() -> dt.time:
    hour, minute = str(_setting("REMINDERS_DIGEST_TIME", "08:00")).split(":")
    return dt.time(int(hour), int(minute))


def digest_build(*, now: dt.datetime | None = None) -> JobRun | None:
    """Collect each recipient's non-urgent notices into one digest a day, sent
    at the configured time (Asia/Shanghai) or at the first run after it.

    A recipient gets at most one digest a day (unique key); notices that
    arrive after theirs went out wait for the next day's. Notices of items done
    since the scan stay in the inbox but are not sent. Before the digest time
    this does nothing (and records no run).
    """
    now = timezone.localtime(now or clock.now())
    if now.time() < _digest_time():
        return None
    day = now.date()
    with job_run(DIGEST_JOB, now=now) as run, transaction.atomic():
        if not _try_advisory_lock(DIGEST_LOCK):
            run.status = JobStatus.SKIPPED
            return run
        waiting = Notice.objects.filter(outboxed=False, urgent=False)
        settled = _notices_of_closed_items(waiting, today=day)
        Notice.objects.filter(pk__in=settled).update(outboxed=True)
        counts = dict(waiting.values("recipient_id").annotate(n=Count("id")).values_list("recipient_id", "n"))
        run.scanned = sum(counts.values())
        # Outside working hours (or the person's own quiet hours) the digest waits for the morning.
        resting = recipients_resting(counts, at=now.time())
        counts = {recipient: n for recipient, n in counts.items() if recipient not in resting}
        Digest.objects.bulk_create(
            [Digest(recipient_id=r, day=day, created_at=now) for r in counts], ignore_conflicts=True
        )
        # Only digests made now take notices: one already sent today is closed.
        fresh = Digest.objects.filter(day=day, recipient_id__in=counts, created_at=now)
        recipients = list(fresh.values_list("recipient_id", flat=True))
        waiting.filter(recipient_id__in=recipients).update(
            outboxed=True,
            digest_id=Subquery(Digest.objects.filter(day=day, recipient_id=OuterRef("recipient_id")).values("id")[:1]),
        )
        digests = dict(fresh.values_list("recipient_id", "id"))
        deliveries = []
        for channel in _setting("REMINDERS_DIGEST_CHANNELS", [Channel.EMAIL]):  # type: ignore[attr-defined]
            addresses = _addresses(digests, channel)
            deliveries += [
                Delivery(
                    digest_id=digest_id,
                    channel=channel,
                    recipient_id=recipient,
                    address=addresses[recipient],
                    next_attempt_at=now,
                    created_at=now,
                )
                for recipient, digest_id in digests.items()
                if recipient in addresses
            ]
        Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
        run.created = len(digests)
        run.detail = {
            "day": day.isoformat(),
            "deliveries": len(deliveries),
            "done_since_scan": len(settled),
            "held_for_quiet_hours": len(resting),
        }
    return run


def _clock_time(text: str) -> dt.time:
    hour, minute = text.strip().split(":")
    return dt.time(int(hour), int(minute))


def quiet_hours_default() -> tuple[dt.time, dt.time] | None:
    """The service's quiet hours (``REMINDERS_QUIET_HOURS``, "18:00-08:00":
    outside working hours), or None when it has none."""
    value = str(_setting("REMINDERS_QUIET_HOURS", "18:00-08:00")).strip()
    if not value:
        return None
    start, end = value.split("-")
    return _clock_time(start), _clock_time(end)


def in_quiet_hours(moment: dt.time, start: dt.time, end: dt.time) -> bool:
    """Whether ``moment`` falls in [start, end), a window that may cross midnight."""
    if start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def recipients_resting(user_ids: Iterable[int], *, at: dt.time) -> set[int]:
    """Which of these people are in their quiet hours at ``at`` (Asia/Shanghai):
    their own, else the service's."""
    ids = set(user_ids)
    own = {
        user_id: (start, end)
        for user_id, start, end in ChannelPreference.objects.filter(
            user_id__in=ids, quiet_start__isnull=False
        ).values_list("user_id", "quiet_start", "quiet_end")
    }
    default = quiet_hours_default()
    resting = set()
    for user_id in ids:
        window = own.get(user_id, default)
        if window is not None and in_quiet_hours(at, *window):
            resting.add(user_id)
    return resting


def _notices_of_closed_items(notices: QuerySet[Notice], *, today: dt.date) -> list[int]:
    """Which of ``notices`` are about items no longer open (done or waived): one
    query per kind. A notice of a kind no source registers is an announcement
    (a roster published, a swap answered, holidays corrected): it stays open
    until it has gone out."""
    by_kind: dict[str, dict[int, list[int]]] = {}
    for pk, kind, object_id in notices.values_list("pk", "kind", "object_id"):
        by_kind.setdefault(kind, {}).setdefault(object_id, []).append(pk)
    closed: list[int] = []
    for kind, objects in by_kind.items():
        if kind in SOURCES:
            try:
                with reading_due_items():
                    still_open = set(
                        due_items(today=today, kinds=[kind], where=Q(di_object_id__in=list(objects))).values_list(
                            "di_object_id", flat=True
                        )
                    )
            except TRANSIENT_DB_ERRORS:
                raise
            except Exception:  # a broken source: better a stale line in a digest than none
                logger.exception("due-item source %s failed", kind)
                continue
        else:
            still_open = set(objects)
        closed += [pk for object_id, pks in objects.items() if object_id not in still_open for pk in pks]
    return closed


# ---------------------------------------------------------------------------
# Dispatch and send
# ---------------------------------------------------------------------------


def _seconds(name: str, default: int) -> dt.timedelta:
    return dt.timedelta(seconds=int(_setting(name, default)))  # type: ignore[call-overload]


def deliveries_dispatch(*, now: dt.datetime | None = None, batch: int | None = None) -> list[int]:
    """Claim the deliveries that are due (every 30 seconds) and enqueue one
    send task each, on the sends queue, after commit.

    Rows are taken with ``SELECT ... FOR UPDATE SKIP LOCKED`` so two
    dispatchers share the work instead of doubling it, and leased for a while:
    if the task is lost (broker down, worker killed) the lease runs out and the
    next dispatch claims the row again, unless messages still wait in the
    sends queue (then it is behind a backlog, not lost). A row stuck 'sending'
    past its lease (its worker died mid-send) goes back to pending first, or is
    failed if that was its last attempt.
    """
    from config.settings.celery import QUEUE_SENDS
    from scheduler.tasks.reminders import delivery_send_task

    now = now or clock.now()
    batch = batch or int(_setting("REMINDERS_DISPATCH_BATCH", 500))  # type: ignore[call-overload]
    with transaction.atomic():
        if not _try_advisory_lock(DISPATCH_LOCK):
            return []
        cut_off = Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_until__lt=now)
        exhausted = cut_off.filter(attempts__gte=_max_attempts()).update(
            status=DeliveryStatus.FAILED,
            claimed_until=None,
            last_error=f"第 {_max_attempts()} 次发送时发送进程中断（被终止或超时），不再重试。",
        )
        recovered = cut_off.update(status=DeliveryStatus.PENDING, claimed_until=None)
        due = Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        if queue_depth(QUEUE_SENDS) == 0:
            due = due.filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        else:  # a backlog (or no broker): only rows never sent to it
            due = due.filter(claimed_until__isnull=True)
        ids = list(
            due.select_for_update(skip_locked=True)
            .order_by("next_attempt_at", "id")
            .values_list("id", flat=True)[:batch]
        )
        if not ids and not recovered and not exhausted:
            return []
        lease = _seconds("REMINDERS_CLAIM_LEASE_SECONDS", 60)
        Delivery.objects.filter(pk__in=ids).update(claimed_until=now + lease)
        # Recorded only when there was work: an idle tick is not worth a row.
        JobRun.objects.create(
            name=DISPATCH_JOB,
            status=JobStatus.SUCCEEDED,
            started_at=now,
            finished_at=clock.now(),
            scanned=len(ids),
            detail={"recovered": recovered, "failed": exhausted},
        )
        transaction.on_commit(lambda: [delivery_send_task.delay(pk) for pk in ids])
    return ids


def _max_attempts() -> int:
    return int(_setting("REMINDERS_MAX_ATTEMPTS", 5))  # type: ignore[call-overload]


def _backoff(attempts: int) -> dt.timedelta:
    base = int(_setting("REMINDERS_RETRY_BASE_SECONDS", 60))  # type: ignore[call-overload]
    return dt.timedelta(seconds=min(base * 2 ** max(0, attempts - 1), 6 * 3600))


def delivery_message(delivery: Delivery) -> tuple[str, str]:
    """Subject and body, in Chinese, of an urgent notice or a digest."""
    if delivery.notice_id:
        notice = delivery.notice
        subject = f"【干部关爱提醒】{notice.get_stage_display()}：{notice.title}"
        return subject, f"{notice.body}\n{notice.url}".strip()
    digest = delivery.digest
    notices = list(Notice.objects.filter(recipient_id=digest.recipient_id, digest=digest).order_by("due_date", "id"))
    lines = [f"{n}. {_digest_line(notice)}" for n, notice in enumerate(notices, 1)]
    subject = f"【干部关爱】{digest.day:%Y-%m-%d} 待办提醒汇总（共{len(notices)}项）"
    return subject, "您好，以下事项需要您办理或关注：\n" + "\n".join(lines)


def _digest_line(notice: Notice) -> str:
    if notice.kind not in SOURCES:  # an announcement: its title says what happened
        return f"[通知] {notice.title}：{notice.body}"
    return f"[{notice.get_stage_display()}] {notice.body}"


def delivery_send(*, delivery_id: int, now: dt.datetime | None = None) -> str:
    """Send one delivery at most once per claim.

    A single conditional UPDATE (pending -> sending) claims the row; only the
    caller that changed it sends, so a redelivered or duplicated task is a
    no-op, and a row marked sent is never sent again. A failure is recorded and
    retried with exponential backoff; after the last attempt the row is marked
    failed with its error, and no other delivery waits on it.
    """
    now = now or clock.now()
    # Due only: a duplicate message (a redelivery, a second dispatcher's) never skips the backoff.
    claimed = Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now).update(
        status=DeliveryStatus.SENDING,
        attempts=F("attempts") + 1,
        claimed_until=now + _seconds("REMINDERS_SEND_LEASE_SECONDS", 60),
    )
    if not claimed:
        return "skipped"
    delivery = Delivery.objects.select_related("notice", "digest").get(pk=delivery_id)
    try:
        subject, body = delivery_message(delivery)
        external_id = channel_send(
            channel=delivery.channel,
            address=delivery.address,
            subject=subject,
            body=body,
            key=f"delivery-{delivery.pk}",
        )
    except Exception as exc:  # any channel failure is recorded, never raised into the worker
        error = f"{type(exc).__name__}: {exc}"[:2000]
        # A permanent refusal (a bad number, an unapproved template) fails at once: retries only spend quota.
        final = delivery.attempts >= _max_attempts() or isinstance(exc, GiveUp)
        wait = max(_backoff(delivery.attempts), dt.timedelta(seconds=getattr(exc, "after_seconds", 0)))
        Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.FAILED if final else DeliveryStatus.PENDING,
            last_error=error,
            claimed_until=None,
            next_attempt_at=now + wait,
        )
        logger.warning("delivery %s failed (attempt %s): %s", delivery_id, delivery.attempts, error)
        return "failed" if final else "retry"
    Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.SENT,
        sent_at=clock.now(),
        claimed_until=None,
        last_error="",
        external_id=(external_id or "")[:64],
    )
    return "sent"


# ---------------------------------------------------------------------------
# Reading notices
# ---------------------------------------------------------------------------


def notice_mark_read(*, user: User, notice: Notice, now: dt.datetime | None = None) -> Notice:
    """Mark one of the user's own notices read (the first time counts)."""
    Notice.objects.filter(pk=notice.pk, recipient=user, read_at__isnull=True).update(read_at=now or clock.now())
    notice.refresh_from_db(fields=["read_at"])
    return notice


def notice_mark_all_read(*, user: User, now: dt.datetime | None = None) -> int:
    """Mark every unread notice of the user read; returns how many changed."""
    return Notice.objects.filter(recipient=user, read_at__isnull=True).update(read_at=now or clock.now())


# ---------------------------------------------------------------------------
# How each person is reached (我的通知方式) and what the gateways report back
# ---------------------------------------------------------------------------

#: The fields a person sets for themselves; their WeCom / DingTalk user ids are
#: set by administrators (from the organization's directory).
PREFERENCE_FIELDS = ("email_on", "sms_on", "wecom_on", "dingtalk_on", "quiet_start", "quiet_end")


def channels_enabled() -> list[str]:
    """The channels the service has switched on, for urgent notices or digests."""
    urgent = _setting("REMINDERS_URGENT_CHANNELS", [Channel.EMAIL, Channel.SMS])
    digest = _setting("REMINDERS_DIGEST_CHANNELS", [Channel.EMAIL])
    return list(dict.fromkeys([*urgent, *digest]))  # type: ignore[misc]


def channel_preference_update(
    *, actor: User, data: dict[str, object], request: HttpRequest | None = None
) -> ChannelPreference:
    """Set the actor's own channels and quiet hours (only the fields given).
    Quiet hours are both times or neither, and not the same time twice."""
    changed = [name for name in PREFERENCE_FIELDS if name in data]
    with transaction.atomic():
        preference, _created = ChannelPreference.objects.select_for_update().get_or_create(user=actor)
        for name in changed:
            setattr(preference, name, data[name])
        if preference.quiet_start is None and preference.quiet_end is not None:
            raise DomainError("请填写免打扰开始时间（或把结束时间也清空）。", field="quiet_start")
        if preference.quiet_end is None and preference.quiet_start is not None:
            raise DomainError("请填写免打扰结束时间（或把开始时间也清空）。", field="quiet_end")
        if preference.quiet_start is not None and preference.quiet_start == preference.quiet_end:
            raise DomainError("免打扰结束时间不能与开始时间相同。", field="quiet_end")
        preference.save()
        if changed:
            audit_log(
                actor=actor,
                action=AuditAction.UPDATE,
                accesses=[Access("me-channels", preference.pk, None, changed)],
                request=request,
            )
    return preference


@dataclass(frozen=True)
class Receipt:
    """One delivery receipt from an SMS gateway, in the vendor-neutral shape."""

    external_id: str
    delivered: bool
    at: dt.datetime
    error: str = ""


def delivery_receipts_record(receipts: Iterable[Receipt]) -> int:
    """Record SMS delivery receipts on the deliveries they are about (found
    by the gateway's message id); returns how many rows changed. A receipt
    for no known message is ignored (another system's, or a row deleted):
    the gateway pushes it again only on an error answer, so it is accepted."""
    changed = 0
    with transaction.atomic():
        for receipt in receipts:
            changed += Delivery.objects.filter(channel=Channel.SMS, external_id=receipt.external_id).update(
                receipt_status=ReceiptStatus.DELIVERED if receipt.delivered else ReceiptStatus.UNDELIVERED,
                receipt_at=receipt.at,
                receipt_error="" if receipt.delivered else receipt.error[:200],
            )
    return changed
