"""Dispatch and send: the outbox's deliveries claimed, sent and retried."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet

from cadrecare.core import clock
from cadrecare.core.broker import queue_depth, task
from cadrecare.core.errors import TRANSIENT_DB_ERRORS
from cadrecare.core.jobs import job_run_done
from cadrecare.core.locks import try_advisory_xact_lock
from cadrecare.reminders.channels import channel_send
from cadrecare.reminders.choices import DeliveryStatus
from cadrecare.reminders.gateways import GiveUp
from cadrecare.reminders.models import Delivery, JobRun, Notice
from cadrecare.reminders.services.jobs import DISPATCH_JOB, DISPATCH_LOCK, _setting
from cadrecare.reminders.sources import SOURCES, due_items, reading_due_items

logger = logging.getLogger(__name__)

#: The worker's task that sends one delivery (named, not imported: the task module imports this one).
DELIVERY_SEND_TASK = "scheduler.tasks.reminders.delivery_send_task"


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


def _seconds(name: str, default: int) -> dt.timedelta:
    return dt.timedelta(seconds=int(_setting(name, default)))


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
    now = now or clock.now()
    batch = batch or int(_setting("REMINDERS_DISPATCH_BATCH", 500))
    with transaction.atomic():
        if not try_advisory_xact_lock(DISPATCH_LOCK):
            return []
        cut_off = Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_until__lt=now)
        exhausted = cut_off.filter(attempts__gte=_max_attempts()).update(
            status=DeliveryStatus.FAILED,
            claimed_until=None,
            last_error=f"第 {_max_attempts()} 次发送时发送进程中断（被终止或超时），不再重试。",
        )
        recovered = cut_off.update(status=DeliveryStatus.PENDING, claimed_until=None)
        due = Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        if queue_depth(settings.QUEUE_SENDS) == 0:
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
        job_run_done(
            JobRun,
            DISPATCH_JOB,
            started_at=now,
            scanned=len(ids),
            detail={"recovered": recovered, "failed": exhausted},
        )
        transaction.on_commit(lambda: [task(DELIVERY_SEND_TASK, pk).apply_async() for pk in ids])
    return ids


def _max_attempts() -> int:
    return int(_setting("REMINDERS_MAX_ATTEMPTS", 5))


def _backoff(attempts: int) -> dt.timedelta:
    base = int(_setting("REMINDERS_RETRY_BASE_SECONDS", 60))
    return dt.timedelta(seconds=min(base * 2 ** max(0, attempts - 1), 6 * 3600))


def delivery_message(delivery: Delivery) -> tuple[str, str]:
    """Subject and body, in Chinese, of an urgent notice or a digest."""
    notice = delivery.notice
    if notice is not None:
        subject = f"【干部关爱提醒】{notice.get_stage_display()}：{notice.title}"
        return subject, f"{notice.body}\n{notice.url}".strip()
    digest = delivery.digest
    assert digest is not None  # a delivery is of a notice or of a digest (delivery_of_notice_or_digest)
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
