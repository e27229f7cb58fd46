"""Absences (请假、培训、借调、病假) from HR's spreadsheet, through the one import
machinery (``cadrecare.core.imports``): a row per absence, matched to a stored
one by cadre, kind and dates. Each is written by ``absence_write``, the write
``absence_save`` (the API's service) makes, so whatever an absence does to a
published roster happens for an imported one too (one call per changed row:
absences come by the dozen, not by the thousand); the import's own rows audit them."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _

from cadrecare.core.errors import DomainError
from cadrecare.core.i18n import choice_label
from cadrecare.core.imports import (
    CREATE,
    UPDATE,
    Column,
    Importer,
    ImportPlan,
    Planned,
    Row,
    RowErrors,
    against,
    choice,
    field_problems,
    labels,
    parse_date,
    required,
    text,
)
from cadrecare.org.imports import CadreMatcher, cadre_columns
from cadrecare.rotation.choices import AbsenceKind
from cadrecare.rotation.models import Absence
from cadrecare.rotation.services import absence_write, validate_span


class AbsenceImporter(Importer[Absence]):
    resource = "absences"
    title = "外出与请假"
    columns = (
        *cadre_columns(),
        Column("kind", "类型", "培训", required=True, note=labels(AbsenceKind), parse=required(choice(AbsenceKind))),
        Column("start", "开始日期", "2024-06-03", required=True, parse=required(parse_date)),
        Column("end", "结束日期", "2024-06-07", required=True, parse=required(parse_date)),
        Column("note", "说明", "县委党校培训班", parse=text),
    )
    preview = ("cadre_name", "kind", "start", "end")

    def plan(self, rows: list[Row], errors: RowErrors) -> list[Planned[Absence]]:
        matcher = CadreMatcher(user=self.user, resource=self.resource, rows=rows)
        stored: dict[int, list[Absence]] = defaultdict(list)
        for absence in Absence.objects.filter(cadre__in=matcher.cadres):
            stored[absence.cadre_id].append(absence)
        planned: list[Planned[Absence]] = []
        in_file: dict[int, list[tuple[int, Absence]]] = defaultdict(list)
        for row, cadre, values in matcher.matched(rows, self.parsers, errors):
            try:
                validate_span(values["start"], values["end"])
            except DomainError as error:
                errors.add(row.number, error.field or "end", error.message)
                continue
            same = next(
                (
                    a
                    for a in stored[cadre.pk]
                    if (a.kind, a.start, a.end) == (values["kind"], values["start"], values["end"])
                ),
                None,
            )
            absence, outcome, changed = against(same, values, Absence(cadre=cadre, created_by=self.user, **values))
            for name, message in field_problems(absence).items():
                errors.add(row.number, name, message)
            for other in stored[cadre.pk]:
                if other is not same and other.start <= absence.end and other.end >= absence.start:
                    errors.add(
                        row.number,
                        "start",
                        _("%(name)s 在 %(start)s 至 %(end)s 已登记%(kind)s，与本行日期重叠。")
                        % {
                            "name": cadre.name,
                            "start": other.start,
                            "end": other.end,
                            "kind": choice_label(other.get_kind_display()),
                        },
                    )
            for number, other in in_file[cadre.pk]:
                if other.start <= absence.end and other.end >= absence.start:
                    errors.add(
                        row.number,
                        "start",
                        _("与第 %(number)s 行 %(name)s 的日期重叠。") % {"number": number, "name": cadre.name},
                    )
            in_file[cadre.pk].append((row.number, absence))
            planned.append(Planned(row.number, outcome, absence, changed, self.shown(row, cadre_name=cadre.name)))
        return planned

    def save(self, plan: ImportPlan[Absence]) -> None:
        for row in plan.rows:
            if row.outcome == CREATE:
                row.record = absence_write(actor=self.user, data=_values(row.record))
            elif row.outcome == UPDATE:
                stored = Absence.objects.get(pk=row.record.pk)
                row.record = absence_write(actor=self.user, data=_values(row.record), absence=stored)


def _values(absence: Absence) -> dict[str, object]:
    return {
        "cadre": absence.cadre,
        "kind": absence.kind,
        "start": absence.start,
        "end": absence.end,
        "note": absence.note,
    }
