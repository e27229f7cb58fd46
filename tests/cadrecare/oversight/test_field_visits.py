"""The organization-department head's township visits (组织部长下基层):
recorded with date, township, who and notes; a township not visited in the
current period of the county's cadence (once a year unless set) is the
county organization department's due item and on the not-visited list."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cadrecare.core import clock
from cadrecare.oversight import services
from cadrecare.oversight.models import FieldVisitPolicy
from cadrecare.reminders.sources import due_items, iter_due_items
from tests.factories import cadre_of

VISITS = "/api/v1/field-visits/"


def _due(today: dt.date) -> dict[int, dt.date]:
    return {i.unit_id: i.due_date for i in iter_due_items(due_items(today=today, kinds=["field_visit"]))}


def test_the_county_records_a_visit_with_who_went_and_what_was_found(cast: Any, client_for: Any) -> None:
    head = cadre_of(cast.county_a_staff, cast.agency_a, name="组织部长")
    client = client_for("county_a_staff")

    response = client.post(
        VISITS,
        {"township": cast.town_a1.pk, "date": clock.today().isoformat(), "visitors": [head.pk], "notes": "座谈"},
        format="json",
    )
    future = client.post(
        VISITS,
        {
            "township": cast.town_a1.pk,
            "date": (clock.today() + dt.timedelta(days=1)).isoformat(),
            "visitors": [head.pk],
        },
        format="json",
    )
    county = client.post(
        VISITS, {"township": cast.county_a.pk, "date": clock.today().isoformat(), "visitors": [head.pk]}, format="json"
    )
    other_county = client.post(
        VISITS, {"township": cast.town_b1.pk, "date": clock.today().isoformat(), "visitors": [head.pk]}, format="json"
    )

    assert response.status_code == 201, response.content.decode()
    assert (response.json()["visitor_names"], response.json()["township_name"]) == (["组织部长"], "石头乡")
    assert future.status_code == 400 and future.json()["message"] == "下基层日期不能晚于今天。"
    assert county.status_code == 400 and county.json()["errors"][0]["field"] == "township"
    assert other_county.status_code == 400
    assert client_for("secretary_a1").get(VISITS).status_code == 403


def test_a_township_not_visited_this_year_is_due_by_the_years_end_and_overdue_after(cast: Any) -> None:
    year = clock.today().year
    may = dt.date(year, 5, 1)
    services.field_visit_record(
        actor=cast.county_a_staff, township=cast.town_a1, date=may, visitors=[cast.county_a_staff], today=may
    )

    # this year: 石头乡 is visited; 鲁甸乡 (never recorded) is due by 31 December
    assert _due(dt.date(year, 6, 1))[cast.town_a2.pk] == dt.date(year, 12, 31)
    assert cast.town_a1.pk not in _due(dt.date(year, 6, 1))

    # next year: 石头乡 was visited last year, due by next year's end; one not visited since is overdue
    next_june = dt.date(year + 1, 6, 1)
    assert _due(next_june)[cast.town_a1.pk] == dt.date(year + 1, 12, 31)
    assert _due(dt.date(year + 2, 6, 1))[cast.town_a1.pk] == dt.date(year + 1, 12, 31)


def test_a_county_may_ask_for_a_visit_every_quarter(cast: Any) -> None:
    year = clock.today().year
    FieldVisitPolicy.objects.create(county=cast.county_a, cadence_months=3)
    feb = dt.date(year, 2, 1)
    services.field_visit_record(
        actor=cast.county_a_staff, township=cast.town_a1, date=feb, visitors=[cast.county_a_staff], today=feb
    )

    assert cast.town_a1.pk not in _due(dt.date(year, 3, 1))
    assert _due(dt.date(year, 5, 1))[cast.town_a1.pk] == dt.date(year, 6, 30)
    assert _due(dt.date(year, 8, 1))[cast.town_a1.pk] == dt.date(year, 6, 30)  # overdue: not visited in Q2
    assert _due(dt.date(year, 8, 1))[cast.town_b1.pk] == dt.date(year, 12, 31)  # 永胜县: yearly


def test_the_not_visited_list_and_my_items_show_the_countys_townships(cast: Any, client_for: Any) -> None:
    services.field_visit_record(
        actor=cast.county_a_staff, township=cast.town_a1, date=clock.today(), visitors=[cast.county_a_staff]
    )
    client = client_for("county_a_staff")

    listed = client.get(f"{VISITS}not-visited/").json()["results"]
    mine = client.get("/api/v1/due-items/", {"mine": "1", "kind": "field_visit"}).json()["results"]

    assert [row["name"] for row in listed] == ["鲁甸乡"]
    assert [row["title"] for row in mine] == ["鲁甸乡：组织部长下基层"]
