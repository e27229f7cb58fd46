"""Choice filters take several values and cost no DISTINCT; a year filter takes only a calendar year."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadrecare.org.choices import Rank
from tests.factories import CadreFactory


def test_a_choice_filter_with_several_values_lists_rows_with_any_of_them(cast: Any, client_for: Any) -> None:
    chief = CadreFactory(unit=cast.town_a1, rank=Rank.SECTION_CHIEF)
    deputy = CadreFactory(unit=cast.town_a1, rank=Rank.SECTION_DEPUTY)
    CadreFactory(unit=cast.town_a1, rank=Rank.CLERK)
    client = client_for("hr_a1")

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/cadres/", {"rank": [Rank.SECTION_CHIEF, Rank.SECTION_DEPUTY]})

    ids = {row["id"] for row in response.json()["results"]}
    assert {chief.pk, deputy.pk} <= ids and all(row["rank"] != Rank.CLERK for row in response.json()["results"])
    assert not [q["sql"] for q in queries.captured_queries if "DISTINCT" in q["sql"]]


@pytest.mark.parametrize("resource", ["commendations", "training-programmes"])
@pytest.mark.parametrize("year", ["0", "2026.5", "99999", "-1"])
def test_a_year_filter_outside_the_calendar_is_a_400_naming_it(
    cast: Any, client_for: Any, resource: str, year: str
) -> None:
    response = client_for("county_a_admin").get(f"/api/v1/{resource}/", {"year": year})

    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "year", "message": "请填写 1900 至 2200 之间的整年，如 2026。"}]


@pytest.mark.parametrize("resource", ["commendations", "training-programmes"])
def test_a_whole_year_filters(cast: Any, client_for: Any, resource: str) -> None:
    assert client_for("county_a_admin").get(f"/api/v1/{resource}/", {"year": "2026"}).status_code == 200
