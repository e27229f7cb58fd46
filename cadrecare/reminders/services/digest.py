"""The daily digest: one delivery per person and channel of the day's notices."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from cadrecare.core import clock
from cadrecare.core.locks import try_advisory_xact_lock
from cadrecare.reminders.choices import Channel, JobStatus
from cadrecare.reminders.models import Delivery, Digest, JobRun, Notice
from cadrecare.reminders.services.dispatch import _notices_of_closed_items
from cadrecare.reminders.services.jobs import DIGEST_JOB, DIGEST_LOCK, _setting, job_run
from cadrecare.reminders.services.outbox import _addresses
from cadrecare.reminders.services.preferences import recipients_resting


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
        if not try_advisory_xact_lock(DIGEST_LOCK):
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
        for channel in _setting("REMINDERS_DIGEST_CHANNELS", [Channel.EMAIL]):
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
