"""Every job finishes its work or fails visibly: a
database connection terminated inside any phase of a job marks its run
failed, naming the kind, and the task retries until the work is done; a kind
that breaks for good leaves the run partial with the kind named; a run whose
process was killed outright is marked failed once its lease is over, and the
job-runs list shows it. Connections are ended by PostgreSQL itself
(pg_terminate_backend from a second connection), processes with SIGKILL."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from cadrecare.core import clock
from cadrecare.reminders.choices import JobStatus
from cadrecare.reminders.models import JobRun, Notice
from cadrecare.reminders.services import digest as digest_job
from cadrecare.reminders.services import job_runs_expire, reminders_scan
from cadrecare.reminders.services import scan as scan_job
from scheduler.tasks.reminders import digest_build_task, reminders_scan_task
from tests.cadrecare.reminders.support import KIND, make_due
from tests.factories import CadreFactory
from tests.processes import ROOT, kill, other_connection, service_env, terminate_backend, wait_until

pytestmark = [pytest.mark.usefixtures("review_source_alone"), pytest.mark.django_db(transaction=True)]
LATE = 21  # days: the owner, the county's two officers and the city's administrator hear
RECIPIENTS = 1 + 2 + 1


@pytest.fixture
def thirty_late_items(cast: Any) -> Any:
    for _ in range(30):
        make_due(CadreFactory(unit=cast.town_a1), clock.today() - dt.timedelta(days=LATE))
    return cast


@pytest.fixture
def kill_connection_in(
    transactional_db: None, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[ModuleType, str], list[int]]]:
    """Arm a step of a job (a function as the job's module calls it): the first time it starts, PostgreSQL ends this
    process's database connection; the step's next statement meets the loss.
    (Afterwards a connection the job left broken is dropped, so the test
    database can be emptied.)"""

    def arm(job: ModuleType, step: str) -> list[int]:
        original = getattr(job, step)
        killed: list[int] = []

        def step_with_fault(*args: Any, **kwargs: Any) -> Any:
            if not killed:
                connection.ensure_connection()
                killed.append(connection.connection.info.backend_pid)
                terminate_backend(killed[0])
            return original(*args, **kwargs)

        monkeypatch.setattr(job, step, step_with_fault)
        return killed

    yield arm
    if connection.connection is not None and not connection.is_usable():
        connection.close()


# The scan's phases: reading a kind's due items, planning who hears what (which
# notices exist already), writing the notices and their deliveries.
PHASES = {"items": "iter_due_items", "plan": "_notices_for", "insert": "_insert_notices"}


@pytest.mark.parametrize("phase", PHASES)
def test_a_connection_lost_in_any_phase_of_the_scan_fails_the_run_and_the_task_retries_until_done(
    thirty_late_items: Any, kill_connection_in: Any, phase: str
) -> None:
    # given the scan's connection will be terminated in this phase, once
    killed = kill_connection_in(scan_job, PHASES[phase])

    # when beat's scan task runs (retrying as a worker would)
    result = reminders_scan_task.apply()

    # then the first run failed, saying which kind was cut off, and the retry made every notice
    assert killed, "the fault was not injected"
    first, second = JobRun.objects.filter(name="reminders_scan").order_by("id")
    assert first.status == JobStatus.FAILED and first.finished_at is not None
    assert first.detail["failed_kinds"] == [KIND] and first.errors[0].startswith(f"{KIND}: ")
    assert second.status == JobStatus.SUCCEEDED and result.successful()
    assert Notice.objects.count() == 30 * RECIPIENTS
    assert reminders_scan().created == 0


def test_a_connection_lost_while_building_the_digest_fails_the_run_and_the_retry_sends_it(
    thirty_late_items: Any, kill_connection_in: Any, settings: Any
) -> None:
    # given the day's notices waiting for the digest, at the digest hour
    reminders_scan()
    settings.REMINDERS_DIGEST_TIME = "00:00"
    killed = kill_connection_in(digest_job, "_notices_of_closed_items")

    # when the digest task runs
    digest_build_task.apply()

    # then the first run failed visibly and the retry collected every waiting notice
    assert killed
    assert list(JobRun.objects.filter(name="reminders_digest").order_by("id").values_list("status", flat=True)) == [
        JobStatus.FAILED,
        JobStatus.SUCCEEDED,
    ]
    assert not Notice.objects.filter(urgent=False, outboxed=False).exists()


def test_a_kind_that_breaks_for_good_leaves_the_run_partial_with_the_kind_named(thirty_late_items: Any) -> None:
    # given a second kind whose query is wrong
    from cadrecare.reminders.sources import register

    register("broken", label="坏", resource="cadres")(lambda *, today: Notice.objects.filter(no_such_field=1))

    # when the scan task runs
    reminders_scan_task.apply()

    # then the run is partial, naming the broken kind; the other kind's notices went out; no retry
    run = JobRun.objects.get(name="reminders_scan")
    assert run.status == JobStatus.PARTIAL and run.detail["failed_kinds"] == ["broken"]
    assert run.errors[0].startswith("broken: FieldError")
    assert Notice.objects.filter(kind=KIND).count() == 30 * RECIPIENTS


def test_a_scan_whose_process_is_killed_is_marked_failed_after_its_lease_and_shown(
    thirty_late_items: Any, client_for: Any
) -> None:
    # given a scan in a process of its own (the apps' own kinds: the cast's check-ups are due),
    # held mid-run by a lock on the notices table until its backend waits on it
    locker, watcher = other_connection(), other_connection(autocommit=True)
    locker.execute(f"LOCK TABLE {Notice._meta.db_table} IN ACCESS EXCLUSIVE MODE")
    scan = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from cadrecare.reminders.services import reminders_scan; reminders_scan()",
        ],
        cwd=ROOT,
        env=service_env(),
        start_new_session=True,
    )
    waiting = "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
    try:
        assert wait_until(lambda: watcher.execute(waiting).fetchone() is not None, 60)
        backend = watcher.execute(waiting).fetchone()[0]

        # when the process is killed with SIGKILL, and the lock released
        kill(scan)
    finally:
        locker.close()
    assert wait_until(
        lambda: not watcher.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [backend]).fetchone(), 30
    )
    watcher.close()

    # then its run says running while its lease lasts
    run = JobRun.objects.get(status=JobStatus.RUNNING)
    assert job_runs_expire() == 0
    # and once the lease is over, the sweep marks it failed, saying why
    assert run.lease_until >= run.started_at + dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    assert job_runs_expire(now=run.lease_until + dt.timedelta(seconds=1)) == 1
    run.refresh_from_db()
    assert run.status == JobStatus.FAILED and run.finished_at is not None
    # and the administrators' list of job runs shows it failed with its reason
    shown = client_for("city_admin").get("/api/v1/job-runs/", {"status": "failed"}).json()["results"]
    assert [(r["id"], r["status_label"]) for r in shown] == [(run.pk, "失败")]
    assert "租约" in shown[0]["errors"][-1]
    # and the next scan does the work
    assert reminders_scan().created == 30 * RECIPIENTS
