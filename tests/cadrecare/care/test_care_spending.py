"""Care spending (关爱经费): what was given in visits, hardship measures and
check-ups in a year, per unit and kind, for the organization department and HR
of the units in their scope, each amount counted only from what the reader may
list of its source; exported as .xlsx. Sums per unit and kind name nobody, so
reading them is not an audited read of personal information."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from cadrecare.care.models import HardshipMeasure, Visit
from tests.factories import CheckupFactory, HardshipCaseFactory

pytestmark = pytest.mark.django_db
YEAR = 2026


@pytest.fixture
def spent(cast: Any) -> None:
    """石头乡 (A1): two visits (1,000 + 500 yuan, one with goods only) and a
    hardship grant of 2,000; 鲁甸乡 (A2): a check-up of 450; 期纳镇 (B1, county B):
    a visit of 800; and a visit of A1 from last year."""
    Visit.objects.create(cadre=cast.cadre_a1, date=dt.date(YEAR, 2, 1), kind="holiday", money_amount=Decimal(1000))
    Visit.objects.create(
        cadre=cast.cadre_a1, date=dt.date(YEAR, 9, 1), kind="holiday", money_amount=Decimal(500), goods="米、油"
    )
    Visit.objects.create(cadre=cast.cadre_a1, date=dt.date(YEAR - 1, 9, 1), kind="holiday", money_amount=Decimal(99))
    case = HardshipCaseFactory(cadre=cast.cadre_a1, opened_on=dt.date(YEAR, 3, 1))
    HardshipMeasure.objects.create(
        case=case, date=dt.date(YEAR, 3, 2), kind="money", amount=Decimal(2000), provided_by="县总工会"
    )
    CheckupFactory(cadre=cast.cadre_a2, date=dt.date(YEAR, 5, 20), cost=450)
    Visit.objects.create(cadre=cast.cadre_b1, date=dt.date(YEAR, 2, 1), kind="condolence", money_amount=Decimal(800))


def test_the_county_sees_its_townships_spending_by_kind_with_totals(cast: Any, client_for: Any, spent: None) -> None:
    response = client_for("county_a_staff").get("/api/v1/care-spending/", {"year": YEAR})

    assert response.status_code == 200, response.json()
    body = response.json()
    rows = [(r["unit_name"], r["category_label"], r["kind_label"], r["count"], r["amount"]) for r in body["results"]]
    assert rows == [
        ("石头乡", "走访慰问金", "节日慰问", 2, "1500.00"),
        ("石头乡", "困难帮扶", "慰问金/补助", 1, "2000.00"),
        ("鲁甸乡", "体检费用", "年度体检", 1, "450.00"),
    ]
    totals = client_for("county_a_staff").get("/api/v1/care-spending/totals/", {"year": YEAR}).json()
    assert totals == {"year": YEAR, "visits": "1500.00", "hardship": "2000.00", "checkups": "450.00", "all": "3950.00"}


def test_hr_sees_only_their_township_and_a_unit_narrows_the_city(cast: Any, client_for: Any, spent: None) -> None:
    hr = client_for("hr_a1").get("/api/v1/care-spending/", {"year": YEAR}).json()
    city = client_for("city_admin").get("/api/v1/care-spending/", {"year": YEAR, "unit": cast.county_b.pk}).json()

    assert {row["unit_name"] for row in hr["results"]} == {"石头乡"}
    assert [(row["unit_name"], row["amount"]) for row in city["results"]] == [("期纳镇", "800.00")]


@pytest.mark.parametrize(
    ("params", "field", "status"),
    [
        ({"year": "今年"}, "year", 400),
        ({"unit": "x"}, "unit", 400),
        ({"unit": 999999}, None, 404),
        ({"year": "²⁰²⁶"}, "year", 400),  # digits to Unicode, not to int()
        ({"unit": "²"}, "unit", 400),
    ],
)
def test_a_bad_parameter_is_named(
    cast: Any, client_for: Any, params: dict[str, Any], field: str | None, status: int
) -> None:
    response = client_for("county_a_staff").get("/api/v1/care-spending/", params)

    assert response.status_code == status
    if field:
        assert response.json()["errors"][0]["field"] == field


def test_a_unit_of_another_county_is_not_found(cast: Any, client_for: Any) -> None:
    assert client_for("county_a_staff").get("/api/v1/care-spending/", {"unit": cast.town_b1.pk}).status_code == 404


@pytest.mark.parametrize("reader", ["secretary_a1", "cadre_a1_user"])
def test_secretaries_and_cadres_do_not_read_it(cast: Any, client_for: Any, reader: str) -> None:
    assert client_for(reader).get("/api/v1/care-spending/").status_code == 403


def test_the_export_is_the_table_in_chinese(cast: Any, client_for: Any, spent: None) -> None:
    response = client_for("county_a_staff").get("/api/v1/care-spending/export/", {"year": YEAR})

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["单位", "类别", "类型", "笔数", "送慰问物资次数", "金额（元）"]
    assert rows[1] == ["石头乡", "走访慰问金", "节日慰问", 2, 1, "1500.00"]  # one of the two visits brought goods


def test_the_figures_cost_three_queries_however_many_units(
    cast: Any, client_for: Any, spent: None, count_queries: Any
) -> None:
    client = client_for("city_admin")
    few = count_queries(lambda: client.get("/api/v1/care-spending/", {"year": YEAR}))
    for index in range(5):
        Visit.objects.create(
            cadre=cast.cadre_b1, date=dt.date(YEAR, 4, 1 + index), kind="other", money_amount=Decimal(10)
        )
    many = count_queries(lambda: client.get("/api/v1/care-spending/", {"year": YEAR}))

    assert few == many
