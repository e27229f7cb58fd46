"""Cadres in HR's spreadsheets: the cadre import (every row read by the API's
serializer and checked by the same rules, ``cadre_problems``) and the matching every other import uses to find
the cadre a row is about (by citizen id number, or by name within the unit)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext

from cadrecare.core.imports import CREATE, Column, Importer, ImportPlan, Planned, Row, RowErrors, labels, parse_cells
from cadrecare.org.api.serializers import CadreSerializer
from cadrecare.org.models import Cadre, Office, OrgUnit, User
from cadrecare.org.scoping import may_in_unit, scoped
from cadrecare.org.services import cadre_add, cadre_problems
from cadrecare.org.spreadsheets import CADRE_COLUMNS, CHOICE_COLUMNS, EXAMPLE_CADRE, row_to_payload


def cadre_columns(prefix: str = "") -> tuple[Column, ...]:
    """The columns naming the cadre a row is about, first in every import but
    the cadres' (``prefix`` "干部" where the row names another person too)."""
    return (
        Column("cadre_id_number", f"{prefix}身份证号", "53072119850315001X", note="填写后按身份证号找干部"),
        Column("cadre_name", f"{prefix}姓名", "李明", required=True, note="未填身份证号时按姓名找干部"),
        Column("cadre_unit", f"{prefix}单位", "石头城镇", note="单位名称或代码：有同名干部时用来区分"),
    )


class CadreMatcher:
    """The cadres of a file's rows, found in one query among those the user may
    import for: by citizen id number when given (the name, if given too, must
    agree), else by name within the unit (code or name) when given, else within
    the user's scope; two cadres of that name there is a row error."""

    def __init__(self, *, user: User, resource: str, rows: list[Row]) -> None:
        ids = {row["cadre_id_number"].upper() for row in rows if row["cadre_id_number"]}
        names = {row["cadre_name"] for row in rows if row["cadre_name"] and not row["cadre_id_number"]}
        cadres = scoped(Cadre.objects.select_related("unit"), user, resource, "import").filter(
            Q(id_number__in=ids) | Q(name__in=names)
        )
        self.by_id: dict[str, Cadre] = {}
        self.by_name: dict[str, list[Cadre]] = {}
        for cadre in cadres:
            self.by_id[cadre.id_number] = cadre
            self.by_name.setdefault(cadre.name, []).append(cadre)

    @property
    def cadres(self) -> list[Cadre]:
        return list({cadre.pk: cadre for cadre in self.by_id.values()}.values())

    def matched(
        self, rows: list[Row], parsers: Mapping[str, Callable[[str], Any]], errors: RowErrors
    ) -> Iterator[tuple[Row, Cadre, dict[str, Any]]]:
        """Each row whose cadre is found and whose cells read, with both; the others' errors told."""
        for row in rows:
            cadre = self.match(row, errors)
            values = parse_cells(row, parsers, errors)
            if cadre is not None and not errors.has(row.number):
                yield row, cadre, values

    def match(self, row: Row, errors: RowErrors) -> Cadre | None:
        id_number, name, unit = row["cadre_id_number"].upper(), row["cadre_name"], row["cadre_unit"]
        if id_number:
            cadre = self.by_id.get(id_number)
            if cadre is None:
                errors.add(
                    row.number,
                    "cadre_id_number",
                    gettext("找不到身份证号为“%(id_number)s”的干部（或不在您的管理范围内）。")
                    % {"id_number": id_number},
                )
            elif name and name != cadre.name:
                errors.add(
                    row.number,
                    "cadre_name",
                    gettext("身份证号对应的干部是“%(name)s”，与姓名“%(name2)s”不符。")
                    % {"name": cadre.name, "name2": name},
                )
                return None
            return cadre
        if not name:
            errors.add(row.number, "cadre_name", gettext("请填写干部姓名或身份证号。"))
            return None
        found = [c for c in self.by_name.get(name, []) if not unit or unit in (c.unit.code, c.unit.name)]
        if not found:
            message = (
                gettext("单位“%(unit)s”中没有名为“%(name)s”的干部。") % {"unit": unit, "name": name}
                if unit
                else gettext("您的管理范围内没有名为“%(name)s”的干部。") % {"name": name}
            )
            errors.add(row.number, "cadre_name", message)
            return None
        if len(found) > 1:
            units = gettext("、").join(sorted({c.unit.name for c in found}))
            errors.add(
                row.number,
                "cadre_name",
                gettext("有 %(count)s 名名为“%(name)s”的干部（%(units)s），请填写身份证号或单位区分。")
                % {"count": len(found), "name": name, "units": units},
            )
            return None
        return found[0]


class CadreImporter(Importer[Cadre]):
    """New cadres from the roster's columns (the export's): read as the API
    reads one cadre, checked by the same rules and created by the same service
    (audited in the import's own row)."""

    resource = "cadres"
    title = "干部名册"
    columns = tuple(
        Column(
            name,
            header,
            EXAMPLE_CADRE.get(name, ""),
            required=header != "科室站所",
            note=labels(CHOICE_COLUMNS[name]) if name in CHOICE_COLUMNS else "",
        )
        for name, header in CADRE_COLUMNS
    )
    preview = ("name", "unit", "post_title", "unit_joined")

    def __init__(self, *, request: HttpRequest, options: dict[str, Any] | None = None) -> None:
        super().__init__(request=request, options=options)
        self.parsed: dict[int, dict[str, Any]] = {}

    def plan(self, rows: list[Row], errors: RowErrors) -> list[Planned[Cadre]]:
        payloads = [(row, row_to_payload({header: row[name] for name, header in CADRE_COLUMNS})) for row in rows]
        codes = {p[key] for _, p in payloads for key in ("unit", "establishment_unit") if p[key]}
        units = {unit.code: unit for unit in OrgUnit.objects.filter(code__in=codes)}
        office_names = {p["office"] for _, p in payloads if p["office"]}
        offices = {
            (office.unit_id, office.name): office.pk
            for office in Office.objects.filter(unit__in=units.values(), name__in=office_names)
        }
        planned = []
        seen_ids: dict[str, int] = {}
        for row, payload in payloads:
            number = row.number
            for field, message in self._resolve_references(payload, units, offices).items():
                errors.add(number, field, message)
            serializer = CadreSerializer(data=payload, context={"request": self.request, "resource": "cadres"})
            if not serializer.is_valid():
                for field, messages in serializer.errors.items():  # a reference's own message says more than "null"
                    errors.add(number, field, str(messages[0]))
            else:
                for field, message in cadre_problems(serializer.validated_data).items():
                    errors.add(number, field, message)
            id_number = payload["id_number"] or ""
            if id_number and id_number in seen_ids:
                errors.add(
                    number,
                    "id_number",
                    gettext("与第 %(seen_ids)s 行的身份证号重复。") % {"seen_ids": seen_ids[id_number]},
                )
            seen_ids.setdefault(id_number, number)
            if not errors.has(number):
                data = self.parsed[number] = dict(serializer.validated_data)
                record = Cadre(name=data["name"], unit=data["unit"], post_title=data.get("post_title", ""))
                planned.append(
                    Planned(number, CREATE, record, tuple(sorted(data)), self.shown(row, unit=data["unit"].name))
                )
        return planned

    def save(self, plan: ImportPlan[Cadre]) -> None:
        for row in plan.rows:
            row.record = cadre_add(actor=self.user, data=self.parsed[row.row], action="import")

    def _resolve_references(
        self, payload: dict[str, Any], units: dict[str, OrgUnit], offices: dict[tuple[int, str], int]
    ) -> dict[str, str]:
        """Turn unit codes and office names into ids; say which could not be found."""
        errors: dict[str, str] = {}
        for key in ("unit", "establishment_unit"):
            code = payload[key]
            unit = units.get(code) if code else None
            if code and unit is None:
                errors[key] = gettext("找不到代码为“%(code)s”的单位。") % {"code": code}
            elif key == "unit" and unit is not None and not may_in_unit(self.user, "cadres", "import", unit):
                errors[key] = gettext("单位“%(name)s”不在您的管理范围内。") % {"name": unit.name}
            payload[key] = unit.pk if unit is not None else None
        if payload["office"]:
            office_id = offices.get((payload["unit"], payload["office"])) if payload["unit"] else None
            if office_id is None and "unit" not in errors:
                errors["office"] = gettext("工作单位下没有名为“%(office)s”的科室站所。") % {"office": payload["office"]}
            payload["office"] = office_id
        return errors
