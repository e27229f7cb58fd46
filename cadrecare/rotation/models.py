"""The rest rotation (轮休, seed section 三): the public-holiday calendar, each
unit's rotation policy, cadres' absences and rest requests, recalls, and the
monthly rosters with the generation runs that produce them.

The rules themselves are fixed in ``docs/roster-format.md`` (exchange format
v1); ``cadrecare.rotation.problem`` turns these rows into that format and
``scheduler.roster`` solves it.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import F, Q

from cadrecare.org.models import Cadre, OrgUnit, User
from cadrecare.rotation.choices import (
    REST_REDUCING_KINDS,
    AbsenceKind,
    CalendarStatus,
    DayKind,
    HolidayKind,
    MissedRestStatus,
    Mode,
    RequestKind,
    RestConfirmationStatus,
    RosterStatus,
    RunKind,
    RunStatus,
    SolverStatus,
    SwapStatus,
)

# ---------------------------------------------------------------------------
# Holiday calendar (docs/rotation.md, holiday calendar): the database, not a package, is the truth
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Rotation policy: inherited down the tree, versioned by the month it starts
# ---------------------------------------------------------------------------

DEFAULT_MIN_ON_DUTY_RATIO = Decimal("0.60")


def reducing_kinds_default() -> list[str]:
    return list(REST_REDUCING_KINDS)


class RotationPolicy(models.Model):
    """How a unit's cadres rest: mode, days, coverage and pairing rules.

    A county sets the default, a township may override it; the policy in force
    for a month is the deepest unit's latest version with ``effective_from`` on
    or before that month, so past months keep the policy they were planned under.
    """

    unit = models.ForeignKey(OrgUnit, verbose_name="单位", on_delete=models.PROTECT, related_name="rotation_policies")
    effective_from = models.DateField("起始月份", help_text="该月第一天")
    mode = models.CharField("轮休模式", max_length=20, choices=Mode.choices)
    rest_days = models.PositiveSmallIntegerField("每月休息天数", default=8)
    min_on_duty_ratio = models.DecimalField(
        "最低在岗比例", max_digits=3, decimal_places=2, default=DEFAULT_MIN_ON_DUTY_RATIO
    )
    min_leaders_on_duty = models.PositiveSmallIntegerField("最少在岗班子成员", default=1)
    min_on_duty_per_office = models.PositiveSmallIntegerField("每个科室最少在岗", default=1)
    principal_leaders_apart = models.BooleanField("党委书记与乡镇长不同时休息", default=True)
    never_together = models.JSONField(
        "不得同时休息的干部", default=list, blank=True, help_text="干部编号对的列表，如 [[12, 15]]"
    )
    blackout = models.JSONField(
        "禁休日期", default=list, blank=True, help_text='[{"from": "2027-07-01", "to": "2027-07-31", "reason": "防汛"}]'
    )
    generation_day = models.PositiveSmallIntegerField("每月生成下月排班的日期", default=20)
    absence_kinds_reducing_rest = models.JSONField(
        "按比例减少当月休息的外出类型",
        default=reducing_kinds_default,
        blank=True,
        help_text="县级政策设定；不在其中的类型（默认年休假、事假）不减少当月应休天数",
    )
    # Bounds a county (or city) sets for its townships' own policies; its
    # blackout dates bind them too, and a township may only add to them.
    township_modes = models.JSONField(
        "乡镇可选的轮休模式", default=list, blank=True, help_text='空表示乡镇可任选，如 ["weekly", "half_month"]'
    )
    township_min_ratio = models.DecimalField(
        "乡镇最低在岗比例不得低于", max_digits=3, decimal_places=2, null=True, blank=True
    )
    created_by = models.ForeignKey(
        User, verbose_name="设置人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("设置时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    SCOPE_UNIT = "unit"
    SCOPE_CADRE = None
    # The settings an infeasible month's reasons point to (rotation.explain).
    POLICY_SETTINGS = (
        "mode",
        "rest_days",
        "min_on_duty_ratio",
        "min_leaders_on_duty",
        "min_on_duty_per_office",
        "principal_leaders_apart",
        "never_together",
        "blackout",
    )

    class Privacy:
        basic = (
            "id",
            "unit",
            "effective_from",
            "mode",
            "rest_days",
            "min_on_duty_ratio",
            "min_leaders_on_duty",
            "min_on_duty_per_office",
            "principal_leaders_apart",
            "never_together",
            "blackout",
            "generation_day",
            "absence_kinds_reducing_rest",
            "township_modes",
            "township_min_ratio",
            "created_by",
            "created_at",
            "updated_at",
        )

    class Meta:
        verbose_name = verbose_name_plural = "轮休政策"
        ordering = ["unit_id", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "effective_from"], name="rotationpolicy_one_version_per_month"),
            models.CheckConstraint(condition=Q(effective_from__day=1), name="rotationpolicy_starts_on_first"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.effective_from:%Y-%m} {self.get_mode_display()}"


# ---------------------------------------------------------------------------
# Absences and rest requests: the problem's available span, away, prefer, avoid
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Rosters: one per unit and month; versions written whole, the pointer flips last
# ---------------------------------------------------------------------------


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


class SwapRequest(models.Model):
    """A cadre asks to exchange one of their rest blocks with a colleague's
    block on a published roster (换休): the colleague accepts or
    declines, the township's party secretary approves or rejects, and an
    approval applies the exchange as a roster edit, every hard rule checked
    again. The blocks are kept as dates: if the roster has changed so that
    they no longer match, the request has lapsed (已失效)."""

    roster = models.ForeignKey(Roster, verbose_name="排班表", on_delete=models.CASCADE, related_name="swap_requests")
    roster_version = models.PositiveIntegerField("提出时的排班版本")
    requester = models.ForeignKey(
        Cadre, verbose_name="申请人", on_delete=models.CASCADE, related_name="swap_requests_made"
    )
    requester_start = models.DateField("申请人休息段开始")
    requester_end = models.DateField("申请人休息段结束")
    counterpart = models.ForeignKey(
        Cadre, verbose_name="对方", on_delete=models.CASCADE, related_name="swap_requests_received"
    )
    counterpart_start = models.DateField("对方休息段开始")
    counterpart_end = models.DateField("对方休息段结束")
    reason = models.CharField("理由", max_length=300, help_text="对方和乡镇党委书记都会看到")
    status = models.CharField("状态", max_length=24, choices=SwapStatus.choices, default=SwapStatus.PENDING_COUNTERPART)
    requested_by = models.ForeignKey(
        User, verbose_name="提出人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("提出时间", auto_now_add=True)
    responded_at = models.DateTimeField("对方答复时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        User, verbose_name="审批人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField("办结时间", null=True, blank=True)
    note = models.CharField("审批意见或失效原因", max_length=500, blank=True)
    applied_version = models.ForeignKey(
        RosterVersion, verbose_name="生效的排班版本", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    SCOPE_UNIT = "roster__unit"
    SCOPE_CADRE = "requester"  # the counterpart reaches it too (rotation.selectors.swap_request_list)

    class Privacy:
        basic = (
            "id",
            "roster",
            "roster_version",
            "requester",
            "requester_start",
            "requester_end",
            "counterpart",
            "counterpart_start",
            "counterpart_end",
            "reason",
            "status",
            "requested_by",
            "created_at",
            "responded_at",
            "decided_by",
            "decided_at",
            "note",
            "applied_version",
        )

    class Meta:
        verbose_name = verbose_name_plural = "换休申请"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(requester=F("counterpart")), name="swaprequest_two_cadres"),
            models.CheckConstraint(
                condition=Q(requester_end__gte=F("requester_start")) & Q(counterpart_end__gte=F("counterpart_start")),
                name="swaprequest_blocks_in_order",
            ),
            # One open request per block: a second one while the first is
            # pending (a double submit, or asking two colleagues at once) is a 409.
            models.UniqueConstraint(
                fields=["roster", "requester", "requester_start"],
                condition=Q(status__in=["pending_counterpart", "pending_approval"]),
                name="swaprequest_one_open_per_block",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester} ↔ {self.counterpart} {self.requester_start}（{self.get_status_display()}）"


# ---------------------------------------------------------------------------
# Generation runs: the asynchronous job a client polls
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Rest that did not happen as published, and the cadre's word on their month
# ---------------------------------------------------------------------------


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
