"""Celery: the broker is Redis when REDIS_URL is set, else kombu's filesystem
transport under var/ (the embedded default of `make run`). The database, not
the broker, is the source of truth for every job (docs/decisions/0002-the-database-is-the-truth-of-jobs.md)."""

from celery.schedules import crontab

from config.env import VAR_DIR, env

_redis_url = env("REDIS_URL", default="")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=_redis_url or "filesystem://")
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# A killed pool child's task is requeued instead of silently acked: every task
# here is idempotent, so a second run is harmless (reliability.md, trap 1).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Three queues, each with workers of its own (`runall`, docker-compose), so a
# backlog of one kind of work never delays another: the beat jobs (scans,
# dispatchers, sweeps) on "dispatch", one message per delivery on "sends", one
# per unit-month solve on "solve". Anything unrouted goes to "dispatch".
QUEUE_DISPATCH, QUEUE_SENDS, QUEUE_SOLVE = "dispatch", "sends", "solve"
QUEUES = (QUEUE_DISPATCH, QUEUE_SENDS, QUEUE_SOLVE)
CELERY_TASK_QUEUES = {name: {"routing_key": name} for name in QUEUES}
CELERY_TASK_DEFAULT_QUEUE = QUEUE_DISPATCH
CELERY_TASK_ROUTES = {
    "scheduler.tasks.reminders.delivery_send_task": {"queue": QUEUE_SENDS},
    "scheduler.tasks.rotation.generation_item_run_task": {"queue": QUEUE_SOLVE},
}
# Leases of the outbox rows (docs/reliability.md): a delivery a
# killed sender left 'sending' is sent again after the send lease; a queued
# unit-month's message is trusted this long from its sending or its claim.
# Each task is killed before its lease ends, so no second copy runs beside it.
REMINDERS_SEND_LEASE_SECONDS = env.int("REMINDERS_SEND_LEASE_SECONDS", default=60)
ROTATION_ITEM_LEASE_SECONDS = env.int("ROTATION_ITEM_LEASE_SECONDS", default=60)
CELERY_TASK_ANNOTATIONS = {
    "scheduler.tasks.reminders.delivery_send_task": {
        "time_limit": REMINDERS_SEND_LEASE_SECONDS - 10,
        "soft_time_limit": REMINDERS_SEND_LEASE_SECONDS - 20,
    },
    "scheduler.tasks.rotation.generation_item_run_task": {
        "time_limit": ROTATION_ITEM_LEASE_SECONDS - 5,
        "soft_time_limit": ROTATION_ITEM_LEASE_SECONDS - 15,
    },
}

if CELERY_BROKER_URL.startswith("filesystem://"):
    _folder = str(VAR_DIR / "broker")
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": _folder,
        "data_folder_out": _folder,
        "control_folder": str(VAR_DIR / "broker-control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # At least twice the longest task (the time limit), so a running task
        # is not redelivered to a second worker.
        "visibility_timeout": 2 * CELERY_TASK_TIME_LIMIT,
        "socket_timeout": 5,
        "socket_connect_timeout": 5,
        "health_check_interval": 30,
    }

# Each entry runs at most once per period: `expires` drops a tick that could
# not start before the next one is due. Later modules add their entries here.
CELERY_BEAT_SCHEDULE: dict[str, dict] = {}
# How often the outbox relays look for work a lost message left behind: with
# the leases (docs/reliability.md) this bounds the recovery.
REDISPATCH_EVERY = env.float("REDISPATCH_EVERY_SECONDS", default=30.0)

# Reminders (cadrecare/reminders/services/).
_digest_minute = int(env("REMINDERS_DIGEST_TIME", default="08:00").split(":")[1])
CELERY_BEAT_SCHEDULE |= {
    # Every hour at :05. The first run of a day makes that day's notices; later
    # runs add only what fell due since (an urgent roster, a worker back from an
    # outage): the unique keys make the repeats no-ops.
    "reminders-scan": {
        "task": "scheduler.tasks.reminders.reminders_scan_task",
        "schedule": crontab(minute=5),
        "options": {"expires": 3600},
    },
    # Every hour at the minute of REMINDERS_DIGEST_TIME (08:00 Asia/Shanghai by
    # default); the first run at or after that time sends each recipient's
    # waiting notices as one digest (once a day; later runs catch up a missed one).
    "reminders-digest": {
        "task": "scheduler.tasks.reminders.digest_build_task",
        "schedule": crontab(minute=_digest_minute),
        "options": {"expires": 3600},
    },
    # Every 30 seconds: claim due deliveries from the outbox and send them; a
    # claim whose send was lost is claimed again once its lease is over.
    "reminders-dispatch": {
        "task": "scheduler.tasks.reminders.deliveries_dispatch_task",
        "schedule": REDISPATCH_EVERY,
        "options": {"expires": REDISPATCH_EVERY},
    },
    # Every ten minutes: today's overdue items counted per township and kind
    # for the organization department's 总览 (which says when they were counted).
    "overdue-tally": {
        "task": "scheduler.tasks.reminders.overdue_tally_refresh_task",
        "schedule": crontab(minute="*/10"),
        "options": {"expires": 600},
    },
    # Every five minutes: a job run still 'running' past its lease lost its
    # process (killed, out of memory) and is marked failed.
    "job-runs-expire": {
        "task": "scheduler.tasks.reminders.job_runs_expire_task",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 300},
    },
}

# The audit log's hash chain (cadrecare/audit/services.py): every
# minute the entries written since are sealed into it, so an entry deleted in
# the database is detectable after a minute at most.
CELERY_BEAT_SCHEDULE |= {
    "audit-seal": {
        "task": "scheduler.tasks.audit.audit_seal_task",
        "schedule": 60.0,
        "options": {"expires": 60},
    },
}

# Rest rotation (cadrecare/rotation/services/).
CELERY_BEAT_SCHEDULE |= {
    # Every day at 01:30: next month's draft roster for each township whose
    # policy names today as its generation day.
    "rotation-generate-due": {
        "task": "scheduler.tasks.rotation.generation_due_run_task",
        "schedule": crontab(hour=1, minute=30),
        "options": {"expires": 6 * 3600},
    },
    # Every 30 seconds: send again the roster generations whose lease ran out
    # (a message lost with Redis or a worker), fail those out of attempts.
    "rotation-redispatch": {
        "task": "scheduler.tasks.rotation.generation_items_redispatch_task",
        "schedule": REDISPATCH_EVERY,
        "options": {"expires": REDISPATCH_EVERY},
    },
}
