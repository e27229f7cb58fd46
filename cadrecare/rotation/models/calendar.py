"""The holiday calendar (docs/rotation.md, holiday calendar): the database, not
a package, is the truth."""

from __future__ import annotations

from django.db import models

from cadrecare.org.models import User
from cadrecare.rotation.choices import CalendarStatus, HolidayKind


class HolidayYear(models.Model):
    """One year's public holidays and makeup workdays (调休).

    ``official`` only when loaded from the State Council's notice or when both
    maintained packages know the year and agree; otherwise ``provisional``,
    and rosters in it say so.
    """

    year = models.PositiveSmallIntegerField("年份", unique=True)
    status = models.CharField("状态", max_length=20, choices=CalendarStatus.choices)
    source_ref = models.CharField("来源（通知文号或网址）", max_length=300, blank=True)
    loaded_by = models.ForeignKey(
        User, verbose_name="导入人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    loaded_at = models.DateTimeField("导入时间", auto_now=True)
    checksum = models.CharField("校验和", max_length=64)

    SCOPE_UNIT = None  # national: the same calendar for every unit
    SCOPE_CADRE = None

    class Privacy:
        basic = ("id", "year", "status", "source_ref", "loaded_by", "loaded_at", "checksum")

    class Meta:
        verbose_name = verbose_name_plural = "节假日年度安排"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}（{self.get_status_display()}）"


class HolidayDay(models.Model):
    """A public holiday, or a weekend day made a working day (调休上班)."""

    year = models.ForeignKey(HolidayYear, verbose_name="年度", on_delete=models.CASCADE, related_name="days")
    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=20, choices=HolidayKind.choices)
    name = models.CharField("名称", max_length=100, blank=True)

    class Privacy:
        basic = ("id", "year", "date", "kind", "name")

    class Meta:
        verbose_name = verbose_name_plural = "节假日"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"
