"""Writing a scan's notices, and the deliveries of the urgent ones, in one
statement from rows staged by binary COPY."""

from __future__ import annotations

import datetime as dt

from django.db import connection

from cadrecare.core.bulk import copy_stage, raw_cursor
from cadrecare.org.models import Cadre, User
from cadrecare.reminders.choices import Channel
from cadrecare.reminders.models import ChannelPreference, Delivery, JobRun, Notice
from cadrecare.reminders.services.jobs import _setting
from cadrecare.reminders.services.outbox import _deliveries_for

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
    (cadrecare.core.bulk), then one statement inserts them with ON CONFLICT DO NOTHING and, in the
    same statement, the deliveries of those that were new (a data-modifying
    WITH). Elsewhere (the embedded SQLite of `make run`) bulk_create and one
    INSERT ... SELECT per channel do the same.
    """
    channels = list(_setting("REMINDERS_URGENT_CHANNELS", [Channel.EMAIL, Channel.SMS]))
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
    with raw_cursor() as cursor:
        copy_stage(cursor, "scan_notice", NOTICE_COLUMNS, _PG_TYPES, rows)
        cursor.execute(
            f"WITH {', '.join(parts)} SELECT (SELECT count(*) FROM new), {counts}", [now, now] * len(channels)
        )
        row = cursor.fetchone()
    assert row is not None  # a SELECT of counts without FROM returns its one row
    made, delivered = row
    return made, delivered
