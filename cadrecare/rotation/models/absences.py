"""Absences and rest requests (the problem's available span, away, prefer,
avoid) and recalls from rest."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from cadrecare.org.models import Cadre, User
from cadrecare.rotation.choices import AbsenceKind, RequestKind


class Absence(models.Model):
    """A span when a cadre is away (请假/培训/借调/病假): neither on duty nor
    resting, so it prorates the month's entitlement (format rule 1)."""

    cadre = models.ForeignKey(Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="absences")
    kind = models.CharField("类型", max_length=20, choices=AbsenceKind.choices)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    note = models.CharField("说明", max_length=300, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name="登记人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    SCOPE_UNIT = "cadre__unit"
    SCOPE_CADRE = "cadre"

    class Privacy:
        basic = ("id", "cadre", "start", "end", "created_by", "created_at")
        personal = ("kind", "note")  # "sick leave" says something about health

    class Meta:
        verbose_name = verbose_name_plural = "外出与请假"
        ordering = ["cadre_id", "start"]
        constraints = [models.CheckConstraint(condition=Q(end__gte=F("start")), name="absence_end_after_start")]
        indexes = [models.Index(fields=["cadre", "start", "end"], name="absence_cadre_span")]

    def __str__(self) -> str:
        return f"{self.cadre} {self.get_kind_display()} {self.start}–{self.end}"


class RestRequest(models.Model):
    """A wish to rest (or not to rest) on given dates, with a reason; a cadre
    in poor health or family hardship weighs three times (format ``hardship``)."""

    cadre = models.ForeignKey(Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="rest_requests")
    kind = models.CharField("类型", max_length=10, choices=RequestKind.choices)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    reason = models.CharField("理由", max_length=300)
    poor_health = models.BooleanField("身体欠佳", default=False)
    family_hardship = models.BooleanField("家庭困难", default=False)
    requested_by = models.ForeignKey(
        User, verbose_name="提出人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("提出时间", auto_now_add=True)

    SCOPE_UNIT = "cadre__unit"
    SCOPE_CADRE = "cadre"

    class Privacy:
        basic = ("id", "cadre", "kind", "start", "end", "requested_by", "created_at")
        sensitive = ("reason", "poor_health", "family_hardship")

    class Meta:
        verbose_name = verbose_name_plural = "休息意愿"
        ordering = ["cadre_id", "start"]
        constraints = [models.CheckConstraint(condition=Q(end__gte=F("start")), name="restrequest_end_after_start")]

    def __str__(self) -> str:
        return f"{self.cadre} {self.get_kind_display()} {self.start}–{self.end}"


class Recall(models.Model):
    """A cadre called back to duty during rest (召回): the days lost are owed and
    become ``carry_days`` in a later month's problem."""

    cadre = models.ForeignKey(Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="recalls")
    date = models.DateField("召回日期")
    days_lost = models.PositiveSmallIntegerField("损失休息天数")
    reason = models.CharField("事由", max_length=300)
    recorded_by = models.ForeignKey(
        User, verbose_name="记录人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    SCOPE_UNIT = "cadre__unit"
    SCOPE_CADRE = "cadre"

    class Privacy:
        basic = ("id", "cadre", "date", "days_lost", "reason", "recorded_by", "recorded_at")

    class Meta:
        verbose_name = verbose_name_plural = "召回记录"
        ordering = ["cadre_id", "date"]
        constraints = [models.CheckConstraint(condition=Q(days_lost__gte=1), name="recall_days_lost_positive")]

    def __str__(self) -> str:
        return f"{self.cadre} 召回 {self.date}"
