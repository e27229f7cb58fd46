"""Health check-ups and the health archive (seed 三(二)): check-ups at regular
intervals paid by the cadre's unit, the record of them kept at that unit, the
interval each unit follows, and the campaigns HR runs to get everyone checked."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy

from cadrecare.health.choices import AttendanceStatus, CampaignStatus, CheckupKind, Conclusion, Payer
from cadrecare.org.models import Cadre, OrgUnit


def default_reminder_days() -> list[int]:
    return [60, 30]


class CheckupPolicy(models.Model):
    """How often a unit's cadres are checked and who pays. A unit without a
    policy follows its nearest ancestor's; the city's is the default
    (cadrecare.health.selectors.effective_policies)."""

    unit = models.OneToOneField(
        OrgUnit,
        verbose_name="单位",
        on_delete=models.CASCADE,
        related_name="checkup_policy",
        error_messages={"unique": gettext_lazy("该单位已有体检政策，请直接修改。")},
    )
    interval_months = models.PositiveSmallIntegerField(
        "体检间隔（月）", default=12, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    reminder_days = models.JSONField("提前提醒天数", default=default_reminder_days)
    payer = models.CharField("付费方", max_length=20, choices=Payer.choices, default=Payer.UNIT)
    note = models.CharField("说明", max_length=500, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    SCOPE_UNIT = "unit"
    SCOPE_CADRE = None

    class Privacy:
        basic = ("id", "unit", "interval_months", "reminder_days", "payer", "note", "updated_by", "updated_at")

    class Meta:
        verbose_name = verbose_name_plural = "体检政策"
        ordering = ["unit__path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(interval_months__gte=1, interval_months__lte=60), name="checkuppolicy_interval_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} 每{self.interval_months}个月"


class CheckupCampaign(models.Model):
    """A check-up campaign HR runs for a unit (and its subtree): dates, an
    institution and the cadres due, each with their attendance."""

    unit = models.ForeignKey(OrgUnit, verbose_name="单位", on_delete=models.PROTECT, related_name="checkup_campaigns")
    name = models.CharField("名称", max_length=100)
    date_from = models.DateField("开始日期")
    date_to = models.DateField("结束日期")
    institution = models.CharField("体检机构", max_length=100)
    note = models.CharField("说明", max_length=500, blank=True)
    status = models.CharField("状态", max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.PLANNED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="结束人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    SCOPE_UNIT = "unit"
    SCOPE_CADRE = None

    class Privacy:
        basic = (
            "id",
            "unit",
            "name",
            "date_from",
            "date_to",
            "institution",
            "note",
            "status",
            "created_by",
            "created_at",
            "closed_by",
            "closed_at",
        )

    class Meta:
        verbose_name = verbose_name_plural = "体检活动"
        ordering = ["-date_from", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(date_to__gte=F("date_from")), name="checkupcampaign_dates_ordered"),
        ]

    def __str__(self) -> str:
        return self.name


def attachment_path(instance: Checkup, filename: str) -> str:
    """A random name under MEDIA_ROOT: the report's own name may itself say
    something about the cadre's health, so it is kept only in the database."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"health/checkups/{uuid.uuid4().hex}{suffix}"


class Checkup(models.Model):
    """One health check-up of a cadre. Findings and the report are sensitive
    personal information (PIPL art. 28): masked for roles that do not need
    them, every read logged."""

    cadre = models.ForeignKey(Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="checkups")
    date = models.DateField("体检日期")
    institution = models.CharField("体检机构", max_length=100)
    kind = models.CharField("体检类型", max_length=20, choices=CheckupKind.choices, default=CheckupKind.ANNUAL)
    cost = models.DecimalField("费用（元）", max_digits=10, decimal_places=2, default=0)
    paying_unit = models.ForeignKey(
        OrgUnit, verbose_name="付费单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    conclusion = models.CharField("总体结论", max_length=20, choices=Conclusion.choices)
    findings = models.TextField("体检发现", blank=True, max_length=5000)
    follow_up_needed = models.BooleanField("需要复查", default=False)
    follow_up_by = models.DateField("复查期限", null=True, blank=True)
    attachment = models.FileField("体检报告", upload_to=attachment_path, blank=True, max_length=200)
    attachment_name = models.CharField("报告文件名", max_length=200, blank=True)
    campaign = models.ForeignKey(
        CheckupCampaign,
        verbose_name="体检活动",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="checkups",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    SCOPE_UNIT = "cadre__unit"
    SCOPE_CADRE = "cadre"

    class Privacy:
        basic = (
            "id",
            "cadre",
            "date",
            "institution",
            "kind",
            "cost",
            "paying_unit",
            "conclusion",
            "follow_up_needed",
            "follow_up_by",
            "campaign",
            "recorded_by",
            "recorded_at",
            "updated_at",
        )
        sensitive = ("findings", "attachment", "attachment_name")

    class Meta:
        verbose_name = verbose_name_plural = "体检记录"
        ordering = ["cadre_id", "date", "id"]
        indexes = [models.Index(fields=["cadre", "kind", "date"], name="checkup_cadre_kind_date")]
        constraints = [
            # The same check-up entered twice (a retried request) is a conflict, not a second record.
            models.UniqueConstraint(fields=["cadre", "date", "kind"], name="checkup_unique_per_day_and_kind"),
            models.CheckConstraint(condition=Q(cost__gte=0), name="checkup_cost_not_negative"),
            models.CheckConstraint(
                condition=Q(follow_up_by__isnull=True) | Q(follow_up_by__gt=F("date")),
                name="checkup_follow_up_after_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} {self.get_kind_display()} {self.date}"


class CampaignAttendee(models.Model):
    """A cadre on a campaign's list and whether they came; attending creates
    their check-up (cadrecare.health.services.campaign_attendance_record)."""

    campaign = models.ForeignKey(
        CheckupCampaign, verbose_name="体检活动", on_delete=models.CASCADE, related_name="attendees"
    )
    cadre = models.ForeignKey(Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="+")
    due_date = models.DateField("应检日期")
    status = models.CharField("状态", max_length=20, choices=AttendanceStatus.choices, default=AttendanceStatus.PENDING)
    reason = models.CharField("请假原因", max_length=500, blank=True)
    checkup = models.OneToOneField(
        Checkup, verbose_name="体检记录", null=True, blank=True, on_delete=models.SET_NULL, related_name="attendance"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField("登记时间", null=True, blank=True)

    SCOPE_UNIT = "campaign__unit"
    SCOPE_CADRE = "cadre"

    class Privacy:
        basic = ("id", "campaign", "cadre", "due_date", "status", "checkup", "recorded_by", "recorded_at")
        personal = ("reason",)

    class Meta:
        verbose_name = verbose_name_plural = "体检活动名单"
        ordering = ["campaign_id", "cadre_id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "cadre"], name="campaignattendee_unique")]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.cadre} · {self.get_status_display()}"
