"""Scheduled interviews (定期约谈): a round per township and its cadres."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cadrecare.org.choices import EndReason
from cadrecare.org.models import Cadre, OrgUnit
from cadrecare.talks.choices import InterviewItemStatus
from cadrecare.talks.models.talks import Talk


class InterviewRound(models.Model):
    """A round of scheduled interviews (定期约谈) the county organization
    department holds with one township's section-level cadres (正科/副科)."""

    unit = models.ForeignKey(OrgUnit, verbose_name="乡镇", on_delete=models.PROTECT, related_name="interview_rounds")
    title = models.CharField("名称", max_length=200)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    interviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="约谈人", related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    SCOPE_UNIT = "unit"
    SCOPE_CADRE = None

    class Privacy:
        basic = ("id", "unit", "title", "start_date", "end_date", "interviewers", "created_by", "created_at")

    class Meta:
        verbose_name = verbose_name_plural = "定期约谈"
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="interviewround_dates"),
        ]

    def __str__(self) -> str:
        return self.title


class InterviewItem(models.Model):
    """One cadre to interview in a round; a talk with them by one of the
    round's interviewers within its dates closes it."""

    round = models.ForeignKey(InterviewRound, verbose_name="约谈批次", on_delete=models.CASCADE, related_name="items")
    cadre = models.ForeignKey(Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="interview_items")
    status = models.CharField(
        "状态", max_length=10, choices=InterviewItemStatus.choices, default=InterviewItemStatus.OPEN
    )
    talk = models.ForeignKey(
        Talk, verbose_name="约谈记录", null=True, blank=True, on_delete=models.SET_NULL, related_name="interview_items"
    )
    done_date = models.DateField("约谈日期", null=True, blank=True)
    cancel_reason = models.CharField("撤销原因", max_length=20, choices=EndReason.choices, blank=True)
    cancelled_on = models.DateField("撤销日期", null=True, blank=True)

    SCOPE_UNIT = "cadre__unit"
    SCOPE_CADRE = "cadre"

    class Privacy:
        basic = ("id", "round", "cadre", "status", "talk", "done_date", "cancel_reason", "cancelled_on")

    class Meta:
        verbose_name = verbose_name_plural = "约谈对象"
        ordering = ["round_id", "cadre_id"]
        constraints = [models.UniqueConstraint(fields=["round", "cadre"], name="interviewitem_unique")]

    def __str__(self) -> str:
        return f"{self.round} {self.cadre}"
