"""我的家庭信息: a cadre proposes changes to their family; nothing changes
until HR confirms, which applies the change through the family service (its
rules, audited); a rejected change leaves the family as it was. The masking
rules are those of the family records."""

from __future__ import annotations

from typing import Any

from cadrecare.audit.models import AuditEntry
from cadrecare.care.models import FamilyMember
from cadrecare.reminders.models import Notice
from cadrecare.selfservice.models import FamilyMemberChange
from tests.factories import FamilyMemberFactory

URL = "/api/v1/family-member-changes/"


def test_a_new_member_waits_for_hr_then_is_added_once_and_audited(cast: Any, client_for: Any) -> None:
    # when cadre A1 proposes their sister
    proposed = client_for("cadre_a1_user").post(
        URL,
        {"action": "create", "proposed": {"relation": "sibling", "name": "木晓兰", "phone": "13800000000"}},
        format="json",
    )

    # then nothing is in the family yet, and HR is told
    assert proposed.status_code == 201, proposed.content.decode()
    change = proposed.json()
    assert change["status"] == "pending"
    assert not FamilyMember.objects.filter(cadre=cast.cadre_a1).exists()
    assert Notice.objects.filter(kind="family_member_change", recipient=cast.hr_a1).exists()

    # when HR confirms it twice
    hr = client_for("hr_a1")
    assert hr.post(f"{URL}{change['id']}/confirm/").status_code == 200
    assert hr.post(f"{URL}{change['id']}/confirm/").status_code == 200

    # then the sister is in the family once, and the write is audited as HR's
    member = FamilyMember.objects.get(cadre=cast.cadre_a1)
    assert (member.name, member.phone) == ("木晓兰", "13800000000")
    assert AuditEntry.objects.filter(resource="family-members", object_id=str(member.pk), actor=cast.hr_a1).exists()


def test_an_update_applies_only_the_fields_given(cast: Any, client_for: Any) -> None:
    father = FamilyMemberFactory(
        cadre=cast.cadre_a1, relation="father", name="木老汉", work_unit="白沙村", birth_date=None
    )
    change = (
        client_for("cadre_a1_user")
        .post(URL, {"action": "update", "member": father.pk, "proposed": {"work_unit": "退休"}}, format="json")
        .json()
    )

    # HR sees what is proposed beside what is recorded now
    shown = client_for("hr_a1").get(f"{URL}{change['id']}/").json()
    assert shown["proposed"] == {"work_unit": "退休"}
    assert shown["member_now"]["work_unit"] == "白沙村"

    assert client_for("hr_a1").post(f"{URL}{change['id']}/confirm/").status_code == 200
    father.refresh_from_db()
    assert (father.name, father.work_unit) == ("木老汉", "退休")


def test_a_rejected_change_leaves_the_family_as_it_was(cast: Any, client_for: Any) -> None:
    spouse = FamilyMemberFactory(cadre=cast.cadre_a1, relation="spouse", name="和丽")
    change = client_for("cadre_a1_user").post(URL, {"action": "delete", "member": spouse.pk}, format="json").json()

    rejected = client_for("hr_a1").post(f"{URL}{change['id']}/reject/", {"reason": "请先提交离婚证明。"}, format="json")

    assert rejected.status_code == 200
    assert FamilyMember.objects.filter(pk=spouse.pk).exists()
    assert client_for("cadre_a1_user").get(f"{URL}{change['id']}/").json()["reject_reason"] == "请先提交离婚证明。"
    assert client_for("hr_a1").post(f"{URL}{change['id']}/confirm/").status_code == 400


def test_the_family_rules_refuse_an_impossible_change_when_it_is_proposed(cast: Any, client_for: Any) -> None:
    FamilyMemberFactory(cadre=cast.cadre_a1, relation="spouse", name="和丽")
    response = client_for("cadre_a1_user").post(
        URL, {"action": "create", "proposed": {"relation": "spouse", "name": "另一位"}}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "relation"
    assert "配偶" in response.json()["errors"][0]["message"]
    assert not FamilyMemberChange.objects.exists()


def test_a_cadre_proposes_only_for_their_own_family(cast: Any, client_for: Any) -> None:
    theirs = FamilyMemberFactory(cadre=cast.cadre_b1, relation="father", name="李父", birth_date=None)
    response = client_for("cadre_a1_user").post(
        URL, {"action": "update", "member": theirs.pk, "proposed": {"name": "改名"}}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "member"


def test_the_secretary_sees_no_family_changes_and_the_county_staff_cannot_confirm(cast: Any, client_for: Any) -> None:
    change = (
        client_for("cadre_a1_user")
        .post(URL, {"action": "create", "proposed": {"relation": "child", "name": "木小宝"}}, format="json")
        .json()
    )
    assert client_for("secretary_a1").get(f"{URL}{change['id']}/").status_code == 403
    assert client_for("county_a_staff").post(f"{URL}{change['id']}/confirm/").status_code == 403
    assert not FamilyMember.objects.exists()
