"""The due list, the health archive and unit policies through the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cadrecare.core import clock
from tests.factories import CadreFactory, CheckupFactory, CheckupPolicyFactory

DUE = "/api/v1/checkup-due/"
POLICIES = "/api/v1/checkup-policies/"


def _months_ago(months: int) -> dt.date:
    today = clock.today()
    return today - dt.timedelta(days=round(months * 30.44))


def test_the_due_list_shows_each_cadre_in_scope_soonest_first(cast: Any, client_for: Any) -> None:
    # given cadre A1 checked 14 months ago (overdue), the secretary 11.5 months ago (due soon)
    CheckupFactory(cadre=cast.cadre_a1, date=_months_ago(14))
    CheckupFactory(cadre=cast.secretary_a1_cadre, date=clock.today() - dt.timedelta(days=350))

    rows = client_for("secretary_a1").get(DUE).json()["results"]

    assert [row["id"] for row in rows] == [cast.cadre_a1.pk, cast.secretary_a1_cadre.pk]
    assert rows[0]["state"] == "overdue" and rows[0]["state_label"] == "已逾期" and rows[0]["overdue_days"] > 0
    assert rows[1]["state"] == "due" and rows[1]["overdue_days"] == 0
    assert rows[1]["interval_months"] == 12


def test_the_due_list_filters_by_state_unit_and_due_dates(cast: Any, client_for: Any) -> None:
    CheckupFactory(cadre=cast.cadre_a1, date=_months_ago(14))
    CheckupFactory(cadre=cast.cadre_a2, date=clock.today() - dt.timedelta(days=30))
    client = client_for("county_a_staff")

    def ids(**params: Any) -> set[int]:
        response = client.get(DUE, params)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids(state="overdue") == {cast.cadre_a1.pk}
    assert ids(overdue="true") == {cast.cadre_a1.pk}
    assert ids(state="not_due") == {cast.cadre_a2.pk}
    assert ids(unit=cast.town_a2.pk) == {cast.cadre_a2.pk}
    assert ids(due_from=(clock.today() + dt.timedelta(days=100)).isoformat()) == {cast.cadre_a2.pk}
    assert ids(due_to=clock.today().isoformat()) == {cast.cadre_a1.pk, cast.secretary_a1_cadre.pk}
    assert ids(unit=cast.town_b1.pk) == set()


def test_a_bad_due_list_filter_is_a_400_naming_it(cast: Any, client_for: Any) -> None:
    response = client_for("hr_a1").get(DUE, {"state": "soon", "due_from": "yesterday"})

    assert response.status_code == 400
    assert {error["field"] for error in response.json()["errors"]} == {"state", "due_from"}


def test_the_due_list_orders_by_request(cast: Any, client_for: Any) -> None:
    CheckupFactory(cadre=cast.cadre_a1, date=_months_ago(14))

    rows = client_for("hr_a1").get(DUE, {"ordering": "-due_date"}).json()["results"]

    assert rows[-1]["id"] == cast.cadre_a1.pk


def test_the_due_list_costs_the_same_queries_for_2_or_10_cadres(cast: Any, client_for: Any, count_queries: Any) -> None:
    client = client_for("hr_a1")
    few = count_queries(lambda: client.get(DUE))
    for _ in range(8):
        CheckupFactory(cadre=CadreFactory(unit=cast.town_a1), date=_months_ago(5))

    many = count_queries(lambda: client.get(DUE))

    assert many == few


def test_the_archive_shows_the_checkups_in_order_with_policy_and_next_due(cast: Any, client_for: Any) -> None:
    CheckupPolicyFactory(unit=cast.county_a, interval_months=24)
    CheckupFactory(cadre=cast.cadre_a1, date=dt.date(2024, 2, 29))
    CheckupFactory(cadre=cast.cadre_a1, date=dt.date(2022, 3, 1))

    body = client_for("cadre_a1_user").get(f"/api/v1/health-archives/{cast.cadre_a1.pk}/").json()

    assert [c["date"] for c in body["checkups"]] == ["2022-03-01", "2024-02-29"]
    assert body["policy"] == {
        "interval_months": 24,
        "reminder_days": [60, 30],
        "payer": "unit",
        "source_unit": cast.county_a.pk,
    }
    assert body["last_checkup_date"] == "2024-02-29"
    assert body["next_due_date"] == "2026-02-28"


def test_a_secretary_reads_the_archive_with_findings_masked(cast: Any, client_for: Any) -> None:
    CheckupFactory(cadre=cast.cadre_a1)

    body = client_for("secretary_a1").get(f"/api/v1/health-archives/{cast.cadre_a1.pk}/").json()

    assert body["checkups"][0]["conclusion"] == "basically_healthy"
    assert body["checkups"][0]["findings"] == "***"


def test_the_archive_query_count_does_not_grow_with_checkups(cast: Any, client_for: Any, count_queries: Any) -> None:
    client = client_for("hr_a1")
    url = f"/api/v1/health-archives/{cast.cadre_a1.pk}/"
    CheckupFactory(cadre=cast.cadre_a1, date=dt.date(2015, 1, 1))
    few = count_queries(lambda: client.get(url))
    for year in range(2016, 2025):
        CheckupFactory(cadre=cast.cadre_a1, date=dt.date(year, 1, 1))

    assert count_queries(lambda: client.get(url)) == few


def test_an_administrator_sets_a_units_policy_and_its_subtree_follows(cast: Any, client_for: Any) -> None:
    client = client_for("county_a_admin")

    created = client.post(
        POLICIES, {"unit": cast.county_a.pk, "interval_months": 24, "reminder_days": [30, 90]}, format="json"
    )
    effective = client.get(f"{POLICIES}effective/", {"unit": cast.town_a1.pk})

    assert created.status_code == 201, created.content
    assert created.json()["reminder_days"] == [90, 30]
    assert effective.json() == {
        "interval_months": 24,
        "reminder_days": [90, 30],
        "payer": "unit",
        "source_unit": cast.county_a.pk,
    }


def test_deleting_a_units_policy_returns_it_to_the_inherited_one(cast: Any, client_for: Any) -> None:
    CheckupPolicyFactory(unit=cast.city, interval_months=12)
    own = CheckupPolicyFactory(unit=cast.town_a1, interval_months=6)
    client = client_for("county_a_admin")

    assert client.delete(f"{POLICIES}{own.pk}/").status_code == 204

    assert client.get(f"{POLICIES}effective/", {"unit": cast.town_a1.pk}).json()["source_unit"] == cast.city.pk


def test_bad_policy_values_are_refused_in_chinese(cast: Any, client_for: Any) -> None:
    client = client_for("city_admin")

    interval = client.post(POLICIES, {"unit": cast.city.pk, "interval_months": 0}, format="json")
    days = client.post(POLICIES, {"unit": cast.city.pk, "reminder_days": [30, 30]}, format="json")
    kind = client.post(POLICIES, {"unit": cast.city.pk, "reminder_days": "sixty"}, format="json")

    assert interval.json()["errors"] == [{"field": "interval_months", "message": "体检间隔应在 1 到 60 个月之间。"}]
    assert days.json()["errors"] == [{"field": "reminder_days", "message": "提前提醒天数不能重复。"}]
    assert kind.json()["errors"] == [{"field": "reminder_days", "message": "提前提醒天数应为整数列表，例如 [60, 30]。"}]


def test_a_second_policy_for_the_same_unit_is_refused(cast: Any, client_for: Any) -> None:
    CheckupPolicyFactory(unit=cast.town_a1)

    response = client_for("city_admin").post(POLICIES, {"unit": cast.town_a1.pk}, format="json")

    assert response.status_code in (400, 409)
    assert response.json()["message"] == "该单位已有体检政策，请直接修改。"


def test_the_effective_policy_of_a_unit_outside_scope_is_not_found(cast: Any, client_for: Any) -> None:
    client = client_for("hr_a1")

    assert client.get(f"{POLICIES}effective/", {"unit": cast.town_b1.pk}).status_code == 404
    assert client.get(f"{POLICIES}effective/", {"unit": "x\x00"}).status_code == 400
