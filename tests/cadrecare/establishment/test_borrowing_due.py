"""A borrowing of a township cadre as a due item (上级机关一般不得借用乡镇干部):
due for the county organization department's review the day it is recorded,
then on its end date, overdue and escalated while the cadre stays beyond it,
closed when the cadre is back in the township."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from cadrecare.establishment import services
from cadrecare.establishment.models import Borrowing
from cadrecare.org.choices import CadreStatus
from cadrecare.org.services import cadre_status_change
from cadrecare.reminders.choices import Stage
from cadrecare.reminders.models import Notice
from cadrecare.reminders.services import reminders_scan
from cadrecare.reminders.sources import DueItem, due_items
from tests.cadrecare.reminders.support import only_kinds

KIND = "establishment_borrowing"
RECORDED = dt.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _borrowings_only() -> Iterator[None]:
    with only_kinds(KIND):
        yield


def _borrow(cast: Any, **fields: Any) -> Borrowing:
    values = {"start": RECORDED, "until": dt.date(2026, 6, 10), "reason": "抽调参加县委巡察组"}
    return services.borrowing_record(
        actor=cast.county_a_staff, cadre=cast.cadre_a1, borrower=cast.agency_a, today=RECORDED, **(values | fields)
    )


def items(today: dt.date = RECORDED) -> dict[int, DueItem]:
    return {item.object_id: item for item in map(DueItem.from_row, due_items(today=today, kinds=[KIND]))}


def test_a_recorded_borrowing_is_due_at_once_for_the_county_organization_department(cast: Any) -> None:
    borrowing = _borrow(cast, start=dt.date(2026, 1, 5))

    item = items()[borrowing.pk]

    assert item.due_date == RECORDED
    assert item.owner_id is None and item.owner_unit_id == cast.county_a.pk
    assert item.title == "木晓梅：被玉龙县委组织部借用，待组织部审核"
    assert item.url == f"/api/v1/establishment-borrowings/{borrowing.pk}/"


def test_it_is_in_the_county_staffs_own_list_and_not_the_townships(cast: Any, client_for: Any) -> None:
    borrowing = _borrow(cast)

    county = client_for("county_a_staff").get("/api/v1/due-items/", {"mine": 1}).json()["results"]
    secretary = client_for("secretary_a1").get("/api/v1/due-items/", {"mine": 1}).json()["results"]

    assert [(row["kind"], row["object_id"]) for row in county] == [(KIND, borrowing.pk)]
    assert secretary == []


def test_once_reviewed_it_falls_due_again_on_its_end_date(cast: Any) -> None:
    borrowing = _borrow(cast)

    services.borrowing_review(actor=cast.county_a_staff, borrowing=borrowing, note="同意短期借用", today=RECORDED)

    item = items()[borrowing.pk]
    assert item.due_date == dt.date(2026, 6, 10)
    assert item.title == "木晓梅：借用到期，应返回石头乡"


def test_the_return_or_the_cadre_leaving_closes_it(cast: Any) -> None:
    returned = _borrow(cast)
    other = services.borrowing_record(
        actor=None,
        cadre=cast.cadre_a2,
        borrower=cast.agency_a,
        start=RECORDED,
        until=dt.date(2026, 6, 10),
        reason="专项工作",
        today=RECORDED,
    )

    services.borrowing_return(actor=None, borrowing=returned, returned_on=RECORDED, today=RECORDED)
    cadre_status_change(actor=None, cadre=cast.cadre_a2, status=CadreStatus.RETIRED, date=RECORDED, today=RECORDED)

    assert returned.pk not in items() and other.pk not in items()


def test_the_scan_chases_the_county_past_the_end_date_and_stops_at_the_return(cast: Any) -> None:
    # given a reviewed borrowing ending on 10 June
    borrowing = _borrow(cast)
    services.borrowing_review(actor=cast.county_a_staff, borrowing=borrowing, note="同意", today=RECORDED)
    end = borrowing.until

    # when the scan runs from 3 days before to 8 days after, and then the cadre is back
    for offset in range(-3, 9):
        reminders_scan(today=end + dt.timedelta(days=offset))
    services.borrowing_return(
        actor=None, borrowing=borrowing, returned_on=end + dt.timedelta(days=8), today=end + dt.timedelta(days=8)
    )
    reminders_scan(today=end + dt.timedelta(days=9))

    # then the county's organization department heard on the day and every day late; nothing after
    stages = set(Notice.objects.filter(recipient=cast.county_a_staff).values_list("stage", flat=True))
    assert {Stage.DUE, Stage.OVERDUE} <= stages
    assert not Notice.objects.filter(recipient=cast.secretary_a1).exists()
    assert not Notice.objects.filter(period__gt=end + dt.timedelta(days=8)).exists()
