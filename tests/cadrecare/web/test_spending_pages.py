"""关爱经费 in the workbench: the organization department and HR read the
year's care spending of their units, a row per unit and a column per kind,
agreeing with the API; each figure opens the records behind it (only ones the
reader may list, a unit outside scope is not found), and the page costs the
same queries however many units and records there are."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadrecare.care.models import Visit
from cadrecare.core import clock
from cadrecare.org.choices import UnitKind
from cadrecare.org.models import Cadre, OrgUnit
from tests.cadrecare.web.conftest import DEMO_ROLES
from tests.factories import CadreFactory, OrgUnitFactory

pytestmark = pytest.mark.usefixtures("demo_for_module", "db")
URL = reverse("web:care-spending")


def _township() -> OrgUnit:
    return Cadre.objects.get(user__username="secretary").unit


@pytest.mark.parametrize("username", DEMO_ROLES)
def test_the_page_opens_to_the_organization_department_and_hr(
    username: str, signed_in: Callable[[str], Client]
) -> None:
    response = signed_in(username).get(URL)

    expected = 200 if username in ("city_admin", "county_staff", "hr") else 403
    assert response.status_code == expected
    assert ("关爱经费" in response.content.decode()) == (expected == 200)


def test_the_table_agrees_with_the_api_and_shows_the_demos_spending(signed_in: Callable[[str], Client]) -> None:
    year = clock.today().year
    client = signed_in("county_staff")

    page = client.get(URL, {"year": year})
    api = client.get("/api/v1/care-spending/totals/", {"year": year}).json()

    table = page.context["table"]
    assert table["total"] == Decimal(api["all"]) > 0  # the demo's visits, measures and check-ups cost money
    assert page.context["export_url"] == f"/api/v1/care-spending/export/?year={year}"


def test_hr_reads_only_their_own_township(signed_in: Callable[[str], Client]) -> None:
    page = signed_in("hr").get(URL)

    assert {row["name"] for row in page.context["table"]["rows"]} <= {_township().name}


def test_a_figure_opens_the_records_behind_it(signed_in: Callable[[str], Client]) -> None:
    client = signed_in("county_staff")
    page = client.get(URL)
    cell = next(cell for row in page.context["table"]["rows"] for cell in row["cells"] if cell)

    drill = client.get(URL + cell["url"].split("#")[0])

    items = drill.context["drill"]["items"]
    assert len(items) == cell["count"]
    assert sum(item["amount"] for item in items) == cell["amount"]
    assert drill.context["drill"]["unit"].pk == cell["unit"]


def test_records_of_a_unit_outside_scope_are_not_found(signed_in: Callable[[str], Client]) -> None:
    other = OrgUnitFactory(kind=UnitKind.TOWNSHIP)  # under another county

    response = signed_in("county_staff").get(URL, {"unit": other.pk, "category": "visits", "kind": "holiday"})

    assert response.status_code == 404


def test_the_page_costs_the_same_queries_for_more_units_and_records(signed_in: Callable[[str], Client]) -> None:
    client = signed_in("county_staff")
    year = clock.today().year

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"year": year}).status_code == 200
        return len(captured)

    before = queries()
    # given two more townships in the county, each with visits of two kinds
    for _ in range(2):
        cadre = CadreFactory(unit=OrgUnitFactory(kind=UnitKind.TOWNSHIP, parent=_township().parent))
        for kind in ("holiday", "condolence"):
            Visit.objects.create(cadre=cadre, date=dt.date(year, 1, 1), kind=kind, money_amount=Decimal(300))

    assert queries() == before
