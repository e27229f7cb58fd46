"""Roster generation through a real Celery worker on Redis: a small city's
month generates end to end, and a generation whose message arrives three times at once writes one draft version."""

from __future__ import annotations

import datetime as dt
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest

from cadrecare.org.choices import UnitKind
from cadrecare.rotation.choices import Mode, RosterStatus, RunStatus
from cadrecare.rotation.models import GenerationItem, GenerationRun, Roster, RosterVersion, RotationPolicy
from cadrecare.rotation.services import generation_due_run
from config.celery import app
from scheduler.tasks.rotation import generation_item_run_task
from tests.cadrecare.rotation.conftest import MARCH_2027, build_township
from tests.factories import OrgUnitFactory
from tests.processes import service_env, start_celery_worker, stop_gracefully
from tests.roster_judge import judge

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
WAIT_SECONDS = 180


@pytest.fixture(scope="module")
def worker(django_db_setup: None, django_db_blocker: Any) -> Iterator[subprocess.Popen]:
    """`celery -A config worker` with two processes, on the test database and our Redis."""
    with django_db_blocker.unblock():
        env = service_env(ROTATION_SOLVE_SECONDS="5")
    app.control.purge()
    process = start_celery_worker(env=env, concurrency=2)
    try:
        yield process
    finally:
        stop_gracefully(process)


def _wait_until_done(items: Any) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if not items.filter(status=RunStatus.QUEUED).exists():
            return
        time.sleep(0.5)
    pytest.fail(f"items still queued after {WAIT_SECONDS}s: {list(items.values('unit__name', 'status'))}")


def test_a_small_citys_month_generates_end_to_end(worker: subprocess.Popen) -> None:
    # given a city of two counties and four townships, generating on the 20th, in three modes
    city = OrgUnitFactory(kind=UnitKind.CITY, name="小城市")
    modes = [Mode.WEEKLY, Mode.HALF_MONTH]
    towns = []
    for index, mode in enumerate(modes):
        county = OrgUnitFactory(kind=UnitKind.COUNTY, parent=city)
        RotationPolicy.objects.create(unit=county, effective_from=dt.date(2026, 1, 1), mode=mode, generation_day=20)
        for _ in range(2):
            town = OrgUnitFactory(kind=UnitKind.TOWNSHIP, parent=county)
            build_township(town, 8 + 2 * index)
            towns.append(town)
    RotationPolicy.objects.create(unit=towns[-1], effective_from=dt.date(2026, 1, 1), mode=Mode.MONTHLY)

    # when the daily job runs on 20 February 2027 (the worker solves every township)
    run = generation_due_run(today=dt.date(2027, 2, 20))
    _wait_until_done(run.items.all())

    # then every township has one valid draft for March, checked by the shared checker
    assert set(run.items.values_list("status", flat=True)) == {RunStatus.SOLVED}
    rosters = Roster.objects.filter(unit__in=towns, month=MARCH_2027)
    assert rosters.count() == 4 and set(rosters.values_list("status", flat=True)) == {RosterStatus.DRAFT}
    for roster in rosters.select_related("current"):
        assert judge(roster.current.problem, roster.current.solution)["valid"] is True
    # and the job run again the same day changes nothing
    assert generation_due_run(today=dt.date(2027, 2, 20)).pk == run.pk
    assert RosterVersion.objects.filter(roster__in=rosters).count() == 4


def test_a_generation_sent_three_times_at_once_writes_one_draft_version(worker: subprocess.Popen) -> None:
    # given one township's March queued (a second request for it would return this run: one queued per month)
    county = OrgUnitFactory(kind=UnitKind.COUNTY)
    town = OrgUnitFactory(kind=UnitKind.TOWNSHIP, parent=county)
    RotationPolicy.objects.create(unit=county, effective_from=dt.date(2026, 1, 1), mode=Mode.WEEKLY)
    build_township(town, 10)
    run = GenerationRun.objects.create(unit=town, month=MARCH_2027)
    item = GenerationItem.objects.create(run=run, unit=town, month=MARCH_2027)

    # when both worker processes get its message, and one of them a redelivered copy too
    for _ in range(3):
        generation_item_run_task.delay(item.pk)
    _wait_until_done(GenerationItem.objects.filter(pk=item.pk))

    # then there is one draft roster with one version, written by that item
    roster = Roster.objects.get(unit=town, month=MARCH_2027)
    assert roster.status == RosterStatus.DRAFT
    assert list(RosterVersion.objects.filter(roster=roster).values_list("number", "generation_item_id")) == [
        (1, item.pk)
    ]
    assert roster.current.number == 1 and roster.version == 1
