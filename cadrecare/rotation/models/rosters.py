"""Rosters: one per unit and month; versions written whole, the pointer flips
last; each version's days and entitlements."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from cadrecare.org.models import Cadre, OrgUnit, User
from cadrecare.rotation.choices import DayKind, RosterStatus, SolverStatus


class Roster(models.Model):
    """A unit's rest roster for one month.

    There is exactly one per (unit, month). Each generation or edit writes a
    new ``RosterVersion`` with all its days in one transaction and then points
    ``current`` at it, so a reader sees the old roster or the new one, never a
    mix (docs/reliability.md). ``version`` is the ETag of edits.
    """

    unit = models.ForeignKey(OrgUnit, verbose_name="单位", on_delete=models.PROTECT, related_name="rosters")
    month = models.DateField("月份", help_text="该月第一天")
    status = models.CharField("状态", max_length=20, choices=RosterStatus.choices, default=RosterStatus.DRAFT)
    current = models.ForeignKey(
        "RosterVersion", verbose_name="当前版本", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField("版本号", default=0)
    provisional_calendar = models.BooleanField("节假日安排为暂定", default=False)
    calendar_changed_at = models.DateTimeField(
        "节假日安排更正时间",
        null=True,
        blank=True,
        help_text="排班生成后，国务院通知更正了本月的节假日或调休；重新生成的版本按新安排，随之清除",
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        User, verbose_name="发布人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    locked_at = models.DateTimeField("锁定时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    SCOPE_UNIT = "unit"
    SCOPE_CADRE = None

    class Privacy:
        basic = (
            "id",
            "unit",
            "month",
            "status",
            "current",
            "version",
            "provisional_calendar",
            "calendar_changed_at",
            "published_at",
            "published_by",
            "locked_at",
            "created_at",
            "updated_at",
        )

    class Meta:
        verbose_name = verbose_name_plural = "轮休排班表"
        ordering = ["-month", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="roster_one_per_unit_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="roster_month_starts_on_first"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.month:%Y-%m}"

    @property
    def month_label(self) -> str:
        return f"{self.month:%Y-%m}"


class RosterVersion(models.Model):
    """One complete roster of a month as solved (or edited): the problem it was
    solved from and the solver's answer, in the exchange format."""

    roster = models.ForeignKey(Roster, verbose_name="排班表", on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本序号")
    solver_status = models.CharField("求解状态", max_length=20, choices=SolverStatus.choices)
    metrics = models.JSONField("质量指标", null=True, blank=True)
    reasons = models.JSONField("无解原因", default=list, blank=True)
    problem = models.JSONField("问题（交换格式）")
    solution = models.JSONField("结果（交换格式）")
    note = models.CharField(
        "调整说明", max_length=500, blank=True, help_text="手工调整的内容；打破规则时还有书记写明的理由"
    )
    generation_item = models.OneToOneField(
        "GenerationItem",
        verbose_name="生成任务",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="version",
    )
    created_by = models.ForeignKey(
        User, verbose_name="创建人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    SCOPE_UNIT = "roster__unit"
    SCOPE_CADRE = None

    class Privacy:
        basic = (
            "id",
            "roster",
            "number",
            "solver_status",
            "metrics",
            "reasons",
            "problem",
            "solution",
            "note",
            "generation_item",
            "created_by",
            "created_at",
        )

    class Meta:
        verbose_name = verbose_name_plural = "排班版本"
        ordering = ["roster_id", "number"]
        constraints = [models.UniqueConstraint(fields=["roster", "number"], name="rosterversion_unique_number")]

    def __str__(self) -> str:
        return f"{self.roster} v{self.number}"

    @property
    def metrics_version(self) -> int | None:
        """Which quality metrics `metrics` holds: 2 (four keys, with desirable_rest) or 1 for a
        version solved before metrics v2 (three keys, smoothness over every non-blackout day).
        Old versions keep the metrics they were judged by; regenerating gives v2."""
        if not self.metrics:
            return None
        return 2 if "desirable_rest" in self.metrics else 1


class RosterDay(models.Model):
    """What one cadre does on one date of a roster version: rest, duty or away."""

    version = models.ForeignKey(RosterVersion, verbose_name="版本", on_delete=models.CASCADE, related_name="days")
    cadre = models.ForeignKey(Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="roster_days")
    date = models.DateField("日期")
    kind = models.CharField("安排", max_length=10, choices=DayKind.choices)
    pinned = models.BooleanField("已固定", default=False)

    SCOPE_UNIT = "version__roster__unit"
    SCOPE_CADRE = "cadre"

    class Privacy:
        basic = ("id", "version", "cadre", "date", "kind", "pinned")

    class Meta:
        verbose_name = verbose_name_plural = "排班日"
        ordering = ["version_id", "cadre_id", "date"]
        constraints = [
            models.UniqueConstraint(fields=["version", "cadre", "date"], name="rosterday_one_per_cadre_date"),
        ]
        indexes = [models.Index(fields=["version", "date", "kind"], name="rosterday_version_date_kind")]

    def __str__(self) -> str:
        return f"{self.cadre} {self.date} {self.get_kind_display()}"


class RosterEntitlement(models.Model):
    """What rule 1 of the format entitles one cadre to in one roster version:
    the days they were available (outside every away span), the owed days
    carried in, and the rest days due, ``floor(rest_days * a / m + 0.5) +
    carry_days``. Worked out by the solver library's own reading of the
    version's problem (``scheduler.roster.month_of``) when the version is
    written, and kept so the rest-compliance report adds it up in SQL."""

    version = models.ForeignKey(
        RosterVersion, verbose_name="版本", on_delete=models.CASCADE, related_name="entitlements"
    )
    cadre = models.ForeignKey(Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="+")
    available_days = models.PositiveSmallIntegerField("在岗可排天数")
    carry_days = models.PositiveSmallIntegerField("补休天数（往月召回）")
    leave_kept = models.PositiveSmallIntegerField(
        "其中为年休假等保留的天数",
        default=0,
        help_text="carry_days 中补足不减休的外出（年休假、事假）所占的天数，不算往月欠休的补还",
    )
    entitled = models.PositiveSmallIntegerField("应休天数")

    SCOPE_UNIT = "version__roster__unit"
    SCOPE_CADRE = "cadre"

    class Privacy:
        basic = ("id", "version", "cadre", "available_days", "carry_days", "leave_kept", "entitled")

    class Meta:
        verbose_name = verbose_name_plural = "应休天数"
        ordering = ["version_id", "cadre_id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "cadre"], name="rosterentitlement_one_per_cadre"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} {self.version} 应休 {self.entitled} 天"
