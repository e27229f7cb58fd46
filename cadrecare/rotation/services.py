"""Writes of the rest rotation that are not rosters: policies, absences, rest
requests and recalls. Each is keyword-only, owns its transaction and raises
DomainError with a Chinese message naming the field at fault."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import replace as dc_replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

from celery import group
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max, Q

from cadrecare.audit.services import Access, audit_log
from cadrecare.core import clock
from cadrecare.core.broker import queue_depth
from cadrecare.core.errors import (
    ConflictError,
    DomainError,
    ForbiddenError,
    PreconditionFailed,
    PreconditionRequired,
)
from cadrecare.org.access import ACCESS
from cadrecare.org.choices import UnitKind
from cadrecare.org.models import Cadre, OrgUnit, RoleGrant, User, ancestor_paths
from cadrecare.org.scoping import own_cadre_id
from cadrecare.reminders.choices import Stage
from cadrecare.reminders.models import Notice
from cadrecare.reminders.services import notices_deliver_now
from cadrecare.rotation.choices import (
    SWAP_OPEN,
    AbsenceKind,
    DayKind,
    MissedRestStatus,
    Mode,
    RestConfirmationStatus,
    RosterStatus,
    RunKind,
    RunStatus,
    SolverStatus,
    SwapStatus,
)
from cadrecare.rotation.holiday_calendar import month_calendar, month_days
from cadrecare.rotation.models import (
    Absence,
    GenerationItem,
    GenerationRun,
    MissedRest,
    Recall,
    RestConfirmation,
    RestFeed,
    RestRequest,
    Roster,
    RosterDay,
    RosterEntitlement,
    RosterVersion,
    RotationPolicy,
    SwapRequest,
)
from cadrecare.rotation.problem import (
    BuiltProblem,
    cadre_key,
    cadre_pk,
    problem_from_stored,
    problem_json,
    prorated_entitlement,
    reasons_for_people,
    roster_problem_build,
    with_names,
)
from cadrecare.rotation.selectors import (
    ROSTERED_STATUSES,
    county_bounds,
    policy_in_force,
    published_roster_days,
    rest_reducing_kinds,
)
from scheduler import roster as solver

logger = logging.getLogger(__name__)
SOLUTION_FORMAT = "cadrecare.roster-solution/1"
PUBLISHED_NOTICE_KIND = "roster_published"
DRAFT_READY_NOTICE_KIND = "roster_draft_ready"  # to whoever may publish the township's roster
PUBLISH = "publish"  # the access action of publishing a roster

LONGEST_MONTH = 31
MAX_REST_DAYS = 16
MAX_GENERATION_DAY = 28  # exists in every month
MAX_SPAN_DAYS = 366
MAX_REQUEST_DAYS = 31
POLICY_UNIT_KINDS = (UnitKind.CITY, UnitKind.COUNTY, UnitKind.TOWNSHIP)

# ---------------------------------------------------------------------------
# Rotation policy
# ---------------------------------------------------------------------------


def _month_start(today: dt.date) -> dt.date:
    return today.replace(day=1)


def policy_validate(*, unit: OrgUnit, data: Mapping[str, Any], today: dt.date) -> None:
    """The policy's rules, each refused with the reason
    (docs/roster-format.md, "Things that follow from the rules")."""
    if unit.kind not in POLICY_UNIT_KINDS:
        raise DomainError("轮休政策只能设在市、县（区）或乡镇（街道）。", field="unit")
    effective_from: dt.date = data["effective_from"]
    if effective_from < _month_start(today):
        raise DomainError(
            f"不能为已过去的月份（{effective_from:%Y-%m}）设置政策：过去的月份保留当时的政策。", field="effective_from"
        )
    if data["mode"] not in Mode.values:
        raise DomainError("轮休模式只能是周轮休、半月轮休或月轮休。", field="mode")
    rest_days = data["rest_days"]
    if not 1 <= rest_days <= MAX_REST_DAYS:
        raise DomainError(f"每月休息天数须在 1 至 {MAX_REST_DAYS} 天之间。", field="rest_days")
    ratio = Fraction(Decimal(data["min_on_duty_ratio"]))
    if not 0 <= ratio < 1:
        raise DomainError("最低在岗比例须在 0 到 1 之间（不含 1）。", field="min_on_duty_ratio")
    # Each cadre rests rest_days of at most 31 days, so on an average day at
    # least rest_days/31 of them are resting: a higher duty share is
    # impossible in every mode and every month.
    ceiling = 1 - Fraction(rest_days, LONGEST_MONTH)
    if ratio > ceiling:
        resting = Fraction(rest_days, LONGEST_MONTH)
        raise DomainError(
            f"最低在岗比例 {data['min_on_duty_ratio']} 无法实现：每人每月休息 {rest_days} 天，"
            f"即使在 31 天的月份，平均每天也至少有 {float(resting):.1%} 的干部在休息，"
            f"在岗比例最高只能约 {float(ceiling):.1%}，任何轮休模式都排不出来。"
            f"建议设为 0.6 左右（半月轮休、月轮休不宜超过三分之二）。",
            field="min_on_duty_ratio",
        )
    if not 0 <= data["min_leaders_on_duty"] <= 10:
        raise DomainError("最少在岗班子成员须在 0 至 10 人之间。", field="min_leaders_on_duty")
    if not 0 <= data["min_on_duty_per_office"] <= 10:
        raise DomainError("每个科室最少在岗人数须在 0 至 10 人之间。", field="min_on_duty_per_office")
    if not 1 <= data["generation_day"] <= MAX_GENERATION_DAY:
        raise DomainError(f"生成日期须在每月 1 日至 {MAX_GENERATION_DAY} 日之间。", field="generation_day")
    _validate_pairs(unit, data.get("never_together") or [])
    _validate_blackout(data.get("blackout") or [])
    kinds = data.get("absence_kinds_reducing_rest")
    if not isinstance(kinds, list) or any(kind not in AbsenceKind.values for kind in kinds):
        raise DomainError(
            "减少当月休息的外出类型须从以下选择："
            + "、".join(f"{v}（{label}）" for v, label in AbsenceKind.choices)
            + "。",
            field="absence_kinds_reducing_rest",
        )
    if unit.kind == UnitKind.TOWNSHIP:
        _within_county_bounds(unit, data)
    else:
        _validate_bounds(data)


def _refuse_township_absence_kinds(unit: OrgUnit, data: Mapping[str, Any]) -> None:
    # Which absences cost rest is the county's to say (issue 11): a township's version keeps the default.
    if unit.kind == UnitKind.TOWNSHIP and "absence_kinds_reducing_rest" in data:
        raise DomainError(
            "哪些外出类型减少当月休息由县级轮休政策设定，乡镇不能更改。", field="absence_kinds_reducing_rest"
        )


def _validate_bounds(data: Mapping[str, Any]) -> None:
    modes = data.get("township_modes") or []
    if not isinstance(modes, list) or any(mode not in Mode.values for mode in modes):
        raise DomainError("乡镇可选的轮休模式须是周轮休、半月轮休、月轮休中的若干个。", field="township_modes")
    least = data.get("township_min_ratio")
    if least is not None and not 0 <= Decimal(least) < 1:
        raise DomainError("乡镇最低在岗比例的下限须在 0 到 1 之间（不含 1）。", field="township_min_ratio")


def _within_county_bounds(unit: OrgUnit, data: Mapping[str, Any]) -> None:
    """A township's own policy keeps within its county's bounds; each refusal
    says what the county allows and whom to ask for more."""
    if data.get("township_modes") or data.get("township_min_ratio") is not None:
        raise DomainError("乡镇可选范围由县（区）在其政策中设定，乡镇政策不能设置。", field="township_modes")
    bounds = county_bounds(unit=unit, month=data["effective_from"])
    if bounds is None:
        return
    ask = f"如需调整，请联系{bounds.unit.name}委组织部。"
    if bounds.township_modes and data["mode"] not in bounds.township_modes:
        allowed = "、".join(str(Mode(mode).label) for mode in bounds.township_modes)
        raise DomainError(f"{bounds.unit.name}规定乡镇只能选用{allowed}。{ask}", field="mode")
    least = bounds.township_min_ratio
    if least is not None and Decimal(data["min_on_duty_ratio"]) < least:
        raise DomainError(f"{bounds.unit.name}规定乡镇最低在岗比例不得低于 {least}。{ask}", field="min_on_duty_ratio")


def _with_county_blackout(unit: OrgUnit, values: dict[str, Any]) -> list[dict[str, str]]:
    """A township's blackout days: the county's, which bind it, then its own."""
    spans = _normal_blackout(values["blackout"])
    if unit.kind != UnitKind.TOWNSHIP:
        return spans
    bounds = county_bounds(unit=unit, month=values["effective_from"])
    imposed = [span for span in (bounds.blackout if bounds else []) if span not in spans]
    return imposed + spans


def _validate_pairs(unit: OrgUnit, pairs: Sequence[Any]) -> None:
    ids: set[int] = set()
    for index, pair in enumerate(pairs):
        where = f"never_together[{index}]"
        if (
            not isinstance(pair, list | tuple)
            or len(pair) != 2
            or not all(isinstance(x, int) and not isinstance(x, bool) for x in pair)
        ):
            raise DomainError("不得同时休息的干部须写成两个干部编号，如 [12, 15]。", field=where)
        if pair[0] == pair[1]:
            raise DomainError("不得同时休息的一对须是两名不同的干部。", field=where)
        ids.update(pair)
    if ids:
        found = set(
            Cadre.objects.filter(
                pk__in=ids, unit__path__startswith=unit.path, status__in=ROSTERED_STATUSES
            ).values_list("pk", flat=True)
        )
        missing = sorted(ids - found)
        if missing:
            raise DomainError(f"干部 {missing} 不在本单位在职干部中。", field="never_together")


def _validate_blackout(spans: Sequence[Any]) -> None:
    for index, span in enumerate(spans):
        where = f"blackout[{index}]"
        if not isinstance(span, Mapping):
            raise DomainError('禁休日期须写成 {"from": 日期, "to": 日期, "reason": 原因}。', field=where)
        try:
            start = dt.date.fromisoformat(str(span.get("from")))
            end = dt.date.fromisoformat(str(span.get("to", span.get("from"))))
        except ValueError:
            raise DomainError("禁休日期无法识别，应为 YYYY-MM-DD。", field=where) from None
        if end < start:
            raise DomainError("禁休日期的结束日早于开始日。", field=where)
        if (end - start).days >= MAX_SPAN_DAYS:
            raise DomainError("一段禁休日期不能超过一年。", field=where)
        reason = str(span.get("reason") or "").strip()
        if not reason or len(reason) > 100:
            raise DomainError("请写明禁休原因（如防汛、选举、集中整治），不超过 100 字。", field=where)


def _normal_blackout(spans: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    return [
        {"from": str(span["from"]), "to": str(span.get("to") or span["from"]), "reason": str(span["reason"]).strip()}
        for span in spans
    ]


POLICY_FIELDS = (
    "mode",
    "rest_days",
    "min_on_duty_ratio",
    "min_leaders_on_duty",
    "min_on_duty_per_office",
    "principal_leaders_apart",
    "never_together",
    "blackout",
    "generation_day",
    "absence_kinds_reducing_rest",
    "township_modes",
    "township_min_ratio",
)


def _policy_values(data: Mapping[str, Any], base: RotationPolicy | None = None) -> dict[str, Any]:
    values = {
        name: data.get(name, getattr(base, name) if base else RotationPolicy._meta.get_field(name).get_default())
        for name in POLICY_FIELDS
    }
    values["effective_from"] = data.get("effective_from", base.effective_from if base else None)
    return values


@transaction.atomic
def rotation_policy_create(
    *, actor: User | None, unit: OrgUnit, data: Mapping[str, Any], today: dt.date | None = None
) -> RotationPolicy:
    """A new policy version for ``unit`` from a stated month on."""
    _refuse_township_absence_kinds(unit, data)
    values = _policy_values(data)
    if values["effective_from"] is None:
        raise DomainError("请填写政策的起始月份。", field="effective_from")
    policy_validate(unit=unit, data=values, today=today or clock.today())
    if RotationPolicy.objects.filter(unit=unit, effective_from=values["effective_from"]).exists():
        raise DomainError(
            f"本单位 {values['effective_from']:%Y-%m} 起的政策已存在，请修改该版本。", field="effective_from"
        )
    values["blackout"] = _with_county_blackout(unit, values)
    return RotationPolicy.objects.create(unit=unit, created_by=actor, **values)


@transaction.atomic
def rotation_policy_update(
    *, actor: User | None, policy: RotationPolicy, data: Mapping[str, Any], today: dt.date | None = None
) -> RotationPolicy:
    """Change a version that has not yet come into force; past months keep theirs."""
    today = today or clock.today()
    policy = RotationPolicy.objects.select_for_update().get(pk=policy.pk)
    if policy.effective_from < _month_start(today):
        raise DomainError(
            "该版本已经用于过去的月份，不能修改；请新建一个从本月或以后月份起生效的版本。", field="effective_from"
        )
    if "unit" in data and data["unit"] != policy.unit:
        raise DomainError("不能把政策移到另一个单位，请在该单位新建政策。", field="unit")
    _refuse_township_absence_kinds(policy.unit, data)
    values = _policy_values(data, base=policy)
    policy_validate(unit=policy.unit, data=values, today=today)
    if (
        RotationPolicy.objects.filter(unit=policy.unit, effective_from=values["effective_from"])
        .exclude(pk=policy.pk)
        .exists()
    ):
        raise DomainError(f"本单位 {values['effective_from']:%Y-%m} 起的政策已存在。", field="effective_from")
    values["blackout"] = _with_county_blackout(policy.unit, values)
    for name, value in values.items():
        setattr(policy, name, value)
    policy.save()
    return policy


@transaction.atomic
def rotation_policy_delete(*, policy: RotationPolicy, today: dt.date | None = None) -> None:
    if policy.effective_from < _month_start(today or clock.today()):
        raise DomainError("该版本已经用于过去的月份，不能删除。", field="effective_from")
    policy.delete()


# ---------------------------------------------------------------------------
# Absences (请假、培训、借调、病假)
# ---------------------------------------------------------------------------


def validate_span(start: dt.date, end: dt.date, longest: int = MAX_SPAN_DAYS) -> None:
    if end < start:
        raise DomainError("结束日期不能早于开始日期。", field="end")
    if (end - start).days >= longest:
        raise DomainError(f"一次最长 {longest} 天，请分段登记。", field="end")


@transaction.atomic
def absence_save(*, actor: User | None, data: Mapping[str, Any], absence: Absence | None = None) -> Absence:
    """Record or change an absence; a cadre is never away twice on one day
    (the cadre row is locked so two clerks cannot both slip one in)."""
    values = {name: data.get(name, getattr(absence, name, None)) for name in ("cadre", "kind", "start", "end")}
    values["note"] = data.get("note", getattr(absence, "note", ""))
    cadre: Cadre = values["cadre"]
    validate_span(values["start"], values["end"])
    Cadre.objects.select_for_update().filter(pk=cadre.pk).first()
    clash = (
        Absence.objects.filter(cadre=cadre, start__lte=values["end"], end__gte=values["start"])
        .exclude(pk=getattr(absence, "pk", None))
        .first()
    )
    if clash is not None:
        raise DomainError(
            f"{cadre.name} 在 {clash.start} 至 {clash.end} 已登记{clash.get_kind_display()}，与本次日期重叠。",
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
    ``absence_save``): the roster's rest days inside it are away, not rest.
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
    if entitlement is None:
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
        raise ConflictError("已确认休息过，无需再次确认。", field="status")
    row.status, row.note, row.decided_by, row.decided_at = MissedRestStatus.TAKEN, note.strip(), actor, clock.now()
    row.save(update_fields=["status", "note", "decided_by", "decided_at"])
    audit_log(actor=actor, action="change", accesses=[Access("missed-rest", row.pk, row.cadre_id, ("status", "note"))])
    return row


# ---------------------------------------------------------------------------
# Month-end confirmation (月末休息确认): the cadre's word, a correction the secretary's item
# ---------------------------------------------------------------------------

CORRECTION_NOTICE_KIND = "rest_corrected"  # at once; the due item is "rest_correction"
CORRECTION_RESOLVE = "resolve"  # the access action of answering a cadre's correction


@transaction.atomic
def rest_confirmation_submit(
    *,
    actor: User,
    roster_obj: Roster,
    confirm: bool,
    days_rested: int | None = None,
    note: str = "",
    today: dt.date | None = None,
) -> RestConfirmation:
    """A cadre confirms their month's rest as recorded, or corrects it (how
    many days they really rested and what happened). From the month's last
    day on, on a published or locked roster they are on. A correction opens
    an item for the township's party secretary and keeps the month from
    counting as confirmed until it is answered; confirming again withdraws it."""
    today = today or clock.today()
    cadre_id = own_cadre_id(actor)
    if cadre_id is None:
        raise ForbiddenError("只有干部本人可以确认自己的休息情况。")
    target = Roster.objects.select_related("unit").get(pk=roster_obj.pk)
    if target.status not in (RosterStatus.PUBLISHED, RosterStatus.LOCKED):
        raise DomainError("该月排班尚未发布，无需确认。", field="roster")
    if not RosterEntitlement.objects.filter(version_id=target.current_id, cadre_id=cadre_id).exists():
        raise DomainError("您不在该月的排班中。", field="roster")
    last = month_days(target.month)[-1]
    if today < last:
        raise DomainError(f"月末（{last.month}月{last.day}日）起才能确认本月休息情况。", field="roster")
    if not confirm:
        note = note.strip()
        if not note:
            raise DomainError("请写明需要更正的情况（哪几天没有休息、为什么）。", field="note")
        if days_rested is None or not 0 <= days_rested <= len(month_days(target.month)):
            raise DomainError("请填写本月实际休息的天数。", field="days_rested")
    Cadre.objects.select_for_update().filter(pk=cadre_id).first()
    row, _ = RestConfirmation.objects.update_or_create(
        roster=target,
        cadre_id=cadre_id,
        defaults={
            "status": RestConfirmationStatus.CONFIRMED if confirm else RestConfirmationStatus.CORRECTED,
            "days_rested": None if confirm else days_rested,
            "note": "" if confirm else note,
            "submitted_on": today,
            "created_by": actor,
            "resolved_by": None,
            "resolved_at": None,
            "resolution": "",
        },
    )
    audit_log(
        actor=actor,
        action="change",
        accesses=[Access("rest-confirmations", row.pk, cadre_id, ("status", "days_rested", "note"))],
    )
    if not confirm:
        _correction_notify(row, target)
    return row


def _correction_notify(row: RestConfirmation, target: Roster) -> int:
    label = f"{target.month.year}年{target.month.month}月"
    name = row.cadre.name
    return notices_send(
        kind=CORRECTION_NOTICE_KIND,
        object_id=row.pk,
        unit_id=target.unit_id,
        period=target.month,
        due_date=row.submitted_on + dt.timedelta(days=CORRECTION_DAYS),
        url=f"/api/v1/rest-confirmations/{row.pk}/",
        messages=[
            (
                user_id,
                row.cadre_id,
                f"{name}对{label}的休息情况提出更正",
                f"{name}说{label}实际休息 {row.days_rested} 天：{row.note}。请核实后答复。",
            )
            for user_id, _ in _holders_of("rest-confirmations", CORRECTION_RESOLVE, target.unit)
        ],
    )


#: Days the secretary has to answer a correction before it is overdue.
CORRECTION_DAYS = 7


@transaction.atomic
def rest_confirmation_resolve(
    *, actor: User | None, confirmation: RestConfirmation, resolution: str
) -> RestConfirmation:
    """The secretary answers a cadre's correction (and records what follows:
    a recall, an absence, or rest taken, through their own services)."""
    row = RestConfirmation.objects.select_for_update().select_related("roster").get(pk=confirmation.pk)
    if row.status != RestConfirmationStatus.CORRECTED:
        raise ConflictError(f"该确认{row.get_status_display()}，没有待处理的更正。", field="status")
    resolution = resolution.strip()
    if not resolution:
        raise DomainError("请写明处理意见。", field="resolution")
    row.status, row.resolution, row.resolved_by, row.resolved_at = (
        RestConfirmationStatus.RESOLVED,
        resolution,
        actor,
        clock.now(),
    )
    row.save(update_fields=["status", "resolution", "resolved_by", "resolved_at", "updated_at"])
    audit_log(
        actor=actor, action="change", accesses=[Access("rest-confirmations", row.pk, row.cadre_id, ("resolution",))]
    )
    return row


# ---------------------------------------------------------------------------
# Rest requests (休息意愿)
# ---------------------------------------------------------------------------


@transaction.atomic
def rest_request_save(
    *, actor: User | None, data: Mapping[str, Any], request: RestRequest | None = None, today: dt.date | None = None
) -> RestRequest:
    """A cadre (or the secretary for them) asks to rest, or not to rest, on
    some dates: not in the past, at most a month at a time, with a reason."""
    today = today or clock.today()
    names = ("cadre", "kind", "start", "end", "reason", "poor_health", "family_hardship")
    values = {name: data.get(name, getattr(request, name, None)) for name in names}
    validate_span(values["start"], values["end"], MAX_REQUEST_DAYS)
    if values["start"] < today:
        raise DomainError("不能为已经过去的日期提出休息意愿。", field="start")
    if not str(values["reason"] or "").strip():
        raise DomainError("请写明理由。", field="reason")
    values["poor_health"] = bool(values["poor_health"])
    values["family_hardship"] = bool(values["family_hardship"])
    if request is None:
        return RestRequest.objects.create(requested_by=actor, **values)
    for name, value in values.items():
        setattr(request, name, value)
    request.save()
    return request


# ---------------------------------------------------------------------------
# Rosters: generation (asynchronous, atomic, idempotent), publish, lock
# ---------------------------------------------------------------------------

#: How many times a unit's month is tried (a worker that died with it, a lost
#: database) before the item is failed with the reason.
MAX_ATTEMPTS = 5


def item_lease() -> dt.timedelta:
    """How long a queued item's message is trusted: from its sending, and
    again from the worker's claim (the solve task's hard time limit). An item
    still queued past it lost its message (Redis restarted empty, a worker
    killed) and ``generation_items_redispatch`` sends it again."""
    return dt.timedelta(seconds=settings.ROTATION_ITEM_LEASE_SECONDS)


def _enqueue_items(item_ids: Sequence[int]) -> None:
    """Send items to the workers after commit, each under a fresh lease. A
    broker outage must not turn a committed request into a 500: the queued
    rows are the outbox, and ``generation_items_redispatch`` sends them again
    once their lease is over (docs/reliability.md)."""
    if not item_ids:
        return
    GenerationItem.objects.filter(pk__in=item_ids).update(lease_until=clock.now() + item_lease())

    def send() -> None:
        from scheduler.tasks.rotation import generation_item_run_task  # tasks import this module

        try:
            group(generation_item_run_task.s(item_id) for item_id in item_ids).apply_async()
        except Exception:  # broker down: the redispatch job picks the rows up
            logger.warning("could not enqueue roster generation items %s; they stay queued", list(item_ids))

    transaction.on_commit(send)


def generation_request(
    *, actor: User | None, unit: OrgUnit, month: dt.date, keep_pinned: bool = True, today: dt.date | None = None
) -> GenerationRun:
    """A secretary's "generate" (or "regenerate"): one run, one unit, answered
    at once and solved by a worker. Asking again while one is queued returns
    the queued run, also when the requests come at the same moment: a unit's
    month is queued once by a unique constraint, and the request that loses
    the race reads the winner's run. A published or locked month is never
    touched."""
    today = today or clock.today()
    if month < _month_start(today):
        raise DomainError(f"{month:%Y-%m} 已经过去，不能再生成排班。", field="month")
    with transaction.atomic():
        roster = Roster.objects.filter(unit=unit, month=month).first()
        if roster is not None and roster.status != RosterStatus.DRAFT:
            raise DomainError(
                f"{unit.name} {month:%Y-%m} 的排班已{roster.get_status_display()}，不能重新生成。", field="month"
            )
        while (pending := _queued_run(unit, month)) is None:
            try:
                with transaction.atomic():
                    run = GenerationRun.objects.create(
                        unit=unit, month=month, kind=RunKind.MANUAL, keep_pinned=keep_pinned, requested_by=actor
                    )
                    item = GenerationItem.objects.create(run=run, unit=unit, month=month)
            except IntegrityError:
                # A request at the same moment queued this month first (the partial unique
                # constraint waited for it to commit): answer with its run, read next.
                continue
            _enqueue_items([item.pk])
            return run
    return pending


def _queued_run(unit: OrgUnit, month: dt.date) -> GenerationRun | None:
    item = GenerationItem.objects.filter(unit=unit, month=month, status=RunStatus.QUEUED).select_related("run").first()
    return item.run if item is not None else None


def units_due_for_generation(day: dt.date) -> list[OrgUnit]:
    """Townships whose policy for next month says today is generation day."""
    month = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    due = []
    for unit in OrgUnit.objects.filter(kind=UnitKind.TOWNSHIP, active=True).order_by("path"):
        policy = policy_in_force(unit=unit, month=month)
        if policy is not None and policy.generation_day == day.day:
            due.append(unit)
    return due


def generation_due_run(*, today: dt.date | None = None) -> GenerationRun | None:
    """The daily job: for every unit whose generation day it
    is, next month's draft, as one run with an item per unit fanned out to the
    workers. One run per day however often it fires; units that already have
    a roster for the month are left alone (the secretary got there first)."""
    today = today or clock.today()
    month = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    units = units_due_for_generation(today)
    if not units:
        return None
    root = units[0]
    while root.parent_id is not None:
        root = OrgUnit.objects.get(pk=root.parent_id)
    with transaction.atomic():
        run, _ = GenerationRun.objects.get_or_create(
            kind=RunKind.SCHEDULED, scheduled_for=today, defaults={"unit": root, "month": month}
        )
        run = GenerationRun.objects.select_for_update().get(pk=run.pk)
        taken = set(Roster.objects.filter(month=month, unit__in=units).values_list("unit_id", flat=True))
        have = set(run.items.values_list("unit_id", flat=True))
        # A unit whose month a secretary already queued keeps that run (the conflict is skipped).
        GenerationItem.objects.bulk_create(
            [GenerationItem(run=run, unit=unit, month=month) for unit in units if unit.pk not in taken | have],
            ignore_conflicts=True,
        )
        queued = list(run.items.filter(status=RunStatus.QUEUED).values_list("pk", flat=True))
        _enqueue_items(queued)
    return run


def generation_items_redispatch(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Every 30 seconds: the queued items whose lease ran out lost their
    message. One a worker had claimed is sent again at once (its worker
    died); one never claimed only when nothing waits in the solve queue (else
    it is behind a backlog, not lost). An item out of attempts is failed with
    the reason instead, so its run ends. Returns how many were sent and failed."""
    from config.settings.celery import QUEUE_SOLVE

    now = now or clock.now()
    expired = GenerationItem.objects.filter(status=RunStatus.QUEUED, lease_until__lt=now)
    failed = expired.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=RunStatus.FAILED,
        finished_at=now,
        lease_until=None,
        claimed_until=None,
        reasons=[{"message": f"尝试 {MAX_ATTEMPTS} 次仍未完成（执行它的进程中断或数据库连接丢失），请重新生成。"}],
    )
    lost = expired.filter(attempts__lt=MAX_ATTEMPTS)
    if queue_depth(QUEUE_SOLVE) != 0:  # a backlog (or no broker): only the claimed ones are surely lost
        lost = lost.filter(attempts__gt=0)
    with transaction.atomic():
        stale = list(lost.select_for_update(skip_locked=True).values_list("pk", flat=True)[:1000])
        _enqueue_items(stale)
    if stale or failed:
        logger.warning("roster generation items sent again: %s; failed out of attempts: %d", stale, failed)
    return {"sent": len(stale), "failed": failed}


def _lock_unit_month(unit: OrgUnit, month: dt.date) -> None:
    """Serialise writers of one unit's month across processes (a transaction-level
    advisory lock; SQLite serialises whole transactions anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [unit.pk, month.year * 100 + month.month])


def _finish_item(
    item: GenerationItem,
    status: str,
    reasons: Sequence[Mapping[str, Any]] = (),
    roster: Roster | None = None,
    seconds: float | None = None,
) -> None:
    GenerationItem.objects.filter(pk=item.pk).update(
        status=status, reasons=list(reasons), roster=roster, solve_seconds=seconds, finished_at=clock.now()
    )


def _pinned_days(roster: Roster | None) -> dict[int, list[dt.date]]:
    if roster is None or roster.current_id is None:
        return {}
    pinned: dict[int, list[dt.date]] = defaultdict(list)
    for cadre_id, day in RosterDay.objects.filter(
        version_id=roster.current_id, pinned=True, kind=DayKind.REST
    ).values_list("cadre_id", "date"):
        pinned[cadre_id].append(day)
    return pinned


def generation_item_run(*, item_id: int) -> str:
    """One unit's month (docs/reliability.md, "Roster generation"): solve in
    memory, then in one transaction, under the unit-month lock, write a new
    version with all its days and flip the roster's pointer last. Run twice,
    retried or raced by two workers, it writes once: the item's status is
    checked again under the lock, and a version belongs to one item. A
    published or locked roster is never touched. Returns the item's status."""
    now = clock.now()
    # The claim: one conditional UPDATE, so of two copies of the message (a
    # redelivery, a redispatch) only one solves while the other's lease holds.
    claimed = (
        GenerationItem.objects.filter(pk=item_id, status=RunStatus.QUEUED, attempts__lt=MAX_ATTEMPTS)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(attempts=F("attempts") + 1, claimed_until=now + item_lease(), lease_until=now + item_lease())
    )
    item = GenerationItem.objects.select_related("run", "unit").filter(pk=item_id).first()
    if item is None or not claimed:
        return item.status if item else "missing"
    unit, month = item.unit, item.run.month
    existing = Roster.objects.filter(unit=unit, month=month).first()
    if existing is not None and existing.status != RosterStatus.DRAFT:
        _finish_item(
            item, RunStatus.SKIPPED, [{"message": f"排班已{existing.get_status_display()}，未改动。"}], roster=existing
        )
        return RunStatus.SKIPPED
    try:
        built = roster_problem_build(
            unit=unit, month=month, pinned=_pinned_days(existing) if item.run.keep_pinned else None
        )
    except DomainError as error:
        _finish_item(item, RunStatus.FAILED, [{"message": error.message}])
        return RunStatus.FAILED
    started = time.monotonic()
    try:
        solution = solver.solve(
            built.problem, time_limit=settings.ROTATION_SOLVE_SECONDS, workers=settings.ROTATION_SOLVE_SEARCHES
        )
    except solver.SolveTimeout:
        message = f"{settings.ROTATION_SOLVE_SECONDS:.0f} 秒内没有找到可行的排班，也未能证明无解。"
        _finish_item(item, RunStatus.FAILED, [{"message": message}])
        return RunStatus.FAILED
    seconds = time.monotonic() - started
    return _roster_version_write(item=item, built=built, solution=solution, seconds=seconds)


def _roster_version_write(
    *, item: GenerationItem, built: BuiltProblem, solution: solver.Solution, seconds: float
) -> str:
    unit, month = item.unit, item.run.month
    reasons = reasons_for_people(solution.reasons, built.names)
    with transaction.atomic():
        _lock_unit_month(unit, month)
        if GenerationItem.objects.select_for_update().get(pk=item.pk).status != RunStatus.QUEUED:
            return GenerationItem.objects.get(pk=item.pk).status  # another worker finished it
        target, _ = Roster.objects.get_or_create(unit=unit, month=month)
        target = Roster.objects.select_for_update().get(pk=target.pk)
        if target.status != RosterStatus.DRAFT:
            _finish_item(
                item, RunStatus.SKIPPED, [{"message": f"排班已{target.get_status_display()}，未改动。"}], roster=target
            )
            return RunStatus.SKIPPED
        infeasible = solution.status == SolverStatus.INFEASIBLE
        if infeasible and target.current_id is not None:
            # Keep the last good draft; the run says why this one failed.
            _finish_item(item, RunStatus.INFEASIBLE, reasons, roster=target, seconds=seconds)
            return RunStatus.INFEASIBLE
        _version_create(target, built, solution, reasons, item=item, actor=item.run.requested_by)
        _finish_item(
            item, RunStatus.INFEASIBLE if infeasible else RunStatus.SOLVED, reasons, roster=target, seconds=seconds
        )
        if not infeasible:
            roster_draft_ready_notify(roster_obj=target)
    return RunStatus.INFEASIBLE if infeasible else RunStatus.SOLVED


def _version_create(
    target: Roster,
    built: BuiltProblem,
    solution: solver.Solution,
    reasons: Sequence[Mapping[str, Any]],
    *,
    item: GenerationItem | None,
    actor: User | None,
) -> RosterVersion:
    """Write a whole version, then point the roster at it (the pointer flips last)."""
    number = (target.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = RosterVersion.objects.create(
        roster=target,
        number=number,
        solver_status=solution.status,
        metrics=solution.metrics.to_json() if solution.metrics else None,
        reasons=list(reasons),
        problem=problem_json(built),
        solution=solution.to_json(),
        generation_item=item,
        created_by=actor,
    )
    RosterDay.objects.bulk_create(_day_rows(version, built, solution))
    if solution.status != SolverStatus.INFEASIBLE:
        RosterEntitlement.objects.bulk_create(
            roster_entitlement_rows(version, solver.month_of(built.problem), built.leave_kept)
        )
    target.current = version
    target.version += 1
    target.provisional_calendar = built.calendar.provisional
    target.calendar_changed_at = None  # solved on the calendar as it is now
    target.save(update_fields=["current", "version", "provisional_calendar", "calendar_changed_at", "updated_at"])
    return version


def roster_entitlement_rows(
    version: RosterVersion, month: solver.Month, leave_kept: Mapping[int, int] | None = None
) -> list[RosterEntitlement]:
    """Each cadre's rule-1 entitlement in ``version``, as the solver library
    reads the version's problem (available days, carried days, rest due), and
    how much of the carried days kept annual leave whole (``leave_kept``,
    from the problem builder; an edited version keeps its parent's)."""
    leave_kept = leave_kept or {}
    return [
        RosterEntitlement(
            version=version,
            cadre_id=cadre_pk(days.id),
            available_days=len(days.available),
            carry_days=days.cadre.carry_days,
            leave_kept=min(leave_kept.get(cadre_pk(days.id), 0), days.cadre.carry_days),
            entitled=days.entitlement,
        )
        for days in month.cadres
    ]


def _day_rows(version: RosterVersion, built: BuiltProblem, solution: solver.Solution) -> list[RosterDay]:
    if solution.status == SolverStatus.INFEASIBLE:
        return []
    days = month_days(version.roster.month)
    rows = []
    for cadre in built.problem.cadres:
        rest = set(solution.rest.get(cadre.id, ()))
        pinned = set(cadre.pinned)
        away = {d for lo, hi in cadre.away for d in days if lo <= d <= hi}
        for day in days:
            if day in away or (cadre.available_from and day < cadre.available_from):
                kind = DayKind.AWAY
            elif day in rest:
                kind = DayKind.REST
            else:
                kind = DayKind.DUTY
            rows.append(
                RosterDay(version=version, cadre_id=cadre_pk(cadre.id), date=day, kind=kind, pinned=day in pinned)
            )
    return rows


@transaction.atomic
def roster_publish(*, actor: User | None, roster_obj: Roster, confirm_provisional: bool = False) -> Roster:
    """Publish a draft: it needs a valid current version, and confirmation
    when the month's holidays are still provisional."""
    target = _roster_for_update(roster_obj.pk)
    if target.status != RosterStatus.DRAFT:
        raise ConflictError(f"该排班已{target.get_status_display()}。", field="status")
    if target.current is None or target.current.solver_status == SolverStatus.INFEASIBLE:
        raise DomainError("该排班还没有可行的方案，不能发布；请先根据原因调整政策后重新生成。", field="status")
    provisional = month_calendar(target.month.year, target.month.month).provisional
    if provisional and not confirm_provisional:
        raise DomainError(
            f"{target.month.year} 年的节假日安排尚未按国务院通知确认（暂定），排班中的节假日可能变动。"
            "确认知悉后方可发布（confirm_provisional=true）。",
            field="confirm_provisional",
        )
    target.status = RosterStatus.PUBLISHED
    target.provisional_calendar = provisional
    target.published_at = clock.now()
    target.published_by = actor
    target.version += 1
    target.save()
    roster_published_notify(roster_obj=target)
    return target


def notices_send(
    *,
    kind: str,
    object_id: int,
    unit_id: int,
    period: dt.date,
    due_date: dt.date,
    url: str,
    messages: Iterable[tuple[int, int | None, str, str]],
    urgent: bool = False,
) -> int:
    """In-app notices of the rest rotation in the reminders inbox, one per
    (recipient user, cadre concerned, title, body). Unique per kind, item,
    recipient and period (the reminders' key), so a retry writes none twice.
    They go out by email or SMS in the recipient's daily digest or, when
    ``urgent``, at once (their deliveries written with them)."""
    now = clock.now()
    notices = [
        Notice(
            kind=kind,
            object_id=object_id,
            recipient_id=user_id,
            stage=Stage.DUE,
            period=period,
            unit_id=unit_id,
            cadre_id=cadre_id,
            due_date=due_date,
            title=title[:200],
            body=body,
            url=url,
            created_at=now,
            urgent=urgent,
            outboxed=urgent,
        )
        for user_id, cadre_id, title, body in messages
    ]
    made = len(Notice.objects.bulk_create(notices, ignore_conflicts=True))
    if urgent and notices:
        notices_deliver_now(
            Notice.objects.filter(
                kind=kind,
                object_id=object_id,
                stage=Stage.DUE,
                period=period,
                recipient_id__in=[n.recipient_id for n in notices],
            ),
            now=now,
        )
    return made


def roster_draft_ready_notify(*, roster_obj: Roster) -> int:
    """Tell whoever may publish the township's roster, as soon as its first
    valid draft of the month is written, that it is ready to review and by when
    it must be published (the day before the month, as the ``roster_publish``
    item says). Once per roster: a regenerated draft is the secretary's own doing."""
    deadline = roster_obj.month - dt.timedelta(days=1)
    label = f"{roster_obj.month.year}年{roster_obj.month.month}月"
    return notices_send(
        kind=DRAFT_READY_NOTICE_KIND,
        object_id=roster_obj.pk,
        unit_id=roster_obj.unit_id,
        period=roster_obj.month,
        due_date=deadline,
        url=f"/api/v1/rosters/{roster_obj.pk}/",
        messages=[
            (
                user_id,
                None,
                f"{roster_obj.unit.name}{label}轮休排班草稿已生成",
                f"{roster_obj.unit.name}{label}的轮休排班草稿已生成，请审核，"
                f"并于{deadline.month}月{deadline.day}日前发布。",
            )
            for user_id, _ in _holders_of("rosters", PUBLISH, roster_obj.unit)
        ],
    )


def roster_published_notify(*, roster_obj: Roster) -> int:
    """Tell each cadre of a published roster, who has a login, their rest days
    : an in-app notice in the
     reminders inbox, sent on in their daily digest. Unique per roster and
     person, so it is written once."""
    rest: dict[int, list[dt.date]] = defaultdict(list)
    users: dict[int, int] = {}
    days = RosterDay.objects.filter(version_id=roster_obj.current_id, cadre__user__isnull=False).values_list(
        "cadre_id", "cadre__user_id", "date", "kind"
    )
    for cadre_id, user_id, day, kind in days:
        users[cadre_id] = user_id
        if kind == DayKind.REST:
            rest[cadre_id].append(day)
    label = f"{roster_obj.month.year}年{roster_obj.month.month}月"
    return notices_send(
        kind=PUBLISHED_NOTICE_KIND,
        object_id=roster_obj.pk,
        unit_id=roster_obj.unit_id,
        period=roster_obj.month,
        due_date=roster_obj.month,
        url=f"/api/v1/roster-days/?month={roster_obj.month:%Y-%m}",
        messages=[
            (
                user_id,
                cadre_id,
                f"{roster_obj.unit.name}{label}轮休排班已发布",
                f"您{label}的休息日："
                + ("、".join(f"{d.month}月{d.day}日" for d in sorted(rest[cadre_id])) or "本月无休息日（外出或请假）")
                + "。",
            )
            for cadre_id, user_id in users.items()
        ],
    )


@transaction.atomic
def roster_lock(*, actor: User | None, roster_obj: Roster, today: dt.date | None = None) -> Roster:
    """Lock a published roster once its month has ended: it is then the record
    of rest planned."""
    today = today or clock.today()
    target = Roster.objects.select_for_update().get(pk=roster_obj.pk)
    if target.status != RosterStatus.PUBLISHED:
        raise ConflictError("只有已发布的排班才能锁定。", field="status")
    if today <= month_days(target.month)[-1]:
        raise DomainError(f"{target.month:%Y-%m} 还没有结束，月底之后才能锁定。", field="status")
    target.status = RosterStatus.LOCKED
    target.locked_at = clock.now()
    target.version += 1
    target.save()
    SwapRequest.objects.filter(roster=target, status__in=SWAP_OPEN).update(
        status=SwapStatus.EXPIRED, decided_at=target.locked_at, note="排班已锁定，未办结的换休申请失效。"
    )
    return target


# ---------------------------------------------------------------------------
# Manual edits: move, swap, pin a block; every hard rule re-checked
# ---------------------------------------------------------------------------

RULE_ZH = {rule: zh for rule, (zh, _en) in solver.RULE_NAMES.items()}
EDIT_OPS = ("move", "swap", "pin", "unpin")


def _block_at(rest: Sequence[dt.date], day: dt.date) -> list[dt.date]:
    """The run of consecutive rest days containing ``day``."""
    days = set(rest)
    if day not in days:
        return []
    start = day
    while start - dt.timedelta(days=1) in days:
        start -= dt.timedelta(days=1)
    block = []
    while start in days:
        block.append(start)
        start += dt.timedelta(days=1)
    return block


def roster_edit(
    *,
    actor: User | None,
    roster_obj: Roster,
    expected_version: int | None,
    op: str,
    cadre: Cadre,
    date: dt.date,
    to_date: dt.date | None = None,
    other_cadre: Cadre | None = None,
    other_date: dt.date | None = None,
    override_reason: str = "",
) -> Roster:
    """Move a cadre's rest block to start on ``to_date``, swap it with another
    cadre's block, or pin / unpin it. The edited
    roster is checked against every hard rule of the format; a break is a 400
    naming the rule, the dates and the cadres, unless the secretary writes a
    reason to override, which is kept with the version. The edit carries the
    roster version it was made on: none is 428, a stale one 412 (B4)."""
    if expected_version is None:
        raise PreconditionRequired("修改排班须在 If-Match 请求头中带上所依据的版本号（ETag）。")
    if op not in EDIT_OPS:
        raise DomainError("操作只能是 move（调整）、swap（互换）、pin（固定）或 unpin（取消固定）。", field="op")
    with transaction.atomic():
        target = _roster_for_update(roster_obj.pk)
        if target.version != expected_version:
            raise PreconditionFailed(f"排班已被他人修改（当前版本 {target.version}），请刷新后重试。", field="version")
        if target.status != RosterStatus.DRAFT or target.current is None:
            raise ConflictError("只有草稿状态、已生成方案的排班可以手工调整。", field="status")
        plan = roster_edit_plan(
            target=target,
            op=op,
            cadre=cadre,
            date=date,
            to_date=to_date,
            other_cadre=other_cadre,
            other_date=other_date,
        )
        roster_edit_write(actor=actor, target=target, plan=plan, override_reason=override_reason)
    return target


def _roster_for_update(roster_id: int) -> Roster:
    """The roster row locked for this transaction, then read with its current
    version: every writer of a roster's days (edits, swap approvals, publish,
    lock) takes it first (B4). The lock and the read are two statements: a
    writer that waited for the lock must work on what the holder committed,
    and PostgreSQL re-reads only the locked row of a FOR UPDATE query, so the
    join to the current version came back empty (null) for it."""
    Roster.objects.select_for_update().filter(pk=roster_id).values_list("pk").get()
    return Roster.objects.select_related("current", "unit").get(pk=roster_id)


@dataclass(frozen=True)
class EditPlan:
    """An edit worked out on the current version, not yet written: the days it
    leaves, what it did in words, and the rule check of the result."""

    rows: list[RosterDay]
    rest: dict[int, list[dt.date]]
    pinned: dict[int, set[dt.date]]
    description: str
    problem: solver.Problem
    month: solver.Month
    report: solver.Report


def roster_edit_plan(
    *,
    target: Roster,
    op: str,
    cadre: Cadre,
    date: dt.date,
    to_date: dt.date | None = None,
    other_cadre: Cadre | None = None,
    other_date: dt.date | None = None,
) -> EditPlan:
    """Apply an edit to the current version's days in memory and check every
    hard rule of the result (the manual edit and the swap requests share it)."""
    if target.current is None or target.current.solver_status == SolverStatus.INFEASIBLE:
        raise ConflictError("该排班没有可行方案，无从调整；请先调整政策后重新生成。", field="status")
    rows = list(RosterDay.objects.filter(version_id=target.current_id))
    rest: dict[int, list[dt.date]] = defaultdict(list)
    pinned: dict[int, set[dt.date]] = defaultdict(set)
    for row in rows:
        if row.kind == DayKind.REST:
            rest[row.cadre_id].append(row.date)
        if row.pinned:
            pinned[row.cadre_id].add(row.date)
    if cadre.pk not in {row.cadre_id for row in rows}:
        raise DomainError(f"{cadre.name} 不在这份排班中。", field="cadre")
    block = _block_at(rest[cadre.pk], date)
    if not block:
        raise DomainError(f"{cadre.name} 在 {date} 没有休息。", field="date")
    description = _apply_edit(
        op,
        cadre,
        block,
        rest,
        pinned,
        to_date=to_date,
        other_cadre=other_cadre,
        other_date=other_date,
        month=target.month,
    )
    problem = _problem_with_pins(target.current.problem, pinned)
    month = solver.month_of(problem)
    report = solver.check(month, {cadre_key(c): days for c, days in rest.items()})
    return EditPlan(
        rows=rows, rest=rest, pinned=pinned, description=description, problem=problem, month=month, report=report
    )


def rules_broken(plan: EditPlan, target: Roster) -> DomainError | None:
    """The 400 a plan's broken rules make, naming each rule, date and cadre."""
    if not plan.report.violations:
        return None
    errors = _violation_errors(plan)
    return DomainError(errors[0]["message"], code="rule_broken", errors=errors)


def roster_edit_write(
    *, actor: User | None, target: Roster, plan: EditPlan, override_reason: str = "", note_prefix: str = ""
) -> RosterVersion:
    """Write a checked plan as the roster's new version (the caller holds the
    roster row lock): refused with the broken rules unless ``override_reason``
    says why; the pointer flips last and the version (ETag) goes up by one."""
    override_reason = override_reason.strip()
    if not override_reason and (broken := rules_broken(plan, target)) is not None:
        raise broken
    violations = plan.report.violations
    note = note_prefix + plan.description + (f"；打破规则仍调整，理由：{override_reason}" if violations else "")
    solution = {
        "format": SOLUTION_FORMAT,
        "status": "feasible",
        "rest": {cadre_key(c): sorted(d.isoformat() for d in days) for c, days in plan.rest.items()},
        "metrics": plan.report.metrics.to_json(),
        "reasons": [],
    }
    version = RosterVersion.objects.create(
        roster=target,
        number=target.versions.aggregate(top=Max("number"))["top"] + 1,
        solver_status=SolverStatus.EDITED,
        metrics=plan.report.metrics.to_json(),
        reasons=_violation_errors(plan),
        problem=solver.problem_to_json(plan.problem),
        solution=solution,
        note=note[:500],
        created_by=actor,
    )
    resting = {(c, d) for c, days in plan.rest.items() for d in days}
    RosterDay.objects.bulk_create(
        RosterDay(
            version=version,
            cadre_id=row.cadre_id,
            date=row.date,
            kind=row.kind
            if row.kind == DayKind.AWAY
            else DayKind.REST
            if (row.cadre_id, row.date) in resting
            else DayKind.DUTY,
            pinned=row.date in plan.pinned[row.cadre_id],
        )
        for row in plan.rows
    )
    kept = dict(RosterEntitlement.objects.filter(version_id=target.current_id).values_list("cadre_id", "leave_kept"))
    RosterEntitlement.objects.bulk_create(roster_entitlement_rows(version, plan.month, kept))
    target.current = version
    target.version += 1
    target.save(update_fields=["current", "version", "updated_at"])
    audit_log(
        actor=actor,
        action="update",
        accesses=[Access("rosters", target.pk, None, ["days"] + (["override"] if violations else []))],
    )
    return version


def _apply_edit(
    op: str,
    cadre: Cadre,
    block: list[dt.date],
    rest: dict[int, list[dt.date]],
    pinned: dict[int, set[dt.date]],
    *,
    to_date: dt.date | None,
    other_cadre: Cadre | None,
    other_date: dt.date | None,
    month: dt.date,
) -> str:
    """Change ``rest`` / ``pinned`` in place; returns what was done, in words."""
    span = f"{block[0]:%m-%d}至{block[-1]:%m-%d}"
    if op in ("pin", "unpin"):
        if op == "pin":
            pinned[cadre.pk].update(block)
        else:
            pinned[cadre.pk].difference_update(block)
        return f"{'固定' if op == 'pin' else '取消固定'} {cadre.name} {span} 的休息"
    if op == "move":
        if to_date is None:
            raise DomainError("请指定新的开始日期。", field="to_date")
        moved = [to_date + dt.timedelta(days=i) for i in range(len(block))]
        if moved[0].replace(day=1) != month or moved[-1].replace(day=1) != month:
            raise DomainError("调整后的休息段须在本月之内。", field="to_date")
        rest[cadre.pk] = sorted(set(rest[cadre.pk]) - set(block) | set(moved))
        was_pinned = bool(pinned[cadre.pk] & set(block))
        pinned[cadre.pk].difference_update(block)
        if was_pinned:  # a pinned block stays pinned where the secretary put it
            pinned[cadre.pk].update(moved)
        return f"{cadre.name} 的休息由 {span} 调到 {moved[0]:%m-%d}至{moved[-1]:%m-%d}"
    if other_cadre is None or other_date is None:
        raise DomainError("互换须指定另一名干部及其休息日。", field="other_cadre")
    if other_cadre.pk == cadre.pk:
        raise DomainError("互换须是两名不同的干部。", field="other_cadre")
    theirs = _block_at(rest[other_cadre.pk], other_date)
    if not theirs:
        raise DomainError(f"{other_cadre.name} 在 {other_date} 没有休息。", field="other_date")
    rest[cadre.pk] = sorted(set(rest[cadre.pk]) - set(block) | set(theirs))
    rest[other_cadre.pk] = sorted(set(rest[other_cadre.pk]) - set(theirs) | set(block))
    for who, old in ((cadre.pk, block), (other_cadre.pk, theirs)):
        pinned[who].difference_update(old)
    return f"{cadre.name}（{span}）与 {other_cadre.name}（{theirs[0]:%m-%d}至{theirs[-1]:%m-%d}）互换休息"


def _problem_with_pins(doc: Mapping[str, Any], pinned: Mapping[int, set[dt.date]]) -> solver.Problem:
    problem = problem_from_stored(doc)
    cadres = tuple(dc_replace(c, pinned=tuple(sorted(pinned.get(cadre_pk(c.id), ())))) for c in problem.cadres)
    return dc_replace(problem, cadres=cadres)


def _violation_errors(plan: EditPlan) -> list[dict[str, Any]]:
    """A plan's broken rules as the secretary reads them: the rule by number
    and name, the cadre (or office) and date, and what is wrong, in Chinese
    with the cadres named (one query for the names)."""
    if not plan.report.violations:
        return []
    names = {
        cadre_key(pk): name
        for pk, name in Cadre.objects.filter(pk__in={row.cadre_id for row in plan.rows}).values_list("pk", "name")
    }
    errors = []
    for v in plan.report.violations:
        who = f"{names.get(v.cadre, v.cadre)} " if v.cadre else ""
        what = with_names(v.zh or v.message, names)
        errors.append(
            {
                "field": "days",
                "rule": v.rule,
                "cadre": cadre_pk(v.cadre) if v.cadre else None,
                "date": v.date or None,
                "office": v.office or None,
                "message": f"违反第 {v.rule} 条规则（{RULE_ZH.get(v.rule, '')}）：{who}{what}",
            }
        )
    return errors


# ---------------------------------------------------------------------------
# Swap requests (换休): A asks, B accepts, the secretary approves, applied as an edit
# ---------------------------------------------------------------------------

SWAP_NOTICE_ASKED = "swap_request"  # to the counterpart
SWAP_NOTICE_TO_APPROVE = "swap_request_approval"  # to whoever may approve in the unit
SWAP_NOTICE_OUTCOME = "swap_request_outcome"  # to the parties
SWAP_APPROVE = "approve"  # the access action of the secretary's decision


def _span(start: dt.date, end: dt.date) -> str:
    return f"{start:%m-%d}至{end:%m-%d}" if start != end else f"{start:%m-%d}"


def _rest_by_cadre(version_id: int | None, cadre_ids: Sequence[int]) -> dict[int, list[dt.date]]:
    rest: dict[int, list[dt.date]] = {cadre_id: [] for cadre_id in cadre_ids}
    for cadre_id, day in RosterDay.objects.filter(
        version_id=version_id, cadre_id__in=cadre_ids, kind=DayKind.REST
    ).values_list("cadre_id", "date"):
        rest[cadre_id].append(day)
    return rest


def _named_block(
    cadre: Cadre, rest: Sequence[dt.date], start: dt.date, end: dt.date | None, field: str
) -> list[dt.date]:
    """The whole rest block a request names: it must begin on ``start`` (and
    end on ``end`` when given), so both sides know exactly what is exchanged."""
    block = _block_at(rest, start)
    if not block:
        raise DomainError(f"按已发布的排班，{cadre.name} 在 {start} 没有休息。", field=field)
    if block[0] != start or (end is not None and block[-1] != end):
        raise DomainError(f"{cadre.name} 的这段休息是 {block[0]} 至 {block[-1]}，请按整段申请互换。", field=field)
    return block


def _swap_lapsed(swap: SwapRequest, target: Roster, today: dt.date) -> str | None:
    """Why a request can no longer be applied as asked, or None: the roster
    is locked, a block has begun, or the roster changed so that a named block
    is no longer exactly that cadre's rest."""
    if target.status == RosterStatus.LOCKED:
        return "排班已锁定，不能再换休。"
    if target.status != RosterStatus.PUBLISHED or target.current_id is None:
        return "排班已不在发布状态。"
    if min(swap.requester_start, swap.counterpart_start) <= today:
        return "要互换的休息已经开始或已经过去。"
    rest = _rest_by_cadre(target.current_id, [swap.requester_id, swap.counterpart_id])
    for cadre, start, end in (
        (swap.requester, swap.requester_start, swap.requester_end),
        (swap.counterpart, swap.counterpart_start, swap.counterpart_end),
    ):
        named = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
        if _block_at(rest[cadre.pk], start) != named:
            return f"排班已变动：{cadre.name} 在 {_span(start, end)} 已不是一段完整的休息。"
    return None


def _roster_with_current(roster_id: int) -> Roster:
    return Roster.objects.select_related("current", "unit").get(pk=roster_id)


def _swap_plan(swap: SwapRequest, target: Roster) -> EditPlan:
    """The exchange as the manual ``swap`` edit makes it, checked against every rule."""
    return roster_edit_plan(
        target=target,
        op="swap",
        cadre=swap.requester,
        date=swap.requester_start,
        other_cadre=swap.counterpart,
        other_date=swap.counterpart_start,
    )


def _swap_locked(swap_id: int) -> SwapRequest:
    return (
        SwapRequest.objects.select_for_update(of=("self",))
        .select_related("roster__unit", "requester", "counterpart")
        .get(pk=swap_id)
    )


def _swap_lapse(swap: SwapRequest, reason: str) -> ConflictError:
    """Mark a request lapsed (kept after the refusal: the caller commits it)
    and the 409 that says why."""
    swap.status = SwapStatus.EXPIRED
    swap.decided_at = clock.now()
    swap.note = reason
    swap.save(update_fields=["status", "decided_at", "note"])
    _swap_notify_outcome(swap)
    return ConflictError(f"{reason}该换休申请已失效，如仍需换休请重新提出。", field="status", code="swap_lapsed")


def _swap_state(swap: SwapRequest, *allowed: str) -> None:
    if swap.status not in allowed:
        raise ConflictError(f"该换休申请{swap.get_status_display()}，不能再办理此操作。", field="status")


def _swap_label(swap: SwapRequest) -> str:
    return (
        f"{swap.requester.name}（{_span(swap.requester_start, swap.requester_end)}）与 "
        f"{swap.counterpart.name}（{_span(swap.counterpart_start, swap.counterpart_end)}）互换休息"
    )


def _swap_url(swap: SwapRequest) -> str:
    return f"/api/v1/swap-requests/{swap.pk}/"


def _swap_notify(
    swap: SwapRequest, kind: str, recipients: Iterable[tuple[int | None, int | None]], title: str, body: str
) -> int:
    """In-app notices about a request, through the rotation's one notice path."""
    return notices_send(
        kind=kind,
        object_id=swap.pk,
        unit_id=swap.roster.unit_id,
        period=swap.roster.month,
        due_date=min(swap.requester_start, swap.counterpart_start),
        url=_swap_url(swap),
        messages=[(user_id, cadre_id, title, body) for user_id, cadre_id in recipients if user_id is not None],
    )


def _swap_notify_outcome(swap: SwapRequest) -> int:
    parties = [(swap.requester.user_id, swap.requester_id), (swap.counterpart.user_id, swap.counterpart_id)]
    if swap.status == SwapStatus.DECLINED:
        parties = parties[:1]
    note = f"（{swap.note}）" if swap.note else ""
    return _swap_notify(
        swap,
        SWAP_NOTICE_OUTCOME,
        parties,
        f"换休申请{swap.get_status_display()}",
        f"{_swap_label(swap)}：{swap.get_status_display()}{note}。",
    )


def _holders_of(resource: str, action: str, unit: OrgUnit) -> list[tuple[int, None]]:
    """Who may do ``action`` on ``resource`` in ``unit``: holders of a role the
    access table lets do it, granted on the unit or above it."""
    roles = [role for role, rule in ACCESS[resource].items() if action in rule.actions]
    users = (
        RoleGrant.objects.filter(role__in=roles, unit__path__in=ancestor_paths(unit.path), unit__active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    return [(user_id, None) for user_id in users]


def _approvers(unit: OrgUnit) -> list[tuple[int, None]]:
    """Who may approve a swap in ``unit``."""
    return _holders_of("swap-requests", SWAP_APPROVE, unit)


def swap_request_create(
    *,
    actor: User,
    roster_id: int,
    counterpart_id: int,
    requester_start: dt.date,
    counterpart_start: dt.date,
    reason: str,
    requester_end: dt.date | None = None,
    counterpart_end: dt.date | None = None,
    today: dt.date | None = None,
) -> SwapRequest:
    """A cadre asks to exchange a rest block of a published roster with a
    colleague's. Both blocks are named whole and
    must lie ahead; the exchange must keep every hard rule (checked now, and
    again when approved). The colleague is notified in the app."""
    today = today or clock.today()
    requester = Cadre.objects.filter(pk=own_cadre_id(actor)).select_related("unit").first()
    if requester is None:
        raise ForbiddenError("您的账号没有关联干部档案，不能申请换休。")
    reason = reason.strip()
    if not reason:
        raise DomainError("请写明换休理由。", field="reason")
    with transaction.atomic():
        target = Roster.objects.select_related("current", "unit").filter(pk=roster_id).first()
        rest = _rest_by_cadre(target.current_id if target else None, [requester.pk, counterpart_id])
        if target is None or target.status == RosterStatus.DRAFT or not rest[requester.pk]:
            raise DomainError("该排班不存在、尚未发布，或其中没有您的休息安排。", field="roster")
        if target.status == RosterStatus.LOCKED:
            raise ConflictError("该排班已锁定，不能再换休。", field="roster")
        counterpart = Cadre.objects.filter(pk=counterpart_id).first()
        if counterpart is None or counterpart.pk == requester.pk or not rest[counterpart.pk]:
            raise DomainError("对方须是这份排班中有休息安排的另一名干部。", field="counterpart")
        mine = _named_block(requester, rest[requester.pk], requester_start, requester_end, "requester_start")
        theirs = _named_block(
            counterpart, rest[counterpart.pk], counterpart_start, counterpart_end, "counterpart_start"
        )
        if mine == theirs:
            raise DomainError("两段休息的日期相同，无需互换。", field="counterpart_start")
        if min(mine[0], theirs[0]) <= today:
            raise DomainError(
                "只能互换尚未开始的休息。", field="requester_start" if mine[0] <= today else "counterpart_start"
            )
        swap = SwapRequest(
            roster=target,
            roster_version=target.version,
            requester=requester,
            requester_start=mine[0],
            requester_end=mine[-1],
            counterpart=counterpart,
            counterpart_start=theirs[0],
            counterpart_end=theirs[-1],
            reason=reason[:300],
            requested_by=actor,
        )
        if (broken := rules_broken(_swap_plan(swap, target), target)) is not None:
            raise broken
        swap.save()
        _swap_notify(
            swap,
            SWAP_NOTICE_ASKED,
            [(counterpart.user_id, counterpart.pk)],
            f"{requester.name}请求与您换休",
            f"{_swap_label(swap)}，理由：{reason}。请确认或拒绝。",
        )
        audit_log(
            actor=actor,
            action="create",
            accesses=[Access("swap-requests", swap.pk, requester.pk, ["requester_start", "counterpart", "reason"])],
        )
    return swap


def swap_request_respond(*, actor: User, swap: SwapRequest, accept: bool, today: dt.date | None = None) -> SwapRequest:
    """The counterpart accepts (the request goes to the secretary, who is
    notified) or declines (the requester is notified). Only they may answer,
    and only while it waits for them; a request the roster has overtaken lapses."""
    today = today or clock.today()
    refusal: ConflictError | None = None
    with transaction.atomic():
        swap = _swap_locked(swap.pk)
        if own_cadre_id(actor) != swap.counterpart_id:
            raise ForbiddenError(f"只有 {swap.counterpart.name} 本人才能确认或拒绝这项换休申请。")
        _swap_state(swap, SwapStatus.PENDING_COUNTERPART)
        swap.responded_at = clock.now()
        if not accept:
            swap.status = SwapStatus.DECLINED
            swap.save(update_fields=["status", "responded_at"])
            _swap_notify_outcome(swap)
        elif (lapsed := _swap_lapsed(swap, target := _roster_with_current(swap.roster_id), today)) is not None:
            refusal = _swap_lapse(swap, lapsed)
        else:
            if (broken := rules_broken(_swap_plan(swap, target), target)) is not None:
                raise broken
            swap.status = SwapStatus.PENDING_APPROVAL
            swap.save(update_fields=["status", "responded_at"])
            _swap_notify(
                swap,
                SWAP_NOTICE_TO_APPROVE,
                _approvers(swap.roster.unit),
                "换休申请待审批",
                f"{_swap_label(swap)}，双方已同意，理由：{swap.reason}。请审批。",
            )
        audit_log(
            actor=actor, action="update", accesses=[Access("swap-requests", swap.pk, swap.requester_id, ["status"])]
        )
    if refusal is not None:
        raise refusal
    return swap


def swap_request_withdraw(*, actor: User, swap: SwapRequest) -> SwapRequest:
    """The requester takes the request back while it is still pending."""
    with transaction.atomic():
        swap = _swap_locked(swap.pk)
        if own_cadre_id(actor) != swap.requester_id:
            raise ForbiddenError(f"只有申请人 {swap.requester.name} 本人才能撤回这项换休申请。")
        _swap_state(swap, *SWAP_OPEN)
        swap.status = SwapStatus.WITHDRAWN
        swap.decided_at = clock.now()
        swap.save(update_fields=["status", "decided_at"])
        audit_log(
            actor=actor, action="update", accesses=[Access("swap-requests", swap.pk, swap.requester_id, ["status"])]
        )
    return swap


def swap_request_decide(
    *, actor: User, swap: SwapRequest, approve: bool, note: str = "", today: dt.date | None = None
) -> SwapRequest:
    """The secretary's decision on a request both cadres agreed to. A
    rejection needs a reason. An approval applies the exchange atomically,
    through the same plan and write as the manual ``swap`` edit, under the
    roster's row lock (taken before the request's, like every roster writer):
    every hard rule is checked again and a break is a 400 naming it (the
    request stays pending); a locked roster, a block begun or a roster changed
    under the named blocks lapses the request (409). The roster version goes
    up by one; both cadres are notified."""
    today = today or clock.today()
    note = note.strip()
    if not approve and not note:
        raise DomainError("不批准时请写明理由，申请人和对方都会看到。", field="note")
    refusal: ConflictError | None = None
    with transaction.atomic():
        roster_id = SwapRequest.objects.values_list("roster_id", flat=True).get(pk=swap.pk)
        target = _roster_for_update(roster_id)
        swap = _swap_locked(swap.pk)
        _swap_state(swap, SwapStatus.PENDING_APPROVAL)
        if not approve:
            swap.status = SwapStatus.REJECTED
        elif (lapsed := _swap_lapsed(swap, target, today)) is not None:
            refusal = _swap_lapse(swap, lapsed)
        else:
            version = roster_edit_write(
                actor=actor, target=target, plan=_swap_plan(swap, target), note_prefix=f"换休申请 #{swap.pk}："
            )
            swap.status = SwapStatus.APPLIED
            swap.applied_version = version
        if refusal is None:
            swap.decided_by, swap.decided_at, swap.note = actor, clock.now(), note[:500]
            swap.save(update_fields=["status", "applied_version", "decided_by", "decided_at", "note"])
            _swap_notify_outcome(swap)
        audit_log(
            actor=actor, action="update", accesses=[Access("swap-requests", swap.pk, swap.requester_id, ["status"])]
        )
    if refusal is not None:
        raise refusal
    return swap


# ---------------------------------------------------------------------------
# Recalls (召回)
# ---------------------------------------------------------------------------


@transaction.atomic
def recall_save(
    *, actor: User | None, data: Mapping[str, Any], recall: Recall | None = None, today: dt.date | None = None
) -> Recall:
    """Record a cadre called back during rest (flood, forest fire, inspection):
    the days lost are owed and become ``carry_days`` of a later month's
    problem. It must have happened, on a day the published roster had them
    resting, and cannot lose more days than the rest block had left."""
    today = today or clock.today()
    values = {name: data.get(name, getattr(recall, name, None)) for name in ("cadre", "date", "days_lost", "reason")}
    cadre: Cadre = values["cadre"]
    if values["date"] > today:
        raise DomainError("召回须是已经发生的事。", field="date")
    if not str(values["reason"] or "").strip():
        raise DomainError("请写明召回事由（如防汛、森林火灾、督查）。", field="reason")
    rest = list(
        published_roster_days()
        .filter(
            cadre=cadre,
            kind=DayKind.REST,
            date__range=(values["date"].replace(day=1), month_days(values["date"].replace(day=1))[-1]),
        )
        .values_list("date", flat=True)
    )
    if rest:
        block = [d for d in _block_at(rest, values["date"]) if d >= values["date"]]
        if not block:
            raise DomainError(f"按已发布的排班，{cadre.name} 在 {values['date']} 不是休息日。", field="date")
        if values["days_lost"] > len(block):
            raise DomainError(f"{values['date']} 起 {cadre.name} 的这段休息只剩 {len(block)} 天。", field="days_lost")
    if not 1 <= values["days_lost"] <= MAX_REST_DAYS:
        raise DomainError(f"损失天数须在 1 至 {MAX_REST_DAYS} 天之间。", field="days_lost")
    if recall is None:
        return Recall.objects.create(recorded_by=actor, **values)
    for name, value in values.items():
        setattr(recall, name, value)
    recall.save()
    return recall


# ---------------------------------------------------------------------------
# iCalendar feed address
# ---------------------------------------------------------------------------


@transaction.atomic
def rest_feed_token(*, cadre: Cadre, renew: bool = False) -> str:
    """The cadre's secret feed token, made on first use; ``renew`` replaces it
    (a leaked address stops working at once)."""
    feed = RestFeed.objects.select_for_update().filter(cadre=cadre).first()
    if feed is None or renew:
        token = secrets.token_urlsafe(32)
        RestFeed.objects.update_or_create(cadre=cadre, defaults={"token": token})
        return token
    return feed.token
