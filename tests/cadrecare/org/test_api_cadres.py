"""Cadres through the API: validation in Chinese, masking per role, the audit
trail of personal reads, import all-or-nothing, export, filters, query bounds."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.db import DatabaseError, transaction
from openpyxl import Workbook, load_workbook

from cadrecare.audit.models import AuditEntry
from cadrecare.org.models import Cadre
from cadrecare.org.rules import citizen_id_compose
from cadrecare.org.spreadsheets import CADRE_COLUMNS
from tests.factories import CadreFactory
from tests.resources.org import cadre_payload

URL = "/api/v1/cadres/"


def _errors(response: Any) -> dict[str, str]:
    return {error["field"]: error["message"] for error in response.json()["errors"]}


# -- validation ---------------------------------------------------------------


def test_a_wrong_citizen_id_check_digit_is_refused_in_chinese(cast: Any, client_for: Any) -> None:
    payload = cadre_payload(cast)
    payload["id_number"] = payload["id_number"][:17] + ("0" if payload["id_number"][17] != "0" else "1")

    response = client_for("hr_a1").post(URL, payload, format="json")

    assert response.status_code == 400
    assert _errors(response) == {"id_number": "身份证号校验位不正确，请核对。"}
    assert response.json()["message"] == "身份证号校验位不正确，请核对。"


def test_birth_date_must_match_the_citizen_id(cast: Any, client_for: Any) -> None:
    payload = {**cadre_payload(cast), "birth_date": "1990-02-04"}

    response = client_for("hr_a1").post(URL, payload, format="json")

    assert response.status_code == 400
    assert _errors(response)["birth_date"] == "出生日期与身份证号中的出生日期不一致。"


def test_an_office_of_another_unit_is_refused(cast: Any, client_for: Any) -> None:
    payload = {
        **cadre_payload(cast),
        "unit": cast.town_a2.pk,
        "establishment_unit": cast.town_a2.pk,
        "office": cast.cadre_a1.office.pk,
    }

    response = client_for("county_a_admin").post(URL, payload, format="json")

    assert response.status_code == 400
    assert _errors(response) == {"office": "所选科室站所不属于该干部的工作单位。"}


def test_post_fields_change_only_through_a_post_change(cast: Any, client_for: Any) -> None:
    response = client_for("hr_a1").patch(f"{URL}{cast.cadre_a1.pk}/", {"rank": "section_chief"}, format="json")

    assert response.status_code == 400
    assert "职务变动" in _errors(response)["rank"]
    cast.cadre_a1.refresh_from_db()
    assert cast.cadre_a1.rank == "staff_member"


def test_an_unknown_choice_names_the_field(cast: Any, client_for: Any) -> None:
    response = client_for("hr_a1").post(URL, {**cadre_payload(cast), "gender": "x"}, format="json")

    assert response.status_code == 400
    assert "gender" in _errors(response)


def test_nul_bytes_and_garbage_give_400_not_500(cast: Any, client_for: Any) -> None:
    client = client_for("hr_a1")
    for payload in ({**cadre_payload(cast), "name": "a\x00b"}, {"name": ["x"]}, ["x"], "x"):
        assert client.post(URL, payload, format="json").status_code == 400
    assert client.get(URL, {"q": "\x00"}).status_code in (200, 400)
    assert client.get(URL, {"unit": "abc"}).status_code == 400
    assert client.get(f"{URL}abc/").status_code == 404


# -- masking and audit ---------------------------------------------------------


def test_secretary_sees_nothing_of_id_number_phone_and_birth_date(cast: Any, client_for: Any) -> None:
    data = client_for("secretary_a1").get(f"{URL}{cast.cadre_a1.pk}/").json()

    assert (data["id_number"], data["phone"], data["birth_date"]) == ("***", "***", "***")
    assert data["age"] > 0


def test_hr_sees_full_personal_fields_and_the_read_is_logged(cast: Any, client_for: Any) -> None:
    data = client_for("hr_a1").get(f"{URL}{cast.cadre_a1.pk}/").json()

    assert data["id_number"] == cast.cadre_a1.id_number
    entry = AuditEntry.objects.get(resource="cadres", object_id=str(cast.cadre_a1.pk), action="read")
    assert entry.actor == cast.hr_a1
    assert entry.roles == "hr"
    assert sorted(entry.fields) == ["birth_date", "id_number", "phone"]
    assert entry.cadre_id == cast.cadre_a1.pk


def test_a_cadre_sees_their_own_record_in_full(cast: Any, client_for: Any) -> None:
    data = client_for("cadre_a1_user").get(f"{URL}{cast.cadre_a1.pk}/").json()

    assert data["id_number"] == cast.cadre_a1.id_number


def test_masked_reads_are_not_logged_as_personal_reads(cast: Any, client_for: Any) -> None:
    client_for("secretary_a1").get(URL)

    assert not AuditEntry.objects.filter(actor=cast.secretary_a1).exists()


def test_a_list_shows_no_personal_fields_so_reading_it_logs_nothing(cast: Any, client_for: Any) -> None:
    rows = client_for("hr_a1").get(URL).json()["results"]

    assert rows and not {"birth_date", "id_number", "phone"} & set().union(*rows)
    assert all(row["age"] > 0 for row in rows)
    assert not AuditEntry.objects.filter(actor=cast.hr_a1, action="read").exists()


def test_writes_are_logged_with_the_changed_fields(cast: Any, client_for: Any) -> None:
    client_for("hr_a1").patch(f"{URL}{cast.cadre_a1.pk}/", {"phone": "13700001234"}, format="json")

    entry = AuditEntry.objects.get(action="update", object_id=str(cast.cadre_a1.pk))
    assert entry.fields == ["phone"]


def test_the_audit_log_is_append_only_in_the_database(cast: Any, client_for: Any) -> None:
    client_for("hr_a1").get(f"{URL}{cast.cadre_a1.pk}/")
    entry = AuditEntry.objects.first()

    refused = False
    try:
        with transaction.atomic():
            AuditEntry.objects.filter(pk=entry.pk).update(actor_name="someone else")
    except DatabaseError:
        refused = True

    assert refused


def test_org_admin_reads_the_audit_log_but_cannot_write_it(cast: Any, client_for: Any) -> None:
    client_for("hr_a1").get(f"{URL}{cast.cadre_a1.pk}/")
    admin = client_for("county_a_admin")

    listed = admin.get("/api/v1/audit-log/", {"cadre_id": cast.cadre_a1.pk}).json()["results"]

    assert [row["actor_name"] for row in listed] == ["hr_a1"]
    assert admin.post("/api/v1/audit-log/", {}, format="json").status_code == 405
    assert admin.delete(f"/api/v1/audit-log/{listed[0]['id']}/").status_code == 405


# -- filters -------------------------------------------------------------------


def test_unit_filter_narrows_to_a_subtree_and_never_widens_scope(cast: Any, client_for: Any) -> None:
    client = client_for("county_a_admin")

    in_a1 = {row["id"] for row in client.get(URL, {"unit": cast.town_a1.pk}).json()["results"]}
    in_b1 = client.get(URL, {"unit": cast.town_b1.pk}).json()["results"]

    assert in_a1 == {cast.cadre_a1.pk, cast.secretary_a1_cadre.pk}
    assert in_b1 == []


def test_filters_by_leader_post_age_and_name(cast: Any, client_for: Any) -> None:
    client = client_for("city_admin")
    CadreFactory(unit=cast.town_a1, birth_date=dt.date(1960, 1, 1))

    leaders = client.get(URL, {"leader_post": "party_secretary"}).json()["results"]
    young = client.get(URL, {"age_max": 50}).json()["results"]
    named = client.get(URL, {"q": "晓梅"}).json()["results"]

    assert [row["id"] for row in leaders] == [cast.secretary_a1_cadre.pk]
    assert all(row["age"] <= 50 for row in young) and len(young) == 4
    assert [row["id"] for row in named] == [cast.cadre_a1.pk]


def test_page_size_is_capped_at_200(cast: Any, client_for: Any) -> None:
    CadreFactory.create_batch(205, unit=cast.town_a1)

    response = client_for("hr_a1").get(URL, {"page_size": 100000})

    assert response.status_code == 200
    assert len(response.json()["results"]) == 200


# -- query counts --------------------------------------------------------------


def test_the_cadre_list_costs_the_same_queries_for_2_or_20_rows(cast: Any, client_for: Any, count_queries: Any) -> None:
    client = client_for("hr_a1")
    few = count_queries(lambda: client.get(URL))
    CadreFactory.create_batch(18, unit=cast.town_a1)

    many = count_queries(lambda: client.get(URL))

    assert many == few


# -- import and export ------------------------------------------------------------


def _sheet(rows: list[list[Any]]) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([header for _, header in CADRE_COLUMNS])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    out.name = "cadres.xlsx"
    return out


def _row(cast: Any, name: str, sequence: int, **overrides: Any) -> list[Any]:
    birth = dt.date(1992, 5, 6)
    values = {
        "name": name,
        "gender": "男",
        "ethnicity": "汉族",
        "birth_date": birth,
        "id_number": citizen_id_compose("530721", birth, sequence, "male"),
        "phone": "13812345678",
        "rank": "科员",
        "post_title": "干部",
        "leader_post": "非班子成员",
        "office": "党政办",
        "unit": cast.town_a1.code,
        "establishment_unit": cast.town_a1.code,
        "township_service_start": None,
        "unit_joined": dt.date(2020, 1, 1),
        "status": "在职",
        **overrides,
    }
    return [values[field] for field, _ in CADRE_COLUMNS]


def test_import_creates_every_row_of_a_valid_sheet(cast: Any, client_for: Any) -> None:
    upload = _sheet([_row(cast, "甲", 201), _row(cast, "乙", 202)])

    response = client_for("hr_a1").post(f"{URL}import/", {"file": upload}, format="multipart")

    assert response.status_code == 201, response.json()
    assert (response.json()["created"], response.json()["updated"], response.json()["unchanged"]) == (2, 0, 0)
    created = Cadre.objects.filter(name__in=["甲", "乙"], office__name="党政办")
    assert created.count() == 2
    # Audited as one import: a row for the file and one per cadre, no separate "create" rows.
    writes = list(AuditEntry.objects.exclude(action="read").values_list("action", "object_id"))
    assert {action for action, _ in writes} == {"import"} and len(writes) == 3
    assert {str(cadre.pk) for cadre in created} < {object_id for _, object_id in writes}


def test_import_with_bad_rows_imports_nothing_and_reports_each_error(cast: Any, client_for: Any) -> None:
    upload = _sheet(
        [
            _row(cast, "甲", 201),
            _row(cast, "乙", 202, id_number="530721199205060000"),
            _row(cast, "丙", 203, unit=cast.town_b1.code),
            _row(cast, "丁", 201),
            _row(cast, "戊", 204, gender="女"),
        ]
    )

    response = client_for("hr_a1").post(f"{URL}import/", {"file": upload}, format="multipart")

    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "导入失败：4 行有错误，所有行均未导入。"
    rows = {(error["row"], error["field"]) for error in body["errors"]}
    assert {(3, "id_number"), (4, "unit"), (5, "id_number"), (6, "gender")} <= rows
    assert not Cadre.objects.filter(name__in=["甲", "乙", "丙", "丁", "戊"]).exists()


def test_import_refuses_a_file_that_is_not_a_spreadsheet(cast: Any, client_for: Any) -> None:
    upload = io.BytesIO(b"not a sheet")
    upload.name = "cadres.xlsx"

    response = client_for("hr_a1").post(f"{URL}import/", {"file": upload}, format="multipart")

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "file"


def test_export_writes_the_import_columns_with_chinese_labels(cast: Any, client_for: Any) -> None:
    response = client_for("hr_a1").get(f"{URL}export/")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [header for _, header in CADRE_COLUMNS]
    assert {row[0] for row in rows[1:]} == {"和书记", "木晓梅"}
    assert {row[1] for row in rows[1:]} == {"男"}
    assert AuditEntry.objects.filter(action="export", actor=cast.hr_a1).count() == 2


def test_secretary_cannot_export(cast: Any, client_for: Any) -> None:
    assert client_for("secretary_a1").get(f"{URL}export/").status_code == 403
