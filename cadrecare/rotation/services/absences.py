"""Absences (请假、培训、借调、病假), and rest spent away (an absence over published
rest days), owed until paid back."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext

from cadrecare.audit.services import Access, audit_log, changed_fields
from cadrecare.core import clock
from cadrecare.core.errors import ConflictError, DomainError
from cadrecare.core.i18n import choice_label
from cadrecare.org.models import Cadre, User
from cadrecare.rotation.choices import DayKind, MissedRestStatus
from cadrecare.rotation.holiday_calendar import month_days
from cadrecare.rotation.models import Absence, MissedRest, Roster, RosterDay, RosterEntitlement
from cadrecare.rotation.problem import prorated_entitlement
from cadrecare.rotation.selectors import published_roster_days, rest_reducing_kinds
from cadrecare.rotation.services.common import cadre_record_written
from cadrecare.rotation.services.notify import _holders_of, notices_send
from cadrecare.rotation.services.policies import validate_span


@transaction.atomic
def absence_save(
    *,
    actor: User | None,
    data: Mapping[str, Any],
    absence: Absence | None = None,
    request: HttpRequest | None = None,
) -> Absence:
    """Record or change an absence (``absence_write``) about a cadre in
    ``actor``'s scope, or their own where a self-only grant allows it; audited
    with the fields given (a new one) or changed."""
    created = absence is None
    before = {name: getattr(absence, name, None) for name in data}
    absence = absence_write(actor=actor, data=data, absence=absence)
    fields = sorted(data) if created else changed_fields(absence, before)
    cadre_record_written(actor, request, "create" if created else "update", "absences", absence, fields)
    return absence


@transaction.atomic
def absence_delete(*, actor: User | None, absence: Absence, request: HttpRequest | None = None) -> None:
    """Remove an absence recorded by mistake."""
    cadre_record_written(actor, request, "delete", "absences", absence)  # first: the row names it while it exists
    absence.delete()


@transaction.atomic
def absence_write(*, actor: User | None, data: Mapping[str, Any], absence: Absence | None = None) -> Absence:
    """Record or change an absence, neither placed nor audited: for the callers
    that audit it in their own rows (the import, a training's attendance);
    anyone else calls ``absence_save``. A cadre is never away twice on one
    day (the cadre row is locked so two clerks cannot both slip one in)."""
    values = {name: data.get(name, getattr(absence, name, None)) for name in ("cadre", "kind", "start", "end")}
    values["note"] = data.get("note", getattr(absence, "note", ""))
    cadre: Cadre = values["cadre"]
    validate_span(values["start"], values["end"])
    Cadre.objects.select_for_update().filter(pk=cadre.pk).first()
    overlapping = Absence.objects.filter(cadre=cadre, start__lte=values["end"], end__gte=values["start"])
    clash = (overlapping.exclude(pk=absence.pk) if absence is not None else overlapping).first()
    if clash is not None:
        raise DomainError(
            gettext("%(name)s 在 %(start)s 至 %(end)s 已登记%(kind)s，与本次日期重叠。")
            % {
                "name": cadre.name,
                "start": clash.start,
                "end": clash.end,
                "kind": choice_label(clash.get_kind_display()),
            },
            field="start",
        )
    if absence is None:
        absence = Absence.objects.create(created_by=actor, **values)
    else:
        for name, value in values.items():
            setattr(absence, name, value)
        absence.save()
    missed_rest_sync(absence=absence)
    return absence


# ---------------------------------------------------------------------------
# Rest spent away (an absence over published rest days), owed until paid back
# ---------------------------------------------------------------------------

MISSED_NOTICE_KIND = "rest_missed"
MISSED_TAKEN = "taken"  # the access action of recording that the rest was taken after all


def _day_list(days: Iterable[dt.date]) -> str:
    return "、".join(f"{d.month}月{d.day}日" for d in sorted(days))


def missed_rest_sync(*, absence: Absence) -> list[MissedRest]:
    """Keep ``absence``'s effect on published rosters in step, in the caller's
    transaction (every absence write, by hand or imported, comes through
    ``absence_write``): the roster's rest days inside it are away, not rest.
    Per roster, the days owed are those days less the cut in entitlement the
    absence makes when its kind reduces the month's rest (the county's
    setting): a week of sick leave over two rest days of eight cuts the
    entitlement by two and leaves nothing owed; annual leave over them leaves
    both owed. A secretary's "rest was taken" stands while the dates stay the
    same. The cadre and the township's secretaries hear of each new row."""
    rest_days = (
        published_roster_days()
        .filter(cadre_id=absence.cadre_id, kind=DayKind.REST, date__range=(absence.start, absence.end))
        .values_list("version__roster_id", "date")
    )
    by_roster: dict[int, list[dt.date]] = defaultdict(list)
    for roster_id, day in rest_days:
        by_roster[roster_id].append(day)
    MissedRest.objects.filter(absence=absence).exclude(roster_id__in=list(by_roster)).delete()
    rows = []
    for roster_id, days in by_roster.items():
        target = Roster.objects.select_related("unit", "current").get(pk=roster_id)
        cut = _entitlement_cut(target, absence)
        dates = sorted(d.isoformat() for d in days)
        row = MissedRest.objects.filter(absence=absence, roster=target).first()
        values = {"days": len(days), "entitlement_cut": cut, "owed": max(0, len(days) - cut)}
        if row is None:
            row = MissedRest.objects.create(
                absence=absence, roster=target, cadre_id=absence.cadre_id, month=target.month, dates=dates, **values
            )
            _missed_rest_notify(row, absence, target)
        elif row.dates != dates or any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.dates, row.status, row.note = dates, MissedRestStatus.OWED, ""
            row.decided_by, row.decided_at = None, None
            row.save()
        rows.append(row)
    return rows


def _entitlement_cut(target: Roster, absence: Absence) -> int:
    """How many rest days the absence takes off ``target``'s entitlement
    (format rule 1 prorated by its days not already away), when its kind
    reduces the month's rest; else 0."""
    if absence.kind not in rest_reducing_kinds(unit=target.unit, month=target.month):
        return 0
    entitlement = RosterEntitlement.objects.filter(version_id=target.current_id, cadre_id=absence.cadre_id).first()
    if entitlement is None or target.current is None:
        return 0
    days = month_days(target.month)
    newly_away = RosterDay.objects.filter(
        version_id=target.current_id, cadre_id=absence.cadre_id, date__range=(absence.start, absence.end)
    ).exclude(kind=DayKind.AWAY)
    rest_days = int(target.current.problem["policy"]["rest_days"])
    available = entitlement.available_days
    return prorated_entitlement(rest_days, available, len(days)) - prorated_entitlement(
        rest_days, max(0, available - newly_away.count()), len(days)
    )


def _missed_rest_notify(row: MissedRest, absence: Absence, target: Roster) -> int:
    cadre = absence.cadre
    label = f"{target.month.year}年{target.month.month}月"
    what = f"{absence.get_kind_display()}（{_day_list([absence.start])}至{_day_list([absence.end])}）"
    dates = _day_list(dt.date.fromisoformat(d) for d in row.dates)
    owed = f"欠休 {row.owed} 天，将在以后月份的排班中补休。" if row.owed else "按规定相应减少当月应休天数，不再补休。"
    messages = [
        (
            user_id,
            cadre.pk,
            f"{cadre.name}{label}有 {row.days} 个休息日外出未休",
            f"{cadre.name}登记的{what}与{label}已发布排班中的休息日{dates}"
            f"重合，这些天记为外出、未休息；{owed}如其实已休息，请在“外出未休”中确认已休。",
        )
        for user_id, _ in _holders_of("missed-rest", MISSED_TAKEN, target.unit)
        if user_id != cadre.user_id
    ]
    if cadre.user_id:
        messages.append(
            (
                cadre.user_id,
                cadre.pk,
                f"您{label}有 {row.days} 个休息日外出未休",
                f"您的{what}与{label}排班中的休息日{dates}重合，这些天记为外出、未休息；{owed}",
            )
        )
    return notices_send(
        kind=MISSED_NOTICE_KIND,
        object_id=row.pk,
        unit_id=target.unit_id,
        period=target.month,
        due_date=month_days(target.month)[-1],
        url=f"/api/v1/missed-rest/{row.pk}/",
        messages=messages,
    )


@transaction.atomic
def missed_rest_taken(*, actor: User | None, missed: MissedRest, note: str = "") -> MissedRest:
    """The secretary records that the rest was taken after all (the absence
    did not in fact fall on it): nothing is owed and the month counts it."""
    row = MissedRest.objects.select_for_update().get(pk=missed.pk)
    if row.status == MissedRestStatus.TAKEN:
        raise ConflictError(gettext("已确认休息过，无需再次确认。"), field="status")
    row.status, row.note, row.decided_by, row.decided_at = MissedRestStatus.TAKEN, note.strip(), actor, clock.now()
    row.save(update_fields=["status", "note", "decided_by", "decided_at"])
    audit_log(actor=actor, action="change", accesses=[Access("missed-rest", row.pk, row.cadre_id, ("status", "note"))])
    return row
