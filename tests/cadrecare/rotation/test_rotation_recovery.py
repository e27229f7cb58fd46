"""Lost generation messages: a queued unit-month is an
outbox row under a lease. Its message lost with Redis or with a worker is sent
again once the lease is over (never before, never for a message that waits
behind a backlog), a second copy never solves beside the first, and an item
out of attempts fails with the reason instead of leaving its run queued."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from cadrecare.core import clock
from cadrecare.rotation.choices import RunStatus
from cadrecare.rotation.models import GenerationItem, GenerationRun, RosterVersion
from cadrecare.rotation.services import (
    MAX_ATTEMPTS,
    generation_item_run,
    generation_items_redispatch,
    generation_request,
    item_lease,
)
from config.celery import app
from scheduler.tasks.rotation import generation_item_run_task
from tests.cadrecare.rotation.conftest import MARCH_2027

TODAY = dt.date(2027, 2, 10)


@pytest.fixture
def empty_queues() -> Iterator[None]:
    """No message of another test waits in this run's queues."""
    app.control.purge()
    yield
    app.control.purge()


@pytest.fixture
def queued(cast: Any, township: Any, empty_queues: None) -> GenerationItem:
    """Township A2's March, asked for and queued (its message sent at ``clock.now()``)."""
    return generation_request(actor=None, unit=cast.town_a2, month=MARCH_2027, today=TODAY).items.get()


def test_a_queued_items_message_is_sent_again_only_once_its_lease_is_over(queued: GenerationItem) -> None:
    # given the item's message was lost (nothing waits in the solve queue)
    now = clock.now()

    # when the redispatch runs within the lease, then after it
    within = generation_items_redispatch(now=now + item_lease() - dt.timedelta(seconds=5))
    after = generation_items_redispatch(now=now + item_lease() + dt.timedelta(seconds=5))

    # then it is sent again once, after the lease, under a new lease
    assert within == {"sent": 0, "failed": 0} and after == {"sent": 1, "failed": 0}
    queued.refresh_from_db()
    assert queued.lease_until > now + item_lease()


def test_an_item_waiting_behind_a_backlog_is_not_sent_again_but_one_a_dead_worker_held_is(
    queued: GenerationItem, cast: Any
) -> None:
    # given another unit's item claimed by a worker that then died, and a message still waiting in the solve queue
    run = GenerationRun.objects.create(unit=cast.town_a1, month=MARCH_2027)
    held = GenerationItem.objects.create(
        run=run,
        unit=cast.town_a1,
        month=MARCH_2027,
        attempts=1,
        lease_until=clock.now() + item_lease(),
        claimed_until=clock.now() + item_lease(),
    )
    generation_item_run_task.apply_async((0,))

    # when the redispatch runs after both leases
    result = generation_items_redispatch(now=clock.now() + item_lease() + dt.timedelta(seconds=5))

    # then only the item a worker had claimed is sent again: the other is queued behind the backlog
    assert result == {"sent": 1, "failed": 0}
    held.refresh_from_db()
    queued.refresh_from_db()
    assert held.lease_until > queued.lease_until


def test_a_second_copy_of_the_message_does_not_solve_while_the_first_holds_the_claim(queued: GenerationItem) -> None:
    # given a worker solving the item (its claim held)
    GenerationItem.objects.filter(pk=queued.pk).update(attempts=1, claimed_until=clock.now() + item_lease())

    # when a second copy of its message arrives
    outcome = generation_item_run(item_id=queued.pk)

    # then it does nothing: no attempt counted, no version written
    queued.refresh_from_db()
    assert outcome == RunStatus.QUEUED and queued.attempts == 1
    assert not RosterVersion.objects.exists()


def test_an_item_out_of_attempts_fails_with_the_reason_and_its_run_is_no_longer_queued(queued: GenerationItem) -> None:
    # given the item's worker died on its last attempt (killed, or the database lost each time)
    GenerationItem.objects.filter(pk=queued.pk).update(
        attempts=MAX_ATTEMPTS, claimed_until=clock.now() + item_lease(), lease_until=clock.now() + item_lease()
    )

    # when the redispatch runs after the lease
    result = generation_items_redispatch(now=clock.now() + item_lease() + dt.timedelta(seconds=5))

    # then the item is failed, saying why, and a copy of its message arriving late does nothing
    assert result == {"sent": 0, "failed": 1}
    queued.refresh_from_db()
    assert queued.status == RunStatus.FAILED and queued.finished_at is not None
    assert f"尝试 {MAX_ATTEMPTS} 次仍未完成" in queued.reasons[0]["message"]
    assert generation_item_run(item_id=queued.pk) == RunStatus.FAILED
    assert not queued.run.items.filter(status=RunStatus.QUEUED).exists()
