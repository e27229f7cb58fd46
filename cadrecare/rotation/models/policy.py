"""The rotation policy: inherited down the tree, versioned by the month it starts."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q

from cadrecare.org.models import OrgUnit, User
from cadrecare.rotation.choices import REST_REDUCING_KINDS, Mode

DEFAULT_MIN_ON_DUTY_RATIO = Decimal("0.60")


def reducing_kinds_default() -> list[str]:
    return list(REST_REDUCING_KINDS)


class RotationPolicy(models.Model):
    """How a unit's cadres rest: mode, days, coverage and pairing rules.

    A county sets the default, a township may override it; the policy in force
    for a month is the deepest unit's latest version with ``effective_from`` on
    or before that month, so past months keep the policy they were planned under.
    """

    unit = models.ForeignKey(OrgUnit, verbose_name="单位", on_delete=models.PROTECT, related_name="rotation_policies")
    effective_from = models.DateField("起始月份", help_text="该月第一天")
    mode = models.CharField("轮休模式", max_length=20, choices=Mode.choices)
    rest_days = models.PositiveSmallIntegerField("每月休息天数", default=8)
    min_on_duty_ratio = models.DecimalField(
        "最低在岗比例", max_digits=3, decimal_places=2, default=DEFAULT_MIN_ON_DUTY_RATIO
    )
    min_leaders_on_duty = models.PositiveSmallIntegerField("最少在岗班子成员", default=1)
    min_on_duty_per_office = models.PositiveSmallIntegerField("每个科室最少在岗", default=1)
    principal_leaders_apart = models.BooleanField("党委书记与乡镇长不同时休息", default=True)
    never_together = models.JSONField(
        "不得同时休息的干部", default=list, blank=True, help_text="干部编号对的列表，如 [[12, 15]]"
    )
    blackout = models.JSONField(
        "禁休日期", default=list, blank=True, help_text='[{"from": "2027-07-01", "to": "2027-07-31", "reason": "防汛"}]'
    )
    generation_day = models.PositiveSmallIntegerField("每月生成下月排班的日期", default=20)
    absence_kinds_reducing_rest = models.JSONField(
        "按比例减少当月休息的外出类型",
        default=reducing_kinds_default,
        blank=True,
        help_text="县级政策设定；不在其中的类型（默认年休假、事假）不减少当月应休天数",
    )
    # Bounds a county (or city) sets for its townships' own policies; its
    # blackout dates bind them too, and a township may only add to them.
    township_modes = models.JSONField(
        "乡镇可选的轮休模式", default=list, blank=True, help_text='空表示乡镇可任选，如 ["weekly", "half_month"]'
    )
    township_min_ratio = models.DecimalField(
        "乡镇最低在岗比例不得低于", max_digits=3, decimal_places=2, null=True, blank=True
    )
    created_by = models.ForeignKey(
        User, verbose_name="设置人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("设置时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    SCOPE_UNIT = "unit"
    SCOPE_CADRE = None
    # The settings an infeasible month's reasons point to (rotation.explain).
    POLICY_SETTINGS = (
        "mode",
        "rest_days",
        "min_on_duty_ratio",
        "min_leaders_on_duty",
        "min_on_duty_per_office",
        "principal_leaders_apart",
        "never_together",
        "blackout",
    )

    class Privacy:
        basic = (
            "id",
            "unit",
            "effective_from",
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
            "created_by",
            "created_at",
            "updated_at",
        )

    class Meta:
        verbose_name = verbose_name_plural = "轮休政策"
        ordering = ["unit_id", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "effective_from"], name="rotationpolicy_one_version_per_month"),
            models.CheckConstraint(condition=Q(effective_from__day=1), name="rotationpolicy_starts_on_first"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.effective_from:%Y-%m} {self.get_mode_display()}"
