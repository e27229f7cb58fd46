"""乡镇编制 in the workbench: the organization department reads each
township's slots and the borrowings, exports both, records a borrowing on a
form (refused beside the field when wrong), reviews it and records the
return; a township reads its own; a cadre has no such page."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from cadrecare.core import clock
from cadrecare.establishment.models import Borrowing, EstablishmentSlot
from cadrecare.establishment.services import borrowing_record
from cadrecare.org.choices import UnitKind
from cadrecare.org.models import OrgUnit
from tests.factories import CadreFactory, OrgUnitFactory


def _tomorrow() -> dt.date:
    return clock.today() + dt.timedelta(days=1)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def slots(cast: Any) -> None:
    EstablishmentSlot.objects.create(township=cast.town_a1, approved=4)
    EstablishmentSlot.objects.create(township=cast.town_b1, approved=9)


def _borrow(cast: Any) -> Borrowing:
    return borrowing_record(
        actor=None,
        cadre=cast.cadre_a1,
        borrower=cast.agency_a,
        start=clock.today() - dt.timedelta(days=20),
        until=clock.today() + dt.timedelta(days=70),
        reason="抽调参加县委巡察组",
    )


def test_the_county_reads_its_townships_slots_and_borrowings(cast: Any, slots: None) -> None:
    _borrow(cast)

    page = _client(cast.county_a_staff).get(reverse("web:establishment"))

    html = page.content.decode()
    assert page.status_code == 200
    assert "石头乡" in html and "期纳镇" not in html
    assert "木晓梅" in html and "玉龙县委组织部" in html and "待组织部审核" in html
    assert 'href="/establishment/"' in html  # its nav entry
    assert "登记借用" in html


def test_the_township_reads_its_own_and_a_cadre_has_no_such_page(cast: Any, slots: None) -> None:
    secretary = _client(cast.secretary_a1).get(reverse("web:establishment"))
    cadre = _client(cast.cadre_a1_user).get(reverse("web:establishment"))

    assert secretary.status_code == 200 and "登记借用" not in secretary.content.decode()
    assert cadre.status_code == 403


def test_both_tables_export_as_spreadsheets(cast: Any, slots: None) -> None:
    _borrow(cast)
    client = _client(cast.county_a_staff)

    slot_sheet = load_workbook(io.BytesIO(client.get(reverse("web:establishment"), {"export": "slots"}).content))
    borrowing_sheet = load_workbook(
        io.BytesIO(client.get(reverse("web:establishment"), {"export": "borrowings"}).content)
    )

    slot_rows = list(slot_sheet.active.iter_rows(values_only=True))
    borrowing_rows = list(borrowing_sheet.active.iter_rows(values_only=True))
    assert slot_rows[1][:7] == ("玉龙县", "石头乡", 4, 2, 2, 0, 1)
    assert borrowing_rows[1][:3] == ("石头乡", "木晓梅", "玉龙县委组织部")


def test_the_form_records_a_borrowing_and_refuses_a_wrong_one_beside_its_field(cast: Any) -> None:
    client = _client(cast.county_a_staff)
    url = reverse("web:borrowing-add")
    data = {
        "cadre": cast.cadre_a1.pk,
        "borrower": cast.agency_a.pk,
        "start": clock.today().isoformat(),
        "until": (clock.today() - dt.timedelta(days=1)).isoformat(),
        "reason": "借用协助编制县志",
    }

    wrong = client.post(url, data)
    right = client.post(url, data | {"until": (clock.today() + dt.timedelta(days=90)).isoformat()})
    outside = client.post(url, data | {"cadre": cast.cadre_b1.pk})

    assert wrong.status_code == 400 and "借用截止日期不能早于开始日期。" in wrong.content.decode()
    borrowing = Borrowing.objects.get()
    assert right.status_code == 303 and right.url == reverse("web:borrowing", kwargs={"pk": borrowing.pk})
    assert outside.status_code == 400 and Borrowing.objects.count() == 1


def test_the_county_reviews_a_borrowing_and_records_the_return_on_its_page(cast: Any) -> None:
    borrowing = _borrow(cast)
    client = _client(cast.county_a_staff)
    url = reverse("web:borrowing", kwargs={"pk": borrowing.pk})

    shown = client.get(url)
    reviewed = client.post(url, {"note": "同意借用至年底"})
    returned = client.post(reverse("web:borrowing-return", kwargs={"pk": borrowing.pk}), {"returned_on": clock.today()})

    assert shown.status_code == 200 and "组织部审核" in shown.content.decode()
    assert reviewed.status_code == 303 and returned.status_code == 303
    borrowing.refresh_from_db()
    assert (borrowing.review_note, borrowing.reviewed_by, borrowing.returned_on) == (
        "同意借用至年底",
        cast.county_a_staff,
        clock.today(),
    )


def test_a_township_reads_a_borrowing_but_may_not_review_it(cast: Any) -> None:
    borrowing = _borrow(cast)
    client = _client(cast.hr_a1)
    url = reverse("web:borrowing", kwargs={"pk": borrowing.pk})

    shown = client.get(url)
    posted = client.post(url, {"note": "同意"})
    elsewhere = _client(cast.secretary_b1).get(url)

    assert shown.status_code == 200 and "保存审核意见" not in shown.content.decode()
    assert posted.status_code == 403 and elsewhere.status_code == 404


def test_the_demo_city_has_slots_for_every_township_and_borrowings_for_its_county(demo: None, signed_in: Any) -> None:
    townships = OrgUnit.objects.filter(kind=UnitKind.TOWNSHIP)

    mine = signed_in("county_staff").get("/api/v1/due-items/", {"mine": 1, "page_size": 200}).json()["results"]
    page = signed_in("county_staff").get(reverse("web:establishment"))

    assert EstablishmentSlot.objects.filter(township__in=townships).count() == townships.count() > 0
    assert any(row["kind"] == "establishment_borrowing" for row in mine)
    assert page.status_code == 200 and "没有乡镇干部被借用。" not in page.content.decode()


def test_the_org_admin_sets_a_townships_slots_on_a_form_and_staff_may_not(cast: Any, slots: None) -> None:
    admin = _client(cast.county_a_admin)
    url = reverse("web:establishment-slot")

    opened = admin.get(url, {"township": cast.town_a1.pk})
    negative = admin.post(url, {"township": cast.town_a2.pk, "approved": -3})
    future = admin.post(
        url, {"township": cast.town_a2.pk, "approved": 20, "approved_on": clock.today() + dt.timedelta(days=1)}
    )
    new = admin.post(url, {"township": cast.town_a2.pk, "approved": 20})
    changed = admin.post(url, {"township": cast.town_a1.pk, "approved": 6, "note": "县编办2026年核定"})
    outside = admin.post(url, {"township": cast.town_b1.pk, "approved": 1})
    staff = _client(cast.county_a_staff).get(url)

    assert opened.status_code == 200 and 'value="4"' in opened.content.decode()
    assert negative.status_code == 400 and future.status_code == 400 and "晚于今天" in future.content.decode()
    assert new.status_code == 303 and changed.status_code == 303 and outside.status_code == 400
    assert dict(EstablishmentSlot.objects.values_list("township__name", "approved")) == {
        "石头乡": 6,
        "鲁甸乡": 20,
        "期纳镇": 9,
    }
    assert staff.status_code == 403


def test_the_page_reads_in_the_same_queries_however_many_townships_and_borrowings(
    cast: Any, slots: None, count_queries: Any
) -> None:
    client = _client(cast.county_a_staff)
    client.get(reverse("web:establishment"))  # the session and the nav warmed
    _borrow(cast)
    few = count_queries(lambda: client.get(reverse("web:establishment")))

    for index in range(4):
        town = OrgUnitFactory(parent=cast.county_a, kind=UnitKind.TOWNSHIP)
        EstablishmentSlot.objects.create(township=town, approved=10)
        cadre = CadreFactory(unit=town)
        borrowing_record(
            actor=None,
            cadre=cadre,
            borrower=cast.agency_a,
            start=clock.today() - dt.timedelta(days=index + 1),
            until=clock.today() + dt.timedelta(days=30),
            reason="专项工作",
        )
    many = count_queries(lambda: client.get(reverse("web:establishment")))

    assert many == few
