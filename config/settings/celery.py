"""Celery: the broker is Redis when REDIS_URL is set, else kombu's filesystem
transport under var/ (the embedded default of `make run`). The database, not
the broker, is the source of truth for every job (shared/reliability.md A3)."""

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

# Reminders (issue 6; cadrecare/reminders/services.py).
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
    # Every minute: claim due deliveries from the outbox and send them.
    "reminders-dispatch": {
        "task": "scheduler.tasks.reminders.deliveries_dispatch_task",
        "schedule": crontab(),
        "options": {"expires": 60},
    },
    # Every five minutes: a job run still 'running' past its lease lost its
    # process (killed, out of memory) and is marked failed.
    "job-runs-expire": {
        "task": "scheduler.tasks.reminders.job_runs_expire_task",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 300},
    },
}

# Rest rotation (issue 3; cadrecare/rotation/services.py).
CELERY_BEAT_SCHEDULE |= {
    # Every day at 01:30: next month's draft roster for each township whose
    # policy names today as its generation day.
    "rotation-generate-due": {
        "task": "scheduler.tasks.rotation.generation_due_run_task",
        "schedule": crontab(hour=1, minute=30),
        "options": {"expires": 6 * 3600},
    },
    # Every five minutes: send again roster generations a lost message left queued.
    "rotation-redispatch": {
        "task": "scheduler.tasks.rotation.generation_items_redispatch_task",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 240},
    },
}
