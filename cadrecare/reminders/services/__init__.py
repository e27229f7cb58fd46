"""Reminders: the scan that turns due items into notices, the daily digest,
the outbox dispatcher and sender, and reading notices
(docs/reliability.md), one module per concern.

Every job is idempotent because its effects are rows under unique keys:
running it twice, after a crash, or from two beats at once makes each notice
and each delivery once. Stages follow from today against the due date, never
from the tick that happened to run, so an item that fell due while no worker
ran is noticed on the next run (catch-up). Every function takes ``today`` /
``now`` so tests control the clock. Import from here; the modules are how
the code is kept, not an interface.
"""

from cadrecare.reminders.services.digest import digest_build
from cadrecare.reminders.services.dispatch import deliveries_dispatch, delivery_message, delivery_send
from cadrecare.reminders.services.inbox import notice_mark_all_read, notice_mark_read
from cadrecare.reminders.services.inserts import NOTICE_COLUMNS
from cadrecare.reminders.services.jobs import (
    DIGEST_JOB,
    DIGEST_LOCK,
    DISPATCH_JOB,
    DISPATCH_LOCK,
    SCAN_JOB,
    SCAN_LOCK,
    job_lease,
    job_run,
    job_runs_expire,
)
from cadrecare.reminders.services.outbox import notices_deliver_now
from cadrecare.reminders.services.preferences import (
    PREFERENCE_FIELDS,
    Receipt,
    channel_preference_update,
    channels_enabled,
    delivery_receipts_record,
    in_quiet_hours,
    quiet_hours_default,
    recipients_resting,
)
from cadrecare.reminders.services.scan import SCAN_BATCH, Planned, notice_body, person_names, reminders_scan, stages_of
from cadrecare.reminders.services.schedules import (
    SCHEDULE_LIMITS,
    ScheduleRule,
    UnitBook,
    reminder_schedule_delete,
    reminder_schedule_save,
    schedule_in_force,
)
from cadrecare.reminders.services.tally import TALLY_JOB, TALLY_LOCK, overdue_tally_refresh

__all__ = [
    "DIGEST_JOB",
    "DIGEST_LOCK",
    "DISPATCH_JOB",
    "DISPATCH_LOCK",
    "NOTICE_COLUMNS",
    "PREFERENCE_FIELDS",
    "Planned",
    "Receipt",
    "ScheduleRule",
    "SCAN_BATCH",
    "SCAN_JOB",
    "SCAN_LOCK",
    "SCHEDULE_LIMITS",
    "TALLY_JOB",
    "TALLY_LOCK",
    "UnitBook",
    "channel_preference_update",
    "channels_enabled",
    "deliveries_dispatch",
    "delivery_message",
    "delivery_receipts_record",
    "delivery_send",
    "digest_build",
    "in_quiet_hours",
    "job_lease",
    "job_run",
    "job_runs_expire",
    "notice_body",
    "overdue_tally_refresh",
    "notice_mark_all_read",
    "notice_mark_read",
    "notices_deliver_now",
    "person_names",
    "quiet_hours_default",
    "recipients_resting",
    "reminder_schedule_delete",
    "reminder_schedule_save",
    "reminders_scan",
    "schedule_in_force",
    "stages_of",
]
