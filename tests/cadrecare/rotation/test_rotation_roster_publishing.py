"""Rosters in the service: publishing needs confirmation on a provisional
calendar; locking waits for the month's end; next month sees the history."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cadrecare.core.errors import ConflictError, DomainError
from cadrecare.org.models import Cadre
from cadrecare.rotation.choices import RosterStatus
from cadrecare.rotation.models import Recall, Roster
from cadrecare.rotation.problem import cadre_key, roster_problem_build
from cadrecare.rotation.services import roster_lock, roster_publish
from tests.cadrecare.rotation.generation_support import run_generation


def test_publishing_on_a_provisional_calendar_needs_confirmation(cast: Any, township: list[Cadre]) -> None:
    run_generation(cast.town_a2)
    roster = Roster.objects.get(unit=cast.town_a2)

    with pytest.raises(DomainError) as refused:
        roster_publish(actor=None, roster_obj=roster)
    assert refused.value.field == "confirm_provisional"

    # 鲁甸乡 has no serving secretary: the county's organization department publishes for it
    published = roster_publish(actor=cast.county_a_staff, roster_obj=roster, confirm_provisional=True)
    assert published.status == RosterStatus.PUBLISHED and published.published_by == cast.county_a_staff
    with pytest.raises(ConflictError):
        roster_publish(actor=None, roster_obj=roster, confirm_provisional=True)


def test_a_roster_locks_only_after_its_month(cast: Any, township: list[Cadre]) -> None:
    run_generation(cast.town_a2)
    roster = roster_publish(actor=None, roster_obj=Roster.objects.get(unit=cast.town_a2), confirm_provisional=True)

    with pytest.raises(DomainError, match="还没有结束"):
        roster_lock(actor=None, roster_obj=roster, today=dt.date(2027, 3, 31))
    assert roster_lock(actor=None, roster_obj=roster, today=dt.date(2027, 4, 1)).status == RosterStatus.LOCKED


def test_next_month_sees_the_history_and_what_was_carried(cast: Any, township: list[Cadre]) -> None:
    # given March published with 2 recalled days carried for a deputy
    deputy = township[2]
    Recall.objects.create(cadre=deputy, date=dt.date(2027, 2, 6), days_lost=2, reason="森林火情")
    run_generation(cast.town_a2)
    roster_publish(actor=None, roster_obj=Roster.objects.get(unit=cast.town_a2), confirm_provisional=True)

    # when April is built
    april = {c.id: c for c in roster_problem_build(unit=cast.town_a2, month=dt.date(2027, 4, 1)).problem.cadres}

    # then the debt is settled and March's desirable rest is history
    assert april[cadre_key(deputy.pk)].carry_days == 0
    march = Roster.objects.get(unit=cast.town_a2).current.problem
    desirable = set(march["desirable"])
    rested = sum(
        1
        for day in Roster.objects.get(unit=cast.town_a2).current.solution["rest"][cadre_key(deputy.pk)]
        if day in desirable
    )
    assert april[cadre_key(deputy.pk)].history.months == 1
    assert april[cadre_key(deputy.pk)].history.desirable_rest_days == rested
