"""Follow-through in the workbench: each new kind of item is in its owner's
我的待办 in the demo, one click from a prefilled form (记录首次联系, 关爱跟进决定,
登记补贴发放) that acts through the same service and audit row as the API,
refuses bad input beside its field in Chinese, and closes the item."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from cadrecare.audit.models import AuditEntry
from cadrecare.care.models import CareDecision, HardshipCase, PostAllowance
from cadrecare.core import clock
from cadrecare.org.models import User
from cadrecare.reminders.sources import DueItem, due_items

pytestmark = pytest.mark.usefixtures("demo_for_module", "db")

ACTS = {
    "hardship_first_contact": "记录首次联系",
    "treatment_follow_up": "作出关怀决定",
    "sick_leave_follow_up": "作出关怀决定",
    "post_allowance_chase": "登记补贴发放",
}


def _my_rows(client: Client, kind: str) -> list[dict[str, Any]]:
    response = client.get("/", {"within": "all", "kind": kind})
    assert response.status_code == 200
    return [row for row in response.context["rows"] if row["kind"] == kind]


def _mine(username: str, kind: str) -> list[DueItem]:
    user = User.objects.get(username=username)
    rows = due_items(today=clock.today(), user=user, mine=True, kinds=[kind])
    return [DueItem.from_row(row) for row in rows]


@pytest.mark.parametrize(
    ("username", "kind"),
    [
        ("hr", "hardship_first_contact"),
        ("hr", "treatment_follow_up"),
        ("hr", "sick_leave_follow_up"),
        ("county_staff", "post_allowance_chase"),
    ],
)
def test_each_kind_is_in_its_owners_items_one_click_from_its_form(
    username: str, kind: str, signed_in: Callable[[str], Client]
) -> None:
    client = signed_in(username)

    rows = _my_rows(client, kind)

    assert rows, f"the demo gives {username} a {kind} item"
    action = rows[0]["action"]
    assert action is not None and action["label"] == ACTS[kind]
    form = client.get(action["url"])
    assert form.status_code == 200 and "<form" in form.content.decode()


def test_the_secretary_and_the_cadre_do_not_open_a_care_decision(signed_in: Callable[[str], Client]) -> None:
    item = _mine("hr", "treatment_follow_up")[0]
    url = f"/care-decisions/checkup/{item.object_id}/"

    assert signed_in("secretary").get(url).status_code == 403
    assert signed_in("cadre").get(url).status_code == 403


def test_closing_a_decision_without_a_reason_is_refused_beside_the_field(signed_in: Callable[[str], Client]) -> None:
    item = _mine("hr", "treatment_follow_up")[0]

    response = signed_in("hr").post(f"/care-decisions/checkup/{item.object_id}/", {"outcome": "closed"})

    assert response.status_code == 400
    assert response.context["form"].errors["reason"] == ["不需要跟进时请填写理由。"]
    assert not CareDecision.objects.filter(checkup_id=item.object_id).exists()


def test_arranging_a_visit_on_a_long_sick_leave_closes_the_item(signed_in: Callable[[str], Client]) -> None:
    item = _mine("hr", "sick_leave_follow_up")[0]
    client = signed_in("hr")
    page = client.get(f"/care-decisions/sick-leave/{item.object_id}/")
    assert "病假共" in page.content.decode() and page.context["form"].initial["outcome"] == "visit"
    assert AuditEntry.objects.filter(action="read", resource="absences", object_id=item.object_id).exists()

    response = client.post(f"/care-decisions/sick-leave/{item.object_id}/", {"outcome": "visit"})

    assert response.status_code == 303
    decision = CareDecision.objects.get(absence_id=item.object_id)
    assert decision.visit_obligation is not None and decision.decided_by.username == "hr"
    assert AuditEntry.objects.filter(action="create", resource="care-decisions", object_id=decision.pk).exists()
    assert item.object_id not in {found.object_id for found in _mine("hr", "sick_leave_follow_up")}


def test_recording_the_first_contact_closes_the_item(signed_in: Callable[[str], Client]) -> None:
    item = _mine("hr", "hardship_first_contact")[0]
    today = clock.today().isoformat()

    response = signed_in("hr").post(f"/hardship/{item.object_id}/first-contact/", {"way": "phone", "date": today})

    assert response.status_code == 303
    case = HardshipCase.objects.get(pk=item.object_id)
    assert case.first_contact_on == clock.today() and case.first_contact_way == "phone"
    assert not _mine("hr", "hardship_first_contact") or item.object_id not in {
        found.object_id for found in _mine("hr", "hardship_first_contact")
    }


def test_the_county_records_the_allowance_paid_in_full_and_the_chase_ends(signed_in: Callable[[str], Client]) -> None:
    item = _mine("county_staff", "post_allowance_chase")[0]
    allowance = PostAllowance.objects.get(pk=item.object_id)
    client = signed_in("county_staff")
    page = client.get(f"/post-allowances/{allowance.pk}/pay/")
    assert page.context["form"].initial["paid_amount"] == allowance.due_amount

    refused = client.post(f"/post-allowances/{allowance.pk}/pay/", {"paid_amount": "500", "paid_on": "2999-01-01"})
    paid = client.post(
        f"/post-allowances/{allowance.pk}/pay/",
        {"paid_amount": str(allowance.due_amount), "paid_on": clock.today().isoformat()},
    )

    assert refused.status_code == 400 and refused.context["form"].errors["paid_on"] == ["发放日期不能晚于今天。"]
    assert paid.status_code == 303
    assert allowance.pk not in {found.object_id for found in _mine("county_staff", "post_allowance_chase")}
    assert AuditEntry.objects.filter(action="update", resource="post-allowances", object_id=allowance.pk).exists()
