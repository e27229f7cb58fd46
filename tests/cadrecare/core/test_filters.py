"""Choice filters take several values and cost no DISTINCT."""

from __future__ import annotations

from typing import Any

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
