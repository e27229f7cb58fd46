"""Follow-through as due items (seed 三(二) "及时关心问候"; 岗位补贴 "按时足额发放"):
a new hardship case is first contacted within the care policy's days; a
check-up concluding 需治疗 or a long sick leave asks the HR officer to decide
on care (a hardship case, a visit, or closed with a reason); a late or short
post-allowance month is the county organization department's until paid in
full. Each is owned, reminded and escalated like every other kind, and closes
when acted on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from cadrecare.audit.models import AuditEntry
from cadrecare.care import services
from cadrecare.care.models import CareDecision, CarePolicy, HardshipCase, PostAllowance, VisitObligation
from cadrecare.org.choices import Role
from cadrecare.reminders.choices import Stage
from cadrecare.reminders.models import Notice
from cadrecare.reminders.services import reminders_scan
from cadrecare.reminders.sources import DueItem, due_items
from cadrecare.rotation.choices import AbsenceKind
from cadrecare.rotation.models import Absence
from tests.cadrecare.reminders.support import only_kinds
from tests.factories import CheckupFactory, PostAllowanceFactory, RoleGrantFactory

KINDS = ("hardship_first_contact", "treatment_follow_up", "sick_leave_follow_up", "post_allowance_chase")
OPENED = dt.date(2026, 3, 10)
CASES = "/api/v1/hardship-cases/"
DECISIONS = "/api/v1/care-decisions/"


@pytest.fixture(autouse=True)
def _follow_through_only() -> Iterator[None]:
    with only_kinds(*KINDS):
        yield


def items(kind: str, today: dt.date = OPENED) -> dict[int, DueItem]:
    return {item.object_id: item for item in map(DueItem.from_row, due_items(today=today, kinds=[kind]))}


def _open_case(cadre: Any, opened_on: dt.date = OPENED) -> HardshipCase:
    return services.hardship_case_create(
        actor=None, cadre=cadre, category="illness", description="母亲重病", opened_on=opened_on, today=opened_on
    )


def _sick_leave(cadre: Any, days: int, start: dt.date = OPENED) -> Absence:
    end = start + dt.timedelta(days=days - 1)
    return Absence.objects.create(cadre=cadre, kind=AbsenceKind.SICK_LEAVE, start=start, end=end)


# -- hardship first contact ------------------------------------------------------------------------


def test_a_new_hardship_case_is_first_contacted_within_a_week_by_the_units_hr_officer(cast: Any) -> None:
    case = _open_case(cast.cadre_a1)

    item = items("hardship_first_contact")[case.pk]

    assert case.first_contact_due == item.due_date == dt.date(2026, 3, 17)
    assert item.owner_id == cast.hr_a1.pk and item.owner_unit_id == cast.county_a.pk
    assert item.title == "木晓梅：困难帮扶首次联系"


def test_the_care_policy_sets_the_first_contact_days(cast: Any, client_for: Any) -> None:
    # given the county asks for contact within three days, set through the API
    response = client_for("county_a_admin").post(
        "/api/v1/care-policies/", {"unit": cast.county_a.pk, "first_contact_days": 3}, format="json"
    )
    assert response.status_code == 201, response.content

    assert _open_case(cast.cadre_a1).first_contact_due == dt.date(2026, 3, 13)
    assert _open_case(cast.cadre_b1).first_contact_due == dt.date(2026, 3, 17)


def test_deleting_a_care_policy_hands_the_unit_back_to_the_one_above_and_is_logged_once(
    cast: Any, client_for: Any
) -> None:
    # given the county's own policy asks for contact within three days
    policy = CarePolicy.objects.create(unit=cast.county_a, first_contact_days=3)

    # when the county's org admin deletes it through the API
    response = client_for("county_a_admin").delete(f"/api/v1/care-policies/{policy.pk}/")

    # then it is gone, the default week applies again, and the audit log has one row saying so
    assert response.status_code == 204, response.content
    assert _open_case(cast.cadre_a1).first_contact_due == dt.date(2026, 3, 17)
    assert list(AuditEntry.objects.filter(resource="care-policies").values_list("action", "object_id")) == [
        ("delete", str(policy.pk))
    ]


def test_the_care_policy_refuses_first_contact_days_out_of_range_in_chinese(cast: Any, client_for: Any) -> None:
    response = client_for("county_a_admin").post(
        "/api/v1/care-policies/", {"unit": cast.county_a.pk, "first_contact_days": 0}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "first_contact_days"


def test_recording_the_first_contact_closes_the_item_once(cast: Any, client_for: Any) -> None:
    case = _open_case(cast.cadre_a1)
    hr = client_for("hr_a1")

    early = hr.post(f"{CASES}{case.pk}/first-contact/", {"way": "phone", "date": "2026-03-01"}, format="json")
    done = hr.post(f"{CASES}{case.pk}/first-contact/", {"way": "talk", "date": "2026-03-12"}, format="json")
    again = hr.post(f"{CASES}{case.pk}/first-contact/", {"way": "visit", "date": "2026-03-13"}, format="json")

    assert early.status_code == 400 and early.json()["errors"][0]["field"] == "date"
    assert "登记日期" in early.json()["message"]
    assert done.status_code == 200, done.content
    assert done.json()["first_contact_on"] == "2026-03-12" and done.json()["first_contact_way_label"] == "谈心谈话"
    assert again.status_code == 409 and "已于 2026-03-12" in again.json()["message"]
    assert case.pk not in items("hardship_first_contact", dt.date(2026, 3, 13))


def test_a_visit_to_the_cadre_after_the_opening_is_the_first_contact(cast: Any) -> None:
    case = _open_case(cast.cadre_a1)

    services.visit_record(
        actor=cast.hr_a1,
        cadre=cast.cadre_a1,
        date=dt.date(2026, 3, 11),
        kind="hardship",
        visitors=[cast.secretary_a1],
        today=dt.date(2026, 3, 11),
    )

    assert case.pk not in items("hardship_first_contact", dt.date(2026, 3, 11))


def test_only_who_may_change_a_case_in_scope_records_the_first_contact(cast: Any, client_for: Any) -> None:
    case = _open_case(cast.cadre_a1)

    assert client_for("secretary_a1").post(f"{CASES}{case.pk}/first-contact/", {"way": "phone"}).status_code == 403
    hr_b1 = APIClient()
    hr_b1.force_authenticate(RoleGrantFactory(role=Role.HR, unit=cast.town_b1).user)
    assert hr_b1.post(f"{CASES}{case.pk}/first-contact/", {"way": "phone"}).status_code == 404


def test_the_scan_chases_the_first_contact_escalates_it_and_stops_once_made(cast: Any) -> None:
    case = _open_case(cast.cadre_a1)
    due = case.first_contact_due

    for offset in range(-3, 9):
        reminders_scan(today=due + dt.timedelta(days=offset))
    late = due + dt.timedelta(days=8)
    services.hardship_first_contact_record(actor=cast.hr_a1, case=case, way="visit", date=late, today=late)
    reminders_scan(today=late + dt.timedelta(days=1))

    stages = sorted(Notice.objects.filter(recipient=cast.hr_a1).values_list("stage", flat=True))
    assert stages == sorted([Stage.UPCOMING, Stage.DUE] + [Stage.OVERDUE] * 8)
    assert Notice.objects.filter(recipient=cast.county_a_staff, stage=Stage.COUNTY).count() == 1
    assert not Notice.objects.filter(period__gt=late).exists()


# -- decisions: a check-up concluding 需治疗, a long sick leave -----------------------------------------


def test_a_checkup_concluding_treatment_asks_the_hr_officer_to_decide_within_a_week(cast: Any) -> None:
    checkup = CheckupFactory(cadre=cast.cadre_a1, date=OPENED, conclusion="treatment")
    CheckupFactory(cadre=cast.cadre_a2, date=OPENED, conclusion="healthy")

    found = items("treatment_follow_up")

    assert list(found) == [checkup.pk]
    item = found[checkup.pk]
    assert item.due_date == dt.date(2026, 3, 17) and item.owner_id == cast.hr_a1.pk
    assert item.title == "木晓梅：关爱跟进决定"  # the title does not say why


def test_a_later_checkup_says_how_the_cadre_is_now(cast: Any) -> None:
    CheckupFactory(cadre=cast.cadre_a1, date=OPENED, conclusion="treatment")
    CheckupFactory(cadre=cast.cadre_a1, date=OPENED + dt.timedelta(days=60), conclusion="healthy")

    assert items("treatment_follow_up") == {}


def test_a_sick_leave_longer_than_the_policys_days_asks_for_a_decision_the_day_it_passes_them(cast: Any) -> None:
    long = _sick_leave(cast.cadre_a1, 20)
    _sick_leave(cast.cadre_a2, 14)  # two weeks exactly: not longer
    CarePolicy.objects.create(unit=cast.county_b, sick_leave_days=7)
    short_but_strict = _sick_leave(cast.cadre_b1, 10)

    found = items("sick_leave_follow_up")

    assert set(found) == {long.pk, short_but_strict.pk}
    assert found[long.pk].due_date == dt.date(2026, 3, 24) and found[long.pk].owner_id == cast.hr_a1.pk
    assert found[short_but_strict.pk].due_date == dt.date(2026, 3, 17)
    assert found[short_but_strict.pk].owner_id is None and found[short_but_strict.pk].owner_unit_id == cast.county_b.pk


def test_deciding_to_open_a_hardship_case_closes_the_item_and_the_case_is_chased(cast: Any, client_for: Any) -> None:
    checkup = CheckupFactory(cadre=cast.cadre_a1, date=dt.date(2026, 3, 1), conclusion="treatment")

    response = client_for("hr_a1").post(
        DECISIONS,
        {"checkup": checkup.pk, "outcome": "hardship", "category": "illness", "reason": "需长期服药，家庭负担重"},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["outcome_label"] == "登记困难帮扶" and body["trigger_label"] == "体检结论需治疗"
    case = HardshipCase.objects.get(pk=body["hardship_case"])
    assert case.cadre == cast.cadre_a1 and case.category == "illness"
    today = CareDecision.objects.get().decided_on
    assert items("treatment_follow_up", today) == {}
    assert case.pk in items("hardship_first_contact", today)


def test_deciding_on_a_visit_opens_a_visit_obligation(cast: Any, client_for: Any) -> None:
    absence = _sick_leave(cast.cadre_a1, 30, start=dt.date(2026, 2, 1))

    response = client_for("hr_a1").post(DECISIONS, {"absence": absence.pk, "outcome": "visit"}, format="json")

    assert response.status_code == 201, response.content
    obligation = VisitObligation.objects.get(pk=response.json()["visit_obligation"])
    assert obligation.cadre == cast.cadre_a1 and obligation.reason == "长期病假" and obligation.source == "manual"
    assert items("sick_leave_follow_up", dt.date(2026, 3, 1)) == {}


def test_closing_needs_a_reason_and_a_decision_is_made_once(cast: Any, client_for: Any) -> None:
    checkup = CheckupFactory(cadre=cast.cadre_a1, date=dt.date(2026, 3, 1), conclusion="treatment")
    hr = client_for("hr_a1")

    bare = hr.post(DECISIONS, {"checkup": checkup.pk, "outcome": "closed"}, format="json")
    closed = hr.post(DECISIONS, {"checkup": checkup.pk, "outcome": "closed", "reason": "已治愈"}, format="json")
    again = hr.post(DECISIONS, {"checkup": checkup.pk, "outcome": "closed", "reason": "已治愈"}, format="json")

    assert bare.status_code == 400 and bare.json()["errors"][0]["field"] == "reason"
    assert bare.json()["message"] == "不需要跟进时请填写理由。"
    assert closed.status_code == 201 and closed.json()["reason"] == "已治愈"
    assert again.status_code == 409


def test_a_decision_refuses_what_needs_none_in_chinese(cast: Any, client_for: Any) -> None:
    healthy = CheckupFactory(cadre=cast.cadre_a1, date=dt.date(2026, 3, 1), conclusion="healthy")
    short = _sick_leave(cast.cadre_a1, 5)
    hr = client_for("hr_a1")

    on_healthy = hr.post(DECISIONS, {"checkup": healthy.pk, "outcome": "closed", "reason": "x"}, format="json")
    on_short = hr.post(DECISIONS, {"absence": short.pk, "outcome": "closed", "reason": "x"}, format="json")
    on_nothing = hr.post(DECISIONS, {"outcome": "closed", "reason": "x"}, format="json")
    no_category = hr.post(DECISIONS, {"absence": short.pk, "outcome": "hardship"}, format="json")

    assert on_healthy.status_code == 400 and "需治疗" in on_healthy.json()["message"]
    assert on_short.status_code == 400 and on_short.json()["message"] == "只有超过 14 天的病假需要作出关怀决定。"
    assert on_nothing.status_code == 400 and on_nothing.json()["errors"][0]["field"] == "checkup"
    assert no_category.status_code == 400


def test_decisions_are_hrs_and_the_organization_departments_in_scope(cast: Any, client_for: Any) -> None:
    checkup = CheckupFactory(cadre=cast.cadre_a1, date=dt.date(2026, 3, 1), conclusion="treatment")
    payload = {"checkup": checkup.pk, "outcome": "closed", "reason": "已治愈"}

    assert client_for("secretary_a1").post(DECISIONS, payload, format="json").status_code == 403
    assert client_for("county_a_staff").post(DECISIONS, payload, format="json").status_code == 403
    outside = client_for("secretary_b1").get(DECISIONS)
    assert outside.status_code == 403
    assert client_for("hr_a1").post(DECISIONS, payload, format="json").status_code == 201
    listed = client_for("county_a_staff").get(DECISIONS).json()["results"]
    assert [row["cadre_name"] for row in listed] == ["木晓梅"] and listed[0]["reason"] == "已治愈"


def test_the_scan_chases_the_decision_and_escalates_it_until_made(cast: Any) -> None:
    checkup = CheckupFactory(cadre=cast.cadre_a1, date=OPENED, conclusion="treatment")
    due = OPENED + dt.timedelta(days=7)

    for offset in range(0, 9):
        reminders_scan(today=due + dt.timedelta(days=offset))
    late = due + dt.timedelta(days=8)
    services.care_decision_record(actor=cast.hr_a1, checkup=checkup, outcome="closed", reason="已住院", today=late)
    reminders_scan(today=late + dt.timedelta(days=1))

    assert Notice.objects.filter(recipient=cast.hr_a1, stage=Stage.DUE).count() == 1
    assert Notice.objects.filter(recipient=cast.county_a_staff, stage=Stage.COUNTY).count() == 1
    assert not Notice.objects.filter(period__gt=late).exists()


# -- post allowances ---------------------------------------------------------------------------------


def _allowance(township: Any, **fields: Any) -> PostAllowance:
    values = {"month": dt.date(2026, 2, 1), "due_amount": Decimal(600), "due_by": dt.date(2026, 2, 28), **fields}
    return PostAllowanceFactory(township=township, **values)


def test_a_late_or_short_allowance_month_is_the_county_organization_departments(cast: Any, client_for: Any) -> None:
    unpaid = _allowance(cast.town_a1, paid_amount=0, paid_on=None)
    short = _allowance(cast.town_a2, paid_amount=Decimal(450), paid_on=dt.date(2026, 2, 20))
    _allowance(cast.town_b1, paid_amount=Decimal(600), paid_on=dt.date(2026, 3, 5))  # late but paid in full
    not_yet = _allowance(
        cast.town_a1, month=dt.date(2026, 3, 1), due_by=dt.date(2026, 3, 31), paid_amount=0, paid_on=None
    )

    found = items("post_allowance_chase")

    assert set(found) == {unpaid.pk, short.pk} and not_yet.pk not in found
    assert all(item.owner_id is None and item.owner_unit_id == cast.county_a.pk for item in found.values())
    assert found[unpaid.pk].title == f"{cast.town_a1.name}：岗位补贴未按时足额发放"
    mine = client_for("county_a_staff").get("/api/v1/due-items/", {"mine": 1, "kind": "post_allowance_chase"})
    # by the real today every month of the three is late
    assert mine.status_code == 200
    assert {row["object_id"] for row in mine.json()["results"]} == {unpaid.pk, short.pk, not_yet.pk}


def test_paying_in_full_ends_the_chase(cast: Any, client_for: Any) -> None:
    allowance = _allowance(cast.town_a1, paid_amount=Decimal(450), paid_on=dt.date(2026, 2, 20))

    response = client_for("hr_a1").patch(
        f"/api/v1/post-allowances/{allowance.pk}/", {"paid_amount": "600.00", "paid_on": "2026-03-09"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert items("post_allowance_chase") == {}


def test_the_scan_chases_the_county_and_the_city_hears_when_it_drags_on(cast: Any) -> None:
    _allowance(cast.town_a1, paid_amount=0, paid_on=None)

    for day in range(1, 25):
        reminders_scan(today=dt.date(2026, 2, 28) + dt.timedelta(days=day))

    assert Notice.objects.filter(recipient=cast.county_a_staff, stage=Stage.OVERDUE).exists()
    assert Notice.objects.filter(recipient=cast.city_admin, stage=Stage.CITY).count() == 1
