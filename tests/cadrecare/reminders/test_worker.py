"""End to end with a real Celery worker on Redis (reliability.md
B3, F1): the dispatcher and the sends run in a worker process against the
test database; a worker killed with SIGKILL in the middle leaves nothing lost
or doubled in the database once the next worker and dispatch have run."""

from __future__ import annotations

import collections
import datetime as dt
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from django.conf import settings

from cadrecare.core import clock
from cadrecare.core.broker import queue_depth
from cadrecare.org.choices import Role
from cadrecare.reminders.choices import DeliveryStatus
from cadrecare.reminders.models import Delivery, Notice
from cadrecare.reminders.services import deliveries_dispatch, reminders_scan
from config.settings.celery import QUEUE_SENDS
from scheduler.tasks.reminders import deliveries_dispatch_task
from tests.cadrecare.reminders.support import make_due
from tests.factories import CadreFactory, RoleGrantFactory, UserFactory
from tests.processes import kill, service_env, start_celery_worker, wait_until

pytestmark = [pytest.mark.usefixtures("review_source_alone"), pytest.mark.slow, pytest.mark.django_db(transaction=True)]
OFFICERS = 200


@pytest.fixture
def broker() -> Iterator[None]:
    """This run's Redis database, emptied before and after (no stale tasks)."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.flushdb()
    yield
    client.flushdb()


@pytest.fixture
def start_worker(tmp_path: Path, broker: None) -> Iterator[Callable[[], subprocess.Popen]]:
    """Start `celery -A config worker` (prefork, 2 children, every queue) on the test database."""
    started: list[subprocess.Popen] = []
    env = service_env(
        REMINDERS_SMS_BACKEND="tests.cadrecare.reminders.support.FileSmsBackend",
        REMINDERS_SMS_LOG=str(tmp_path / "sms.log"),
        REMINDERS_SMS_SECONDS="0.03",
    )

    def start() -> subprocess.Popen:
        process = start_celery_worker(env=env, concurrency=2, quiet=True)
        started.append(process)
        return process

    yield start
    for process in started:
        kill(process)


def sms_sends(tmp_path: Path) -> collections.Counter:
    log = tmp_path / "sms.log"
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return collections.Counter(line.split()[0] for line in lines)


def wait_quiet(measure: Callable[[], int], timeout: float, quiet: float = 3.0) -> None:
    """Wait until ``measure`` has not changed for ``quiet`` seconds."""
    deadline = time.monotonic() + timeout
    last, since = measure(), time.monotonic()
    while time.monotonic() < deadline and time.monotonic() - since < quiet:
        time.sleep(0.2)
        if (now := measure()) != last:
            last, since = now, time.monotonic()


@pytest.fixture
def escalation(cast: Any, settings: Any) -> Any:
    """An item 7 days late whose escalation goes by SMS to 200 county officers."""
    settings.REMINDERS_URGENT_CHANNELS = ["sms"]
    for _ in range(OFFICERS):
        user = UserFactory()
        RoleGrantFactory(user=user, role=Role.ORG_STAFF, unit=cast.county_a)
        CadreFactory(unit=cast.agency_a, user=user)
    make_due(cast.cadre_a1, clock.today() - dt.timedelta(days=7))
    reminders_scan()
    assert Delivery.objects.count() == OFFICERS
    return cast


def test_a_real_worker_sends_every_queued_delivery_once(escalation: Any, start_worker: Any, tmp_path: Path) -> None:
    # given a worker on Redis
    start_worker()

    # when beat's dispatcher task is sent through the broker
    deliveries_dispatch_task.delay()

    # then the worker claims and sends every delivery, each once
    assert wait_until(lambda: Delivery.objects.filter(status=DeliveryStatus.SENT).count() == OFFICERS, 90)
    sends = sms_sends(tmp_path)
    assert len(sends) == OFFICERS and set(sends.values()) == {1}


def test_a_worker_killed_mid_run_leaves_nothing_lost_or_doubled(
    escalation: Any, start_worker: Any, tmp_path: Path
) -> None:
    # given a worker sending the 200 deliveries the dispatcher claimed
    worker = start_worker()
    deliveries_dispatch()  # enqueues one send task per delivery after commit
    assert wait_until(lambda: sum(sms_sends(tmp_path).values()) >= 20, 60)

    # when it is killed with SIGKILL (the main process and its pool children) in the middle
    kill(worker)
    sent_before = Delivery.objects.filter(status=DeliveryStatus.SENT).count()
    assert 0 < sent_before < OFFICERS

    # and a new worker starts, the queue drains (a claim run out behind a backlog is not taken again),
    # and the dispatcher runs once the leases are over
    start_worker()
    assert wait_until(lambda: queue_depth(QUEUE_SENDS) == 0, 60)
    wait_quiet(lambda: Delivery.objects.filter(status=DeliveryStatus.SENT).count(), 60)
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() < OFFICERS  # some were left for later
    after_leases = clock.now() + dt.timedelta(seconds=2 * settings.CELERY_TASK_TIME_LIMIT + 60)
    deliveries_dispatch(now=after_leases)
    reminders_scan()  # the day's scan running again adds nothing

    # then every delivery is sent, no row is doubled, and only a send cut off by the kill went out twice
    assert wait_until(lambda: Delivery.objects.filter(status=DeliveryStatus.SENT).count() == OFFICERS, 90)
    assert Delivery.objects.count() == OFFICERS
    assert Notice.objects.filter(stage="county").count() == OFFICERS + 2
    sends = sms_sends(tmp_path)
    assert len(sends) == OFFICERS
    doubled = [key for key, count in sends.items() if count > 1]
    assert len(doubled) <= 2, doubled  # at most one in flight per pool child: at least once, never lost
