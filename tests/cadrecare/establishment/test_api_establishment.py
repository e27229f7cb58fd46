"""Township establishment (乡镇编制专编专用) through the API: each township's
approved slots with filled, vacant, over and borrowed counted from the cadre
records and the borrowing register; borrowings recorded, reviewed and ended
by the county organization department, refused in Chinese when wrong."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from cadrecare.audit.models import AuditEntry
from cadrecare.core import clock
from cadrecare.establishment.models import Borrowing, EstablishmentSlot
from cadrecare.establishment.services import borrowing_record
from cadrecare.org.choices import CadreStatus, Role, UnitKind
from cadrecare.org.models import person_name
from tests.factories import CadreFactory, OrgUnitFactory, RoleGrantFactory

SLOTS = "/api/v1/establishment/"
BORROWINGS = "/api/v1/establishment-borrowings/"


def _days(offset: int) -> dt.date:
    return clock.today() + dt.timedelta(days=offset)


def _borrow(cast: Any, cadre: Any, **fields: Any) -> Borrowing:
    values = {"borrower": cast.agency_a, "start": _days(-30), "until": _days(60), "reason": "专项工作"}
    return borrowing_record(actor=None, cadre=cadre, **(values | fields))


def _payload(cast: Any, **fields: Any) -> dict[str, Any]:
    return {
        "cadre": cast.cadre_a1.pk,
        "borrower": cast.agency_a.pk,
        "start": _days(-3).isoformat(),
        "until": _days(87).isoformat(),
        "reason": "抽调参加县委巡察组",
    } | fields


@pytest.fixture
def slot_a1(cast: Any) -> EstablishmentSlot:
    return EstablishmentSlot.objects.create(township=cast.town_a1, approved=5)


def test_a_townships_slots_count_its_cadres_on_establishment_wherever_they_work(
    cast: Any, client_for: Any, slot_a1: EstablishmentSlot
) -> None:
    # given township A1 with 5 approved slots: its secretary and cadre A1, one seconded to the county,
    # one retired, and one working in A1 on the county's establishment
    CadreFactory(unit=cast.agency_a, establishment_unit=cast.town_a1, status=CadreStatus.SECONDED)
    CadreFactory(unit=cast.town_a1, status=CadreStatus.RETIRED)
    CadreFactory(unit=cast.town_a1, establishment_unit=cast.agency_a)
    _borrow(cast, cast.cadre_a1)

    row = client_for("county_a_staff").get(f"{SLOTS}{slot_a1.pk}/").json()

    assert (row["approved"], row["filled"], row["vacant"], row["over"], row["borrowed"]) == (5, 3, 2, 0, 1)
    assert (row["township_name"], row["county_name"]) == ("石头乡", "玉龙县")


def test_more_cadres_than_slots_is_over_not_a_negative_vacancy(cast: Any, client_for: Any) -> None:
    slot = EstablishmentSlot.objects.create(township=cast.town_a1, approved=1)
    CadreFactory(unit=cast.town_a1)

    row = client_for("county_a_admin").get(f"{SLOTS}{slot.pk}/").json()

    assert (row["filled"], row["vacant"], row["over"]) == (3, 0, 2)


def test_a_borrowing_not_yet_begun_or_ended_is_not_counted(
    cast: Any, client_for: Any, slot_a1: EstablishmentSlot
) -> None:
    future = _borrow(cast, cast.cadre_a1, start=_days(10), until=_days(40))
    ended = _borrow(cast, cast.secretary_a1_cadre, start=_days(-90), until=_days(-10))
    client_for("county_a_staff").post(f"{BORROWINGS}{ended.pk}/return/", {"returned_on": _days(-10)}, format="json")

    row = client_for("county_a_staff").get(f"{SLOTS}{slot_a1.pk}/").json()

    assert row["borrowed"] == 0 and future.pk


def test_the_org_admin_sets_a_townships_slots_once_then_changes_them(cast: Any, client_for: Any) -> None:
    admin = client_for("county_a_admin")

    created = admin.post(SLOTS, {"township": cast.town_a2.pk, "approved": 24}, format="json")
    again = admin.post(SLOTS, {"township": cast.town_a2.pk, "approved": 30}, format="json")
    changed = admin.patch(f"{SLOTS}{created.json()['id']}/", {"approved": 26}, format="json")

    assert created.status_code == 201 and created.json()["filled"] == 1 and created.json()["vacant"] == 23
    assert again.status_code == 400 and again.json()["errors"][0]["field"] == "township"
    assert "已登记" in again.json()["errors"][0]["message"]
    assert changed.status_code == 200 and changed.json()["vacant"] == 25


def test_slots_are_for_townships_and_never_negative(cast: Any, client_for: Any) -> None:
    admin = client_for("county_a_admin")

    agency = admin.post(SLOTS, {"township": cast.agency_a.pk, "approved": 3}, format="json")
    negative = admin.post(SLOTS, {"township": cast.town_a2.pk, "approved": -1}, format="json")
    text = admin.post(SLOTS, {"township": cast.town_a2.pk, "approved": "三十"}, format="json")

    assert agency.status_code == 400 and agency.json()["errors"][0]["message"] == "请选择乡镇（街道）。"
    assert negative.status_code == 400 and negative.json()["errors"][0]["field"] == "approved"
    assert text.status_code == 400 and text.json()["errors"][0]["field"] == "approved"


def test_the_slot_list_is_scoped_and_exported_with_chinese_headers(cast: Any, client_for: Any) -> None:
    EstablishmentSlot.objects.create(township=cast.town_a1, approved=5)
    EstablishmentSlot.objects.create(township=cast.town_b1, approved=7)

    county = client_for("county_a_staff").get(SLOTS).json()["results"]
    secretary = client_for("secretary_a1").get(SLOTS).json()["results"]
    export = client_for("county_a_staff").get(f"{SLOTS}export/")

    assert [row["township_name"] for row in county] == ["石头乡"]
    assert [row["township_name"] for row in secretary] == ["石头乡"]
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:7] == ("县（区）", "乡镇", "核定编制数", "实有人数", "空编数", "超编数", "被借用人数")
    assert rows[1][:3] == ("玉龙县", "石头乡", 5)


def test_the_county_registers_a_borrowing_of_its_township_cadre(cast: Any, client_for: Any) -> None:
    response = client_for("county_a_staff").post(BORROWINGS, _payload(cast), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["township"], body["township_name"], body["borrower_name"]) == (
        cast.town_a1.pk,
        "石头乡",
        "玉龙县委组织部",
    )
    assert (body["state"], body["state_label"], body["recorded_on"]) == (
        "pending",
        "待组织部审核",
        clock.today().isoformat(),
    )
    assert AuditEntry.objects.filter(action="create", resource="establishment-borrowings").count() == 1


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"until": _days(-10).isoformat()}, "until", "不能早于开始日期"),
        ({"reason": "  "}, "reason", ""),
        ({"borrower": "x"}, "borrower", ""),
        ({"start": "去年"}, "start", ""),
    ],
)
def test_a_wrong_borrowing_is_refused_naming_the_field(
    cast: Any, client_for: Any, change: dict[str, Any], field: str, words: str
) -> None:
    response = client_for("county_a_staff").post(BORROWINGS, _payload(cast, **change), format="json")

    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == field and words in error["message"]
    assert not Borrowing.objects.exists()


def test_only_a_county_or_city_body_borrows_a_cadre_on_a_township_establishment(cast: Any, client_for: Any) -> None:
    staff = client_for("county_a_staff")
    on_agency = CadreFactory(unit=cast.agency_a)

    by_township = staff.post(BORROWINGS, _payload(cast, borrower=cast.town_a2.pk), format="json")
    not_township = staff.post(BORROWINGS, _payload(cast, cadre=on_agency.pk), format="json")

    assert by_township.status_code == 400 and by_township.json()["errors"][0]["field"] == "borrower"
    assert "县直机关" in by_township.json()["message"]
    assert not_township.status_code == 400 and "编制不在乡镇" in not_township.json()["message"]


def test_a_cadre_is_borrowed_once_at_a_time_and_never_after_leaving(cast: Any, client_for: Any) -> None:
    staff = client_for("county_a_staff")
    first = staff.post(BORROWINGS, _payload(cast), format="json")
    retired = CadreFactory(unit=cast.town_a1, status=CadreStatus.RETIRED)

    second = staff.post(BORROWINGS, _payload(cast), format="json")
    gone = staff.post(BORROWINGS, _payload(cast, cadre=retired.pk), format="json")

    assert first.status_code == 201
    assert second.status_code == 400 and "已被玉龙县委组织部借用" in second.json()["message"]
    assert gone.status_code == 400 and "离退休" in gone.json()["message"]


def test_the_county_reviews_and_then_records_the_return(cast: Any, client_for: Any) -> None:
    staff = client_for("county_a_staff")
    borrowing = _borrow(cast, cast.cadre_a1)

    blank = staff.post(f"{BORROWINGS}{borrowing.pk}/review/", {"note": " "}, format="json")
    reviewed = staff.post(f"{BORROWINGS}{borrowing.pk}/review/", {"note": "同意借用三个月"}, format="json")
    early = staff.post(f"{BORROWINGS}{borrowing.pk}/return/", {"returned_on": _days(-40)}, format="json")
    future = staff.post(f"{BORROWINGS}{borrowing.pk}/return/", {"returned_on": _days(1)}, format="json")
    back = staff.post(f"{BORROWINGS}{borrowing.pk}/return/", {"returned_on": clock.today().isoformat()}, format="json")
    twice = staff.post(f"{BORROWINGS}{borrowing.pk}/return/", {"returned_on": clock.today().isoformat()}, format="json")

    assert blank.status_code == 400 and blank.json()["errors"][0]["field"] == "note"
    assert reviewed.status_code == 200 and reviewed.json()["state"] == "active"
    assert reviewed.json()["review_note"] == "同意借用三个月"
    assert reviewed.json()["reviewed_by_name"] == person_name(cast.county_a_staff)
    assert early.status_code == 400 and early.json()["errors"][0]["field"] == "returned_on"
    assert future.status_code == 400 and "晚于今天" in future.json()["message"]
    assert back.status_code == 200 and back.json()["state"] == "returned"
    assert twice.status_code == 400


def test_the_township_reads_its_borrowings_but_only_the_county_acts(cast: Any, client_for: Any) -> None:
    borrowing = _borrow(cast, cast.cadre_a1)
    _borrow(cast, cast.cadre_b1, borrower=cast.county_b)

    seen = client_for("secretary_a1").get(BORROWINGS).json()["results"]
    review = client_for("hr_a1").post(f"{BORROWINGS}{borrowing.pk}/review/", {"note": "同意"}, format="json")
    county_b = APIClient()
    county_b.force_authenticate(RoleGrantFactory(role=Role.ORG_STAFF, unit=cast.county_b).user)
    other = county_b.post(f"{BORROWINGS}{borrowing.pk}/review/", {"note": "同意"}, format="json")
    cadre = client_for("cadre_a1_user").get(BORROWINGS)

    assert [row["cadre_name"] for row in seen] == ["木晓梅"]
    assert review.status_code == 403 and other.status_code == 404 and cadre.status_code == 403


def test_extending_a_reviewed_borrowing_asks_for_review_again(cast: Any, client_for: Any) -> None:
    staff = client_for("county_a_staff")
    borrowing = _borrow(cast, cast.cadre_a1)
    staff.post(f"{BORROWINGS}{borrowing.pk}/review/", {"note": "同意"}, format="json")

    shorter = staff.patch(f"{BORROWINGS}{borrowing.pk}/", {"until": _days(30).isoformat()}, format="json")
    longer = staff.patch(f"{BORROWINGS}{borrowing.pk}/", {"until": _days(200).isoformat()}, format="json")
    moved = staff.patch(f"{BORROWINGS}{borrowing.pk}/", {"cadre": cast.cadre_a2.pk}, format="json")

    assert shorter.json()["state"] == "active"
    assert longer.json()["state"] == "pending" and longer.json()["review_note"] == ""
    assert moved.json()["cadre"] == cast.cadre_a1.pk  # who was borrowed is fixed once recorded


def test_the_borrowing_list_filters_by_state_and_unit(cast: Any, client_for: Any) -> None:
    town = OrgUnitFactory(parent=cast.county_a, kind=UnitKind.TOWNSHIP)
    pending = _borrow(cast, cast.cadre_a1)
    overdue = _borrow(cast, CadreFactory(unit=town), start=_days(-100), until=_days(-1))
    client_for("county_a_staff").post(f"{BORROWINGS}{overdue.pk}/review/", {"note": "同意"}, format="json")
    staff = client_for("county_a_staff")

    by_state = staff.get(BORROWINGS, {"state": "overdue"}).json()["results"]
    by_unit = staff.get(BORROWINGS, {"unit": cast.town_a1.pk}).json()["results"]
    bad = staff.get(BORROWINGS, {"state": "lost"})

    assert [row["id"] for row in by_state] == [overdue.pk]
    assert [row["id"] for row in by_unit] == [pending.pk]
    assert bad.status_code == 400
