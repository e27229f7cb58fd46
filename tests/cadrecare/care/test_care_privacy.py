"""Who sees which care detail: every personal and sensitive field of every
care resource, per role, masked or shown exactly as the access table says,
and every value shown written to the audit log."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from cadrecare.audit.models import AuditEntry
from cadrecare.care import services
from cadrecare.core import clock
from cadrecare.core.privacy import Level, field_levels
from cadrecare.org.access import ACCESS, VIEW
from cadrecare.org.choices import Role
from tests.factories import FamilyMemberFactory, HardshipCaseFactory

READERS = {
    "county_a_admin": Role.ORG_ADMIN,
    "county_a_staff": Role.ORG_STAFF,
    "secretary_a1": Role.SECRETARY,
    "hr_a1": Role.HR,
    "cadre_a1_user": Role.CADRE,
}


def _member(cast: Any) -> Any:
    return FamilyMemberFactory(
        cadre=cast.cadre_a1,
        relation="spouse",
        name="和丽华",
        phone="13912345678",
        birth_date=dt.date(1986, 4, 2),
        health_condition="乳腺癌术后",
        notes="家庭经济紧张",
    )


def _event(cast: Any) -> Any:
    event, _ = services.family_event_record(
        actor=None, cadre=cast.cadre_a1, kind="grave_illness", date=clock.today(), description="配偶确诊乳腺癌"
    )
    return event


def _condition(cast: Any) -> Any:
    condition, _ = services.cadre_condition_record(
        actor=None, cadre=cast.cadre_a1, kind="illness", date=clock.today(), description="肝硬化住院"
    )
    return condition


def _visit(cast: Any) -> Any:
    return services.visit_record(
        actor=None,
        cadre=cast.cadre_a1,
        date=clock.today(),
        kind="condolence",
        visitors=[cast.secretary_a1],
        money_amount=800,
        notes="本人情绪低落，需持续关心",
    )


def _case(cast: Any) -> Any:
    return HardshipCaseFactory(cadre=cast.cadre_a1, category="illness", description="母亲尿毒症透析")


def _measure(cast: Any) -> Any:
    return services.hardship_measure_add(
        actor=None,
        case=_case(cast),
        date=clock.today(),
        kind="medical",
        amount=3000,
        provided_by="县总工会",
        note="申请大病救助",
    )


SENSITIVE_RECORDS = {
    "family-members": _member,
    "family-events": _event,
    "cadre-conditions": _condition,
    "visits": _visit,
    "hardship-cases": _case,
    "hardship-measures": _measure,
}


def _expected_level(resource: str, user: str, record: Any, cast: Any) -> Level | None:
    rule = ACCESS[resource].get(READERS[user])
    if rule is None or VIEW not in rule.actions:
        return None
    # the owner of the visit an event is for reads the event in full (the secretary of A1 here)
    owner = getattr(getattr(record, "obligation", None), "owner", None)
    return Level.SENSITIVE if resource == "family-events" and owner == cast.user(user) else rule.level


@pytest.mark.parametrize("user", list(READERS))
@pytest.mark.parametrize("resource", list(SENSITIVE_RECORDS))
def test_each_detail_is_shown_or_masked_per_role_and_every_shown_one_is_logged(
    cast: Any, client_for: Any, resource: str, user: str
) -> None:
    # given a record about cadre A1 with every personal and sensitive field filled
    record = SENSITIVE_RECORDS[resource](cast)
    visible = _expected_level(resource, user, record, cast)

    # when the user reads it
    response = client_for(user).get(f"/api/v1/{resource}/{record.pk}/")

    # then each field above the role's level is masked, the rest shown and logged
    if visible is None:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    body = response.json()
    shown = []
    for name, level in field_levels(type(record)).items():
        if level <= Level.BASIC or name not in body or body[name] in (None, "", []):
            continue
        if level > visible:
            assert body[name] in ("***", "") or "*" in str(body[name]), (name, body[name])
        else:
            assert "*" not in str(body[name]), (name, body[name])
            shown.append(name)
    logged = AuditEntry.objects.filter(action="read", resource=resource, object_id=str(record.pk))
    if shown:
        entry = logged.get()
        assert set(shown) <= set(entry.fields)
        assert entry.actor == cast.user(user) and entry.cadre_id == cast.cadre_a1.pk
    else:
        assert not logged.exists()


def test_the_secretary_sees_a_spouses_name_masked_phone_and_no_health_details(cast: Any, client_for: Any) -> None:
    member = _member(cast)

    body = client_for("secretary_a1").get(f"/api/v1/family-members/{member.pk}/").json()

    assert (body["name"], body["phone"], body["birth_date"]) == ("和丽华", "13912345678", "1986-04-02")
    assert (body["health_condition"], body["notes"]) == ("***", "***")


def test_every_detail_of_a_child_under_14_is_sensitive(cast: Any, client_for: Any) -> None:
    child = FamilyMemberFactory(
        cadre=cast.cadre_a1,
        relation="child",
        name="木小禾",
        birth_date=clock.today().replace(year=clock.today().year - 9) - dt.timedelta(days=1),
        work_unit="石头乡中心小学",
        phone="",
    )

    for_secretary = client_for("secretary_a1").get(f"/api/v1/family-members/{child.pk}/").json()
    for_hr = client_for("hr_a1").get(f"/api/v1/family-members/{child.pk}/").json()

    assert for_secretary["name"] == "***" and for_secretary["work_unit"] == "***"
    assert for_secretary["birth_date"] == "***" and for_secretary["relation_label"] == "子女"
    assert for_hr["name"] == "木小禾" and for_hr["work_unit"] == "石头乡中心小学"


def test_the_secretary_sees_visits_but_not_their_notes(cast: Any, client_for: Any) -> None:
    visit = _visit(cast)

    body = client_for("secretary_a1").get(f"/api/v1/visits/{visit.pk}/").json()

    assert body["notes"] == "***" and body["money_amount"] == "800.00"
    assert body["visitors"] == [cast.secretary_a1_cadre.pk] and body["visitor_names"] == ["和书记"]


def test_the_owner_of_a_visit_reads_the_event_it_is_for_and_their_own_visit_notes_only(
    cast: Any, client_for: Any
) -> None:
    # given an event whose visit the secretary owns, one handed to the HR officer,
    # a visit the secretary recorded and one the HR officer recorded
    owned = _event(cast)
    handed, _ = services.family_event_record(
        actor=None, cadre=cast.cadre_a1, kind="accident", date=clock.today(), description="父亲车祸骨折"
    )
    services.visit_obligation_update(actor=None, obligation=handed.obligation, owner=cast.hr_a1)
    visit = {"cadre": cast.cadre_a1.pk, "date": str(clock.today()), "kind": "condolence"}
    secretary, hr = client_for("secretary_a1"), client_for("hr_a1")
    mine = secretary.post("/api/v1/visits/", {**visit, "visitors": [cast.secretary_a1_cadre.pk], "notes": "情绪稳定"})
    theirs = hr.post("/api/v1/visits/", {**visit, "visitors": [cast.secretary_a1_cadre.pk], "notes": "家属要求保密"})
    assert mine.status_code == theirs.status_code == 201, (mine.json(), theirs.json())
    before = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    # when the secretary reads them back
    events = {row["id"]: row for row in secretary.get("/api/v1/family-events/").json()["results"]}
    visits = {row["id"]: row for row in secretary.get("/api/v1/visits/").json()["results"]}

    # then the event they must visit for and the notes they wrote are shown and logged; the rest stay masked
    assert events[owned.pk]["description"] == "配偶确诊乳腺癌"
    assert events[handed.pk]["description"] == "***"
    assert visits[mine.json()["id"]]["notes"] == "情绪稳定"
    assert visits[theirs.json()["id"]]["notes"] == "***"
    logged = {
        (e.resource, e.object_id)
        for e in AuditEntry.objects.filter(pk__gt=before, action="read", actor=cast.secretary_a1)
    }
    assert {("family-events", str(owned.pk)), ("visits", str(mine.json()["id"]))} <= logged
    assert ("family-events", str(handed.pk)) not in logged


def test_a_cadre_sees_their_own_family_details_and_nobody_elses(cast: Any, client_for: Any) -> None:
    own = _member(cast)
    other = FamilyMemberFactory(cadre=cast.secretary_a1_cadre)
    client = client_for("cadre_a1_user")

    assert client.get(f"/api/v1/family-members/{own.pk}/").json()["health_condition"] == "乳腺癌术后"
    assert client.get(f"/api/v1/family-members/{other.pk}/").status_code == 404


def test_lists_are_masked_and_logged_row_by_row(cast: Any, client_for: Any) -> None:
    _member(cast)
    FamilyMemberFactory(cadre=cast.secretary_a1_cadre, health_condition="糖尿病")
    AuditEntry.objects.all().delete()

    rows = client_for("secretary_a1").get("/api/v1/family-members/").json()["results"]

    assert {row["health_condition"] for row in rows} == {"***"}
    assert AuditEntry.objects.filter(resource="family-members", action="read").count() == 2
    assert all("health_condition" not in entry.fields for entry in AuditEntry.objects.all())


def test_every_change_is_logged(cast: Any, client_for: Any) -> None:
    member = _member(cast)

    client_for("hr_a1").patch(f"/api/v1/family-members/{member.pk}/", {"health_condition": "康复中"}, format="json")

    entry = AuditEntry.objects.get(action="update", resource="family-members")
    assert entry.fields == ["health_condition"] and entry.cadre_id == cast.cadre_a1.pk


def test_hr_exports_the_family_list_in_chinese_and_the_export_is_logged(cast: Any, client_for: Any) -> None:
    member = _member(cast)

    response = client_for("hr_a1").get("/api/v1/family-members/export/")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("干部", "关系", "姓名", "性别")
    assert rows[1][:4] == ("木晓梅", "配偶", "和丽华", "女")
    assert rows[1][8] == "乳腺癌术后"
    entry = AuditEntry.objects.get(action="export", resource="family-members")
    assert entry.object_id == str(member.pk) and "health_condition" in entry.fields
    assert not AuditEntry.objects.filter(action="read").exists()


def test_the_secretary_may_not_export_family_details(cast: Any, client_for: Any) -> None:
    assert client_for("secretary_a1").get("/api/v1/family-members/export/").status_code == 403


def test_the_visit_export_masks_notes_for_whoever_may_not_read_them(cast: Any, client_for: Any) -> None:
    _visit(cast)

    response = client_for("county_a_staff").get("/api/v1/visits/export/")

    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "走访日期" and rows[1][6] == "本人情绪低落，需持续关心"
