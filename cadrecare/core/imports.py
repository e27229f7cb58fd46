"""Bulk entry from the spreadsheets HR keeps: one machinery for every resource.

A resource's ``Importer`` says its columns (Chinese headers, an example row for
the template) and how its rows become records (``plan``: every row matched
against what is stored, in a few bulk queries, each bad row and column named).
The machinery here reads the file (xlsx, or csv in UTF-8 or GBK), runs the
plan as a dry run, applies it all-or-nothing in one transaction with the
audit rows (one for the import, one per record it changed), and writes the
template. A row that matches a stored record with the same values is
"unchanged", so applying the same file twice changes nothing the second time.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.utils.translation import gettext
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from cadrecare.core.errors import ConflictError, DomainError
from cadrecare.core.i18n import choice_label
from cadrecare.core.providers import audit, scoping

if TYPE_CHECKING:
    from cadrecare.org.models import User

FIRST_DATA_ROW = 2  # row 1 holds the headers, as the person sees it in Excel
CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
OUTCOME_LABELS = {CREATE: "新增", UPDATE: "修改", UNCHANGED: "不变"}
M = TypeVar("M", bound=models.Model)
YES, NO = ("是", "y", "yes", "1", "true", "√"), ("否", "n", "no", "0", "false", "")


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    example: str = ""
    required: bool = False  # the header must be in the file (values are checked by the importer)
    note: str = ""  # how to fill it in, on the template's 填写说明 sheet
    parse: Callable[[str], Any] | None = None  # the cell's text to the record's value (ValueError: the row's error)


def labels(choices: type[models.TextChoices]) -> str:
    """A choice column's note: its Chinese labels."""
    return "填写其一：" + "、".join(str(label) for _, label in choices.choices)


@dataclass
class Row:
    """One data row of the file: its number as Excel shows it and its cells by field."""

    number: int
    cells: dict[str, str]

    def __getitem__(self, name: str) -> str:
        return self.cells.get(name, "")


@dataclass
class Planned(Generic[M]):
    """What one row does: create a record, update one (the fields it changes) or nothing."""

    row: int
    outcome: str
    record: M
    changed: tuple[str, ...] = ()
    shown: dict[str, str] = field(default_factory=dict)  # the preview's cells, by header


@dataclass
class ImportPlan(Generic[M]):
    resource: str
    rows: list[Planned[M]]

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def counts(self) -> dict[str, int]:
        return {outcome: self.count(outcome) for outcome in (CREATE, UPDATE, UNCHANGED)}


class RowErrors:
    """Collects every row's problems, each as "第 N 行「列」：…", the first per cell kept."""

    def __init__(self, columns: Sequence[Column]) -> None:
        self.headers = {column.field: column.header for column in columns}
        self.entries: list[dict[str, Any]] = []
        self._seen: set[tuple[int, str]] = set()

    def add(self, row: int, field_name: str, message: str) -> None:
        if (row, field_name) in self._seen:
            return
        self._seen.add((row, field_name))
        header = self.headers.get(field_name)
        where = f"「{header}」" if header else ""
        self.entries.append(
            {
                "row": row,
                "field": field_name,
                "column": header,
                "message": gettext("第 %(row)s 行%(where)s：%(message)s")
                % {"row": row, "where": where, "message": message},
            }
        )

    def has(self, row: int) -> bool:
        return any(entry["row"] == row for entry in self.entries)

    def __bool__(self) -> bool:
        return bool(self.entries)


class Importer(Generic[M]):
    """One resource's rows: subclasses set the class attributes and ``plan``;
    ``save`` writes the planned records in bulk unless a service must write them."""

    resource: ClassVar[str]
    title: ClassVar[str]  # the template's sheet name and file name
    columns: ClassVar[tuple[Column, ...]]
    preview: ClassVar[tuple[str, ...]]  # the fields the preview table shows

    def __init__(self, *, request: HttpRequest, options: Mapping[str, Any] | None = None) -> None:
        self.request = request
        self.user: User = request.user  # type: ignore[assignment]
        self.options = dict(options or {})

    @property
    def parsers(self) -> dict[str, Callable[[str], Any]]:
        return {column.field: column.parse for column in self.columns if column.parse is not None}

    def plan(self, rows: list[Row], errors: RowErrors) -> list[Planned[M]]:
        raise NotImplementedError

    def save(self, plan: ImportPlan[M]) -> None:
        model = type(plan.rows[0].record) if plan.rows else None
        if model is None:
            return
        model._default_manager.bulk_create([row.record for row in plan.rows if row.outcome == CREATE], batch_size=1000)
        updated = [row for row in plan.rows if row.outcome == UPDATE]
        changed = sorted({name for row in updated for name in row.changed})
        if updated:
            model._default_manager.bulk_update([row.record for row in updated], changed, batch_size=1000)

    def shown(self, row: Row, **values: str) -> dict[str, str]:
        """The preview's cells: as the file has them, but for ``values`` (a matched cadre's name)."""
        headers = {column.field: column.header for column in self.columns}
        return {headers[name]: values.get(name, row[name]) for name in self.preview}


def against(stored: M | None, values: Mapping[str, Any], new: M) -> tuple[M, str, tuple[str, ...]]:
    """What a row's values do: create ``new`` when nothing is stored, else
    change a copy of the stored record, saying which fields change (none: unchanged)."""
    if stored is None:
        return new, CREATE, tuple(values)
    record = copy.copy(stored)
    changed = tuple(name for name, value in values.items() if getattr(record, name) != value)
    for name in changed:
        setattr(record, name, values[name])
    return record, UPDATE if changed else UNCHANGED, changed


# -- reading cells ---------------------------------------------------------------------------------
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
MONTH_FORMATS = ("%Y-%m", "%Y/%m", "%Y.%m", "%Y年%m月", "%Y%m")


def parse_cells(row: Row, parsers: Mapping[str, Callable[[str], Any]], errors: RowErrors) -> dict[str, Any]:
    """The row's values for the columns the file has (a column it lacks is left
    as stored), each read by its parser; a cell that cannot be read is an error."""
    values = {}
    for name, parse in parsers.items():
        if name in row.cells:
            try:
                values[name] = parse(row.cells[name])
            except ValueError as error:
                errors.add(row.number, name, str(error))
    return values


def required(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    def parse_required(text: str) -> Any:
        if not text.strip():
            raise ValueError(gettext("必须填写。"))
        return parse(text)

    return parse_required


def text(value: str) -> str:
    return value.strip()


def parse_date(text: str) -> dt.date | None:
    if not text.strip():
        return None
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError(gettext("“%(text)s”不是日期，请写成 2024-05-01。") % {"text": text})


def parse_month(text: str) -> dt.date | None:
    if not text.strip():
        return None
    for fmt in MONTH_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    day = parse_date(text)
    return day.replace(day=1) if day else None


def parse_decimal(text: str) -> Decimal | None:
    if not text.strip():
        return None
    try:
        value = Decimal(re.sub(r"[,，\s元]", "", text))
    except InvalidOperation:
        raise ValueError(gettext("“%(text)s”不是金额。") % {"text": text}) from None
    if not value.is_finite():
        raise ValueError(gettext("“%(text)s”不是金额。") % {"text": text})
    return value


def parse_bool(text: str) -> bool:
    value = text.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValueError(gettext("“%(text)s”应填“是”或“否”。") % {"text": text})


def choice(choices: type[models.TextChoices]) -> Callable[[str], str]:
    """A parser of the choice's Chinese label (or its code); blank stays blank."""

    def parse_choice(text: str) -> str:
        return choice_code(text.strip(), choices)

    return parse_choice


def choice_code(text: str, choices: type[models.TextChoices]) -> str:
    if not text:
        return ""
    for code, label in choices.choices:
        if text in (str(label), code):
            return code
    raise ValueError(
        gettext("“%(text)s”不是可选值，应为：%(items)s。")
        % {"text": text, "items": gettext("、").join(choice_label(label) for _, label in choices.choices)}
    )


def field_problems(record: models.Model, exclude: Iterable[str] = ()) -> dict[str, str]:
    """The model's own field rules (length, required, choices) without a query:
    relations are checked by the importer's bulk lookups."""
    relations = [f.name for f in record._meta.fields if f.is_relation]
    try:
        record.clean_fields(exclude=[*relations, *exclude])
    except ValidationError as error:
        return {name: str(messages[0]) for name, messages in error.message_dict.items()}
    return {}


# -- the machinery ---------------------------------------------------------------------------------
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


def read_rows(upload_name: str, content: bytes, *, required: Sequence[str]) -> list[dict[str, str]]:
    """Rows of an uploaded CSV (UTF-8, with or without BOM, or GBK as Excel
    saves it in Chinese offices) or XLSX file as {header: text}; refused
    without the ``required`` headers."""
    name = upload_name.lower()
    if name.endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:  # openpyxl raises many kinds on a damaged file
            raise DomainError(gettext("无法读取该 Excel 文件，请确认是 .xlsx 格式。"), field="file") from exc
        values = [[_cell_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    elif name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = content.decode("gb18030")
            except UnicodeDecodeError as exc:
                raise DomainError(gettext("无法识别 CSV 文件的编码，请另存为 UTF-8。"), field="file") from exc
        try:
            values = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
        except csv.Error as exc:  # a NUL byte, a cell past the reader's limit
            raise DomainError(gettext("无法读取该 CSV 文件，请用 Excel 另存为 CSV 后再试。"), field="file") from exc
    else:
        raise DomainError(gettext("只支持 .xlsx 或 .csv 文件。"), field="file")
    values = [row for row in values if any(row)]
    if not values:
        raise DomainError(gettext("文件是空的。"), field="file")
    headers = values[0]
    missing = [header for header in required if header not in headers]
    if missing:
        raise DomainError(gettext("缺少列：%(items)s。") % {"items": gettext("、").join(missing)}, field="file")
    if len(values) - 1 > MAX_IMPORT_ROWS:
        raise DomainError(
            gettext("一次最多导入 %(MAX_IMPORT_ROWS)s 行。") % {"MAX_IMPORT_ROWS": MAX_IMPORT_ROWS}, field="file"
        )
    return [dict(zip(headers, row + [""] * (len(headers) - len(row)), strict=False)) for row in values[1:]]


def _rows(importer: Importer, upload_name: str, content: bytes) -> list[Row]:
    by_header = {column.header: column.field for column in importer.columns}
    required = [column.header for column in importer.columns if column.required]
    return [
        Row(number, {by_header[header]: text for header, text in cells.items() if header in by_header})
        for number, cells in enumerate(read_rows(upload_name, content, required=required), start=FIRST_DATA_ROW)
    ]


def import_check(importer: Importer[M], *, upload_name: str, content: bytes) -> ImportPlan[M]:
    """The dry run: nothing saved. Raises DomainError listing every bad row and
    column (in Chinese, with the row number as Excel shows it); else the plan."""
    errors = RowErrors(importer.columns)
    planned = importer.plan(_rows(importer, upload_name, content), errors)
    if errors:
        bad_rows = len({entry["row"] for entry in errors.entries})
        raise DomainError(
            gettext("导入失败：%(bad_rows)s 行有错误，所有行均未导入。") % {"bad_rows": bad_rows},
            field="file",
            errors=sorted(errors.entries, key=lambda entry: entry["row"]),
        )
    return ImportPlan(importer.resource, planned)


def import_apply(importer: Importer[M], *, upload_name: str, content: bytes) -> ImportPlan[M]:
    """Check the file again and write every row, or none; audited as one import
    (the file's digest and counts) and one row per record it created or changed (the fields)."""
    try:
        with transaction.atomic():
            plan = import_check(importer, upload_name=upload_name, content=content)
            importer.save(plan)
            digest = hashlib.sha256(content).hexdigest()[:16]
            summary = audit.Access(importer.resource, digest, None, [f"{k}:{n}" for k, n in plan.counts.items()])
            changes = [
                audit.Access(
                    importer.resource, row.record.pk, scoping.cadre_id_of(row.record), list(row.changed) or ["*"]
                )
                for row in plan.rows
                if row.outcome != UNCHANGED
            ]
            audit.audit_log(
                actor=importer.user, action="import", accesses=[summary, *changes], request=importer.request
            )
    except IntegrityError as error:  # someone stored the same record between the check and the write
        raise ConflictError(gettext("数据在检查后已被他人修改，请重新检查文件后再导入。"), field="file") from error
    return plan


def import_template(importer_class: type[Importer]) -> bytes:
    """The resource's xlsx template: its Chinese headers (bold, wide enough)
    and one example row on the first sheet, every column formatted as text
    (Excel keeps an 18-digit id number and a leading zero as typed), and what
    each column takes on the 填写说明 sheet."""
    workbook = Workbook()
    sheet = workbook.worksheets[0]  # a new workbook's one sheet
    sheet.title = importer_class.title
    sheet.append([column.header for column in importer_class.columns])
    sheet.append([column.example for column in importer_class.columns])
    for index, column in enumerate(importer_class.columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, 2.2 * len(column.header), 1.2 * len(column.example))
        sheet.column_dimensions[letter].number_format = "@"
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.cell(row=2, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet("填写说明")
    notes.append(["列", "必须有此列", "说明"])
    for column in importer_class.columns:
        notes.append([column.header, "是" if column.required else "", column.note])
    notes.append([])
    notes.append(["", "", "第一行为表头，请勿修改；示例行导入前请删除。日期写成 2024-05-01。"])
    notes.column_dimensions["A"].width, notes.column_dimensions["C"].width = 16, 80
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def plan_json(plan: ImportPlan, *, dry_run: bool, limit: int | None = None) -> dict[str, Any]:
    """The API's answer: counts and each row's outcome (all, or the first ``limit``)."""
    rows = plan.rows if limit is None else plan.rows[:limit]
    return {
        "dry_run": dry_run,
        **{("created" if k == CREATE else "updated" if k == UPDATE else k): n for k, n in plan.counts.items()},
        "rows": [
            {"row": row.row, "outcome": row.outcome, "changed": list(row.changed), "values": row.shown} for row in rows
        ],
    }
