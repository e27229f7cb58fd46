"""Masking reveals nothing of a personal or sensitive value, and a list is
filtered or ordered by a field only for readers who see that field
(cadrecare.core.privacy, cadrecare.core.filters: from the models' Privacy
classes, for every list)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cadrecare.rotation.choices import RequestKind
from cadrecare.rotation.models import RestRequest
from tests.conftest import Cast
from tests.factories import CadreFactory, FamilyMemberFactory, HardshipCaseFactory


def test_a_masked_value_shows_not_a_single_character(cast: Cast, client_for: Any) -> None:
    # given a hardship case (category personal) and a rest request (reason sensitive) in township A1
    case = HardshipCaseFactory(cadre=cast.cadre_a1, category="disability")
    request = RestRequest.objects.create(
        cadre=cast.cadre_a1,
        kind=RequestKind.PREFER,
        reason="住院治疗",
        start=dt.date(2030, 1, 5),
        end=dt.date(2030, 1, 9),
    )

    # when readers below those levels open them
    case_data = client_for("secretary_a1").get(f"/api/v1/hardship-cases/{case.pk}/").json()
    cadre_data = client_for("secretary_a1").get(f"/api/v1/cadres/{cast.cadre_a1.pk}/").json()
    request_data = client_for("hr_a1").get(f"/api/v1/rest-requests/{request.pk}/").json()

    # then each value is *** whatever it was: no first or last character, no year
    assert case_data["category"] == "***" and case_data["description"] == "***"
    assert (cadre_data["phone"], cadre_data["id_number"], cadre_data["birth_date"]) == ("***", "***", "***")
    assert request_data["reason"] == "***"


@pytest.mark.parametrize(("user", "expected"), [("secretary_a1", 400), ("hr_a1", 200)])
def test_hardship_cases_filter_by_category_only_for_readers_who_see_it(
    cast: Cast, client_for: Any, user: str, expected: int
) -> None:
    HardshipCaseFactory(cadre=cast.cadre_a1, category="disability")

    response = client_for(user).get("/api/v1/hardship-cases/", {"category": "disability"})

    assert response.status_code == expected
    if expected == 400:
        assert response.json()["errors"][0]["field"] == "category"
    else:
        assert response.json()["count"] == 1


@pytest.mark.parametrize(("user", "expected"), [("secretary_a1", 400), ("hr_a1", 200)])
def test_whether_a_child_lives_with_the_cadre_is_no_filter_for_a_reader_of_personal_data(
    cast: Cast, client_for: Any, user: str, expected: int
) -> None:
    # given a child under 14 (sensitive throughout); the secretary sees family members' personal fields only
    FamilyMemberFactory(
        cadre=cast.cadre_a1,
        relation="child",
        birth_date=dt.date.today() - dt.timedelta(days=3000),
        lives_with_cadre=True,
    )

    response = client_for(user).get("/api/v1/family-members/", {"lives_with_cadre": "true"})

    assert response.status_code == expected


@pytest.mark.parametrize(("user", "expected"), [("secretary_a1", 400), ("hr_a1", 200)])
def test_cadres_are_ordered_by_birth_date_only_for_readers_who_see_it(
    cast: Cast, client_for: Any, user: str, expected: int
) -> None:
    older = CadreFactory(unit=cast.town_a1, birth_date=dt.date(1970, 1, 1))

    response = client_for(user).get("/api/v1/cadres/", {"ordering": "-birth_date", "unit": cast.town_a1.pk})

    assert response.status_code == expected
    if expected == 200:
        assert response.json()["results"][-1]["id"] == older.pk
    else:
        assert "birth_date" in response.json()["message"]


def test_the_browsable_api_offers_no_filter_on_a_field_the_reader_does_not_see(cast: Cast, client_for: Any) -> None:
    page = client_for("secretary_a1").get("/api/v1/hardship-cases/?format=api").content.decode()

    assert 'name="status"' in page
    assert 'name="category"' not in page
