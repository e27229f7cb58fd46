"""Cadre rows in and out of the spreadsheets HR keeps (CSV and XLSX), with
Chinese column headers and Chinese choice labels."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models

from cadrecare.core.exports import csv_bytes, xlsx_bytes
from cadrecare.org.choices import CadreStatus, Gender, LeaderPost, Rank

# (JSON field, header); choice columns hold the Chinese label, units their code.
CADRE_COLUMNS: Sequence[tuple[str, str]] = (
    ("name", "姓名"),
    ("gender", "性别"),
    ("ethnicity", "民族"),
    ("birth_date", "出生日期"),
    ("id_number", "身份证号"),
    ("phone", "手机号"),
    ("rank", "职级"),
    ("post_title", "职务"),
    ("leader_post", "班子职务"),
    ("office", "科室站所"),
    ("unit", "工作单位代码"),
    ("establishment_unit", "编制单位代码"),
    ("township_service_start", "进入乡镇工作日期"),
    ("unit_joined", "进入现单位日期"),
    ("status", "状态"),
)
# The template's example row.
EXAMPLE_CADRE = {
    "name": "李明",
    "gender": "男",
    "ethnicity": "汉族",
    "birth_date": "1985-03-15",
    "id_number": "53072119850315001X",
    "phone": "13800000000",
    "rank": "科员",
    "post_title": "党政办干事",
    "leader_post": "非班子成员",
    "office": "党政办",
    "unit": "530721101",
    "establishment_unit": "530721101",
    "township_service_start": "2010-08-01",
    "unit_joined": "2018-03-01",
    "status": "在职",
}
CHOICE_COLUMNS: dict[str, type[models.TextChoices]] = {
    "gender": Gender,
    "rank": Rank,
    "leader_post": LeaderPost,
    "status": CadreStatus,
}


def row_to_payload(row: dict[str, str]) -> dict[str, Any]:
    """A spreadsheet row as the cadre API's JSON payload (labels to codes)."""
    payload: dict[str, Any] = {}
    for field, header in CADRE_COLUMNS:
        value = row.get(header, "")
        if field in CHOICE_COLUMNS and value:
            choices = CHOICE_COLUMNS[field]
            by_label = {str(label): code for code, label in choices.choices}
            value = by_label.get(value, value)
        payload[field] = value if value != "" else None
    return payload


def write_rows(
    rows: Iterable[Sequence[Any]], *, as_csv: bool, title: str, headers: Sequence[str] | None = None
) -> bytes:
    """Rows under Chinese headers (the cadre columns unless others are given) as .xlsx or .csv."""
    headers = list(headers) if headers is not None else [header for _, header in CADRE_COLUMNS]
    if as_csv:
        return csv_bytes(headers=headers, rows=rows)
    return xlsx_bytes(title=title, headers=headers, rows=rows)
