"""A township's conditions (seed 三(三)): its facilities (五小) and post allowances (岗位补贴)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from cadrecare.care.choices import FacilityItem, FacilityStatus
from cadrecare.care.models.common import MONEY
from cadrecare.org.models import OrgUnit


class Facility(models.Model):
    """One of a township's working and living facilities (五小 plus meals and
    lodging) and its state: present, being built or missing."""

    township = models.ForeignKey(OrgUnit, verbose_name="乡镇", on_delete=models.CASCADE, related_name="facilities")
    item = models.CharField("项目", max_length=20, choices=FacilityItem.choices)
    status = models.CharField("状态", max_length=10, choices=FacilityStatus.choices)
    as_of = models.DateField("状态日期")
    note = models.CharField("说明", max_length=500, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    SCOPE_UNIT = "township"

    class Privacy:
        basic = ("id", "township", "item", "status", "as_of", "note", "updated_at")

    class Meta:
        verbose_name = verbose_name_plural = "乡镇五小设施"
        ordering = ["township__path", "item"]
        constraints = [models.UniqueConstraint(fields=["township", "item"], name="facility_one_per_item")]

    def __str__(self) -> str:
        return f"{self.township} {self.get_item_display()} {self.get_status_display()}"


class PostAllowance(models.Model):
    """A township's post allowance (岗位补贴) for one month: due, paid, when.
    Late and short are derived (care.selectors.post_allowance_queryset)."""

    township = models.ForeignKey(OrgUnit, verbose_name="乡镇", on_delete=models.CASCADE, related_name="post_allowances")
    month = models.DateField("月份")  # the first day of the month
    due_amount = models.DecimalField("应发金额（元）", **MONEY)
    paid_amount = models.DecimalField("实发金额（元）", **MONEY, default=0)
    due_by = models.DateField("应发放截止日")
    paid_on = models.DateField("发放日期", null=True, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    SCOPE_UNIT = "township"

    class Privacy:
        basic = ("id", "township", "month", "due_amount", "paid_amount", "due_by", "paid_on", "note", "updated_at")

    class Meta:
        verbose_name = verbose_name_plural = "乡镇岗位补贴发放"
        ordering = ["-month", "township__path"]
        constraints = [
            models.UniqueConstraint(fields=["township", "month"], name="allowance_one_per_month"),
            models.CheckConstraint(
                condition=Q(due_amount__gte=0) & Q(paid_amount__gte=0), name="allowance_amounts_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.township} {self.month:%Y-%m}"
