"""Rosters in the service: the problem built from the database is
the exchange format exactly; generation writes one valid draft atomically and
idempotently; publishing needs confirmation on a provisional calendar;
locking waits for the month's end; the grid and the on-duty list read it."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from cadrecare.audit.models import AuditEntry
from cadrecare.core.errors import ConflictError, DomainError
from cadrecare.org.choices import Role
from cadrecare.org.models import Cadre
from cadrecare.reminders.models import Notice
from cadrecare.reminders.services import reminders_scan
from cadrecare.reminders.sources import DueItem, due_items
from cadrecare.rotation.choices import AbsenceKind, DayKind, Mode, RequestKind, RosterStatus, RunStatus
from cadrecare.rotation.models import (
    Absence,
    GenerationItem,
    GenerationRun,
    Recall,
    RestRequest,
    Roster,
    RosterDay,
    RosterVersion,
    RotationPolicy,
)
from cadrecare.rotation.problem import cadre_key, problem_json, roster_problem_build
from cadrecare.rotation.services import (
    generation_due_run,
    generation_item_run,
    generation_request,
    roster_lock,
    roster_publish,
)
from scheduler.roster import loads_json, problem_from_json
from tests.cadrecare.reminders.support import only_kinds
from tests.cadrecare.rotation.conftest import MARCH_2027, build_township
from tests.factories import RoleGrantFactory
from tests.roster_judge import judge

TODAY = dt.date(2027, 2, 10)


def _generate(unit: Any, month: dt.date = MARCH_2027, **kwargs: Any) -> GenerationItem:
    run = generation_request(actor=None, unit=unit, month=month, today=TODAY, **kwargs)
    item = run.items.get()
    generation_item_run(item_id=item.pk)
    item.refresh_from_db()
    return item


def _in_township_a1(cast: Any, township: list[Cadre], mode: str) -> Roster:
    """The township's cadres moved to A1 (its secretary's and its county staff's) under a ``mode``
    policy, and A1's March roster generated."""
    Cadre.objects.filter(pk__in=[c.pk for c in township]).update(unit=cast.town_a1)
    RotationPolicy.objects.create(unit=cast.town_a1, effective_from=dt.date(2026, 1, 1), mode=mode)
    _generate(cast.town_a1)
    return Roster.objects.get(unit=cast.town_a1)


# -- the problem --------------------------------------------------------------


def test_the_problem_carries_policy_calendar_absences_requests_and_recalls(cast: Any, township: list[Cadre]) -> None:
    # given the township's secretary on training 10-12 March, a hardship request,
    # a recall owing 2 days, and a county blackout for flood prevention on 5 March
    secretary, head, deputy, clerk = township[0], township[1], township[2], township[5]
    Absence.objects.create(
        cadre=secretary, kind=AbsenceKind.TRAINING, start=dt.date(2027, 3, 10), end=dt.date(2027, 3, 12)
    )
    RestRequest.objects.create(
        cadre=clerk,
        kind=RequestKind.PREFER,
        start=dt.date(2027, 3, 20),
        end=dt.date(2027, 3, 21),
        reason="母亲住院",
        family_hardship=True,
    )
    RestRequest.objects.create(
        cadre=deputy, kind=RequestKind.AVOID, start=dt.date(2027, 3, 8), end=dt.date(2027, 3, 8), reason="督查"
    )
    Recall.objects.create(cadre=deputy, date=dt.date(2027, 2, 6), days_lost=2, reason="森林火情")
    RotationPolicy.objects.filter(unit=cast.county_a).update(
        blackout=[{"from": "2027-03-05", "to": "2027-03-05", "reason": "防汛"}]
    )

    # when the problem is built and exported
    built = roster_problem_build(unit=cast.town_a2, month=MARCH_2027)
    doc = problem_json(built)

    # then it is the exchange format exactly, as a reader of the file parses it
    parsed = problem_from_json(loads_json(json.dumps(doc)))
    assert len(parsed.cadres) == 12
    assert doc["month"] == "2027-03" and doc["unit"] == {"id": cast.town_a2.code, "name": "鲁甸乡"}
    assert doc["policy"]["mode"] == "weekly" and doc["policy"]["min_on_duty_ratio"] == 0.6
    assert doc["policy"]["blackout"] == ["2027-03-05"]
    assert doc["policy"]["never_together"] == [[cadre_key(secretary.pk), cadre_key(head.pk)]]
    by_id = {c["id"]: c for c in doc["cadres"]}
    assert by_id[cadre_key(secretary.pk)]["away"] == [["2027-03-10", "2027-03-12"]]
    assert by_id[cadre_key(secretary.pk)]["leader"] is True
    assert by_id[cadre_key(clerk.pk)]["hardship"] is True
    assert by_id[cadre_key(clerk.pk)]["prefer"] == ["2027-03-20", "2027-03-21"]
    assert by_id[cadre_key(deputy.pk)]["avoid"] == ["2027-03-08"]
    assert by_id[cadre_key(deputy.pk)]["carry_days"] == 2
    assert by_id[cadre_key(clerk.pk)]["office"] == clerk.office.name


def test_desirable_days_come_from_the_holiday_calendar(cast: Any, township: list[Cadre]) -> None:
    # October 2026: National Day 1-7 Oct, makeup Saturday 10 Oct
    built = roster_problem_build(unit=cast.town_a2, month=dt.date(2026, 10, 1))
    desirable = set(built.problem.desirable)
    assert {dt.date(2026, 10, d) for d in range(1, 8)} <= desirable
    assert dt.date(2026, 10, 10) not in desirable
    assert built.calendar.provisional is False


def test_a_unit_without_a_policy_cannot_be_planned(cast: Any) -> None:
    build_township(cast.town_b1, 5)
    with pytest.raises(DomainError, match="没有轮休政策"):
        roster_problem_build(unit=cast.town_b1, month=MARCH_2027)


# -- generation -------------------------------------------------------------------


def test_generation_writes_one_valid_draft_with_every_day_of_every_cadre(cast: Any, township: list[Cadre]) -> None:
    item = _generate(cast.town_a2)

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
    item = _generate(cast.town_a2)

    assert generation_item_run(item_id=item.pk) == RunStatus.SOLVED

    assert RosterVersion.objects.filter(roster__unit=cast.town_a2).count() == 1
    assert Roster.objects.filter(unit=cast.town_a2).count() == 1


def test_asking_twice_while_queued_returns_the_same_run(cast: Any, township: list[Cadre]) -> None:
    first = generation_request(actor=None, unit=cast.town_a2, month=MARCH_2027, today=TODAY)
    second = generation_request(actor=None, unit=cast.town_a2, month=MARCH_2027, today=TODAY)
    assert first.pk == second.pk and GenerationItem.objects.count() == 1


def test_regenerating_keeps_pinned_days_and_flips_to_a_new_version(cast: Any, township: list[Cadre]) -> None:
    # given a draft where the secretary pinned a clerk's rest on 13-14 March (a weekend)
    _generate(cast.town_a2)
    roster = Roster.objects.get(unit=cast.town_a2)
    clerk = township[6]
    days = RosterDay.objects.filter(version=roster.current, cadre=clerk)
    days.update(kind=DayKind.DUTY, pinned=False)
    days.filter(date__in=[dt.date(2027, 3, 13), dt.date(2027, 3, 14)]).update(kind=DayKind.REST, pinned=True)

    # when it is regenerated
    item = _generate(cast.town_a2)

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

    item = _generate(cast.town_b1)

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
    _generate(cast.town_b1)
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
    _generate(cast.town_a2)
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


# -- publish, lock, history -----------------------------------------------------------


def test_publishing_on_a_provisional_calendar_needs_confirmation(cast: Any, township: list[Cadre]) -> None:
    _generate(cast.town_a2)
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
    _generate(cast.town_a2)
    roster = roster_publish(actor=None, roster_obj=Roster.objects.get(unit=cast.town_a2), confirm_provisional=True)

    with pytest.raises(DomainError, match="还没有结束"):
        roster_lock(actor=None, roster_obj=roster, today=dt.date(2027, 3, 31))
    assert roster_lock(actor=None, roster_obj=roster, today=dt.date(2027, 4, 1)).status == RosterStatus.LOCKED


def test_next_month_sees_the_history_and_what_was_carried(cast: Any, township: list[Cadre]) -> None:
    # given March published with 2 recalled days carried for a deputy
    deputy = township[2]
    Recall.objects.create(cadre=deputy, date=dt.date(2027, 2, 6), days_lost=2, reason="森林火情")
    _generate(cast.town_a2)
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


# -- API ------------------------------------------------------------------------------------


def test_secretary_reads_the_grid_and_who_is_on_duty(cast: Any, client_for: Any, township: list[Cadre]) -> None:
    roster = _in_township_a1(cast, township, Mode.HALF_MONTH)
    client = client_for("secretary_a1")

    grid = client.get(f"/api/v1/rosters/{roster.pk}/grid/").json()
    duty = client.get(f"/api/v1/rosters/{roster.pk}/on-duty/", {"date": "2027-03-09"}).json()

    assert len(grid["dates"]) == 31 and grid["provisional_calendar"] is True
    named = {row["name"]: row for row in grid["cadres"]}
    assert named["鲁03"]["rest_days"] == 8 and len(named["鲁03"]["days"]) == 31
    on_the_9th = grid["dates"][8]["on_duty"]
    assert duty["count"] == on_the_9th >= 1
    assert duty["cadres"][0]["leader"] is True  # leaders first: the public finds someone in charge
    bad = client.get(f"/api/v1/rosters/{roster.pk}/on-duty/", {"date": "2027-04-01"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "date"
    detail = client.get(f"/api/v1/rosters/{roster.pk}/")
    assert detail["ETag"] == f'"{roster.version}"' and detail.json()["solver_status"] in ("optimal", "feasible")


def test_a_roster_shows_metrics_v2_and_one_solved_before_v2_is_marked_v1(
    cast: Any, client_for: Any, township: list[Cadre]
) -> None:
    # given a freshly generated roster, and one whose version was judged by the old three metrics
    roster = _in_township_a1(cast, township, Mode.WEEKLY)
    client = client_for("secretary_a1")

    # when the secretary reads it
    fresh = client.get(f"/api/v1/rosters/{roster.pk}/").json()

    # then the metrics are v2: weekend and holiday rest counted, and at least a weekend per cadre
    assert fresh["metrics_version"] == 2
    assert set(fresh["metrics"]) == {"preference_penalty", "desirable_rest", "fairness_spread", "smoothness"}
    assert fresh["metrics"]["desirable_rest"] >= len(township) * 2

    # and a version kept from before v2 says so rather than pretending
    RosterVersion.objects.filter(pk=roster.current_id).update(
        metrics={"preference_penalty": 0, "fairness_spread": 0.5, "smoothness": 3}
    )
    old = client.get(f"/api/v1/rosters/{roster.pk}/").json()
    assert old["metrics_version"] == 1 and "desirable_rest" not in old["metrics"]


def test_secretary_publishes_through_the_api_with_confirmation(
    cast: Any, client_for: Any, township: list[Cadre]
) -> None:
    roster = _in_township_a1(cast, township, Mode.WEEKLY)
    client = client_for("secretary_a1")

    refused = client.post(f"/api/v1/rosters/{roster.pk}/publish/", {}, format="json")
    done = client.post(f"/api/v1/rosters/{roster.pk}/publish/", {"confirm_provisional": True}, format="json")
    by_hr = client_for("hr_a1").post(f"/api/v1/rosters/{roster.pk}/publish/", {}, format="json")

    assert refused.status_code == 400 and "暂定" in refused.json()["message"]
    assert done.status_code == 200 and done.json()["status"] == "published"
    assert by_hr.status_code == 403
    # and the cadre now reads their own rest days
    own = client_for("cadre_a1_user").get("/api/v1/roster-days/", {"month": "2027-03", "page_size": 100}).json()
    assert own["count"] == 31 and {row["cadre"] for row in own["results"]} == {cast.cadre_a1.pk}
    assert sum(row["kind"] == "rest" for row in own["results"]) == 8


def test_the_county_publishes_for_a_township_without_a_serving_secretary_acting_for_it(
    cast: Any, client_for: Any, township: list[Cadre]
) -> None:
    # given 鲁甸乡's draft while no login holds its party secretary's role (the reminder went to the county)
    _generate(cast.town_a2)
    roster = Roster.objects.get(unit=cast.town_a2)
    url = f"/api/v1/rosters/{roster.pk}/publish/"

    # when the county's organization department staff publish it, and the other county's secretary tries
    done = client_for("county_a_staff").post(url, {"confirm_provisional": True}, format="json")
    elsewhere = client_for("secretary_b1").post(url, {"confirm_provisional": True}, format="json")

    # then it is published in their name, and the audit row says they stood in for the township secretary
    assert done.status_code == 200 and done.json()["status"] == "published"
    assert Roster.objects.get(pk=roster.pk).published_by == cast.county_a_staff
    entry = AuditEntry.objects.get(action="update", resource="rosters", object_id=str(roster.pk))
    assert entry.roles == f"org_staff,acting:secretary@{cast.town_a2.code}"
    assert elsewhere.status_code == 404


def test_the_county_generates_the_month_of_a_township_without_a_serving_secretary(
    cast: Any, client_for: Any, township: list[Cadre]
) -> None:
    # given 鲁甸乡, whose party secretary's role no login holds, and no roster for the month yet
    month = f"{MARCH_2027:%Y-%m}"

    # when the county's organization department staff ask for its month, and the other county's secretary tries
    done = client_for("county_a_staff").post(
        "/api/v1/generation-runs/", {"unit": cast.town_a2.pk, "month": month}, format="json"
    )
    elsewhere = client_for("secretary_b1").post(
        "/api/v1/generation-runs/", {"unit": cast.town_a2.pk, "month": month}, format="json"
    )

    # then the run is queued in their name, audited as acting for the township secretary; the other is refused
    assert done.status_code == 201, done.json()
    run = GenerationRun.objects.get(pk=done.json()["id"])
    assert run.requested_by == cast.county_a_staff
    entry = AuditEntry.objects.get(action="create", resource="generation-runs", object_id=str(run.pk))
    assert entry.roles == f"org_staff,acting:secretary@{cast.town_a2.code}"
    assert elsewhere.status_code == 400, elsewhere.json()
    assert [e["field"] for e in elsewhere.json()["errors"]] == ["unit"], elsewhere.json()
    assert GenerationRun.objects.count() == 1


def test_the_county_may_not_publish_over_a_serving_secretary(cast: Any, client_for: Any, township: list[Cadre]) -> None:
    # given 鲁甸乡 with its party secretary's login in place
    RoleGrantFactory(user=cast.secretary_b1, role=Role.SECRETARY, unit=cast.town_a2)
    cast.secretary_b1.first_name = "和丽"
    cast.secretary_b1.save()
    _generate(cast.town_a2)
    roster = Roster.objects.get(unit=cast.town_a2)

    # when the county's organization department tries to publish or regenerate it
    publish = client_for("county_a_staff").post(
        f"/api/v1/rosters/{roster.pk}/publish/", {"confirm_provisional": True}, format="json"
    )
    regenerate = client_for("county_a_admin").post(f"/api/v1/rosters/{roster.pk}/regenerate/", {}, format="json")
    generate = client_for("county_a_staff").post(
        "/api/v1/generation-runs/", {"unit": cast.town_a2.pk, "month": f"{roster.month:%Y-%m}"}, format="json"
    )

    # then all are refused, naming who publishes; the HR officer, who never stands in, is refused by role
    for refused in (publish, regenerate, generate):
        assert refused.status_code == 403
        assert refused.json()["message"].startswith("鲁甸乡有在任的党委书记（和丽）")
    assert Roster.objects.get(pk=roster.pk).status == RosterStatus.DRAFT


def test_the_problem_and_solution_export_in_the_exchange_format(
    cast: Any, client_for: Any, township: list[Cadre]
) -> None:
    roster = _in_township_a1(cast, township, Mode.MONTHLY)
    client = client_for("county_a_staff")

    problem = client.get(f"/api/v1/rosters/{roster.pk}/problem/").json()
    solution = client.get(f"/api/v1/rosters/{roster.pk}/solution/").json()

    assert problem["format"] == "cadrecare.roster-problem/1"
    assert solution["format"] == "cadrecare.roster-solution/1"
    assert judge(problem, solution)["valid"] is True


def test_a_generation_run_is_created_and_polled(cast: Any, client_for: Any, township: list[Cadre]) -> None:
    client = client_for("secretary_a1")
    response = client.post("/api/v1/generation-runs/", {"unit": cast.town_a1.pk, "month": "2030-04"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "queued" and body["progress"]["queued"] == 1
    # generation of a month already past is refused
    past = client.post("/api/v1/generation-runs/", {"unit": cast.town_a1.pk, "month": "2020-01"}, format="json")
    assert past.status_code == 400 and past.json()["errors"][0]["field"] == "month"


def test_roster_list_costs_the_same_for_2_or_10(cast: Any, client_for: Any, count_queries: Any) -> None:
    client = client_for("county_a_admin")
    for month in (1, 2):
        Roster.objects.create(unit=cast.town_a1, month=dt.date(2030, month, 1))
    two = count_queries(lambda: client.get("/api/v1/rosters/"))
    for month in range(3, 11):
        Roster.objects.create(unit=cast.town_a2, month=dt.date(2030, month, 1))
    ten = count_queries(lambda: client.get("/api/v1/rosters/"))
    assert two == ten


def test_generation_run_list_costs_the_same_for_2_or_10(cast: Any, client_for: Any, count_queries: Any) -> None:
    client = client_for("county_a_admin")

    def runs(count: int) -> None:
        for _ in range(count):
            run = GenerationRun.objects.create(unit=cast.town_a1, month=dt.date(2030, 1, 1))
            GenerationItem.objects.create(run=run, unit=cast.town_a1, month=run.month, status=RunStatus.SOLVED)

    runs(2)
    two = count_queries(lambda: client.get("/api/v1/generation-runs/"))
    runs(8)
    ten = count_queries(lambda: client.get("/api/v1/generation-runs/"))
    assert two == ten


# -- reminders -------------------------------------------------------------------------------


def test_publishing_notifies_each_cadre_with_a_login_of_their_rest_days(cast: Any, township: list[Cadre]) -> None:
    roster = _in_township_a1(cast, township, Mode.WEEKLY)

    roster_publish(actor=cast.secretary_a1, roster_obj=roster, confirm_provisional=True)

    notices = Notice.objects.filter(kind="roster_published", object_id=roster.pk)
    assert set(notices.values_list("recipient_id", flat=True)) == {cast.cadre_a1_user.pk, cast.secretary_a1.pk}
    mine = notices.get(recipient=cast.cadre_a1_user)
    rest = RosterDay.objects.filter(version=roster.current, cadre=cast.cadre_a1, kind=DayKind.REST)
    assert all(f"3月{day.day}日" in mine.body for day in rest.values_list("date", flat=True))
    assert mine.body.count("、") == rest.count() - 1 and "石头乡" in mine.title


def test_a_draft_is_due_before_its_month_and_urgent_when_infeasible(cast: Any) -> None:
    # given township B1's infeasible March (monthly mode, no 8-day run without blackout)
    build_township(cast.town_b1, 6)
    RotationPolicy.objects.create(
        unit=cast.town_b1,
        effective_from=dt.date(2026, 1, 1),
        mode=Mode.MONTHLY,
        blackout=[{"from": "2027-03-07", "to": "2027-03-31", "reason": "集中整治"}],
    )
    _generate(cast.town_b1)
    roster = Roster.objects.get(unit=cast.town_b1)

    items = [DueItem.from_row(row) for row in due_items(today=TODAY, kinds=["roster_publish"])]

    assert len(items) == 1
    item = items[0]
    assert (item.object_id, item.due_date, item.urgent) == (roster.pk, dt.date(2027, 2, 28), True)
    assert item.owner_id == cast.secretary_b1.pk and item.owner_unit_id == cast.county_b.pk
    assert "无可行方案" in item.title


def test_an_unpublished_draft_reminds_its_secretary_escalates_when_late_and_publishing_ends_it(
    cast: Any, township: list[Cadre]
) -> None:
    # given township A2's feasible March draft and a party secretary there with a login
    secretary = RoleGrantFactory(role=Role.SECRETARY, unit=cast.town_a2).user
    _generate(cast.town_a2)
    roster = Roster.objects.get(unit=cast.town_a2)
    with only_kinds("roster_publish"):
        # when the scan runs daily from 24 February to 7 March, then the roster is published
        for day in range(24, 24 + 12):
            reminders_scan(today=dt.date(2027, 2, 1) + dt.timedelta(days=day - 1))
        roster_publish(actor=secretary, roster_obj=roster, confirm_provisional=True)
        reminders_scan(today=dt.date(2027, 3, 8))

    # then the secretary was reminded 3 days before the month, on its eve and daily after (not urgent),
    # the county heard at 7 days late, and nothing came after publishing
    mine = Notice.objects.filter(kind="roster_publish", recipient=secretary)
    assert sorted(mine.values_list("stage", flat=True)) == sorted(["upcoming", "due"] + ["overdue"] * 7)
    assert not mine.filter(urgent=True).exists() and "待发布" in mine.first().title
    assert Notice.objects.filter(kind="roster_publish", stage="county", recipient=cast.county_a_staff).count() == 1
    assert not Notice.objects.filter(kind="roster_publish", period=dt.date(2027, 3, 8)).exists()
