"""Rosters' generation: asynchronous, atomic, idempotent."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from celery import group
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.http import HttpRequest
from django.utils.translation import gettext

from cadrecare.audit.services import audit_change
from cadrecare.core import clock
from cadrecare.core.broker import queue_depth, task
from cadrecare.core.errors import DomainError
from cadrecare.core.i18n import choice_label
from cadrecare.core.locks import advisory_xact_lock
from cadrecare.org.access import ADD, CHANGE, STAND_IN
from cadrecare.org.choices import UnitKind
from cadrecare.org.models import OrgUnit, User
from cadrecare.org.scoping import may_in_unit, require_placement
from cadrecare.rotation.choices import DayKind, RosterStatus, RunKind, RunStatus, SolverStatus
from cadrecare.rotation.holiday_calendar import month_days
from cadrecare.rotation.models import GenerationItem, GenerationRun, Roster, RosterDay, RosterEntitlement, RosterVersion
from cadrecare.rotation.problem import BuiltProblem, cadre_pk, problem_json, reasons_for_people, roster_problem_build
from cadrecare.rotation.selectors import policy_in_force, stand_in_or_refuse
from cadrecare.rotation.services.policies import _month_start
from cadrecare.rotation.services.publishing import roster_acting_for, roster_draft_ready_notify, roster_written
from scheduler import roster as solver

logger = logging.getLogger(__name__)

SOLUTION_FORMAT = "cadrecare.roster-solution/1"
#: The worker's task that solves one item (named, not imported: the task module imports this one).
GENERATION_ITEM_TASK = "scheduler.tasks.rotation.generation_item_run_task"


#: How many times a unit's month is tried (a worker that died with it, a lost
#: database) before the item is failed with the reason.
MAX_ATTEMPTS = 5


def item_lease() -> dt.timedelta:
    """How long a queued item's message is trusted: from its sending, and
    again from the worker's claim (the solve task's hard time limit). An item
    still queued past it lost its message (Redis restarted empty, a worker
    killed) and ``generation_items_redispatch`` sends it again."""
    return dt.timedelta(seconds=settings.ROTATION_ITEM_LEASE_SECONDS)


def _enqueue_items(item_ids: Sequence[int]) -> None:
    """Send items to the workers after commit, each under a fresh lease. A
    broker outage must not turn a committed request into a 500: the queued
    rows are the outbox, and ``generation_items_redispatch`` sends them again
    once their lease is over (docs/reliability.md)."""
    if not item_ids:
        return
    GenerationItem.objects.filter(pk__in=item_ids).update(lease_until=clock.now() + item_lease())

    def send() -> None:
        try:
            group(task(GENERATION_ITEM_TASK, item_id) for item_id in item_ids).apply_async()
        except Exception:  # broker down: the redispatch job picks the rows up
            logger.warning("could not enqueue roster generation items %s; they stay queued", list(item_ids))

    transaction.on_commit(send)


def generation_run_create(
    *,
    actor: User,
    unit: OrgUnit,
    month: dt.date,
    keep_pinned: bool = True,
    request: HttpRequest | None = None,
    today: dt.date | None = None,
) -> GenerationRun:
    """A person's "generate" for ``unit``'s month (``generation_request``):
    in their own right where they may add runs there, else standing in for
    the township's vacant secretary (refused, naming the serving one, while
    the post is filled); a unit outside their scope is refused. Audited, as
    acting for the post they stood in for."""
    acting_for = ""
    if may_in_unit(actor, "rosters", STAND_IN, unit) and not may_in_unit(actor, "generation-runs", ADD, unit):
        acting_for = stand_in_or_refuse(user=actor, unit=unit)
    else:
        require_placement(actor, "generation-runs", ADD, unit, field="unit")
    run = generation_request(actor=actor, unit=unit, month=month, keep_pinned=keep_pinned, today=today)
    audit_change(
        actor=actor,
        action="create",
        resource="generation-runs",
        record=run,
        fields=["unit", "month"],
        request=request,
        acting_for=acting_for,
    )
    return run


@transaction.atomic
def roster_regenerate(
    *,
    actor: User | None,
    roster_obj: Roster,
    keep_pinned: bool = True,
    request: HttpRequest | None = None,
    today: dt.date | None = None,
) -> GenerationRun:
    """Solve a draft roster's month again (``generation_request``), in the
    actor's own right or standing in for the township's vacant secretary;
    audited on the roster."""
    acting_for = roster_acting_for(actor=actor, unit=roster_obj.unit, action=CHANGE)
    run = generation_request(
        actor=actor, unit=roster_obj.unit, month=roster_obj.month, keep_pinned=keep_pinned, today=today
    )
    roster_written(actor, request, roster_obj, ["regenerate"], acting_for)
    return run


def generation_request(
    *, actor: User | None, unit: OrgUnit, month: dt.date, keep_pinned: bool = True, today: dt.date | None = None
) -> GenerationRun:
    """A secretary's "generate" (or "regenerate"): one run, one unit, answered
    at once and solved by a worker. Asking again while one is queued returns
    the queued run, also when the requests come at the same moment: a unit's
    month is queued once by a unique constraint, and the request that loses
    the race reads the winner's run. A published or locked month is never
    touched."""
    today = today or clock.today()
    if month < _month_start(today):
        raise DomainError(
            gettext("%(month)s 已经过去，不能再生成排班。") % {"month": format(month, "%Y-%m")}, field="month"
        )
    with transaction.atomic():
        roster = Roster.objects.filter(unit=unit, month=month).first()
        if roster is not None and roster.status != RosterStatus.DRAFT:
            raise DomainError(
                gettext("%(name)s %(month)s 的排班已%(status)s，不能重新生成。")
                % {
                    "name": unit.name,
                    "month": format(month, "%Y-%m"),
                    "status": choice_label(roster.get_status_display()),
                },
                field="month",
            )
        while (pending := _queued_run(unit, month)) is None:
            try:
                with transaction.atomic():
                    run = GenerationRun.objects.create(
                        unit=unit, month=month, kind=RunKind.MANUAL, keep_pinned=keep_pinned, requested_by=actor
                    )
                    item = GenerationItem.objects.create(run=run, unit=unit, month=month)
            except IntegrityError:
                # A request at the same moment queued this month first (the partial unique
                # constraint waited for it to commit): answer with its run, read next.
                continue
            _enqueue_items([item.pk])
            return run
    return pending


def _queued_run(unit: OrgUnit, month: dt.date) -> GenerationRun | None:
    item = GenerationItem.objects.filter(unit=unit, month=month, status=RunStatus.QUEUED).select_related("run").first()
    return item.run if item is not None else None


def units_due_for_generation(day: dt.date) -> list[OrgUnit]:
    """Townships whose policy for next month says today is generation day."""
    month = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    due = []
    for unit in OrgUnit.objects.filter(kind=UnitKind.TOWNSHIP, active=True).order_by("path"):
        policy = policy_in_force(unit=unit, month=month)
        if policy is not None and policy.generation_day == day.day:
            due.append(unit)
    return due


def generation_due_run(*, today: dt.date | None = None) -> GenerationRun | None:
    """The daily job: for every unit whose generation day it
    is, next month's draft, as one run with an item per unit fanned out to the
    workers. One run per day however often it fires; units that already have
    a roster for the month are left alone (the secretary got there first)."""
    today = today or clock.today()
    month = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    units = units_due_for_generation(today)
    if not units:
        return None
    root = units[0]
    while root.parent_id is not None:
        root = OrgUnit.objects.get(pk=root.parent_id)
    with transaction.atomic():
        run, _ = GenerationRun.objects.get_or_create(
            kind=RunKind.SCHEDULED, scheduled_for=today, defaults={"unit": root, "month": month}
        )
        run = GenerationRun.objects.select_for_update().get(pk=run.pk)
        taken = set(Roster.objects.filter(month=month, unit__in=units).values_list("unit_id", flat=True))
        have = set(run.items.values_list("unit_id", flat=True))
        # A unit whose month a secretary already queued keeps that run (the conflict is skipped).
        GenerationItem.objects.bulk_create(
            [GenerationItem(run=run, unit=unit, month=month) for unit in units if unit.pk not in taken | have],
            ignore_conflicts=True,
        )
        queued = list(run.items.filter(status=RunStatus.QUEUED).values_list("pk", flat=True))
        _enqueue_items(queued)
    return run


def generation_items_redispatch(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Every 30 seconds: the queued items whose lease ran out lost their
    message. One a worker had claimed is sent again at once (its worker
    died); one never claimed only when nothing waits in the solve queue (else
    it is behind a backlog, not lost). An item out of attempts is failed with
    the reason instead, so its run ends. Returns how many were sent and failed."""
    now = now or clock.now()
    expired = GenerationItem.objects.filter(status=RunStatus.QUEUED, lease_until__lt=now)
    failed = expired.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=RunStatus.FAILED,
        finished_at=now,
        lease_until=None,
        claimed_until=None,
        reasons=[
            {
                "message": gettext("尝试 %(MAX_ATTEMPTS)s 次仍未完成（执行它的进程中断或数据库连接丢失），请重新生成。")
                % {"MAX_ATTEMPTS": MAX_ATTEMPTS}
            }
        ],
    )
    lost = expired.filter(attempts__lt=MAX_ATTEMPTS)
    if queue_depth(settings.QUEUE_SOLVE) != 0:  # a backlog (or no broker): only the claimed ones are surely lost
        lost = lost.filter(attempts__gt=0)
    with transaction.atomic():
        stale = list(lost.select_for_update(skip_locked=True).values_list("pk", flat=True)[:1000])
        _enqueue_items(stale)
    if stale or failed:
        logger.warning("roster generation items sent again: %s; failed out of attempts: %d", stale, failed)
    return {"sent": len(stale), "failed": failed}


def _lock_unit_month(unit: OrgUnit, month: dt.date) -> None:
    """Serialise writers of one unit's month across processes (a transaction-level
    advisory lock; SQLite serialises whole transactions anyway)."""
    advisory_xact_lock(unit.pk, month.year * 100 + month.month)


def _finish_item(
    item: GenerationItem,
    status: str,
    reasons: Sequence[Mapping[str, Any]] = (),
    roster: Roster | None = None,
    seconds: float | None = None,
) -> None:
    GenerationItem.objects.filter(pk=item.pk).update(
        status=status, reasons=list(reasons), roster=roster, solve_seconds=seconds, finished_at=clock.now()
    )


def _pinned_days(roster: Roster | None) -> dict[int, list[dt.date]]:
    if roster is None or roster.current_id is None:
        return {}
    pinned: dict[int, list[dt.date]] = defaultdict(list)
    for cadre_id, day in RosterDay.objects.filter(
        version_id=roster.current_id, pinned=True, kind=DayKind.REST
    ).values_list("cadre_id", "date"):
        pinned[cadre_id].append(day)
    return pinned


def generation_item_run(*, item_id: int) -> str:
    """One unit's month (docs/reliability.md, "Roster generation"): solve in
    memory, then in one transaction, under the unit-month lock, write a new
    version with all its days and flip the roster's pointer last. Run twice,
    retried or raced by two workers, it writes once: the item's status is
    checked again under the lock, and a version belongs to one item. A
    published or locked roster is never touched. Returns the item's status."""
    now = clock.now()
    # The claim: one conditional UPDATE, so of two copies of the message (a
    # redelivery, a redispatch) only one solves while the other's lease holds.
    claimed = (
        GenerationItem.objects.filter(pk=item_id, status=RunStatus.QUEUED, attempts__lt=MAX_ATTEMPTS)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(attempts=F("attempts") + 1, claimed_until=now + item_lease(), lease_until=now + item_lease())
    )
    item = GenerationItem.objects.select_related("run", "unit").filter(pk=item_id).first()
    if item is None or not claimed:
        return item.status if item else "missing"
    unit, month = item.unit, item.run.month
    existing = Roster.objects.filter(unit=unit, month=month).first()
    if existing is not None and existing.status != RosterStatus.DRAFT:
        _finish_item(
            item,
            RunStatus.SKIPPED,
            [
                {
                    "message": gettext("排班已%(status)s，未改动。")
                    % {"status": choice_label(existing.get_status_display())}
                }
            ],
            roster=existing,
        )
        return RunStatus.SKIPPED
    try:
        built = roster_problem_build(
            unit=unit, month=month, pinned=_pinned_days(existing) if item.run.keep_pinned else None
        )
    except DomainError as error:
        _finish_item(item, RunStatus.FAILED, [{"message": error.message}])
        return RunStatus.FAILED
    started = time.monotonic()
    try:
        solution = solver.solve(
            built.problem, time_limit=settings.ROTATION_SOLVE_SECONDS, workers=settings.ROTATION_SOLVE_SEARCHES
        )
    except solver.SolveTimeout:
        message = gettext("%(seconds)s 秒内没有找到可行的排班，也未能证明无解。") % {
            "seconds": format(settings.ROTATION_SOLVE_SECONDS, ".0f")
        }
        _finish_item(item, RunStatus.FAILED, [{"message": message}])
        return RunStatus.FAILED
    seconds = time.monotonic() - started
    return _roster_version_write(item=item, built=built, solution=solution, seconds=seconds)


def _roster_version_write(
    *, item: GenerationItem, built: BuiltProblem, solution: solver.Solution, seconds: float
) -> str:
    unit, month = item.unit, item.run.month
    reasons = reasons_for_people(solution.reasons, built.names)
    with transaction.atomic():
        _lock_unit_month(unit, month)
        if GenerationItem.objects.select_for_update().get(pk=item.pk).status != RunStatus.QUEUED:
            return GenerationItem.objects.get(pk=item.pk).status  # another worker finished it
        target, _ = Roster.objects.get_or_create(unit=unit, month=month)
        target = Roster.objects.select_for_update().get(pk=target.pk)
        if target.status != RosterStatus.DRAFT:
            _finish_item(
                item,
                RunStatus.SKIPPED,
                [
                    {
                        "message": gettext("排班已%(status)s，未改动。")
                        % {"status": choice_label(target.get_status_display())}
                    }
                ],
                roster=target,
            )
            return RunStatus.SKIPPED
        infeasible = solution.status == SolverStatus.INFEASIBLE
        if infeasible and target.current_id is not None:
            # Keep the last good draft; the run says why this one failed.
            _finish_item(item, RunStatus.INFEASIBLE, reasons, roster=target, seconds=seconds)
            return RunStatus.INFEASIBLE
        _version_create(target, built, solution, reasons, item=item, actor=item.run.requested_by)
        _finish_item(
            item, RunStatus.INFEASIBLE if infeasible else RunStatus.SOLVED, reasons, roster=target, seconds=seconds
        )
        if not infeasible:
            roster_draft_ready_notify(roster_obj=target)
    return RunStatus.INFEASIBLE if infeasible else RunStatus.SOLVED


def _version_create(
    target: Roster,
    built: BuiltProblem,
    solution: solver.Solution,
    reasons: Sequence[Mapping[str, Any]],
    *,
    item: GenerationItem | None,
    actor: User | None,
) -> RosterVersion:
    """Write a whole version, then point the roster at it (the pointer flips last)."""
    number = (target.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = RosterVersion.objects.create(
        roster=target,
        number=number,
        solver_status=solution.status,
        metrics=solution.metrics.to_json() if solution.metrics else None,
        reasons=list(reasons),
        problem=problem_json(built),
        solution=solution.to_json(),
        generation_item=item,
        created_by=actor,
    )
    RosterDay.objects.bulk_create(_day_rows(version, built, solution))
    if solution.status != SolverStatus.INFEASIBLE:
        RosterEntitlement.objects.bulk_create(
            roster_entitlement_rows(version, solver.month_of(built.problem), built.leave_kept)
        )
    target.current = version
    target.version += 1
    target.provisional_calendar = built.calendar.provisional
    target.calendar_changed_at = None  # solved on the calendar as it is now
    target.save(update_fields=["current", "version", "provisional_calendar", "calendar_changed_at", "updated_at"])
    return version


def roster_entitlement_rows(
    version: RosterVersion, month: solver.Month, leave_kept: Mapping[int, int] | None = None
) -> list[RosterEntitlement]:
    """Each cadre's rule-1 entitlement in ``version``, as the solver library
    reads the version's problem (available days, carried days, rest due), and
    how much of the carried days kept annual leave whole (``leave_kept``,
    from the problem builder; an edited version keeps its parent's)."""
    leave_kept = leave_kept or {}
    return [
        RosterEntitlement(
            version=version,
            cadre_id=cadre_pk(days.id),
            available_days=len(days.available),
            carry_days=days.cadre.carry_days,
            leave_kept=min(leave_kept.get(cadre_pk(days.id), 0), days.cadre.carry_days),
            entitled=days.entitlement,
        )
        for days in month.cadres
    ]


def _day_rows(version: RosterVersion, built: BuiltProblem, solution: solver.Solution) -> list[RosterDay]:
    if solution.status == SolverStatus.INFEASIBLE:
        return []
    days = month_days(version.roster.month)
    rows = []
    for cadre in built.problem.cadres:
        rest = set(solution.rest.get(cadre.id, ()))
        pinned = set(cadre.pinned)
        away = {d for lo, hi in cadre.away for d in days if lo <= d <= hi}
        for day in days:
            if day in away or (cadre.available_from and day < cadre.available_from):
                kind = DayKind.AWAY
            elif day in rest:
                kind = DayKind.REST
            else:
                kind = DayKind.DUTY
            rows.append(
                RosterDay(version=version, cadre_id=cadre_pk(cadre.id), date=day, kind=kind, pinned=day in pinned)
            )
    return rows
