"""Rosters in the service: generation writes one valid draft atomically and
idempotently, keeps pinned days, explains an impossible month, never touches
a published roster, and the daily job generates what is due once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cadrecare.core.errors import DomainError
from cadrecare.org.models import Cadre
from cadrecare.rotation.choices import DayKind, Mode, RosterStatus, RunStatus
from cadrecare.rotation.models import GenerationItem, GenerationRun, Roster, RosterDay, RosterVersion, RotationPolicy
from cadrecare.rotation.problem import cadre_key
from cadrecare.rotation.services import generation_due_run, generation_item_run, generation_request, roster_publish
from tests.cadrecare.rotation.conftest import MARCH_2027, build_township
from tests.cadrecare.rotation.generation_support import TODAY, run_generation
from tests.roster_judge import judge


def test_generation_writes_one_valid_draft_with_every_day_of_every_cadre(cast: Any, township: list[Cadre]) -> None:
    item = run_generation(cast.town_a2)

    assert item.status == RunStatus.SOLVED, item.reasons
    roster = Roster.objects.get(unit=cast.town_a2, month=MARCH_2027)
    assert roster.status == RosterStatus.DRAFT and roster.provisional_calendar is True  # 2027 is not yet official
    version = roster.current
    report = judge(version.problem, version.solution)
    assert report["valid"] is True, report["violations"]
    assert RosterDay.objects.filter(version=version).count() == 12 * 31
    rest = RosterDay.objects.filter(version=version, kind=DayKind.REST)
    assert rest.count() == 12 * 8
    stored = {(cadre_key(c), d.isoformat()) for c, d in rest.values_list("cadre_id", "date")}
    solved = {(cid, day) for cid, days in version.solution["rest"].items() for day in days}
    assert stored == solved


def test_running_an_item_twice_writes_once(cast: Any, township: list[Cadre]) -> None:
    item = run_generation(cast.town_a2)

    assert generation_item_run(item_id=item.pk) == RunStatus.SOLVED

    assert RosterVersion.objects.filter(roster__unit=cast.town_a2).count() == 1
    assert Roster.objects.filter(unit=cast.town_a2).count() == 1


def test_asking_twice_while_queued_returns_the_same_run(cast: Any, township: list[Cadre]) -> None:
    first = generation_request(actor=None, unit=cast.town_a2, month=MARCH_2027, today=TODAY)
    second = generation_request(actor=None, unit=cast.town_a2, month=MARCH_2027, today=TODAY)
    assert first.pk == second.pk and GenerationItem.objects.count() == 1


def test_regenerating_keeps_pinned_days_and_flips_to_a_new_version(cast: Any, township: list[Cadre]) -> None:
    # given a draft where the secretary pinned a clerk's rest on 13-14 March (a weekend)
    run_generation(cast.town_a2)
    roster = Roster.objects.get(unit=cast.town_a2)
    clerk = township[6]
    days = RosterDay.objects.filter(version=roster.current, cadre=clerk)
    days.update(kind=DayKind.DUTY, pinned=False)
    days.filter(date__in=[dt.date(2027, 3, 13), dt.date(2027, 3, 14)]).update(kind=DayKind.REST, pinned=True)

    # when it is regenerated
    item = run_generation(cast.town_a2)

    # then version 2 is current, valid, and keeps the pinned days
    roster.refresh_from_db()
    assert item.status == RunStatus.SOLVED and roster.current.number == 2
    assert judge(roster.current.problem, roster.current.solution)["valid"] is True
    kept = set(
        RosterDay.objects.filter(version=roster.current, cadre=clerk, kind=DayKind.REST).values_list("date", flat=True)
    )
    assert {dt.date(2027, 3, 13), dt.date(2027, 3, 14)} <= kept
    assert RosterDay.objects.filter(version=roster.current, cadre=clerk, pinned=True).count() == 2


def test_an_impossible_month_is_infeasible_with_reasons_naming_people(cast: Any) -> None:
    # given a monthly-mode township whose whole month is blacked out but for 6 days
    build_township(cast.town_b1, 6)
    RotationPolicy.objects.create(
        unit=cast.town_b1,
        effective_from=dt.date(2026, 1, 1),
        mode=Mode.MONTHLY,
        blackout=[{"from": "2027-03-07", "to": "2027-03-31", "reason": "集中整治"}],
    )

    item = run_generation(cast.town_b1)

    assert item.status == RunStatus.INFEASIBLE
    assert item.reasons and "鲁0" in " ".join(r["message"] for r in item.reasons)
    roster = Roster.objects.get(unit=cast.town_b1)
    assert roster.current.solver_status == "infeasible"
    assert not RosterDay.objects.filter(version__roster=roster).exists()
    with pytest.raises(DomainError, match="没有可行的方案"):
        roster_publish(actor=None, roster_obj=roster, confirm_provisional=True)


def test_the_reasons_say_what_the_reader_can_change_and_whom_to_ask_for_the_rest(cast: Any, client_for: Any) -> None:
    # given 永胜县 imposing monthly rest and a blackout over most of March, which 期纳镇's own policy keeps
    build_township(cast.town_b1, 6)
    county_blackout = [{"from": "2027-03-07", "to": "2027-03-31", "reason": "集中整治"}]
    RotationPolicy.objects.create(
        unit=cast.county_b,
        effective_from=dt.date(2026, 1, 1),
        mode=Mode.MONTHLY,
        township_modes=[Mode.MONTHLY],
        blackout=county_blackout,
    )
    RotationPolicy.objects.create(
        unit=cast.town_b1, effective_from=dt.date(2026, 1, 1), mode=Mode.MONTHLY, blackout=county_blackout
    )
    run_generation(cast.town_b1)
    roster = Roster.objects.get(unit=cast.town_b1)

    # when the township's secretary and the city's organization department read the infeasible draft
    for_secretary = client_for("secretary_b1").get(f"/api/v1/rosters/{roster.pk}/").json()["reasons"]
    for_city = client_for("city_admin").get(f"/api/v1/rosters/{roster.pk}/").json()["reasons"]

    # then the secretary is told what their township's policy may change, and to ask the county for its rules
    assert for_secretary and all(reason["remedy"] for reason in for_secretary)
    remedies = " ".join(reason["remedy"] for reason in for_secretary)
    assert "您可以在期纳镇的轮休政策中调整" in remedies
    assert "需请永胜县委组织部调整" in remedies and "集中整治" in remedies
    # and the city, which sets the county's policy itself, is sent to no one
    assert not any("委组织部调整" in reason["remedy"] for reason in for_city)


def test_a_published_roster_is_never_touched(cast: Any, township: list[Cadre]) -> None:
    run_generation(cast.town_a2)
    roster = Roster.objects.get(unit=cast.town_a2)
    roster_publish(actor=None, roster_obj=roster, confirm_provisional=True)
    # an item queued before publication finds the roster published and leaves it
    run = GenerationRun.objects.create(unit=cast.town_a2, month=MARCH_2027)
    late = GenerationItem.objects.create(run=run, unit=cast.town_a2, month=run.month)

    assert generation_item_run(item_id=late.pk) == RunStatus.SKIPPED
    with pytest.raises(DomainError, match="已发布"):
        generation_request(actor=None, unit=cast.town_a2, month=MARCH_2027, today=TODAY)
    assert RosterVersion.objects.filter(roster=roster).count() == 1


def test_the_daily_job_generates_for_units_due_today_once(cast: Any, township: list[Cadre]) -> None:
    # given the county generates on the 20th; township A1 has its own policy generating on the 25th
    RotationPolicy.objects.create(
        unit=cast.town_a1, effective_from=dt.date(2026, 1, 1), mode=Mode.HALF_MONTH, generation_day=25
    )
    day = dt.date(2027, 2, 20)

    run = generation_due_run(today=day)
    again = generation_due_run(today=day)

    assert run is not None and again.pk == run.pk
    assert set(run.items.values_list("unit__name", flat=True)) == {"鲁甸乡"}
    assert run.month == MARCH_2027
    generation_item_run(item_id=run.items.get().pk)
    assert Roster.objects.get(unit=cast.town_a2, month=MARCH_2027).current is not None
