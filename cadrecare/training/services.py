"""Writes of training programmes: plan and change a programme, nominate the
cadres the priority rule proposed, withdraw a nomination, and record
attendance, which keeps the cadre's roster absence (kind 培训) in step
through the rotation's absence service. Each service checks the actor's
scope, owns its transaction and writes its audit rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cadrecare.audit.services import Access, audit_change, audit_log
from cadrecare.core import clock
from cadrecare.core.errors import DomainError, ForbiddenError
from cadrecare.core.i18n import choice_label
from cadrecare.org import scoping
from cadrecare.org.access import ADD, CHANGE
from cadrecare.org.choices import ENDED_STATUSES
from cadrecare.org.models import Cadre, OrgUnit, User
from cadrecare.rotation.choices import AbsenceKind
from cadrecare.rotation.models import Absence
from cadrecare.rotation.services import absence_write, validate_span
from cadrecare.training.choices import Attendance
from cadrecare.training.models import Nomination, TrainingProgramme
from cadrecare.training.selectors import RESOURCE, may_organise

NOMINATE = "nominate"
ATTENDANCE = "attendance"
PROGRAMME_FIELDS = ("unit", "kind", "name", "date_from", "date_to", "location", "places", "note")


def _require(actor: User | None, programme: TrainingProgramme, action: str, message: str) -> None:
    if actor is not None and not may_organise(actor, programme, action):
        raise ForbiddenError(message)


# ---------------------------------------------------------------------------
# Programmes
# ---------------------------------------------------------------------------


def _programme_validate(values: Mapping[str, Any]) -> None:
    if values["date_to"] < values["date_from"]:
        raise DomainError(_("结束日期不能早于开始日期。"), field="date_to")
    # The attendance becomes one absence on the roster, which has a longest span.
    validate_span(values["date_from"], values["date_to"])
    if not values["places"] or values["places"] < 1:
        raise DomainError(_("名额至少为 1 人。"), field="places")


@transaction.atomic
def programme_create(
    *, actor: User | None, data: Mapping[str, Any], request: HttpRequest | None = None
) -> TrainingProgramme:
    """Plan a programme organised by ``data["unit"]``, a unit in the actor's scope."""
    values = {name: data.get(name, "" if name == "note" else None) for name in PROGRAMME_FIELDS}
    unit: OrgUnit = values["unit"]
    if actor is not None and not scoping.may_in_unit(actor, RESOURCE, ADD, unit):
        raise DomainError(_("所选主办单位不在您的管理范围内。"), field="unit")
    _programme_validate(values)
    programme = TrainingProgramme.objects.create(created_by=actor, **values)
    audit_change(
        actor=actor,
        action="create",
        resource=RESOURCE,
        record=programme,
        fields=[k for k in PROGRAMME_FIELDS if k in data],
        request=request,
    )
    return programme


@transaction.atomic
def programme_update(
    *, actor: User | None, programme: TrainingProgramme, changes: Mapping[str, Any], request: HttpRequest | None = None
) -> TrainingProgramme:
    """Change a programme; new dates move the absences of those who attended.
    The organiser stays (a programme does not move to another unit), and the
    places may not drop below those already nominated."""
    programme = TrainingProgramme.objects.select_for_update().select_related("unit").get(pk=programme.pk)
    _require(actor, programme, CHANGE, "您的角色无权修改该培训。")
    if "unit" in changes and changes["unit"] != programme.unit:
        raise DomainError(_("主办单位不能更改；如需更换，请新建一期。"), field="unit")
    values = {name: changes.get(name, getattr(programme, name)) for name in PROGRAMME_FIELDS}
    _programme_validate(values)
    nominated = programme.nominations.count()
    if values["places"] < nominated:
        raise DomainError(
            _("已提名 %(nominated)s 人，名额不能少于已提名人数。") % {"nominated": nominated}, field="places"
        )
    changed = [name for name in PROGRAMME_FIELDS if getattr(programme, name) != values[name]]
    for name in changed:
        setattr(programme, name, values[name])
    programme.save()
    if {"date_from", "date_to", "name", "kind"} & set(changed):
        for nomination in programme.nominations.filter(attendance=Attendance.ATTENDED).select_related(
            "cadre", "absence"
        ):
            _absence_keep(actor, programme, nomination, request)
            nomination.save(update_fields=["absence"])
    audit_change(actor=actor, action="update", resource=RESOURCE, record=programme, fields=changed, request=request)
    return programme


# ---------------------------------------------------------------------------
# Nominations
# ---------------------------------------------------------------------------


@transaction.atomic
def nominations_confirm(
    *,
    actor: User | None,
    programme: TrainingProgramme,
    cadres: Sequence[Cadre],
    priorities: Mapping[int, str] | None = None,
    request: HttpRequest | None = None,
) -> list[Nomination]:
    """Nominate ``cadres`` (in the order given, usually the proposed one) to
    ``programme``: each in post under the organiser and in the actor's scope,
    not already nominated, within the places. ``priorities`` keeps the
    proposal's reason per cadre id."""
    programme = TrainingProgramme.objects.select_for_update().select_related("unit").get(pk=programme.pk)
    _require(actor, programme, NOMINATE, "您的角色无权为该培训提名。")
    if not cadres:
        raise DomainError(_("请至少选择一名干部。"), field="cadres")
    seen: set[int] = set()
    for cadre in cadres:
        if cadre.pk in seen:
            raise DomainError(_("%(name)s 重复选择。") % {"name": cadre.name}, field="cadres")
        seen.add(cadre.pk)
        if not cadre.unit.path.startswith(programme.unit.path):
            raise DomainError(
                _("%(name)s 不是%(name2)s所属干部，不能提名。") % {"name": cadre.name, "name2": programme.unit.name},
                field="cadres",
            )
        if actor is not None and not scoping.may_for_cadre(actor, RESOURCE, NOMINATE, cadre):
            raise DomainError(_("%(name)s 不在您的管理范围内。") % {"name": cadre.name}, field="cadres")
        if cadre.status in ENDED_STATUSES:
            raise DomainError(
                _("%(name)s 已%(status)s，不能提名。")
                % {"name": cadre.name, "status": choice_label(cadre.get_status_display())},
                field="cadres",
            )
    already = list(programme.nominations.filter(cadre__in=cadres).values_list("cadre__name", flat=True))
    if already:
        raise DomainError(_("%(items)s 已在本期名单中。") % {"items": _("、").join(already)}, field="cadres")
    taken = programme.nominations.count()
    if taken + len(cadres) > programme.places:
        raise DomainError(
            _("名额不足：本期共 %(places)s 个名额，已提名 %(taken)s 人，还可提名 %(value)s 人。")
            % {"places": programme.places, "taken": taken, "value": programme.places - taken},
            field="cadres",
        )
    reasons = priorities or {}
    rows = [
        Nomination.objects.create(
            programme=programme, cadre=cadre, priority=reasons.get(cadre.pk, "")[:200], nominated_by=actor
        )
        for cadre in cadres
    ]
    audit_log(
        actor=actor,
        action="create",
        accesses=[Access(RESOURCE, row.pk, row.cadre_id, ["cadre", "programme"]) for row in rows],
        request=request,
    )
    return rows


@transaction.atomic
def nomination_withdraw(*, actor: User | None, nomination: Nomination, request: HttpRequest | None = None) -> None:
    """Take a cadre off a programme's list, before their attendance is recorded as 参加."""
    nomination = Nomination.objects.select_for_update().select_related("programme__unit", "cadre").get(pk=nomination.pk)
    _require(actor, nomination.programme, NOMINATE, "您的角色无权撤回该提名。")
    if nomination.attendance == Attendance.ATTENDED:
        raise DomainError(
            _("%(name)s 已登记参加，请先把出勤改为缺席或请假。") % {"name": nomination.cadre.name}, field="nomination"
        )
    audit_change(actor=actor, action="delete", resource=RESOURCE, record=nomination, fields=[], request=request)
    nomination.delete()


# ---------------------------------------------------------------------------
# Attendance, and the absence on the roster it makes
# ---------------------------------------------------------------------------


def _absence_note(programme: TrainingProgramme) -> str:
    return f"{programme.get_kind_display()}：{programme.name}"[:300]


def _absence_keep(
    actor: User | None, programme: TrainingProgramme, nomination: Nomination, request: HttpRequest | None
) -> None:
    """The attended cadre's absence spans the programme's dates (created, or moved with them)."""
    data = {
        "cadre": nomination.cadre,
        "kind": AbsenceKind.TRAINING,
        "start": programme.date_from,
        "end": programme.date_to,
        "note": _absence_note(programme),
    }
    created = nomination.absence is None
    try:
        nomination.absence = absence_write(actor=actor, data=data, absence=nomination.absence)
    except DomainError as error:
        raise DomainError(
            _("无法登记%(name)s参加：%(message)s") % {"name": nomination.cadre.name, "message": error.message},
            field="attendance",
        ) from error
    audit_change(
        actor=actor,
        action="create" if created else "update",
        resource="absences",
        record=nomination.absence,
        fields=["kind", "start", "end", "note"],
        request=request,
    )


def _absence_drop(actor: User | None, nomination: Nomination, request: HttpRequest | None) -> None:
    absence: Absence | None = nomination.absence
    if absence is None:
        return
    audit_change(actor=actor, action="delete", resource="absences", record=absence, fields=[], request=request)
    nomination.absence = None
    absence.delete()  # its rest owed (MissedRest) goes with it: the cadre was not away after all


@transaction.atomic
def attendance_record(
    *,
    actor: User | None,
    programme: TrainingProgramme,
    rows: Sequence[Mapping[str, Any]],
    request: HttpRequest | None = None,
    today: dt.date | None = None,
) -> list[Nomination]:
    """Record attendance for nominees of ``programme``, all rows or none: each
    row names a ``nomination`` (of this programme), an ``attendance`` (参加,
    缺席, 请假, or 待登记 to undo) and for 请假 an ``excuse``. 参加 puts an
    absence of kind 培训 over the programme's dates on the cadre's roster;
    any other state removes it."""
    programme = TrainingProgramme.objects.select_for_update().select_related("unit").get(pk=programme.pk)
    _require(actor, programme, ATTENDANCE, "您的角色无权登记该培训的出勤。")
    today = today or clock.today()
    if programme.date_from > today:
        raise DomainError(
            _("本期 %(date_from)s 开始，开始后才能登记出勤。") % {"date_from": programme.date_from}, field="attendance"
        )
    if not rows:
        raise DomainError(_("请至少登记一人。"), field="rows")
    ids = [row["nomination"].pk for row in rows]
    if len(set(ids)) != len(ids):
        raise DomainError(_("同一人只能登记一次。"), field="rows")
    nominations = {
        n.pk: n
        for n in Nomination.objects.select_for_update(of=("self",))
        .select_related("cadre__unit", "absence")
        .filter(pk__in=ids, programme=programme)
    }
    saved = []
    now = timezone.now()
    for row in rows:
        nomination = nominations.get(row["nomination"].pk)
        if nomination is None:
            raise DomainError(_("所选提名不属于本期。"), field="nomination")
        status = row["attendance"]
        excuse = (row.get("excuse") or "").strip()
        if status == Attendance.EXCUSED and not excuse:
            raise DomainError(_("请填写%(name)s的请假原因。") % {"name": nomination.cadre.name}, field="excuse")
        if status == Attendance.ATTENDED:
            _absence_keep(actor, programme, nomination, request)
        else:
            _absence_drop(actor, nomination, request)
        changed = ["attendance"] + (["excuse"] if excuse != nomination.excuse else [])
        nomination.attendance = status
        nomination.excuse = excuse if status == Attendance.EXCUSED else ""
        nomination.recorded_by = actor if status != Attendance.PENDING else None
        nomination.recorded_at = now if status != Attendance.PENDING else None
        nomination.save()
        audit_change(
            actor=actor, action="update", resource=RESOURCE, record=nomination, fields=changed, request=request
        )
        saved.append(nomination)
    return saved
