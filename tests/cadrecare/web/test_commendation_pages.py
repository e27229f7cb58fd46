"""评优表彰 in the workbench: those who keep the register (the organization
department and HR) list it, register a commendation for a cadre chosen by
name (errors in Chinese beside the field, nothing saved), and read the
figures per township and year, the seed's sentence on top; the demo's three
years read as the seed's."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadrecare.audit.models import AuditEntry
from cadrecare.core import clock
from cadrecare.org.choices import UnitKind
from cadrecare.org.models import Cadre
from cadrecare.talks.models import Commendation
from cadrecare.talks.services import commendation_record
from tests.cadrecare.web.conftest import DEMO_ROLES, demo_township_cadre
from tests.factories import CadreFactory, OrgUnitFactory

pytestmark = pytest.mark.usefixtures("demo_for_module", "db")
PAGES = ["web:commendations", "web:commendation-statistics", "web:commendation-record"]


@pytest.mark.parametrize("username", DEMO_ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_the_pages_open_to_those_who_keep_the_register(
    page: str, username: str, signed_in: Callable[[str], Client]
) -> None:
    response = signed_in(username).get(reverse(page))

    assert response.status_code == (200 if username in ("city_admin", "county_staff", "hr") else 403)


def test_the_demo_citys_three_years_read_as_the_seed(signed_in: Callable[[str], Client]) -> None:
    year = clock.today().year

    page = signed_in("city_admin").get(reverse("web:commendation-statistics"))

    figures = page.context["figures"]
    assert (page.context["from_year"], page.context["to_year"]) == (year - 2, year)
    assert figures["summary"] == f"{year - 2}—{year}年，表彰奖励 88 名，追授 3 名，推荐 8 名"  # as the seed's
    assert figures["summary"] in page.content.decode()
    assert page.context["export_url"] == f"/api/v1/commendations/statistics/export/?from_year={year - 2}&to_year={year}"


def test_hr_lists_only_their_townships_register(signed_in: Callable[[str], Client]) -> None:
    township = Cadre.objects.get(user__username="hr").unit

    page = signed_in("hr").get(reverse("web:commendations"), {"status": "awarded"})

    assert page.status_code == 200
    assert page.context["rows"]
    assert {row["unit_name"] for row in page.context["rows"]} == {township.name}
    assert {row["status"] for row in page.context["rows"]} == {"awarded"}


def test_hr_registers_a_commendation_audited(signed_in: Callable[[str], Client]) -> None:
    cadre = demo_township_cadre()
    form = {
        "cadre": cadre.pk,
        "title": "防汛抗旱先进个人",
        "level": "county",
        "kind": "merit_third",
        "status": "awarded",
        "date": str(clock.today()),
        "issuing_body": "中共玉龙县委",
        "citation": "连续值守七昼夜。",
    }

    response = signed_in("hr").post(reverse("web:commendation-record"), form)

    assert response.status_code == 303
    saved = Commendation.objects.get(cadre=cadre, title="防汛抗旱先进个人")
    assert (saved.kind, saved.citation) == ("merit_third", "连续值守七昼夜。")
    entry = AuditEntry.objects.get(resource="commendations", action="create", object_id=str(saved.pk))  # one row
    fields = ["cadre", "citation", "date", "issuing_body", "kind", "level", "status", "title"]
    assert (entry.actor_name, entry.fields) == ("hr", fields)


def test_a_posthumous_award_for_a_serving_cadre_is_refused_beside_the_field(
    signed_in: Callable[[str], Client],
) -> None:
    cadre = demo_township_cadre()
    form = {"cadre": cadre.pk, "title": "追授", "level": "city", "kind": "commendation", "status": "posthumous"}

    response = signed_in("hr").post(reverse("web:commendation-record"), {**form, "date": str(clock.today())})

    assert response.status_code == 400
    assert response.context["form"].errors["status"] == [f"追授只适用于已去世的干部，{cadre.name}的状态是“在职”。"]
    assert not Commendation.objects.filter(cadre=cadre, title="追授").exists()


def test_the_figures_cost_the_same_queries_for_more_townships(signed_in: Callable[[str], Client]) -> None:
    client = signed_in("county_staff")
    county = Cadre.objects.get(user__username="secretary").unit.parent

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("web:commendation-statistics")).status_code == 200
        return len(captured)

    before = queries()
    # given two more townships in the county, each with people commended in two years
    for _ in range(2):
        township = OrgUnitFactory(kind=UnitKind.TOWNSHIP, parent=county)
        for years_ago, cadre in enumerate(CadreFactory.create_batch(2, unit=township)):
            commendation_record(
                actor=None,
                cadre=cadre,
                level="county",
                title="优秀共产党员",
                date=clock.today().replace(month=1, day=1, year=clock.today().year - years_ago),
            )

    assert queries() == before
