"""Hardship reviews (回访) as due items: every open or
in-progress hardship case has a review date and an owner, the HR officer of
the cadre's unit; recording a review moves the date on; a resolved case is
no longer chased."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from rest_framework.test import APIClient

from cadrecare.care import services
from cadrecare.care.models import CarePolicy, HardshipCase
from cadrecare.org.choices import Role
from cadrecare.reminders.choices import Stage
from cadrecare.reminders.models import Notice
from cadrecare.reminders.services import reminders_scan
from cadrecare.reminders.sources import DueItem, due_items
from tests.cadrecare.reminders.support import only_kinds
from tests.factories import RoleGrantFactory

OPENED = dt.date(2026, 3, 10)
CASES = "/api/v1/hardship-cases/"


@pytest.fixture(autouse=True)
def _reviews_only() -> Iterator[None]:
    with only_kinds("hardship_review"):
        yield


def _open(cadre: Any, **fields: Any) -> HardshipCase:
    return services.hardship_case_create(
        actor=None, cadre=cadre, category="illness", description="母亲重病", opened_on=OPENED, today=OPENED, **fields
    )


def reviews(today: dt.date = OPENED) -> dict[int, DueItem]:
    return {item.object_id: item for item in map(DueItem.from_row, due_items(today=today, kinds=["hardship_review"]))}


def test_an_opened_case_is_due_for_review_a_quarter_later_owned_by_the_units_hr_officer(cast: Any) -> None:
    case = _open(cast.cadre_a1)

    item = reviews()[case.pk]

    assert case.next_review == item.due_date == dt.date(2026, 6, 10)
    assert item.owner_id == cast.hr_a1.pk and item.owner_unit_id == cast.county_a.pk
    assert item.title == "木晓梅：困难帮扶回访" and item.url == f"/api/v1/hardship-cases/{case.pk}/"


def test_the_care_policy_sets_the_interval_and_a_date_given_wins(cast: Any) -> None:
    # given county A reviews monthly
    CarePolicy.objects.create(unit=cast.county_a, hardship_review_months=1)

    monthly = _open(cast.cadre_a2)
    given = _open(cast.cadre_a1, next_review=dt.date(2026, 4, 1))
    elsewhere = _open(cast.cadre_b1)

    assert monthly.next_review == dt.date(2026, 4, 10)
    assert given.next_review == dt.date(2026, 4, 1)
    assert elsewhere.next_review == dt.date(2026, 6, 10)


def test_a_unit_without_hr_officer_sends_its_reviews_to_the_organization_department_above(cast: Any) -> None:
    case = _open(cast.cadre_b1)

    item = reviews()[case.pk]

    assert item.owner_id is None and item.owner_unit_id == cast.county_b.pk


def test_recording_a_review_moves_the_due_date_on(cast: Any, client_for: Any) -> None:
    case = _open(cast.cadre_a1)

    response = client_for("hr_a1").post(f"{CASES}{case.pk}/review/", {"date": "2026-06-08"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["last_reviewed_on"] == "2026-06-08" and response.json()["next_review"] == "2026-09-08"
    assert reviews(dt.date(2026, 6, 9))[case.pk].due_date == dt.date(2026, 9, 8)


def test_a_review_may_name_the_next_date_but_not_one_before_it(cast: Any, client_for: Any) -> None:
    case = _open(cast.cadre_a1)
    hr = client_for("hr_a1")

    early = hr.post(f"{CASES}{case.pk}/review/", {"date": "2026-06-08", "next_review": "2026-06-01"}, format="json")
    later = hr.post(f"{CASES}{case.pk}/review/", {"date": "2026-06-08", "next_review": "2026-07-01"}, format="json")

    assert early.status_code == 400 and early.json()["errors"][0]["field"] == "next_review"
    assert later.status_code == 200 and later.json()["next_review"] == "2026-07-01"


def test_only_who_may_change_a_case_in_scope_records_a_review(cast: Any, client_for: Any) -> None:
    case = _open(cast.cadre_a1)
    hr_b1 = APIClient()
    hr_b1.force_authenticate(RoleGrantFactory(role=Role.HR, unit=cast.town_b1).user)

    assert client_for("secretary_a1").post(f"{CASES}{case.pk}/review/", {}, format="json").status_code == 403
    assert hr_b1.post(f"{CASES}{case.pk}/review/", {}, format="json").status_code == 404


def test_a_resolved_case_is_no_longer_due_and_cannot_be_reviewed(cast: Any, client_for: Any) -> None:
    case = _open(cast.cadre_a1)
    services.hardship_case_update(actor=None, case=case, status="resolved", today=dt.date(2026, 5, 1))

    assert case.pk not in reviews()
    response = client_for("hr_a1").post(f"{CASES}{case.pk}/review/", {}, format="json")
    assert response.status_code == 400 and "已解决" in response.json()["message"]


def test_the_scan_reminds_the_hr_officer_escalates_when_late_and_stops_after_the_review(cast: Any) -> None:
    # given a case due for review on 10 June
    case = _open(cast.cadre_a1)
    due = case.next_review

    # when the scan runs from 3 days before to 8 days after, and then the review is recorded
    for offset in range(-3, 9):
        reminders_scan(today=due + dt.timedelta(days=offset))
    services.hardship_case_review(
        actor=cast.hr_a1, case=case, date=due + dt.timedelta(days=8), today=due + dt.timedelta(days=8)
    )
    reminders_scan(today=due + dt.timedelta(days=9))

    # then the HR officer heard before, on the day and every day late; the county at 7 days; nothing after
    stages = sorted(Notice.objects.filter(recipient=cast.hr_a1).values_list("stage", flat=True))
    assert stages == sorted([Stage.UPCOMING, Stage.DUE] + [Stage.OVERDUE] * 8)
    assert Notice.objects.filter(recipient=cast.county_a_staff, stage=Stage.COUNTY).count() == 1
    assert not Notice.objects.filter(period__gt=due + dt.timedelta(days=8)).exists()
