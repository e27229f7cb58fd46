"""总览 for the county and city organization departments: who may open it,
whose townships it shows, figures that agree with the API's lists, each cell
linking to the scoped list behind it (全部待办), the xlsx, and a query count
that does not grow with the townships."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.db import connection
from django.db.models import Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from cadrecare.core import clock
from cadrecare.org.choices import UnitKind
from cadrecare.org.models import Cadre, OrgUnit, User
from cadrecare.reminders.choices import JobStatus
from cadrecare.reminders.models import JobRun, OverdueTally
from cadrecare.reminders.services import TALLY_JOB, overdue_tally_refresh
from cadrecare.reminders.sources import counts_by_area, due_items_sql
from tests.cadrecare.web.conftest import DEMO_ROLES
from tests.factories import CadreFactory, OrgUnitFactory

pytestmark = pytest.mark.usefixtures("demo_for_module", "db")


def _api(username: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(User.objects.get(username=username))
    return client


def _township() -> OrgUnit:
    return Cadre.objects.get(user__username="secretary").unit


def _county() -> OrgUnit:
    return _township().parent


# -- who may open it -------------------------------------------------------------------------------
@pytest.mark.parametrize("username", DEMO_ROLES)
def test_the_dashboard_opens_to_the_organization_department_only(
    username: str, signed_in: Callable[[str], Client]
) -> None:
    response = signed_in(username).get(reverse("web:dashboard"))
    xlsx = signed_in(username).get(reverse("web:dashboard-xlsx"))

    expected = 200 if username in ("city_admin", "county_staff") else 403
    assert response.status_code == expected
    assert xlsx.status_code == expected
    assert ("总览" in response.content.decode()) == (expected == 200)


def test_the_county_sees_its_townships_and_the_city_its_counties(signed_in: Callable[[str], Client]) -> None:
    county = signed_in("county_staff").get(reverse("web:dashboard"))
    city = signed_in("city_admin").get(reverse("web:dashboard"))

    townships = set(OrgUnit.objects.filter(kind=UnitKind.TOWNSHIP, active=True, parent=_county()))
    assert {row["unit"] for row in county.context["rows"]} == townships
    assert county.context["root"] == _county()
    counties = set(OrgUnit.objects.filter(kind=UnitKind.COUNTY, active=True, parent=_county().parent))
    assert {row["unit"] for row in city.context["rows"]} == counties
    # the county's row links to its townships
    drill = reverse("web:dashboard") + f"?unit={_county().pk}"
    assert drill in city.content.decode()


def test_the_city_drills_into_a_county_and_its_sum_is_the_countys(signed_in: Callable[[str], Client]) -> None:
    client = signed_in("city_admin")
    city = client.get(reverse("web:dashboard"))
    county = client.get(reverse("web:dashboard"), {"unit": _county().pk})

    assert county.status_code == 200
    assert {row["unit"] for row in county.context["rows"]} == {
        row["unit"] for row in signed_in("county_staff").get(reverse("web:dashboard")).context["rows"]
    }
    in_city = next(row for row in city.context["rows"] if row["unit"] == _county())["measures"]
    assert in_city == county.context["total"]
    assert "返回全市" in county.content.decode()


@pytest.mark.parametrize(
    ("username", "unit"), [("county_staff", "city"), ("city_admin", "township"), ("city_admin", "nonsense")]
)
def test_a_unit_out_of_scope_or_not_a_county_is_404(
    username: str, unit: str, signed_in: Callable[[str], Client]
) -> None:
    wanted = {"city": _county().parent_id, "township": _township().pk, "nonsense": "x"}[unit]

    assert signed_in(username).get(reverse("web:dashboard"), {"unit": wanted}).status_code == 404


# -- the figures and the lists behind them -----------------------------------------------------------
def test_overdue_items_per_township_are_the_apis_and_link_to_the_list(signed_in: Callable[[str], Client]) -> None:
    client = signed_in("county_staff")
    rows = client.get(reverse("web:dashboard")).context["rows"]
    api = _api("county_staff")

    for row in rows:
        expected = api.get("/api/v1/due-items/", {"unit": row["unit"].pk, "state": "overdue"}).json()["count"]
        assert row["measures"].overdue_total == expected
    row = next(row for row in rows if row["unit"] == _township())
    assert row["measures"].overdue_total > 0, "the demo township has overdue items"

    # when the officer follows the township's overdue figure
    listed = client.get(row["links"]["overdue"])

    # then the list shows exactly those items, of that township only
    assert listed.status_code == 200
    assert listed.context["page"].paginator.count == row["measures"].overdue_total
    assert {item["state"] for item in listed.context["rows"]} == {"overdue"}
    units = set(OrgUnit.objects.filter(path__startswith=_township().path).values_list("pk", flat=True))
    assert {item["unit"] for item in listed.context["rows"]} <= units
    # and each kind's figure links to that kind alone
    for kind in row["overdue_kinds"]:
        by_kind = client.get(kind["url"])
        assert by_kind.context["page"].paginator.count == kind["count"]


def test_each_township_has_one_roster_state_for_next_month(signed_in: Callable[[str], Client]) -> None:
    rows = signed_in("county_staff").get(reverse("web:dashboard")).context["rows"]

    for row in rows:
        assert sum(row["measures"].rosters.values()) == 1
        assert len(row["roster"]) == 1


def test_the_secretary_lists_only_their_townships_items_whatever_unit_they_ask(
    signed_in: Callable[[str], Client],
) -> None:
    other = OrgUnit.objects.filter(parent=_county(), kind=UnitKind.TOWNSHIP).exclude(pk=_township().pk).first()

    response = signed_in("secretary").get(reverse("web:due-items"), {"unit": other.pk, "within": "all"})

    assert response.status_code == 200
    units = set(OrgUnit.objects.filter(path__startswith=_township().path).values_list("pk", flat=True))
    assert {item["unit"] for item in response.context["rows"]} <= units
    assert "选择一个有效的选项" in response.content.decode() or not response.context["form"].is_valid()


def test_the_table_exports_as_xlsx_with_a_row_per_township_and_the_total(signed_in: Callable[[str], Client]) -> None:
    response = signed_in("county_staff").get(reverse("web:dashboard-xlsx"))

    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][:2] == ("单位", "逾期事项")
    townships = OrgUnit.objects.filter(kind=UnitKind.TOWNSHIP, active=True, parent=_county())
    assert [row[0] for row in values[1:]] == [*townships.order_by("path").values_list("name", flat=True), "合计"]
    assert response["Content-Disposition"].startswith('attachment; filename="dashboard-')


# -- speed -----------------------------------------------------------------------------------------
def _queries(client: Client, *, refresh: bool = True) -> int:
    """Queries of one look at the dashboard, its figures computed afresh unless ``refresh`` is False."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("web:dashboard"), {"refresh": 1} if refresh else {}).status_code == 200
    return len(queries)


def test_the_dashboard_costs_the_same_queries_for_more_townships(signed_in: Callable[[str], Client]) -> None:
    client = signed_in("county_staff")
    before = _queries(client)

    # given five more townships with cadres in the county
    for _ in range(5):
        township = OrgUnitFactory(kind=UnitKind.TOWNSHIP, parent=_county())
        CadreFactory.create_batch(3, unit=township)

    # then the page costs the same number of queries (one per measure, none per row)
    assert _queries(client) == before
    # (27: the due-items union reads the care policies' sick-leave days for the sick-leave follow-up kind;
    # 28: the overdue tally read first, here with no count today, so every kind counted live)
    assert before <= 28, f"{before} queries: session, user, grants, units, one or two per measure, the nav badge"
    assert _queries(signed_in("city_admin")) <= before + 1


def test_the_figures_are_kept_ten_minutes_and_refresh_on_request(signed_in: Callable[[str], Client]) -> None:
    client = signed_in("county_staff")
    client.get(reverse("web:dashboard"))

    # a second look reads the kept figures: no union of due items, no grouped counts
    assert _queries(client) > _queries(client, refresh=False) + 5
    assert "数据截至" in client.get(reverse("web:dashboard")).content.decode()


# -- the overdue tally ------------------------------------------------------------------------------
def _overdue_rows(client: Client, refresh: str) -> dict[int, dict[str, int]]:
    response = client.get(reverse("web:dashboard"), {"refresh": refresh})
    assert response.status_code == 200
    return {row["unit"].pk: dict(+row["measures"].overdue) for row in response.context["rows"]}


def test_the_overdue_tally_counted_twice_is_one_count_and_the_live_one(signed_in: Callable[[str], Client]) -> None:
    # given the job run twice (a repeated beat, a retry)
    first, second = overdue_tally_refresh(), overdue_tally_refresh()

    # then both succeeded, are listed as job runs, and keep one count: the second replaced the first
    assert first.status == second.status == JobStatus.SUCCEEDED
    assert JobRun.objects.filter(name=TALLY_JOB).count() == 2
    kept = list(OverdueTally.objects.exclude(kind="").values_list("day", "area", "kind", "overdue"))
    assert len(kept) == len(set(kept)) == second.created > 0
    assert OverdueTally.objects.get(kind="").overdue == second.scanned == sum(count for *_key, count in kept)
    # and it is the live count of everyone's overdue items, area by area
    townships = OrgUnit.objects.filter(kind=UnitKind.TOWNSHIP)
    prefix = len(townships.first().path)
    sql, params = due_items_sql(
        today=clock.today(), where=Q(di_due_date__lt=clock.today()), columns=("di_kind", "di_unit_path")
    )
    live = counts_by_area(sql, params, prefix)
    assert {(area, kind): count for _day, area, kind, count in kept} == live

    # and every role that opens the overview sees from the tally what it sees counted live
    for username in DEMO_ROLES:
        client = signed_in(username)
        if client.get(reverse("web:dashboard")).status_code != 200:
            continue
        assert _overdue_rows(client, "1") == _overdue_rows(client, "now"), username


def test_the_page_says_when_the_overdue_items_were_counted(signed_in: Callable[[str], Client]) -> None:
    # given a tally counted at midnight (earlier than now whatever the hour the suite runs: a later hour
    # of today may still be ahead, and the page never dates its figures in the future)
    overdue_tally_refresh()
    counted = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    OverdueTally.objects.update(counted_at=counted)
    client = signed_in("county_staff")

    # then the figures say they are of 00:00, and 立即刷新 counts them now
    page = client.get(reverse("web:dashboard"), {"refresh": 1})
    assert page.context["as_of"] == counted
    assert f"数据截至 {counted:%Y-%m-%d} 00:00" in page.content.decode()
    assert "refresh=now" in page.context["refresh_url"]
    assert client.get(page.context["refresh_url"]).context["as_of"] > counted


def test_with_no_count_today_the_overdue_items_are_counted_live(signed_in: Callable[[str], Client]) -> None:
    # given yesterday's tally only
    overdue_tally_refresh()
    OverdueTally.objects.update(day=clock.today() - dt.timedelta(days=1), overdue=999)
    client = signed_in("county_staff")

    # then nothing of it is shown: the figures are today's, counted live
    assert _overdue_rows(client, "1") == _overdue_rows(client, "now")
    assert 999 not in {count for row in _overdue_rows(client, "1").values() for count in row.values()}
