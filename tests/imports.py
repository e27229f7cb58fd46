"""Files for the import tests: rows given by header, written under an importer's columns."""

from __future__ import annotations

import io

from cadrecare.core.imports import Importer
from cadrecare.org.spreadsheets import write_rows


def upload(
    importer: type[Importer], rows: list[dict[str, str]], *, as_csv: bool = False, headers: list[str] | None = None
) -> io.BytesIO:
    """An .xlsx (or UTF-8 .csv) of ``rows`` under ``headers`` (the importer's columns unless given)."""
    headers = headers or [column.header for column in importer.columns]
    body = write_rows([[row.get(h, "") for h in headers] for row in rows], as_csv=as_csv, title="导入", headers=headers)
    file = io.BytesIO(body)
    file.name = f"{importer.title}.{'csv' if as_csv else 'xlsx'}"
    return file
