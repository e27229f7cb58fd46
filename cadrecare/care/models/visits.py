"""Visits that must happen (走访任务) and the visits made (走访慰问)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cadrecare.care.choices import ObligationSource, ObligationStatus, VisitKind
from cadrecare.care.models.common import MONEY
from cadrecare.care.models.family import CadreCondition, FamilyEvent, FamilyMember
from cadrecare.org.choices import EndReason, LeaderPost
from cadrecare.org.models import Cadre, OrgUnit


class VisitObligation(models.Model):
    """A visit that must happen (必访 / 慰问) by a deadline, with an owner.
    At most one per family event or cadre condition (the exactly-once rule)."""

    cadre = models.ForeignKey(Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="visit_obligations")
    source = models.CharField("来源", max_length=20, choices=ObligationSource.choices)
    family_event = models.OneToOneField(
        FamilyEvent, verbose_name="家庭变故", null=True, blank=True, on_delete=models.CASCADE, related_name="obligation"
    )
    condition = models.OneToOneField(
        CadreCondition,
        verbose_name="干部重病或去世",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="obligation",
    )
    reason = models.CharField("事由", max_length=200)
    event_date = models.DateField("事由发生日期")
    deadline = models.DateField("走访期限")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visit_obligations",
    )
    owner_note = models.CharField("责任人说明", max_length=200, blank=True)
    owner_post = models.CharField(
        "责任岗位",
        max_length=20,
        choices=LeaderPost.choices,
        blank=True,
        help_text="按岗位分派：由该岗位当日的在任者（含代理）负责；留空为按人指派（cadrecare.org.posts）。",
    )
    owner_post_unit = models.ForeignKey(
        OrgUnit, verbose_name="责任岗位所在单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("状态", max_length=10, choices=ObligationStatus.choices, default=ObligationStatus.OPEN)
    done_on = models.DateField("走访日期", null=True, blank=True)
    waived_reason = models.CharField("免于走访理由", max_length=500, blank=True)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="批准免访人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cancel_reason = models.CharField("撤销原因", max_length=20, choices=EndReason.choices, blank=True)
    cancelled_on = models.DateField("撤销日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    SCOPE_UNIT = "cadre__unit"
    SCOPE_CADRE = "cadre"

    class Privacy:
        basic = (
            "id",
            "cadre",
            "source",
            "family_event",
            "condition",
            "reason",
            "event_date",
            "deadline",
            "owner",
            "owner_note",
            "owner_post",
            "owner_post_unit",
            "status",
            "done_on",
            "waived_reason",
            "waived_by",
            "cancel_reason",
            "cancelled_on",
            "created_at",
        )

    class Meta:
        verbose_name = verbose_name_plural = "走访任务"
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["status", "deadline"], name="obligation_status_deadline")]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_post="") | Q(owner_post_unit__isnull=False), name="obligation_owner_post_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} {self.reason} 期限{self.deadline}"


class Visit(models.Model):
    """A visit to a cadre or their family (走访慰问); it fulfils the open
    obligations it names (care.services.visit_record)."""

    cadre = models.ForeignKey(Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="visits")
    family_member = models.ForeignKey(
        FamilyMember, verbose_name="走访家属", null=True, blank=True, on_delete=models.SET_NULL, related_name="visits"
    )
    date = models.DateField("走访日期")
    kind = models.CharField("走访类型", max_length=20, choices=VisitKind.choices)
    visitors = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="走访人", related_name="care_visits")
    money_amount = models.DecimalField("慰问金（元）", **MONEY, default=0)
    goods = models.CharField("慰问物资", max_length=500, blank=True)
    notes = models.TextField("走访情况", max_length=4000, blank=True)
    obligations = models.ManyToManyField(
        VisitObligation, verbose_name="完成的走访任务", blank=True, related_name="visits"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    SCOPE_UNIT = "cadre__unit"
    SCOPE_CADRE = "cadre"

    class Privacy:
        basic = (
            "id",
            "cadre",
            "family_member",
            "date",
            "kind",
            "visitors",
            "money_amount",
            "goods",
            "obligations",
            "recorded_by",
            "created_at",
        )
        sensitive = ("notes",)

    class Meta:
        verbose_name = verbose_name_plural = "走访慰问"
        ordering = ["-date", "-id"]
        constraints = [models.CheckConstraint(condition=Q(money_amount__gte=0), name="visit_money_not_negative")]

    def __str__(self) -> str:
        return f"{self.date} 走访 {self.cadre}"
