"""Celery tasks: thin wrappers that take ids and ISO dates, call one cadrecare
service and return a short summary. One module per domain, imported here so
``app.autodiscover_tasks(["scheduler"])`` finds them all."""

from scheduler.tasks import (
    audit,  # noqa: E402,F401
    reminders,  # noqa: E402,F401
    rotation,  # noqa: E402,F401
)
