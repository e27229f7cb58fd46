"""Services start their Celery tasks by name, never importing the task modules
(docs/decisions/0005-tasks-stay-in-scheduler-named-by-services.md). A name that
no longer matches a task would only show when no worker ever ran the work, so
each name a service sends is checked against what the worker registers."""

from __future__ import annotations

import pytest
from django.conf import settings

from cadrecare.reminders.services.dispatch import DELIVERY_SEND_TASK
from cadrecare.rotation.services.generation import GENERATION_ITEM_TASK
from config.celery import app

NAMED_BY_SERVICES = {GENERATION_ITEM_TASK: settings.QUEUE_SOLVE, DELIVERY_SEND_TASK: settings.QUEUE_SENDS}


@pytest.mark.parametrize("name", sorted(NAMED_BY_SERVICES))
def test_every_task_a_service_sends_by_name_is_a_task_the_worker_runs_on_its_queue(name: str) -> None:
    # given the modules a worker loads at start
    app.loader.import_default_modules()

    # then the name is a registered task, routed to the queue its workers read
    assert name in app.tasks
    assert settings.CELERY_TASK_ROUTES[name] == {"queue": NAMED_BY_SERVICES[name]}
