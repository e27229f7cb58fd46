"""Writes of the rest rotation that are not rosters: policies, absences, rest
requests and recalls. Each is keyword-only, owns its transaction and raises
DomainError with a Chinese message naming the field at fault."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db import transaction

from cadrecare.core import clock
from cadrecare.core.errors import DomainError
from cadrecare.org.choices import UnitKind
from cadrecare.org.models import Cadre, OrgUnit, User
from cadrecare.rotation.choices import Mode
from cadrecare.rotation.models import Absence, RestRequest, RotationPolicy
from cadrecare.rotation.selectors import ROSTERED_STATUSES

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
    """The policy's rules, each refused with the reason (issue 3,
    roster-problem.md "Facts worth knowing")."""
    if unit.kind not in POLICY_UNIT_KINDS:
        raise DomainError("轮休政策只能设在市、县（区）或乡镇（街道）。", field="unit")
    effective_from: dt.date = data["effective_from"]
    if effective_from < _month_start(today):
        raise DomainError(f"不能为已过去的月份（{effective_from:%Y-%m}）设置政策：过去的月份保留当时的政策。",
                          field="effective_from")
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


def _validate_pairs(unit: OrgUnit, pairs: Sequence[Any]) -> None:
    ids: set[int] = set()
    for index, pair in enumerate(pairs):
        where = f"never_together[{index}]"
        if (not isinstance(pair, list | tuple) or len(pair) != 2
                or not all(isinstance(x, int) and not isinstance(x, bool) for x in pair)):
            raise DomainError("不得同时休息的干部须写成两个干部编号，如 [12, 15]。", field=where)
        if pair[0] == pair[1]:
            raise DomainError("不得同时休息的一对须是两名不同的干部。", field=where)
        ids.update(pair)
    if ids:
        found = set(
            Cadre.objects.filter(pk__in=ids, unit__path__startswith=unit.path, status__in=ROSTERED_STATUSES)
            .values_list("pk", flat=True)
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


POLICY_FIELDS = ("mode", "rest_days", "min_on_duty_ratio", "min_leaders_on_duty", "min_on_duty_per_office",
                 "principal_leaders_apart", "never_together", "blackout", "generation_day")


def _policy_values(data: Mapping[str, Any], base: RotationPolicy | None = None) -> dict[str, Any]:
    values = {name: data.get(name, getattr(base, name) if base else RotationPolicy._meta.get_field(name).get_default())
              for name in POLICY_FIELDS}
    values["effective_from"] = data.get("effective_from", base.effective_from if base else None)
    return values


@transaction.atomic
def rotation_policy_create(*, actor: User | None, unit: OrgUnit, data: Mapping[str, Any],
                           today: dt.date | None = None) -> RotationPolicy:
    """A new policy version for ``unit`` from a stated month on."""
    values = _policy_values(data)
    if values["effective_from"] is None:
        raise DomainError("请填写政策的起始月份。", field="effective_from")
    policy_validate(unit=unit, data=values, today=today or clock.today())
    if RotationPolicy.objects.filter(unit=unit, effective_from=values["effective_from"]).exists():
        raise DomainError(f"本单位 {values['effective_from']:%Y-%m} 起的政策已存在，请修改该版本。",
                          field="effective_from")
    values["blackout"] = _normal_blackout(values["blackout"])
    return RotationPolicy.objects.create(unit=unit, created_by=actor, **values)


@transaction.atomic
def rotation_policy_update(*, actor: User | None, policy: RotationPolicy, data: Mapping[str, Any],
                           today: dt.date | None = None) -> RotationPolicy:
    """Change a version that has not yet come into force; past months keep theirs."""
    today = today or clock.today()
    policy = RotationPolicy.objects.select_for_update().get(pk=policy.pk)
    if policy.effective_from < _month_start(today):
        raise DomainError("该版本已经用于过去的月份，不能修改；请新建一个从本月或以后月份起生效的版本。",
                          field="effective_from")
    if "unit" in data and data["unit"] != policy.unit:
        raise DomainError("不能把政策移到另一个单位，请在该单位新建政策。", field="unit")
    values = _policy_values(data, base=policy)
    policy_validate(unit=policy.unit, data=values, today=today)
    if RotationPolicy.objects.filter(unit=policy.unit, effective_from=values["effective_from"]).exclude(
            pk=policy.pk).exists():
        raise DomainError(f"本单位 {values['effective_from']:%Y-%m} 起的政策已存在。", field="effective_from")
    values["blackout"] = _normal_blackout(values["blackout"])
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


def _validate_span(start: dt.date, end: dt.date, longest: int = MAX_SPAN_DAYS) -> None:
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
    _validate_span(values["start"], values["end"])
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
        return Absence.objects.create(created_by=actor, **values)
    for name, value in values.items():
        setattr(absence, name, value)
    absence.save()
    return absence


# ---------------------------------------------------------------------------
# Rest requests (休息意愿)
# ---------------------------------------------------------------------------


@transaction.atomic
def rest_request_save(*, actor: User | None, data: Mapping[str, Any], request: RestRequest | None = None,
                      today: dt.date | None = None) -> RestRequest:
    """A cadre (or the secretary for them) asks to rest, or not to rest, on
    some dates: not in the past, at most a month at a time, with a reason."""
    today = today or clock.today()
    names = ("cadre", "kind", "start", "end", "reason", "poor_health", "family_hardship")
    values = {name: data.get(name, getattr(request, name, None)) for name in names}
    _validate_span(values["start"], values["end"], MAX_REQUEST_DAYS)
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
