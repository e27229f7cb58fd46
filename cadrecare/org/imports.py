"""Bulk import of cadres from a spreadsheet: every row is validated exactly as
the API validates one cadre, and either all rows land or none does."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from cadrecare.audit.services import Access, audit_log
from cadrecare.core.errors import DomainError
from cadrecare.org.api.serializers import CadreSerializer
from cadrecare.org.models import Office, OrgUnit
from cadrecare.org.scoping import may_in_unit
from cadrecare.org.spreadsheets import CADRE_COLUMNS, read_rows, row_to_payload

FIRST_DATA_ROW = 2  # row 1 holds the headers, as the person sees it in Excel
HEADERS = dict(CADRE_COLUMNS)


def cadre_import_check(*, request: HttpRequest, upload_name: str, content: bytes) -> list[CadreSerializer]:
    """The dry run: every row validated exactly as the API validates one cadre,
    nothing saved. Raises DomainError listing each bad row and field (in
    Chinese, with the row number as the person sees it in Excel); else returns
    the validated rows, ready to save."""
    rows = [row_to_payload(row) for row in read_rows(upload_name, content)]
    codes = {row[key] for row in rows for key in ("unit", "establishment_unit") if row[key]}
    units = {unit.code: unit for unit in OrgUnit.objects.filter(code__in=codes)}
    office_names = {row["office"] for row in rows if row["office"]}
    offices = {
        (office.unit_id, office.name): office.pk
        for office in Office.objects.filter(unit__in=units.values(), name__in=office_names)
    }
    errors: list[dict[str, Any]] = []
    serializers: list[CadreSerializer] = []
    seen_ids: dict[str, int] = {}
    for number, payload in enumerate(rows, start=FIRST_DATA_ROW):
        row_errors = _resolve_references(payload, units, offices, request)
        serializer = CadreSerializer(data=payload, context={"request": request, "resource": "cadres"})
        if not serializer.is_valid():
            for field, messages in serializer.errors.items():  # a reference's own message says more than "null"
                row_errors.setdefault(field, str(messages[0]))
        if payload["id_number"] and payload["id_number"] in seen_ids:
            row_errors.setdefault("id_number", f"与第 {seen_ids[payload['id_number']]} 行的身份证号重复。")
        seen_ids.setdefault(payload["id_number"] or "", number)
        errors.extend(
            {"row": number, "field": field, "message": f"第 {number} 行{_column(field)}：{message}"}
            for field, message in row_errors.items()
        )
        serializers.append(serializer)
    if errors:
        raise DomainError(
            f"导入失败：{len({e['row'] for e in errors})} 行有错误，所有行均未导入。", field="file", errors=errors
        )
    return serializers


def cadre_import(*, request: HttpRequest, upload_name: str, content: bytes) -> int:
    """Create every cadre of the file, or none (``cadre_import_check`` first):
    returns how many were created, each audited as imported."""
    serializers = cadre_import_check(request=request, upload_name=upload_name, content=content)
    with transaction.atomic():
        cadres = [serializer.save() for serializer in serializers]
        audit_log(
            actor=request.user,
            action="import",
            accesses=[Access("cadres", cadre.pk, cadre.pk, ["*"]) for cadre in cadres],
            request=request,
        )
    return len(cadres)


def _column(field: str) -> str:
    """The column a field's error is in, as the person sees its header ("「身份证号」")."""
    header = HEADERS.get(field)
    return f"「{header}」" if header else ""


def _resolve_references(
    payload: dict[str, Any], units: dict[str, OrgUnit], offices: dict[tuple[int, str], int], request: HttpRequest
) -> dict[str, str]:
    """Turn unit codes and office names into ids; say which could not be found."""
    errors: dict[str, str] = {}
    for key in ("unit", "establishment_unit"):
        code = payload[key]
        unit = units.get(code) if code else None
        if code and unit is None:
            errors[key] = f"找不到代码为“{code}”的单位。"
        elif key == "unit" and unit is not None and not may_in_unit(request.user, "cadres", "import", unit):
            errors[key] = f"单位“{unit.name}”不在您的管理范围内。"
        payload[key] = unit.pk if unit is not None else None
    if payload["office"]:
        office_id = offices.get((payload["unit"], payload["office"])) if payload["unit"] else None
        if office_id is None and "unit" not in errors:
            errors["office"] = f"工作单位下没有名为“{payload['office']}”的科室站所。"
        payload["office"] = office_id
    return errors
