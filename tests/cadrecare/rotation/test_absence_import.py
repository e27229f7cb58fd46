"""Absences from HR's spreadsheet (``/api/v1/absences/import/``): written by the
absence service, overlaps refused with their row, the same file twice changing nothing."""

from __future__ import annotations

import io
from typing import Any

from cadrecare.rotation.imports import AbsenceImporter
from cadrecare.rotation.models import Absence
from tests.imports import upload

URL = "/api/v1/absences/import/"


def _sheet(rows: list[dict[str, str]]) -> io.BytesIO:
    return upload(AbsenceImporter, rows, as_csv=True)


def _absence(name: str, start: str, end: str, **cells: str) -> dict[str, str]:
    return {"姓名": name, "类型": "培训", "开始日期": start, "结束日期": end, **cells}


def test_absences_are_previewed_then_applied_once(cast: Any, client_for: Any) -> None:
    client = client_for("hr_a1")
    rows = [_absence("木晓梅", "2030-06-03", "2030-06-07", 说明="党校"), _absence("和书记", "2030/6/10", "2030/6/12")]

    preview = client.post(f"{URL}?dry_run=1", {"file": _sheet(rows)}, format="multipart")
    assert preview.status_code == 200 and preview.json()["created"] == 2
    assert not Absence.objects.exists()

    first = client.post(URL, {"file": _sheet(rows)}, format="multipart")
    second = client.post(URL, {"file": _sheet(rows)}, format="multipart")

    assert first.status_code == 201, first.json()
    assert second.json()["unchanged"] == 2
    absence = Absence.objects.get(cadre=cast.cadre_a1)
    assert (absence.kind, absence.note, absence.created_by) == ("training", "党校", cast.hr_a1)


def test_overlapping_absences_refuse_the_file(cast: Any, client_for: Any) -> None:
    client = client_for("hr_a1")
    client.post(URL, {"file": _sheet([_absence("木晓梅", "2030-06-03", "2030-06-07")])}, format="multipart")
    rows = [_absence("木晓梅", "2030-06-06", "2030-06-09", 类型="请假"), _absence("和书记", "2030-06-10", "2030-06-09")]

    response = client.post(URL, {"file": _sheet(rows)}, format="multipart")

    assert response.status_code == 400
    messages = [error["message"] for error in response.json()["errors"]]
    assert messages[0].startswith("第 2 行「开始日期」：木晓梅 在 2030-06-03 至 2030-06-07 已登记培训")
    assert messages[1] == "第 3 行「结束日期」：结束日期不能早于开始日期。"
    assert Absence.objects.count() == 1
