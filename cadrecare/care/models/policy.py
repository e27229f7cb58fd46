"""The care policy: per-unit settings of family care, inherited down the tree."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cadrecare.org.models import OrgUnit


class CarePolicy(models.Model):
    """Per-unit settings of family care, inherited down the tree: a field left
    empty takes the value of the nearest ancestor that sets it, else the
    default (7 days after a family event or a cadre's illness, 3 after a death;
    an open hardship case reviewed every 3 months; a cadre's 心里话 answered
    within 7 days; a new hardship case first contacted within 7 days; a sick
    leave longer than 14 days brought to the HR officer's decision)."""

    unit = models.OneToOneField(OrgUnit, verbose_name="单位", on_delete=models.CASCADE, related_name="care_policy")
    family_event_days = models.PositiveSmallIntegerField("家庭变故必访期限（天）", null=True, blank=True)
    illness_days = models.PositiveSmallIntegerField("干部重病慰问期限（天）", null=True, blank=True)
    death_days = models.PositiveSmallIntegerField("干部去世慰问期限（天）", null=True, blank=True)
    hardship_review_months = models.PositiveSmallIntegerField("困难帮扶回访周期（月）", null=True, blank=True)
    message_answer_days = models.PositiveSmallIntegerField("心里话回复期限（天）", null=True, blank=True)
    first_contact_days = models.PositiveSmallIntegerField("困难帮扶首次联系期限（天）", null=True, blank=True)
    sick_leave_days = models.PositiveSmallIntegerField("长期病假关怀起点（天）", null=True, blank=True)
    visit_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="指定走访责任人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    SCOPE_UNIT = "unit"

    class Privacy:
        basic = (
            "id",
            "unit",
            "family_event_days",
            "illness_days",
            "death_days",
            "hardship_review_months",
            "message_answer_days",
            "first_contact_days",
            "sick_leave_days",
            "visit_owner",
            "updated_at",
        )

    class Meta:
        verbose_name = verbose_name_plural = "关爱政策"
        ordering = ["unit__path"]

    def __str__(self) -> str:
        return f"{self.unit} 关爱政策"
