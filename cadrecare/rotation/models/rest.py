"""The cadre's own rest: its calendar feed, rest that did not happen as
published, and the cadre's word on their month."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from cadrecare.org.models import Cadre, User
from cadrecare.rotation.choices import MissedRestStatus, RestConfirmationStatus
from cadrecare.rotation.models.absences import Absence


class RestFeed(models.Model):
    """The secret address of a cadre's rest days as an iCalendar feed, which a
    phone calendar subscribes to without logging in.
    Whoever holds the token reads the dates, so it can be replaced at will."""

    cadre = models.OneToOneField(Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="rest_feed")
    token = models.CharField("订阅密钥", max_length=64, unique=True)
    created_at = models.DateTimeField("生成时间", auto_now=True)

    SCOPE_UNIT = "cadre__unit"
    SCOPE_CADRE = "cadre"

    class Privacy:
        basic = ("id", "cadre", "created_at")
        sensitive = ("token",)

    class Meta:
        verbose_name = verbose_name_plural = "休息日历订阅"

    def __str__(self) -> str:
        return f"{self.cadre} 日历订阅"


class MissedRest(models.Model):
    """Rest days of a published roster that fell inside an absence recorded
    for them (病假 on a rest day): the cadre was away, not resting. ``owed``
    is what the absence leaves owed after the entitlement it cuts (a kind
    that reduces the month's rest cuts it; annual leave cuts nothing), and is
    carried into a later month's roster as a recall is, unless the secretary
    records that the rest was taken after all. One row per absence and
    roster, kept in step by the absence service."""

    absence = models.ForeignKey(Absence, verbose_name="外出记录", on_delete=models.CASCADE, related_name="missed_rest")
    roster = models.ForeignKey("Roster", verbose_name="排班表", on_delete=models.CASCADE, related_name="missed_rest")
    cadre = models.ForeignKey(Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="missed_rest")
    month = models.DateField("月份", help_text="该月第一天")
    dates = models.JSONField("未休的休息日", default=list)
    days = models.PositiveSmallIntegerField("未休天数")
    entitlement_cut = models.PositiveSmallIntegerField("应休天数减少", default=0)
    owed = models.PositiveSmallIntegerField("欠休天数")
    status = models.CharField("状态", max_length=10, choices=MissedRestStatus.choices, default=MissedRestStatus.OWED)
    note = models.CharField("书记说明", max_length=300, blank=True)
    decided_by = models.ForeignKey(
        User, verbose_name="确认人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField("确认时间", null=True, blank=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    SCOPE_UNIT = "roster__unit"
    SCOPE_CADRE = "cadre"

    class Privacy:
        basic = (
            "id",
            "absence",
            "roster",
            "cadre",
            "month",
            "dates",
            "days",
            "entitlement_cut",
            "owed",
            "status",
            "note",
            "decided_by",
            "decided_at",
            "created_at",
        )

    class Meta:
        verbose_name = verbose_name_plural = "外出未休的休息日"
        ordering = ["-month", "cadre_id"]
        constraints = [
            models.UniqueConstraint(fields=["absence", "roster"], name="missedrest_one_per_absence_roster"),
            models.CheckConstraint(condition=Q(days__gte=1), name="missedrest_days_positive"),
        ]
        indexes = [models.Index(fields=["cadre", "month"], name="missedrest_cadre_month")]

    def __str__(self) -> str:
        return f"{self.cadre} {self.month:%Y-%m} 未休 {self.days} 天"


class RestConfirmation(models.Model):
    """A cadre's confirmation of their month's rest at its end, or their
    correction (how many days they really rested, and what happened), which
    waits for the township's party secretary. An open correction keeps the
    month's rest from counting as confirmed."""

    roster = models.ForeignKey(
        "Roster", verbose_name="排班表", on_delete=models.CASCADE, related_name="rest_confirmations"
    )
    cadre = models.ForeignKey(Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="rest_confirmations")
    status = models.CharField("状态", max_length=12, choices=RestConfirmationStatus.choices)
    days_rested = models.PositiveSmallIntegerField("本人所述实际休息天数", null=True, blank=True)
    note = models.CharField("更正说明", max_length=500, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name="提交人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_on = models.DateField("确认或更正日期")
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    resolved_by = models.ForeignKey(
        User, verbose_name="处理人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)
    resolution = models.CharField("处理意见", max_length=500, blank=True)

    SCOPE_UNIT = "roster__unit"
    SCOPE_CADRE = "cadre"

    class Privacy:
        basic = (
            "id",
            "roster",
            "cadre",
            "status",
            "days_rested",
            "note",
            "submitted_on",
            "created_by",
            "created_at",
            "updated_at",
            "resolved_by",
            "resolved_at",
            "resolution",
        )

    class Meta:
        verbose_name = verbose_name_plural = "月末休息确认"
        ordering = ["-roster__month", "cadre_id"]
        constraints = [
            models.UniqueConstraint(fields=["roster", "cadre"], name="restconfirmation_one_per_cadre_roster"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} {self.roster} {self.get_status_display()}"
