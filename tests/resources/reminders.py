"""The reminders' resources: due items, notifications, job runs and reminder schedules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from cadrecare.org.choices import UnitKind
from cadrecare.reminders.choices import Stage
from cadrecare.reminders.models import JobRun, Notice, ReminderSchedule
from tests.cadrecare.reminders.support import KIND as REVIEW_KIND
from tests.cadrecare.reminders.support import make_due, review_source
from tests.factories import OrgUnitFactory, UserFactory
from tests.resources.common import Factory, ResourceCase


def _review_of(cadre_attr: str) -> Factory:
    def make(cast: Any) -> SimpleNamespace:
        cadre = make_due(getattr(cast, cadre_attr), dt.date.today() + dt.timedelta(days=10))
        return SimpleNamespace(pk=f"{REVIEW_KIND}:{cadre.pk}")

    return make


def _notice(unit_attr: str, cadre_attr: str, *, to_actor: bool) -> Callable[[Any, Any], Notice]:
    def make(cast: Any, actor: Any) -> Notice:
        cadre = getattr(cast, cadre_attr)
        return Notice.objects.create(
            kind="test",
            object_id=cadre.pk,
            recipient=actor if to_actor else UserFactory(),
            stage=Stage.DUE,
            period=dt.date(2026, 3, 1),
            unit=getattr(cast, unit_attr),
            cadre=cadre,
            due_date=dt.date(2026, 3, 1),
            title=f"{cadre.name}：测试",
            body="今天到期。",
            created_at=dt.datetime.now(dt.UTC),
        )

    return make


def _job_run(cast: Any) -> JobRun:
    return JobRun.objects.create(name="reminders_scan", started_at=dt.datetime.now(dt.UTC))


CASES: list[ResourceCase] = [
    ResourceCase(
        "due-items",
        make_in=_review_of("cadre_a1"),
        make_out=_review_of("cadre_b1"),
        methods=frozenset({"list"}),
        context=review_source,
    ),
    ResourceCase(
        "notifications",
        make_in=_notice("town_a1", "cadre_a1", to_actor=True),
        make_out=_notice("town_b1", "cadre_b1", to_actor=False),
        inbox=True,
    ),
    ResourceCase(
        "job-runs",
        make_in=_job_run,
        make_out=_job_run,
        self_visible=False,
        national=True,
    ),
    ResourceCase(
        "reminder-schedules",
        make_in=lambda c: ReminderSchedule.objects.create(unit=c.town_a1, lead_days=4),
        make_out=lambda c: ReminderSchedule.objects.create(unit=c.town_b1, lead_days=4),
        payload=lambda c: {"unit": OrgUnitFactory(kind=UnitKind.VILLAGE, parent=c.town_a1).pk, "lead_days": 5},
        update=lambda c: {"county_after_days": 10},
        methods=frozenset({"list", "retrieve", "create", "update", "delete"}),
        self_visible=False,
    ),
]
