"""Check-ups through the API: validation in Chinese, findings masked for the
roles that do not need them, every read of findings logged once per record,
the report file served only through its logged endpoint."""

from __future__ import annotations

import datetime as dt
import io
import os
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from cadrecare.audit.models import AuditEntry
from cadrecare.core import clock
from cadrecare.health.choices import CheckupKind
from cadrecare.health.models import Checkup
from cadrecare.health.rules import ATTACHMENT_MAX_BYTES, attachment_problem
from tests.factories import CadreFactory, CheckupFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
BASE = "/api/v1/health-checkups/"


def payload(cast: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "cadre": cast.cadre_a1.pk,
        "date": (clock.today() - dt.timedelta(days=10)).isoformat(),
        "institution": "玉龙县人民医院",
        "kind": "annual",
        "cost": "380.00",
        "conclusion": "recheck",
        "findings": "甲状腺结节，建议三个月后复查。",
        "follow_up_needed": True,
        "follow_up_by": (clock.today() + dt.timedelta(days=80)).isoformat(),
    }
    data.update(changes)
    return data


def reads_of(resource: str = "health-checkups") -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="read", resource=resource).order_by("id"))


# -- recording and validation ---------------------------------------------------


def test_hr_records_a_checkup_paid_by_the_cadres_unit_by_default(cast: Any, client_for: Any) -> None:
    response = client_for("hr_a1").post(BASE, payload(cast), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["paying_unit"] == cast.town_a1.pk
    assert body["findings"] == "甲状腺结节，建议三个月后复查。"
    assert body["kind_label"] == "年度体检"
    assert body["conclusion_label"] == "需复查"
    created = AuditEntry.objects.filter(action="create", resource="health-checkups", object_id=str(body["id"]))
    assert created.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"date": "2999-01-01", "follow_up_needed": False, "follow_up_by": None}, "date", "体检日期不能晚于今天。"),
        ({"cost": "-1.00"}, "cost", "体检费用不能为负数。"),
        ({"follow_up_by": "2000-01-01"}, "follow_up_by", "复查期限应晚于体检日期。"),
        ({"follow_up_by": None}, "follow_up_by", "需要复查时请填写复查期限。"),
    ],
)
def test_a_checkup_breaking_a_rule_is_refused_with_the_field_and_a_chinese_message(
    cast: Any, client_for: Any, changes: dict[str, Any], field: str, message: str
) -> None:
    response = client_for("hr_a1").post(BASE, payload(cast, **changes), format="json")

    assert response.status_code == 400
    assert {"field": field, "message": message} in response.json()["errors"]
    assert not Checkup.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.exe", b"MZ\x90\x00"),
        ("report.pdf", b"MZ\x90\x00 not a pdf"),
        ("report.docx", PDF),
        ("report", PDF),
        ("report.png", PDF),
    ],
)
def test_a_report_that_is_not_a_pdf_jpg_or_png_is_refused(
    cast: Any, client_for: Any, name: str, content: bytes
) -> None:
    data = payload(cast, attachment=SimpleUploadedFile(name, content))

    response = client_for("hr_a1").post(BASE, data, format="multipart")

    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "attachment", "message": "体检报告只能是 PDF、JPG 或 PNG 文件。"}]
    assert not Checkup.objects.exists()


def test_a_report_over_the_size_cap_is_refused() -> None:
    assert attachment_problem("big.pdf", ATTACHMENT_MAX_BYTES + 1, PDF) == "体检报告文件不能超过 10 MB。"
    assert attachment_problem("ok.PDF", ATTACHMENT_MAX_BYTES, PDF) is None
    assert attachment_problem("scan.jpeg", 100, b"\xff\xd8\xff\xe0") is None


def test_the_same_checkup_entered_twice_is_a_conflict(cast: Any, client_for: Any) -> None:
    client = client_for("hr_a1")
    assert client.post(BASE, payload(cast), format="json").status_code == 201

    again = client.post(BASE, payload(cast), format="json")

    assert again.status_code == 409
    assert again.json()["message"] == "该干部在该日期已有同类体检记录。"
    assert Checkup.objects.count() == 1


def test_a_checkup_cannot_be_moved_to_another_cadre(cast: Any, client_for: Any) -> None:
    checkup = CheckupFactory(cadre=cast.cadre_a1)

    response = client_for("hr_a1").patch(f"{BASE}{checkup.pk}/", {"cadre": cast.secretary_a1_cadre.pk}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "cadre"


def test_correcting_findings_is_logged_as_a_change_of_that_field(cast: Any, client_for: Any) -> None:
    checkup = CheckupFactory(cadre=cast.cadre_a1)

    response = client_for("hr_a1").patch(f"{BASE}{checkup.pk}/", {"findings": "复查正常。"}, format="json")

    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="update", resource="health-checkups")
    assert entry.fields == ["findings"]
    assert entry.cadre_id == cast.cadre_a1.pk


def test_a_correction_must_still_keep_the_rules(cast: Any, client_for: Any) -> None:
    checkup = CheckupFactory(cadre=cast.cadre_a1, date=dt.date(2025, 5, 20))

    response = client_for("hr_a1").patch(
        f"{BASE}{checkup.pk}/", {"follow_up_needed": True, "follow_up_by": "2025-05-01"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "follow_up_by", "message": "复查期限应晚于体检日期。"}]


# -- scope and masking ----------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "sees_findings"),
    [
        ("city_admin", True),
        ("county_a_admin", True),
        ("county_a_staff", True),
        ("hr_a1", True),
        ("cadre_a1_user", True),
        ("secretary_a1", False),
    ],
)
def test_findings_are_shown_only_to_those_who_need_them(
    cast: Any, client_for: Any, user: str, sees_findings: bool
) -> None:
    checkup = CheckupFactory(cadre=cast.cadre_a1, attachment_name="乳腺彩超.pdf")

    body = client_for(user).get(f"{BASE}{checkup.pk}/").json()

    # the secretary sees that the check-up happened, when, and its conclusion
    assert body["date"] == "2025-05-20"
    assert body["conclusion_label"] == "基本健康"
    assert body["findings"] == ("血脂偏高，建议低脂饮食。" if sees_findings else "***")
    assert body["attachment_name"] == ("乳腺彩超.pdf" if sees_findings else "***")


def test_a_checkup_outside_scope_is_not_found(cast: Any, client_for: Any) -> None:
    checkup = CheckupFactory(cadre=cast.cadre_b1)

    for user in ("secretary_a1", "hr_a1", "county_a_staff", "cadre_a1_user"):
        assert client_for(user).get(f"{BASE}{checkup.pk}/").status_code == 404


def test_a_cadre_sees_only_their_own_checkups(cast: Any, client_for: Any) -> None:
    own = CheckupFactory(cadre=cast.cadre_a1)
    colleague = CheckupFactory(cadre=cast.secretary_a1_cadre)

    ids = {row["id"] for row in client_for("cadre_a1_user").get(BASE).json()["results"]}

    assert ids == {own.pk}
    assert client_for("cadre_a1_user").get(f"{BASE}{colleague.pk}/").status_code == 404


# -- the audit log of findings reads ---------------------------------------------


def test_every_findings_read_in_a_list_is_logged_once_per_record(cast: Any, client_for: Any) -> None:
    # given three check-ups with findings and one without
    shown = [CheckupFactory(cadre=cast.cadre_a1, date=dt.date(2020 + n, 3, 1)) for n in range(3)]
    CheckupFactory(cadre=cast.cadre_a1, date=dt.date(2024, 3, 1), findings="")

    # when HR lists them
    response = client_for("hr_a1").get(BASE)

    # then each record whose findings were shown has exactly one read entry
    assert response.status_code == 200
    entries = reads_of()
    assert sorted(int(e.object_id) for e in entries) == sorted(c.pk for c in shown)
    assert all(e.fields == ["findings"] and e.actor == cast.hr_a1 for e in entries)
    assert all(e.cadre_id == cast.cadre_a1.pk for e in entries)


@pytest.mark.parametrize("method", ["get", "head", "options"])
@pytest.mark.parametrize("url", ["{base}", "{base}{pk}/"], ids=["list", "record"])
def test_every_read_method_logs_the_findings_it_reads_as_get_does(
    cast: Any, client_for: Any, method: str, url: str
) -> None:
    # given a check-up with findings
    checkup = CheckupFactory(cadre=cast.cadre_a1)

    # when HR reads it by any read method (HEAD runs GET; servers send its body)
    response = getattr(client_for("hr_a1"), method)(url.format(base=BASE, pk=checkup.pk))

    # then a GET or HEAD logs the findings shown, once; OPTIONS shows no record and logs nothing
    assert response.status_code == 200
    expected = [] if method == "options" else [(str(checkup.pk), ["findings"], cast.hr_a1)]
    assert [(e.object_id, e.fields, e.actor) for e in reads_of()] == expected


def test_a_read_with_findings_masked_is_not_logged(cast: Any, client_for: Any) -> None:
    CheckupFactory(cadre=cast.cadre_a1)

    client_for("secretary_a1").get(BASE)

    assert reads_of() == []


def test_reading_a_health_archive_logs_each_checkups_findings_once(cast: Any, client_for: Any) -> None:
    checkups = [CheckupFactory(cadre=cast.cadre_a1, date=dt.date(2022 + n, 4, 2)) for n in range(3)]

    response = client_for("county_a_staff").get(f"/api/v1/health-archives/{cast.cadre_a1.pk}/")

    assert response.status_code == 200
    assert [c["id"] for c in response.json()["checkups"]] == [c.pk for c in checkups]
    entries = reads_of()
    assert sorted(int(e.object_id) for e in entries) == [c.pk for c in checkups]
    assert reads_of("health-archives") == []


def test_a_failed_read_logs_nothing(cast: Any, client_for: Any) -> None:
    checkup = CheckupFactory(cadre=cast.cadre_b1)

    client_for("hr_a1").get(f"{BASE}{checkup.pk}/")

    assert reads_of() == []


# -- the report file ---------------------------------------------------------------


def _with_report(cast: Any, client_for: Any, content: bytes = PDF, name: str = "体检报告.pdf") -> int:
    data = payload(cast, attachment=SimpleUploadedFile(name, content))
    response = client_for("hr_a1").post(BASE, data, format="multipart")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def test_the_report_is_downloaded_through_its_endpoint_and_each_download_logged(cast: Any, client_for: Any) -> None:
    checkup_id = _with_report(cast, client_for)

    response = client_for("hr_a1").get(f"{BASE}{checkup_id}/attachment/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"
    entry = AuditEntry.objects.get(action="read", resource="health-checkups", fields=["attachment"])
    assert entry.object_id == str(checkup_id)


def test_no_response_reveals_where_the_report_is_stored(cast: Any, client_for: Any) -> None:
    checkup_id = _with_report(cast, client_for, PNG, "scan.png")
    stored = Checkup.objects.get(pk=checkup_id).attachment.name

    body = client_for("hr_a1").get(f"{BASE}{checkup_id}/").content.decode()

    assert stored.startswith("health/checkups/") and stored.endswith(".png") and "scan" not in stored
    assert stored not in body and "media/" not in body
    assert '"has_attachment":true' in body


def test_stored_reports_are_not_served_as_media(cast: Any, client_for: Any) -> None:
    checkup_id = _with_report(cast, client_for)
    stored = Checkup.objects.get(pk=checkup_id).attachment.name

    assert client_for("hr_a1").get(f"/media/{stored}").status_code == 404


@pytest.mark.parametrize(
    ("user", "status"), [("secretary_a1", 403), ("cadre_a1_user", 200), ("county_a_staff", 200), ("secretary_b1", 404)]
)
def test_only_readers_of_findings_download_the_report(cast: Any, client_for: Any, user: str, status: int) -> None:
    checkup_id = _with_report(cast, client_for)

    assert client_for(user).get(f"{BASE}{checkup_id}/attachment/").status_code == status


def test_replacing_the_report_keeps_one_file(
    cast: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    checkup_id = _with_report(cast, client_for)
    checkup = Checkup.objects.get(pk=checkup_id)
    old = checkup.attachment.path

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("hr_a1").patch(
            f"{BASE}{checkup_id}/", {"attachment": SimpleUploadedFile("new.png", PNG)}, format="multipart"
        )

    assert response.status_code == 200
    assert response.json()["attachment_name"] == "new.png"
    checkup.refresh_from_db()
    assert checkup.attachment.read() == PNG
    assert not os.path.exists(old)


# -- lists, filters, export ----------------------------------------------------------


def test_the_list_costs_the_same_queries_for_2_or_10_checkups(cast: Any, client_for: Any, count_queries: Any) -> None:
    client = client_for("hr_a1")
    for n in range(2):
        CheckupFactory(cadre=cast.cadre_a1, date=dt.date(2015 + n, 1, 1))
    few = count_queries(lambda: client.get(BASE))
    for n in range(8):
        CheckupFactory(cadre=CadreFactory(unit=cast.town_a1), date=dt.date(2015 + n, 1, 1))
    many = count_queries(lambda: client.get(BASE))

    assert many == few


def test_the_list_filters_by_subtree_kind_conclusion_and_dates(cast: Any, client_for: Any) -> None:
    a1 = CheckupFactory(cadre=cast.cadre_a1, date=dt.date(2025, 1, 5), conclusion="treatment")
    a2 = CheckupFactory(cadre=cast.cadre_a2, date=dt.date(2025, 6, 5), kind=CheckupKind.SPECIAL)
    client = client_for("county_a_admin")

    def ids(**params: Any) -> set[int]:
        return {row["id"] for row in client.get(BASE, params).json()["results"]}

    assert ids(unit=cast.town_a1.pk) == {a1.pk}
    assert ids(kind="special") == {a2.pk}
    assert ids(conclusion="treatment") == {a1.pk}
    assert ids(date_from="2025-03-01") == {a2.pk}
    assert ids(date_to="2025-03-01", cadre=cast.cadre_a1.pk) == {a1.pk}
    # a unit outside the reader's scope narrows to nothing, never widens
    assert ids(unit=cast.town_b1.pk) == set()


def test_a_recheck_past_its_deadline_without_a_later_checkup_is_overdue(cast: Any, client_for: Any) -> None:
    today = clock.today()
    late = CheckupFactory(
        cadre=cast.cadre_a1,
        date=today - dt.timedelta(days=100),
        follow_up_needed=True,
        follow_up_by=today - dt.timedelta(days=10),
    )
    done = CheckupFactory(
        cadre=cast.cadre_a2,
        date=today - dt.timedelta(days=100),
        follow_up_needed=True,
        follow_up_by=today - dt.timedelta(days=10),
    )
    recheck = CheckupFactory(cadre=cast.cadre_a2, date=today - dt.timedelta(days=20), kind=CheckupKind.FOLLOW_UP)
    client = client_for("county_a_admin")

    overdue = {row["id"] for row in client.get(BASE, {"follow_up_overdue": "true"}).json()["results"]}
    rest = {row["id"] for row in client.get(BASE, {"follow_up_overdue": "false"}).json()["results"]}

    assert overdue == {late.pk}
    assert rest == {done.pk, recheck.pk}


def test_hr_exports_checkups_as_a_chinese_spreadsheet_with_findings_logged(cast: Any, client_for: Any) -> None:
    CheckupFactory(cadre=cast.cadre_a1)
    CheckupFactory(cadre=cast.cadre_b1)

    response = client_for("hr_a1").get(f"{BASE}export/")

    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:4] == ("姓名", "单位", "体检日期", "体检机构")
    assert "体检发现" in rows[0]
    assert len(rows) == 2  # township B1 is outside HR A1's scope
    assert rows[1][0] == "木晓梅" and "血脂偏高，建议低脂饮食。" in rows[1] and "基本健康" in rows[1]
    assert AuditEntry.objects.filter(action="export", resource="health-checkups").count() == 1
    assert reads_of() == []


def test_a_secretary_may_not_export_checkups(cast: Any, client_for: Any) -> None:
    assert client_for("secretary_a1").get(f"{BASE}export/").status_code == 403


@pytest.mark.parametrize(
    "url", [BASE, "/api/v1/checkup-due/", "/api/v1/checkup-campaigns/", "/api/v1/checkup-policies/"]
)
def test_null_characters_and_nonsense_in_filters_are_400_not_500(cast: Any, client_for: Any, url: str) -> None:
    response = client_for("county_a_admin").get(url, {"unit": "1\x00", "date_from": "\x00", "cadre": "abc"})

    assert response.status_code == 400
