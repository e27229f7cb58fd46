"""Lists as .xlsx (and .csv) with Chinese headers, the one place that writes
a plain export workbook: every app's export and the workbench's call it.
(A styled sheet, as the roster grid or an import template, lays out its own.)"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cell(value: Any) -> Any:
    """A JSON value as a spreadsheet cell: 是/否, lists joined, None blank."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list | tuple):
        return "、".join(str(cell(item)) for item in value)
    return value


def xlsx_bytes(*, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """One sheet named ``title``: the headers, then the rows as they are."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(*, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """The same as .csv, with a byte-order mark so spreadsheet programs read the Chinese."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_response(
    *, title: str, filename: str, columns: Sequence[tuple[str, str]], rows: Iterable[Mapping[str, Any]]
) -> HttpResponse:
    """An .xlsx download of ``rows`` (mappings, e.g. an API's own masked
    representation, so an export never shows more than the screen) under the
    ``columns`` (key, header), named ``filename`` and the time."""
    body = xlsx_bytes(
        title=title,
        headers=[header for _, header in columns],
        rows=([cell(row.get(key)) for key, _ in columns] for row in rows),
    )
    response = HttpResponse(body, content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.xlsx"'
    return response
