"""The organisation department's reports: transfer candidates, facility gaps,
late or short post allowances; and every care list costs a fixed number of
queries however many rows it has."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from openpyxl import load_workbook

from cadrecare.audit.models import AuditEntry
from cadrecare.care import services
from cadrecare.core import clock
from cadrecare.org.choices import PostChangeKind, Rank, Remoteness
from cadrecare.org.models import OrgUnit
from cadrecare.org.services import post_change_record
from tests.factories import (
    CadreFactory,
    CheckupFactory,
    FacilityFactory,
    FamilyMemberFactory,
    HardshipCaseFactory,
    OrgUnitFactory,
    PostAllowanceFactory,
)

CANDIDATES = "/api/v1/transfer-candidates/"
YEARS_AGO = lambda years: clock.today() - dt.timedelta(days=round(365.25 * years))  # noqa: E731


def _section_cadre(unit: OrgUnit, joined: dt.date, **extra: Any) -> Any:
    return CadreFactory(unit=unit, rank=Rank.SECTION_DEPUTY, unit_joined=joined, **extra)


# -- transfer candidates --------------------------------------------------------------


def test_section_level_cadres_long_in_remote_townships_are_candidates(cast: Any, client_for: Any) -> None:
    # given town A1 is remote (grade 2) and town A2 is not
    long_served = _section_cadre(cast.town_a1, YEARS_AGO(6), name="和志强")
    recent = _section_cadre(cast.town_a1, YEARS_AGO(3), name="新来的")
    _section_cadre(cast.town_a2, YEARS_AGO(12), name="近郊的")  # not in a remote township
    CadreFactory(unit=cast.town_a1, rank=Rank.STAFF_MEMBER, unit_joined=YEARS_AGO(12))  # not section level
    HardshipCaseFactory(cadre=long_served)

    rows = client_for("county_a_staff").get(CANDIDATES).json()["results"]
    three = client_for("county_a_staff").get(CANDIDATES, {"years": "3"}).json()["results"]

    assert [row["id"] for row in rows] == [long_served.pk]
    row = rows[0]
    assert row["remote_years"] == 6.0 and row["age"] == long_served.age_on(clock.today())
    assert (row["hardship"], row["health_concern"], row["remoteness_label"]) == (True, False, "边远艰苦二类")
    assert [row["id"] for row in three] == [long_served.pk, recent.pk]


def test_years_come_from_the_post_history_across_townships(cast: Any, client_for: Any) -> None:
    # given a cadre who served 4 years in town A2 (not remote), then 4 in remote A1, then 2 more in remote B1
    OrgUnit.objects.filter(pk=cast.town_b1.pk).update(remoteness=Remoteness.GRADE_3)
    cadre = _section_cadre(cast.town_a2, YEARS_AGO(10))
    for years_ago, unit in ((10, cast.town_a2), (6, cast.town_a1), (2, cast.town_b1)):
        post_change_record(
            actor=None,
            cadre=cadre,
            kind=PostChangeKind.TRANSFER,
            date=YEARS_AGO(years_ago),
            to_unit=unit,
            to_rank=Rank.SECTION_DEPUTY,
        )

    every_grade = client_for("city_admin").get(CANDIDATES).json()["results"]
    grade_3_only = client_for("city_admin").get(CANDIDATES, {"remoteness": "grade_3", "years": "1"}).json()
    county_a = client_for("city_admin").get(CANDIDATES, {"county": cast.county_a.pk}).json()["results"]

    assert [(row["id"], row["remote_years"]) for row in every_grade] == [(cadre.pk, 6.0)]
    assert [(row["id"], row["remote_years"]) for row in grade_3_only["results"]] == [(cadre.pk, 2.0)]
    assert county_a == []  # now serving in county B


def test_a_serious_illness_raises_the_health_flag(cast: Any, client_for: Any) -> None:
    cadre = _section_cadre(cast.town_a1, YEARS_AGO(8))
    services.cadre_condition_record(actor=None, cadre=cadre, kind="illness", date=clock.today())

    rows = client_for("county_a_admin").get(CANDIDATES).json()["results"]

    assert rows[0]["health_concern"] is True


def test_a_latest_check_up_needing_treatment_raises_the_health_flag(cast: Any, client_for: Any) -> None:
    cured = _section_cadre(cast.town_a1, YEARS_AGO(8), name="已康复")
    unwell = _section_cadre(cast.town_a1, YEARS_AGO(7), name="待治疗")
    CheckupFactory(cadre=cured, date=dt.date(2024, 5, 1), conclusion="treatment")
    CheckupFactory(cadre=cured, date=dt.date(2025, 5, 1), conclusion="normal")
    CheckupFactory(cadre=unwell, date=dt.date(2025, 5, 1), conclusion="treatment")

    rows = client_for("county_a_admin").get(CANDIDATES).json()["results"]

    assert {row["name"]: row["health_concern"] for row in rows} == {"已康复": False, "待治疗": True}


@pytest.mark.parametrize(
    ("params", "field"),
    [({"years": "many"}, "years"), ({"years": "-1"}, "years"), ({"remoteness": "none"}, "remoteness")],
)
def test_bad_report_parameters_are_400s(cast: Any, client_for: Any, params: dict, field: str) -> None:
    response = client_for("county_a_admin").get(CANDIDATES, params)

    assert response.status_code == 400 and response.json()["errors"][0]["field"] == field


def test_the_candidates_export_in_chinese(cast: Any, client_for: Any) -> None:
    _section_cadre(cast.town_a1, YEARS_AGO(7), name="和志强")

    response = client_for("county_a_staff").get(f"{CANDIDATES}export/")

    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:4] == ("县（区）", "乡镇", "边远等级", "姓名")
    assert rows[1][:4] == ("玉龙县", "石头乡", "边远艰苦二类", "和志强") and rows[1][9] == "否"


def test_secretaries_do_not_see_the_transfer_report(cast: Any, client_for: Any) -> None:
    assert client_for("secretary_a1").get(CANDIDATES).status_code == 403


# -- facilities ---------------------------------------------------------------------------


def test_the_gaps_report_lists_what_each_township_lacks(cast: Any, client_for: Any) -> None:
    complete = OrgUnitFactory(parent=cast.county_a, name="齐全乡")
    for item in ("canteen", "toilet", "bathhouse", "library", "recreation", "meals", "lodging"):
        FacilityFactory(township=complete, item=item)
        FacilityFactory(
            township=cast.town_a1,
            item=item,
            status={"bathhouse": "building", "library": "missing"}.get(item, "present"),
        )

    rows = client_for("county_a_staff").get("/api/v1/facility-gaps/").json()["results"]

    by_name = {row["name"]: row for row in rows}
    assert "齐全乡" not in by_name
    assert by_name["石头乡"]["gap_text"] == "小澡堂（在建）、小图书室（缺失）"
    assert by_name["鲁甸乡"]["gap_count"] == 7 and by_name["鲁甸乡"]["gaps"][0]["status_label"] == "未登记"
    lacking_library = client_for("county_a_staff").get("/api/v1/facility-gaps/", {"item": "library"}).json()
    assert {row["name"] for row in lacking_library["results"]} == {"石头乡", "鲁甸乡"}


def test_a_facility_is_recorded_once_per_township_and_only_for_townships(cast: Any, client_for: Any) -> None:
    client = client_for("secretary_a1")
    payload = {"township": cast.town_a1.pk, "item": "canteen", "status": "present", "as_of": "2025-01-01"}
    assert client.post("/api/v1/facilities/", payload, format="json").status_code == 201

    again = client.post("/api/v1/facilities/", payload, format="json")
    office = client_for("county_a_admin").post(
        "/api/v1/facilities/", {**payload, "township": cast.agency_a.pk}, format="json"
    )

    assert again.status_code == 400 and again.json()["errors"] == [
        {"field": "item", "message": "该乡镇已登记“小食堂”，请修改原记录。"}
    ]
    assert office.status_code == 400 and office.json()["errors"] == [
        {"field": "township", "message": "请选择乡镇（街道）。"}
    ]


# -- post allowances ---------------------------------------------------------------------


def test_late_and_short_months_are_derived_and_reported(cast: Any, client_for: Any) -> None:
    ok = PostAllowanceFactory(township=cast.town_a1, month=dt.date(2025, 1, 1))
    late = PostAllowanceFactory(
        township=cast.town_a1, month=dt.date(2025, 2, 1), due_by=dt.date(2025, 2, 28), paid_on=dt.date(2025, 3, 10)
    )
    short = PostAllowanceFactory(
        township=cast.town_a1,
        month=dt.date(2025, 3, 1),
        due_by=dt.date(2025, 3, 31),
        paid_on=dt.date(2025, 3, 20),
        paid_amount=300,
    )
    unpaid = PostAllowanceFactory(
        township=cast.town_a1, month=dt.date(2025, 4, 1), due_by=dt.date(2025, 4, 30), paid_on=None, paid_amount=0
    )
    client = client_for("county_a_staff")

    def ids(problem: str) -> set[int]:
        return {row["id"] for row in client.get("/api/v1/post-allowances/", {"problem": problem}).json()["results"]}

    assert ids("late") == {late.pk, unpaid.pk}
    assert ids("short") == {short.pk, unpaid.pk}
    assert ids("any") == {late.pk, short.pk, unpaid.pk}
    row = client.get(f"/api/v1/post-allowances/{ok.pk}/").json()
    assert (row["month"], row["is_late"], row["is_short"]) == ("2025-01", False, False)
    sheet = load_workbook(io.BytesIO(client.get("/api/v1/post-allowances/export/", {"problem": "any"}).content))
    assert list(sheet.worksheets[0].iter_rows(values_only=True))[0][:3] == ("县（区）", "乡镇", "月份")


def test_a_month_is_due_by_its_last_day_unless_said_otherwise(cast: Any, client_for: Any) -> None:
    response = client_for("hr_a1").post(
        "/api/v1/post-allowances/",
        {
            "township": cast.town_a1.pk,
            "month": "2024-02",
            "due_amount": "600",
            "paid_amount": "600",
            "paid_on": "2024-03-01",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    assert (response.json()["due_by"], response.json()["is_late"]) == ("2024-02-29", True)


def test_a_month_recorded_and_corrected_through_the_api_is_audited_once_each(cast: Any, client_for: Any) -> None:
    client = client_for("hr_a1")
    payload = {"township": cast.town_a1.pk, "month": "2025-05", "due_amount": "600"}

    created = client.post("/api/v1/post-allowances/", payload, format="json")
    again = client.post("/api/v1/post-allowances/", payload, format="json")
    pk = created.json()["id"]
    paid = client.patch(f"/api/v1/post-allowances/{pk}/", {"paid_amount": "600"}, format="json")

    assert (created.status_code, paid.status_code) == (201, 200)
    assert again.status_code == 400 and again.json()["errors"][0] == {
        "field": "month",
        "message": "该乡镇2025年05月的补贴已登记，请修改原记录。",
    }
    writes = AuditEntry.objects.exclude(action="read").order_by("pk").values_list("action", "object_id", "fields")
    assert list(writes) == [
        ("create", str(pk), ["due_amount", "due_by", "month", "township"]),
        ("update", str(pk), ["paid_amount"]),
    ]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"month": "2999-01"}, "month"),
        ({"month": "2025-13"}, "month"),
        ({"due_amount": "-1"}, "due_amount"),
        ({"paid_on": "2999-01-01"}, "paid_on"),
    ],
)
def test_bad_allowance_input_is_refused(cast: Any, client_for: Any, extra: dict, field: str) -> None:
    payload = {"township": cast.town_a1.pk, "month": "2025-05", "due_amount": "600", **extra}

    response = client_for("hr_a1").post("/api/v1/post-allowances/", payload, format="json")

    assert response.status_code == 400 and response.json()["errors"][0]["field"] == field


# -- query counts -------------------------------------------------------------------------


def _family(cast: Any, n: int) -> None:
    for _ in range(n):
        FamilyMemberFactory(cadre=cast.cadre_a1, birth_date=dt.date(2020, 1, 1), relation="child")


def _events(cast: Any, n: int) -> None:
    for _ in range(n):
        services.family_event_record(
            actor=None,
            cadre=cast.cadre_a1,
            kind="accident",
            date=clock.today(),
            family_member=FamilyMemberFactory(cadre=cast.cadre_a1),
        )


def _conditions(cast: Any, n: int) -> None:
    for _ in range(n):
        services.cadre_condition_record(actor=None, cadre=cast.cadre_a1, kind="illness", date=clock.today())


def _visits(cast: Any, n: int) -> None:
    for _ in range(n):
        event, _ = services.family_event_record(actor=None, cadre=cast.cadre_a1, kind="accident", date=clock.today())
        services.visit_record(
            actor=None,
            cadre=cast.cadre_a1,
            date=clock.today(),
            kind="must_visit",
            visitors=[cast.secretary_a1, cast.hr_a1],
            obligations=[event.obligation],
        )


def _cases(cast: Any, n: int) -> None:
    for _ in range(n):
        case = HardshipCaseFactory(cadre=cast.cadre_a1)
        services.hardship_measure_add(
            actor=None, case=case, date=clock.today(), kind="money", amount=1, provided_by="乡党委"
        )


def _candidates(cast: Any, n: int) -> None:
    for _ in range(n):
        cadre = _section_cadre(cast.town_a1, YEARS_AGO(9))
        post_change_record(
            actor=None,
            cadre=cadre,
            kind=PostChangeKind.TRANSFER,
            date=YEARS_AGO(8),
            to_unit=cast.town_a1,
            to_rank=Rank.SECTION_DEPUTY,
        )


def _facilities(cast: Any, n: int) -> None:
    for _ in range(n):
        FacilityFactory(township=OrgUnitFactory(parent=cast.county_a))


def _allowances(cast: Any, n: int) -> None:
    for _ in range(n):
        PostAllowanceFactory(township=OrgUnitFactory(parent=cast.town_a1.parent))


LISTS: list[tuple[str, Callable[[Any, int], None], str]] = [
    ("family-members", _family, "secretary_a1"),
    ("family-events", _events, "hr_a1"),
    ("cadre-conditions", _conditions, "hr_a1"),
    ("visit-obligations", _visits, "county_a_admin"),
    ("visits", _visits, "hr_a1"),
    ("hardship-cases", _cases, "hr_a1"),
    ("hardship-measures", _cases, "cadre_a1_user"),
    ("transfer-candidates", _candidates, "county_a_staff"),
    ("facilities", _facilities, "county_a_admin"),
    ("facility-gaps", _facilities, "county_a_admin"),
    ("post-allowances", _allowances, "county_a_staff"),
]


@pytest.mark.parametrize(("resource", "make", "user"), LISTS, ids=[case[0] for case in LISTS])
def test_a_list_costs_the_same_queries_for_2_or_10_rows(
    cast: Any, client_for: Any, count_queries: Any, resource: str, make: Callable, user: str
) -> None:
    client = client_for(user)
    make(cast, 2)
    two = count_queries(lambda: client.get(f"/api/v1/{resource}/"))
    make(cast, 8)
    response = client.get(f"/api/v1/{resource}/")
    ten = count_queries(lambda: client.get(f"/api/v1/{resource}/"))

    assert response.json()["count"] >= 10
    assert ten == two
