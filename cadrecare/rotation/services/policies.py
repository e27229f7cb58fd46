"""Rotation policies: a unit's rules of the month, validated against the county's bounds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, cast

from django.db import models, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from cadrecare.audit.services import changed_fields, written
from cadrecare.core import clock
from cadrecare.core.errors import DomainError
from cadrecare.core.i18n import choice_label
from cadrecare.org.choices import UnitKind
from cadrecare.org.models import Cadre, OrgUnit, User
from cadrecare.rotation.choices import AbsenceKind, Mode
from cadrecare.rotation.models import RotationPolicy
from cadrecare.rotation.selectors import ROSTERED_STATUSES, county_bounds

LONGEST_MONTH = 31
MAX_REST_DAYS = 16
MAX_GENERATION_DAY = 28  # exists in every month
MAX_SPAN_DAYS = 366
MAX_REQUEST_DAYS = 31
POLICY_UNIT_KINDS = (UnitKind.CITY, UnitKind.COUNTY, UnitKind.TOWNSHIP)
RESOURCE = "rotation-policies"


def _month_start(today: dt.date) -> dt.date:
    return today.replace(day=1)


def policy_validate(*, unit: OrgUnit, data: Mapping[str, Any], today: dt.date) -> None:
    """The policy's rules, each refused with the reason
    (docs/roster-format.md, "Things that follow from the rules")."""
    if unit.kind not in POLICY_UNIT_KINDS:
        raise DomainError(_("轮休政策只能设在市、县（区）或乡镇（街道）。"), field="unit")
    effective_from: dt.date = data["effective_from"]
    if effective_from < _month_start(today):
        raise DomainError(
            _("不能为已过去的月份（%(effective_from)s）设置政策：过去的月份保留当时的政策。")
            % {"effective_from": format(effective_from, "%Y-%m")},
            field="effective_from",
        )
    if data["mode"] not in Mode.values:
        raise DomainError(_("轮休模式只能是周轮休、半月轮休或月轮休。"), field="mode")
    rest_days = data["rest_days"]
    if not 1 <= rest_days <= MAX_REST_DAYS:
        raise DomainError(
            _("每月休息天数须在 1 至 %(MAX_REST_DAYS)s 天之间。") % {"MAX_REST_DAYS": MAX_REST_DAYS}, field="rest_days"
        )
    ratio = Fraction(Decimal(data["min_on_duty_ratio"]))
    if not 0 <= ratio < 1:
        raise DomainError(_("最低在岗比例须在 0 到 1 之间（不含 1）。"), field="min_on_duty_ratio")
    # Each cadre rests rest_days of at most 31 days, so on an average day at
    # least rest_days/31 of them are resting: a higher duty share is
    # impossible in every mode and every month.
    ceiling = 1 - Fraction(rest_days, LONGEST_MONTH)
    if ratio > ceiling:
        resting = Fraction(rest_days, LONGEST_MONTH)
        raise DomainError(
            _(
                "最低在岗比例 %(min_on_duty_ratio)s 无法实现：每人每月休息 %(rest_days)s 天，即使在 31 天的月份，"
                "平均每天也至少有 %(resting)s 的干部在休息，在岗比例最高只能约 %(ceiling)s，任何轮休模式都排不出来。"
                "建议设为 0.6 左右（半月轮休、月轮休不宜超过三分之二）。"
            )
            % {
                "min_on_duty_ratio": data["min_on_duty_ratio"],
                "rest_days": rest_days,
                "resting": format(float(resting), ".1%"),
                "ceiling": format(float(ceiling), ".1%"),
            },
            field="min_on_duty_ratio",
        )
    if not 0 <= data["min_leaders_on_duty"] <= 10:
        raise DomainError(_("最少在岗班子成员须在 0 至 10 人之间。"), field="min_leaders_on_duty")
    if not 0 <= data["min_on_duty_per_office"] <= 10:
        raise DomainError(_("每个科室最少在岗人数须在 0 至 10 人之间。"), field="min_on_duty_per_office")
    if not 1 <= data["generation_day"] <= MAX_GENERATION_DAY:
        raise DomainError(
            _("生成日期须在每月 1 日至 %(MAX_GENERATION_DAY)s 日之间。") % {"MAX_GENERATION_DAY": MAX_GENERATION_DAY},
            field="generation_day",
        )
    _validate_pairs(unit, data.get("never_together") or [])
    _validate_blackout(data.get("blackout") or [])
    kinds = data.get("absence_kinds_reducing_rest")
    if not isinstance(kinds, list) or any(kind not in AbsenceKind.values for kind in kinds):
        raise DomainError(
            _("减少当月休息的外出类型须从以下选择：%(choices)s。")
            % {
                "choices": _("、").join(
                    _("%(value)s（%(label)s）") % {"value": v, "label": choice_label(label)}
                    for v, label in AbsenceKind.choices
                )
            },
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
            _("哪些外出类型减少当月休息由县级轮休政策设定，乡镇不能更改。"), field="absence_kinds_reducing_rest"
        )


def _validate_bounds(data: Mapping[str, Any]) -> None:
    modes = data.get("township_modes") or []
    if not isinstance(modes, list) or any(mode not in Mode.values for mode in modes):
        raise DomainError(_("乡镇可选的轮休模式须是周轮休、半月轮休、月轮休中的若干个。"), field="township_modes")
    least = data.get("township_min_ratio")
    if least is not None and not 0 <= Decimal(least) < 1:
        raise DomainError(_("乡镇最低在岗比例的下限须在 0 到 1 之间（不含 1）。"), field="township_min_ratio")


def _within_county_bounds(unit: OrgUnit, data: Mapping[str, Any]) -> None:
    """A township's own policy keeps within its county's bounds; each refusal
    says what the county allows and whom to ask for more."""
    if data.get("township_modes") or data.get("township_min_ratio") is not None:
        raise DomainError(_("乡镇可选范围由县（区）在其政策中设定，乡镇政策不能设置。"), field="township_modes")
    bounds = county_bounds(unit=unit, month=data["effective_from"])
    if bounds is None:
        return
    ask = _("如需调整，请联系%(name)s委组织部。") % {"name": bounds.unit.name}
    if bounds.township_modes and data["mode"] not in bounds.township_modes:
        allowed = _("、").join(choice_label(Mode(mode).label) for mode in bounds.township_modes)
        raise DomainError(
            _("%(name)s规定乡镇只能选用%(allowed)s。%(ask)s")
            % {"name": bounds.unit.name, "allowed": allowed, "ask": ask},
            field="mode",
        )
    least = bounds.township_min_ratio
    if least is not None and Decimal(data["min_on_duty_ratio"]) < least:
        raise DomainError(
            _("%(name)s规定乡镇最低在岗比例不得低于 %(least)s。%(ask)s")
            % {"name": bounds.unit.name, "least": least, "ask": ask},
            field="min_on_duty_ratio",
        )


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
            raise DomainError(_("不得同时休息的干部须写成两个干部编号，如 [12, 15]。"), field=where)
        if pair[0] == pair[1]:
            raise DomainError(_("不得同时休息的一对须是两名不同的干部。"), field=where)
        ids.update(pair)
    if ids:
        found = set(
            Cadre.objects.filter(
                pk__in=ids, unit__path__startswith=unit.path, status__in=ROSTERED_STATUSES
            ).values_list("pk", flat=True)
        )
        missing = sorted(ids - found)
        if missing:
            raise DomainError(
                _("干部 %(missing)s 不在本单位在职干部中。") % {"missing": missing}, field="never_together"
            )


def _validate_blackout(spans: Sequence[Any]) -> None:
    for index, span in enumerate(spans):
        where = f"blackout[{index}]"
        if not isinstance(span, Mapping):
            raise DomainError(_('禁休日期须写成 {"from": 日期, "to": 日期, "reason": 原因}。'), field=where)
        try:
            start = dt.date.fromisoformat(str(span.get("from")))
            end = dt.date.fromisoformat(str(span.get("to", span.get("from"))))
        except ValueError:
            raise DomainError(_("禁休日期无法识别，应为 YYYY-MM-DD。"), field=where) from None
        if end < start:
            raise DomainError(_("禁休日期的结束日早于开始日。"), field=where)
        if (end - start).days >= MAX_SPAN_DAYS:
            raise DomainError(_("一段禁休日期不能超过一年。"), field=where)
        reason = str(span.get("reason") or "").strip()
        if not reason or len(reason) > 100:
            raise DomainError(_("请写明禁休原因（如防汛、选举、集中整治），不超过 100 字。"), field=where)


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
    values = {name: data.get(name, getattr(base, name) if base else _default(name)) for name in POLICY_FIELDS}
    values["effective_from"] = data.get("effective_from", base.effective_from if base else None)
    return values


def _default(name: str) -> Any:
    # A column of the policy itself (POLICY_FIELDS), never the far side of a relation.
    return cast(models.Field, RotationPolicy._meta.get_field(name)).get_default()


@transaction.atomic
def rotation_policy_create(
    *,
    actor: User | None,
    unit: OrgUnit,
    data: Mapping[str, Any],
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> RotationPolicy:
    """A new policy version for ``unit`` from a stated month on, in a unit
    ``actor`` may add policies to. Audited with the fields given."""
    _refuse_township_absence_kinds(unit, data)
    values = _policy_values(data)
    if values["effective_from"] is None:
        raise DomainError(_("请填写政策的起始月份。"), field="effective_from")
    policy_validate(unit=unit, data=values, today=today or clock.today())
    if RotationPolicy.objects.filter(unit=unit, effective_from=values["effective_from"]).exists():
        raise DomainError(
            _("本单位 %(effective_from)s 起的政策已存在，请修改该版本。")
            % {"effective_from": format(values["effective_from"], "%Y-%m")},
            field="effective_from",
        )
    values["blackout"] = _with_county_blackout(unit, values)
    policy = RotationPolicy.objects.create(unit=unit, created_by=actor, **values)
    written(actor, request, "create", RESOURCE, policy, sorted({"unit", *data}))
    return policy


@transaction.atomic
def rotation_policy_update(
    *,
    actor: User | None,
    policy: RotationPolicy,
    data: Mapping[str, Any],
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> RotationPolicy:
    """Change a version that has not yet come into force; past months keep
    theirs. Audited with the fields that changed (a row even when none did)."""
    today = today or clock.today()
    policy = RotationPolicy.objects.select_for_update().get(pk=policy.pk)
    if policy.effective_from < _month_start(today):
        raise DomainError(
            _("该版本已经用于过去的月份，不能修改；请新建一个从本月或以后月份起生效的版本。"), field="effective_from"
        )
    if "unit" in data and data["unit"] != policy.unit:
        raise DomainError(_("不能把政策移到另一个单位，请在该单位新建政策。"), field="unit")
    _refuse_township_absence_kinds(policy.unit, data)
    values = _policy_values(data, base=policy)
    policy_validate(unit=policy.unit, data=values, today=today)
    if (
        RotationPolicy.objects.filter(unit=policy.unit, effective_from=values["effective_from"])
        .exclude(pk=policy.pk)
        .exists()
    ):
        raise DomainError(
            _("本单位 %(effective_from)s 起的政策已存在。")
            % {"effective_from": format(values["effective_from"], "%Y-%m")},
            field="effective_from",
        )
    values["blackout"] = _with_county_blackout(policy.unit, values)
    before = {name: getattr(policy, name) for name in data if name != "unit"}
    for name, value in values.items():
        setattr(policy, name, value)
    policy.save()
    written(actor, request, "update", RESOURCE, policy, changed_fields(policy, before))
    return policy


@transaction.atomic
def rotation_policy_delete(
    *, actor: User | None, policy: RotationPolicy, today: dt.date | None = None, request: HttpRequest | None = None
) -> None:
    """Delete a version not yet in force; one used by past months stays, as their record."""
    if policy.effective_from < _month_start(today or clock.today()):
        raise DomainError(_("该版本已经用于过去的月份，不能删除。"), field="effective_from")
    written(actor, request, "delete", RESOURCE, policy)  # first: the row names the version while it exists
    policy.delete()


def validate_span(start: dt.date, end: dt.date, longest: int = MAX_SPAN_DAYS) -> None:
    if end < start:
        raise DomainError(_("结束日期不能早于开始日期。"), field="end")
    if (end - start).days >= longest:
        raise DomainError(_("一次最长 %(longest)s 天，请分段登记。") % {"longest": longest}, field="end")
