"""Rosters through the API: the grid and the on-duty list, metrics, publishing
with confirmation, the county acting for a township without a serving
secretary, the exchange-format export, generation runs, list query counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cadrecare.audit.models import AuditEntry
from cadrecare.org.choices import Role
from cadrecare.org.models import Cadre
from cadrecare.rotation.choices import Mode, RosterStatus, RunStatus
from cadrecare.rotation.models import GenerationItem, GenerationRun, Roster, RosterVersion
from tests.cadrecare.rotation.conftest import MARCH_2027
from tests.cadrecare.rotation.generation_support import in_township_a1, run_generation
from tests.factories import RoleGrantFactory
from tests.roster_judge import judge


def test_secretary_reads_the_grid_and_who_is_on_duty(cast: Any, client_for: Any, township: list[Cadre]) -> None:
    roster = in_township_a1(cast, township, Mode.HALF_MONTH)
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
    roster = in_township_a1(cast, township, Mode.WEEKLY)
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
    roster = in_township_a1(cast, township, Mode.WEEKLY)
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
    run_generation(cast.town_a2)
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
    run_generation(cast.town_a2)
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
    roster = in_township_a1(cast, township, Mode.MONTHLY)
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
