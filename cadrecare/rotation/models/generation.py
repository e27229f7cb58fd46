"""Generation runs: the asynchronous job a client polls, one item per unit."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from cadrecare.org.models import OrgUnit, User
from cadrecare.rotation.choices import RunKind, RunStatus
from cadrecare.rotation.models.rosters import Roster


class GenerationRun(models.Model):
    """A request to generate rosters for one month, for one unit (a secretary's
    "generate") or for every unit due that day (the daily job); its progress
    is the status of its items, one per unit."""

    unit = models.ForeignKey(OrgUnit, verbose_name="单位", on_delete=models.PROTECT, related_name="generation_runs")
    month = models.DateField("月份")
    kind = models.CharField("方式", max_length=20, choices=RunKind.choices, default=RunKind.MANUAL)
    scheduled_for = models.DateField("定时生成日期", null=True, blank=True)
    keep_pinned = models.BooleanField("保留已固定的休息日", default=True)
    requested_by = models.ForeignKey(
        User, verbose_name="发起人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("发起时间", auto_now_add=True)

    SCOPE_UNIT = "unit"
    SCOPE_CADRE = None

    class Privacy:
        basic = ("id", "unit", "month", "kind", "scheduled_for", "keep_pinned", "requested_by", "created_at")

    class Meta:
        verbose_name = verbose_name_plural = "排班生成任务"
        ordering = ["-created_at", "-id"]
        constraints = [
            # The daily job makes one run per day, however often it fires.
            models.UniqueConstraint(
                fields=["scheduled_for"], condition=Q(kind="scheduled"), name="generationrun_one_scheduled_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.month:%Y-%m} #{self.pk}"


class GenerationItem(models.Model):
    """One unit's share of a run: queued until its task writes the roster
    version (or finds the problem infeasible, or fails). A unit's month is
    queued at most once at a time (a partial unique constraint: the run's
    month is copied here so the database can hold that rule)."""

    run = models.ForeignKey(GenerationRun, verbose_name="生成任务", on_delete=models.CASCADE, related_name="items")
    unit = models.ForeignKey(OrgUnit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    month = models.DateField("月份")
    status = models.CharField("状态", max_length=20, choices=RunStatus.choices, default=RunStatus.QUEUED)
    reasons = models.JSONField("原因", default=list, blank=True)
    roster = models.ForeignKey(
        Roster, verbose_name="排班表", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    solve_seconds = models.FloatField("求解耗时（秒）", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    # The outbox's leases (services.item_lease): its message is trusted until
    # lease_until, a worker holds it until claimed_until.
    lease_until = models.DateTimeField("消息租约到期", null=True, blank=True)
    claimed_until = models.DateTimeField("执行租约到期", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    SCOPE_UNIT = "unit"
    SCOPE_CADRE = None

    class Privacy:
        basic = (
            "id",
            "run",
            "unit",
            "month",
            "status",
            "reasons",
            "roster",
            "solve_seconds",
            "attempts",
            "lease_until",
            "claimed_until",
            "finished_at",
        )

    class Meta:
        verbose_name = verbose_name_plural = "单位生成结果"
        ordering = ["run_id", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "unit"], name="generationitem_one_per_unit"),
            # Asking again while a unit's month waits returns the waiting run: the
            # insert that loses a race fails here instead of solving it twice.
            models.UniqueConstraint(
                fields=["unit", "month"], condition=Q(status="queued"), name="generationitem_one_queued_per_unit_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run} {self.unit} {self.get_status_display()}"
