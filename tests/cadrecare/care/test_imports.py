"""HR's bulk entry of families and post allowances (``/api/v1/<resource>/import/``):
the preview writes nothing, the apply writes every row or none, the same file
applied twice changes nothing the second time, every bad row is named with its
row number and column, only cadres in the importer's scope are found, and
Excel's csv (UTF-8 with BOM, or GBK) reads like its xlsx."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import load_workbook

from cadrecare.audit.models import AuditEntry
from cadrecare.care.imports import FamilyMemberImporter
from cadrecare.care.models import FamilyMember, PostAllowance
from tests.factories import CadreFactory
from tests.imports import upload

URL = "/api/v1/family-members/import/"
HEADERS = [column.header for column in FamilyMemberImporter.columns]


def _sheet(rows: list[dict[str, str]], *, headers: list[str] | None = None) -> io.BytesIO:
    return upload(FamilyMemberImporter, rows, headers=headers)


def _csv(rows: list[dict[str, str]], encoding: str) -> io.BytesIO:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows([[row.get(h, "") for h in HEADERS] for row in rows])
    upload = io.BytesIO(buffer.getvalue().encode(encoding))
    upload.name = "家属.csv"
    return upload


def _spouse(cadre: Any, **cells: str) -> dict[str, str]:
    return {"干部身份证号": cadre.id_number, "关系": "配偶", "家属姓名": "王芳", "出生日期": "1987-06-12", **cells}


def test_the_preview_counts_the_rows_and_writes_nothing(cast: Any, client_for: Any) -> None:
    upload = _sheet(
        [_spouse(cast.cadre_a1), {"干部姓名": "和书记", "关系": "子女", "家属姓名": "和小明", "出生日期": "2012-09-01"}]
    )

    response = client_for("hr_a1").post(f"{URL}?dry_run=1", {"file": upload}, format="multipart")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["dry_run"], body["created"], body["updated"], body["unchanged"]) == (True, 2, 0, 0)
    assert body["rows"][1]["values"]["干部姓名"] == "和书记"
    assert not FamilyMember.objects.exists()
    assert not AuditEntry.objects.filter(action="import").exists()


def test_applying_the_same_file_twice_changes_nothing_the_second_time(cast: Any, client_for: Any) -> None:
    client = client_for("hr_a1")
    rows = [_spouse(cast.cadre_a1, 联系电话="13900000001")]

    first = client.post(URL, {"file": _sheet(rows)}, format="multipart")
    stored = FamilyMember.objects.get()
    second = client.post(URL, {"file": _sheet(rows)}, format="multipart")

    assert first.status_code == 201 and first.json()["created"] == 1
    assert second.status_code == 200
    assert (second.json()["created"], second.json()["updated"], second.json()["unchanged"]) == (0, 0, 1)
    assert FamilyMember.objects.get().updated_at == stored.updated_at
    # one row for each import, one for the record the first created
    assert AuditEntry.objects.filter(action="import", cadre_id=None).count() == 2
    assert AuditEntry.objects.filter(action="import", cadre_id=cast.cadre_a1.pk).count() == 1


def test_a_changed_cell_updates_the_stored_relative(cast: Any, client_for: Any) -> None:
    client = client_for("hr_a1")
    client.post(URL, {"file": _sheet([_spouse(cast.cadre_a1)])}, format="multipart")

    response = client.post(URL, {"file": _sheet([_spouse(cast.cadre_a1, 工作单位或学校="县医院")])}, format="multipart")

    assert response.json()["updated"] == 1 and response.json()["rows"][0]["changed"] == ["work_unit"]
    assert FamilyMember.objects.get().work_unit == "县医院"


def test_one_bad_row_refuses_the_file_naming_its_row_and_column(cast: Any, client_for: Any) -> None:
    upload = _sheet(
        [
            _spouse(cast.cadre_a1),
            {"干部姓名": "木晓梅", "关系": "表哥", "家属姓名": "李四"},
            _spouse(cast.secretary_a1_cadre, 出生日期="明年"),
        ]
    )

    response = client_for("hr_a1").post(URL, {"file": upload}, format="multipart")

    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "导入失败：2 行有错误，所有行均未导入。"
    messages = [error["message"] for error in body["errors"]]
    assert messages[0].startswith("第 3 行「关系」：“表哥”不是可选值")
    assert messages[1].startswith("第 4 行「出生日期」：")
    assert not FamilyMember.objects.exists()


def test_a_second_living_spouse_is_refused_with_its_row(cast: Any, client_for: Any) -> None:
    upload = _sheet([_spouse(cast.cadre_a1), _spouse(cast.cadre_a1, 家属姓名="赵敏")])

    response = client_for("hr_a1").post(URL, {"file": upload}, format="multipart")

    assert response.status_code == 400
    assert {error["row"] for error in response.json()["errors"]} == {2, 3}
    assert "同一时间只能有一位配偶" in response.json()["errors"][0]["message"]


def test_a_name_shared_by_two_cadres_in_scope_needs_the_unit_or_id_number(cast: Any, client_for: Any) -> None:
    CadreFactory(name="木晓梅", unit=cast.town_a2)
    client = client_for("county_a_admin")
    ambiguous = {"干部姓名": "木晓梅", "关系": "子女", "家属姓名": "木小朵", "出生日期": "2015-01-01"}

    refused = client.post(f"{URL}?dry_run=1", {"file": _sheet([ambiguous])}, format="multipart")
    by_unit = client.post(
        f"{URL}?dry_run=1", {"file": _sheet([{**ambiguous, "干部单位": cast.town_a1.name}])}, format="multipart"
    )

    assert refused.status_code == 400
    assert refused.json()["errors"][0]["message"].startswith("第 2 行「干部姓名」：有 2 名名为“木晓梅”的干部")
    assert by_unit.status_code == 200 and by_unit.json()["created"] == 1


def test_an_id_number_and_a_name_that_disagree_are_refused(cast: Any, client_for: Any) -> None:
    upload = _sheet([_spouse(cast.cadre_a1, 干部姓名="和书记")])

    response = client_for("hr_a1").post(f"{URL}?dry_run=1", {"file": upload}, format="multipart")

    assert response.status_code == 400 and "与姓名“和书记”不符" in response.json()["errors"][0]["message"]


def test_a_cadre_outside_the_importers_scope_is_not_found(cast: Any, client_for: Any) -> None:
    upload = _sheet([_spouse(cast.cadre_b1)])

    response = client_for("hr_a1").post(URL, {"file": upload}, format="multipart")

    assert response.status_code == 400
    assert "找不到身份证号为" in response.json()["errors"][0]["message"]
    assert not FamilyMember.objects.exists()


def test_roles_without_the_import_action_are_refused(cast: Any, client_for: Any) -> None:
    for user in ("secretary_a1", "county_a_staff", "cadre_a1_user"):
        response = client_for(user).post(URL, {"file": _sheet([_spouse(cast.cadre_a1)])}, format="multipart")
        assert response.status_code == 403, user
        assert client_for(user).get("/api/v1/family-members/import-template/").status_code == 403


def test_excel_csv_in_utf8_with_bom_and_in_gbk_read_alike(cast: Any, client_for: Any) -> None:
    client = client_for("hr_a1")
    rows = [_spouse(cast.cadre_a1, 健康状况="良好")]

    for encoding in ("utf-8-sig", "gbk"):
        response = client.post(f"{URL}?dry_run=1", {"file": _csv(rows, encoding)}, format="multipart")
        assert response.status_code == 200, (encoding, response.json())
        assert response.json()["rows"][0]["values"]["家属姓名"] == "王芳"


def test_the_template_has_the_chinese_headers_and_an_example_row(cast: Any, client_for: Any) -> None:
    response = client_for("hr_a1").get("/api/v1/family-members/import-template/")

    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS and rows[1][3] == "配偶"


def test_post_allowances_are_matched_by_township_and_month(cast: Any, client_for: Any) -> None:
    headers = ["乡镇", "月份", "应发金额（元）", "实发金额（元）", "发放日期"]
    row = {
        "乡镇": cast.town_a1.name,
        "月份": "2024-05",
        "应发金额（元）": "12000",
        "实发金额（元）": "12000",
        "发放日期": "2024-05-28",
    }
    client = client_for("hr_a1")
    url = "/api/v1/post-allowances/import/"

    preview = client.post(f"{url}?dry_run=1", {"file": _sheet([row], headers=headers)}, format="multipart")
    assert preview.status_code == 200 and preview.json()["created"] == 1
    assert not PostAllowance.objects.exists()
    first = client.post(url, {"file": _sheet([row], headers=headers)}, format="multipart")
    second = client.post(url, {"file": _sheet([row], headers=headers)}, format="multipart")
    outside = client.post(
        url, {"file": _sheet([{**row, "乡镇": cast.town_b1.code}], headers=headers)}, format="multipart"
    )

    assert first.status_code == 201, first.json()
    assert second.json()["unchanged"] == 1
    assert PostAllowance.objects.get().paid_amount == 12000
    assert outside.status_code == 400 and "不在您的管理范围内" in outside.json()["errors"][0]["message"]
