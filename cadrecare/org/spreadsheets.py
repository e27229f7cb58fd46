"""Cadre rows in and out of the spreadsheets HR keeps (CSV and XLSX), with
Chinese column headers and Chinese choice labels."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook, load_workbook

from cadrecare.core.errors import DomainError
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
CHOICE_COLUMNS = {"gender": Gender, "rank": Rank, "leader_post": LeaderPost, "status": CadreStatus}
MAX_IMPORT_ROWS = 20000  # a county's relatives (about 12,000) in one file


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(upload_name: str, content: bytes, *, required: Sequence[str] | None = None) -> list[dict[str, str]]:
    """Rows of an uploaded CSV (UTF-8, with or without BOM, or GBK as Excel
    saves it in Chinese offices) or XLSX file as {header: text}; refused
    without the ``required`` headers (the cadre columns but 科室站所 unless others are given)."""
    name = upload_name.lower()
    if name.endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:  # openpyxl raises many kinds on a damaged file
            raise DomainError("无法读取该 Excel 文件，请确认是 .xlsx 格式。", field="file") from exc
        values = [[_cell_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    elif name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = content.decode("gb18030")
            except UnicodeDecodeError as exc:
                raise DomainError("无法识别 CSV 文件的编码，请另存为 UTF-8。", field="file") from exc
        try:
            values = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
        except csv.Error as exc:  # a NUL byte, a cell past the reader's limit
            raise DomainError("无法读取该 CSV 文件，请用 Excel 另存为 CSV 后再试。", field="file") from exc
    else:
        raise DomainError("只支持 .xlsx 或 .csv 文件。", field="file")
    values = [row for row in values if any(row)]
    if not values:
        raise DomainError("文件是空的。", field="file")
    headers = values[0]
    if required is None:
        required = [header for _, header in CADRE_COLUMNS if header != "科室站所"]
    missing = [header for header in required if header not in headers]
    if missing:
        raise DomainError(f"缺少列：{'、'.join(missing)}。", field="file")
    if len(values) - 1 > MAX_IMPORT_ROWS:
        raise DomainError(f"一次最多导入 {MAX_IMPORT_ROWS} 行。", field="file")
    return [dict(zip(headers, row + [""] * (len(headers) - len(row)), strict=False)) for row in values[1:]]


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
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        writer.writerows(rows)
        return buffer.getvalue().encode("utf-8-sig")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
