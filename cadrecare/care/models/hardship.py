"""Hardship help (困难帮扶): the cases, the measures taken, and the HR officer's
care decisions that may open them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cadrecare.care.choices import (
    ContactWay,
    FollowUpOutcome,
    FollowUpTrigger,
    HardshipCategory,
    HardshipStatus,
    MeasureKind,
)
from cadrecare.care.models.common import MONEY
from cadrecare.care.models.visits import VisitObligation
from cadrecare.org.models import Cadre


class HardshipCase(models.Model):
    """A cadre's hardship (困难帮扶). While open or being helped the cadre
    counts as ``hardship`` for the rest roster (care.selectors.cadres_with_hardship)
    and has a review due on ``next_review`` (a reminders due item, ``care/due.py``):
    set when the case is opened and moved on by each review recorded, by the
    interval of the care policy unless given.

    A new case is first contacted (及时关心问候) by ``first_contact_due``, the
    care policy's days after opening (the ``hardship_first_contact`` due
    item): done when the contact is recorded on the case, or a visit to the
    cadre on or after the opening is."""

    cadre = models.ForeignKey(Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="hardship_cases")
    category = models.CharField("困难类别", max_length=20, choices=HardshipCategory.choices)
    description = models.TextField("困难情况", max_length=4000, blank=True)
    status = models.CharField("状态", max_length=10, choices=HardshipStatus.choices, default=HardshipStatus.OPEN)
    opened_on = models.DateField("登记日期")
    next_review = models.DateField("下次回访日期", null=True, blank=True)
    last_reviewed_on = models.DateField("最近回访日期", null=True, blank=True)
    resolved_on = models.DateField("解决日期", null=True, blank=True)
    first_contact_due = models.DateField("首次联系期限", null=True, blank=True)
    first_contact_on = models.DateField("首次联系日期", null=True, blank=True)
    first_contact_way = models.CharField("首次联系方式", max_length=10, choices=ContactWay.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    SCOPE_UNIT = "cadre__unit"
    SCOPE_CADRE = "cadre"

    class Privacy:
        basic = (
            "id",
            "cadre",
            "status",
            "opened_on",
            "next_review",
            "last_reviewed_on",
            "resolved_on",
            "first_contact_due",
            "first_contact_on",
            "first_contact_way",
            "recorded_by",
            "created_at",
            "updated_at",
        )
        personal = ("category",)
        sensitive = ("description",)

    class Meta:
        verbose_name = verbose_name_plural = "困难帮扶"
        ordering = ["-opened_on", "-id"]
        indexes = [models.Index(fields=["cadre", "status"], name="hardship_cadre_status")]

    def __str__(self) -> str:
        return f"{self.cadre} {self.get_category_display()}"


class CareDecision(models.Model):
    """The HR officer's decision on a cadre whom a check-up found in need of
    treatment (结论需治疗) or who is on a sick leave longer than the care
    policy's days: open a hardship case, arrange a visit, or close with a
    reason. One per check-up or absence; until it is made, the check-up or
    absence is a due item (``care/due.py``)."""

    cadre = models.ForeignKey(Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="care_decisions")
    trigger = models.CharField("起因", max_length=20, choices=FollowUpTrigger.choices)
    checkup = models.OneToOneField(
        "health.Checkup",
        verbose_name="体检记录",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="care_decision",
    )
    absence = models.OneToOneField(
        "rotation.Absence",
        verbose_name="病假",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="care_decision",
    )
    outcome = models.CharField("决定", max_length=20, choices=FollowUpOutcome.choices)
    reason = models.CharField("理由", max_length=500, blank=True)
    hardship_case = models.ForeignKey(
        HardshipCase, verbose_name="登记的困难帮扶", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    visit_obligation = models.ForeignKey(
        VisitObligation,
        verbose_name="安排的走访任务",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_on = models.DateField("决定日期")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="决定人",
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
            "outcome",
            "hardship_case",
            "visit_obligation",
            "decided_on",
            "decided_by",
            "created_at",
        )
        # Why HR was asked (a check-up's conclusion, a sick leave) and why it closed say something about health.
        sensitive = ("trigger", "checkup", "absence", "reason")

    class Meta:
        verbose_name = verbose_name_plural = "关爱跟进决定"
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(trigger="treatment", checkup__isnull=False, absence__isnull=True)
                | Q(trigger="sick_leave", checkup__isnull=True, absence__isnull=False),
                name="caredecision_one_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} {self.get_outcome_display()} {self.decided_on}"


class HardshipMeasure(models.Model):
    """One measure taken on a hardship case: when, what, how much, by whom."""

    case = models.ForeignKey(HardshipCase, verbose_name="帮扶对象", on_delete=models.CASCADE, related_name="measures")
    date = models.DateField("日期")
    kind = models.CharField("措施类型", max_length=20, choices=MeasureKind.choices)
    amount = models.DecimalField("金额（元）", **MONEY, default=0)
    provided_by = models.CharField("帮扶单位或个人", max_length=100)
    note = models.CharField("说明", max_length=1000, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    SCOPE_UNIT = "case__cadre__unit"
    SCOPE_CADRE = "case__cadre"

    class Privacy:
        basic = ("id", "case", "date", "kind", "amount", "provided_by", "created_at")
        sensitive = ("note",)

    class Meta:
        verbose_name = verbose_name_plural = "帮扶措施"
        ordering = ["date", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="measure_amount_not_negative")]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"
