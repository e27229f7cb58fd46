"""Rest taken: after the month, per cadre and per unit,
the days entitled, planned, recalled, taken, owed and forfeited, from the
published (or locked) roster and the recalls; filtered by unit subtree and month."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cadrecare.rotation.choices import RosterStatus
from cadrecare.rotation.models import Recall
from tests.cadrecare.rotation.support import Plan, hand_roster, span
from tests.factories import CadreFactory

MARCH, APRIL, MAY = dt.date(2027, 3, 1), dt.date(2027, 4, 1), dt.date(2027, 5, 1)


@pytest.fixture
def april(cast: Any) -> dict[str, Any]:
    """石头乡's April (30 days, 8 rest days a month, monthly blocks), written by hand:

    - 木晓梅 rests 10–17 and is recalled on the 16th for the 2 days left (防汛);
    - 和红 is away on training 1–15: available 15 of 30 days, so entitled to 4; rests 20–23;
    - 杨光 is owed 2 days from an earlier recall, carried in: entitled to 10; rests 18–27;
    - 李强's block was cut to 6 days by an override: 2 entitled days never planned.

    Around it: 木晓梅's locked March (a recall there too), 鲁甸乡's April and a
    draft May, which the report leaves out.
    """
    he, yang, li = (CadreFactory(unit=cast.town_a1, name=name) for name in ("和红", "杨光", "李强"))
    hand_roster(
        cast.town_a1,
        APRIL,
        {
            cast.cadre_a1: Plan(rest=span(dt.date(2027, 4, 10), 8)),
            he: Plan(rest=span(dt.date(2027, 4, 20), 4), away=[(APRIL, dt.date(2027, 4, 15))]),
            yang: Plan(rest=span(dt.date(2027, 4, 18), 10), carry_days=2),
            li: Plan(rest=span(APRIL, 6)),
        },
        ratio="0.25",
    )
    Recall.objects.create(cadre=cast.cadre_a1, date=dt.date(2027, 4, 16), days_lost=2, reason="防汛")
    hand_roster(
        cast.town_a1, MARCH, {cast.cadre_a1: Plan(rest=span(dt.date(2027, 3, 3), 8))}, status=RosterStatus.LOCKED
    )
    Recall.objects.create(cadre=cast.cadre_a1, date=dt.date(2027, 3, 5), days_lost=3, reason="森林防火")
    hand_roster(cast.town_a2, APRIL, {cast.cadre_a2: Plan(rest=span(dt.date(2027, 4, 3), 8))})
    hand_roster(cast.town_a1, MAY, {cast.cadre_a1: Plan(rest=span(dt.date(2027, 5, 3), 8))}, status=RosterStatus.DRAFT)
    return {"he": he, "yang": yang, "li": li}


NUMBERS = ("entitled", "planned", "recalled", "taken", "owed", "forfeited", "below_entitlement")


def _rows(client: Any, **params: Any) -> dict[str, dict[str, Any]]:
    response = client.get("/api/v1/rest-compliance/", params)
    assert response.status_code == 200, response.json()
    return {f"{row['cadre_name']} {row['month']}": row for row in response.json()["results"]}


def test_each_cadres_month_adds_up_from_the_roster_and_the_recalls(
    cast: Any, client_for: Any, april: dict[str, Any]
) -> None:
    rows = _rows(client_for("secretary_a1"), month="2027-04")

    assert {name: tuple(row[n] for n in NUMBERS) for name, row in rows.items()} == {
        #                 entitled planned recalled taken owed forfeited below
        "木晓梅 2027-04": (8, 8, 2, 6, 2, 0, True),
        "和红 2027-04": (4, 4, 0, 4, 0, 0, False),
        "杨光 2027-04": (10, 10, 0, 10, 0, 0, False),
        "李强 2027-04": (8, 6, 0, 6, 0, 2, True),
    }
    assert rows["和红 2027-04"]["available_days"] == 15
    assert rows["杨光 2027-04"]["carried_in"] == 2
    assert rows["木晓梅 2027-04"]["unit_name"] == "石头乡"


def test_the_unit_summary_sums_its_cadres_and_counts_those_below_entitlement(
    cast: Any, client_for: Any, april: dict[str, Any]
) -> None:
    response = client_for("county_a_staff").get("/api/v1/rest-compliance/units/", {"month": "2027-04"})

    assert response.status_code == 200
    rows = {row["unit_name"]: row for row in response.json()["results"]}
    assert set(rows) == {"石头乡", "鲁甸乡"}
    assert {k: rows["石头乡"][k] for k in ("cadres", *NUMBERS)} == {
        "cadres": 4,
        "entitled": 30,
        "planned": 28,
        "recalled": 2,
        "taken": 26,
        "owed": 2,
        "forfeited": 2,
        "below_entitlement": 2,
    }
    assert rows["鲁甸乡"]["below_entitlement"] == 0


def test_filters_by_unit_subtree_month_and_cadre(cast: Any, client_for: Any, april: dict[str, Any]) -> None:
    client = client_for("county_a_admin")

    county = _rows(client, unit=cast.county_a.pk)
    township = _rows(client, unit=cast.town_a1.pk, month="2027-04")
    march = _rows(client, month="2027-03")
    one = _rows(client, cadre=cast.cadre_a1.pk)
    short = _rows(client, below_entitlement="true", month="2027-04")

    assert set(county) == {
        "木晓梅 2027-04",
        "和红 2027-04",
        "杨光 2027-04",
        "李强 2027-04",
        "木晓梅 2027-03",
        "杨建华 2027-04",
    }  # the draft May is no record of rest
    assert set(township) == {"木晓梅 2027-04", "和红 2027-04", "杨光 2027-04", "李强 2027-04"}
    assert set(march) == {"木晓梅 2027-03"} and march["木晓梅 2027-03"]["recalled"] == 3
    assert set(one) == {"木晓梅 2027-04", "木晓梅 2027-03"}
    assert set(short) == {"木晓梅 2027-04", "李强 2027-04"}
    assert client.get("/api/v1/rest-compliance/", {"month": "2027-4x"}).status_code == 400


def test_rows_sort_by_any_figure(cast: Any, client_for: Any, april: dict[str, Any]) -> None:
    response = client_for("secretary_a1").get(
        "/api/v1/rest-compliance/", {"month": "2027-04", "ordering": "-taken,cadre"}
    )

    assert [row["cadre_name"] for row in response.json()["results"]] == ["杨光", "木晓梅", "李强", "和红"]


def test_a_cadre_sees_only_their_own_months_and_other_townships_see_nothing(
    cast: Any, client_for: Any, april: dict[str, Any]
) -> None:
    assert set(_rows(client_for("cadre_a1_user"))) == {"木晓梅 2027-04", "木晓梅 2027-03"}
    assert _rows(client_for("secretary_b1")) == {}
    units = client_for("cadre_a1_user").get("/api/v1/rest-compliance/units/", {"month": "2027-04"}).json()
    assert [(row["unit_name"], row["cadres"]) for row in units["results"]] == [("石头乡", 1)]


def test_the_unit_summary_costs_the_same_queries_for_many_units(
    cast: Any, client_for: Any, count_queries: Any, april: dict[str, Any]
) -> None:
    client = client_for("city_admin")
    url = "/api/v1/rest-compliance/units/"
    client.get(url)
    few = count_queries(lambda: client.get(url))
    for month in (dt.date(2027, 6, 1), dt.date(2027, 7, 1)):
        hand_roster(cast.town_b1, month, {cast.cadre_b1: Plan(rest=span(month.replace(day=3), 8))})
        hand_roster(cast.town_a2, month, {cast.cadre_a2: Plan(rest=span(month.replace(day=3), 8))})

    assert count_queries(lambda: client.get(url)) == few


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/rest-compliance/", "/api/v1/rest-compliance/units/", "/api/v1/rosters/"])
@pytest.mark.parametrize("month", ["2027-13", "abc", "2027-4"])
def test_a_bad_month_is_refused_in_chinese_naming_the_parameter(
    cast: Any, client_for: Any, url: str, month: str
) -> None:
    response = client_for("county_a_admin").get(url, {"month": month})

    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "month", "message": "月份格式应为 YYYY-MM，如 2027-03。"}]
