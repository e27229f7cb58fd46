"""Reminders: when to remind, the notices sent, the outbox that delivers them
and the record of every job run (docs/reliability.md).

Due items themselves are not stored here: they are computed from the source
records (``cadrecare.reminders.sources``), so nothing can drift. What is
stored is what happened: one ``Notice`` per (item, recipient, stage, period)
under a unique key, which makes every job idempotent, and one ``Delivery`` per
notice (urgent) or digest and channel, the outbox a dispatcher drains.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from cadrecare.org.models import Cadre, OrgUnit
from cadrecare.reminders.choices import Channel, DeliveryStatus, JobStatus, ReceiptStatus, Stage

DEFAULT_LEAD_DAYS = 3
DEFAULT_COUNTY_AFTER_DAYS = 7
DEFAULT_CITY_AFTER_DAYS = 14


class ReminderSchedule(models.Model):
    """When the owner is reminded and when lateness is escalated, for a unit and
    everything under it unless a lower unit has its own (the nearest wins).

    Owner: ``lead_days`` before the due date, on the day, and every day while
    overdue. County organization department: overdue by ``county_after_days``.
    City organization department: ``city_after_days`` after that.
    """

    unit = models.OneToOneField(
        OrgUnit, verbose_name="单位", on_delete=models.CASCADE, related_name="reminder_schedule"
    )
    lead_days = models.PositiveSmallIntegerField(
        "提前提醒天数", default=DEFAULT_LEAD_DAYS, validators=[MaxValueValidator(90)]
    )
    county_after_days = models.PositiveSmallIntegerField(
        "逾期几天上报县委组织部",
        default=DEFAULT_COUNTY_AFTER_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    city_after_days = models.PositiveSmallIntegerField(
        "上报县委组织部后再过几天上报市委组织部",
        default=DEFAULT_CITY_AFTER_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    SCOPE_UNIT = "unit"

    class Privacy:
        basic = ("id", "unit", "lead_days", "county_after_days", "city_after_days", "updated_at")

    class Meta:
        verbose_name = verbose_name_plural = "提醒规则"
        ordering = ["unit__path"]

    def __str__(self) -> str:
        return f"{self.unit}：提前{self.lead_days}天，逾期{self.county_after_days}天报县"


class Digest(models.Model):
    """One recipient's daily digest: the non-urgent notices of the day, sent as
    one message instead of one per item."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE, related_name="reminder_digests"
    )
    day = models.DateField("日期")
    created_at = models.DateTimeField("生成时间")

    SCOPE_UNIT = None

    class Privacy:
        basic = ("id", "recipient", "day", "created_at")

    class Meta:
        verbose_name = verbose_name_plural = "每日汇总"
        ordering = ["-day", "recipient_id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "day"], name="digest_once_a_day")]

    def __str__(self) -> str:
        return f"{self.recipient} {self.day}"


class Notice(models.Model):
    """One notice to one person about one due item at one stage: the in-app
    notification itself, and what the outbox delivers by email or SMS.

    ``period`` is the due date for the one-off stages (so a moved due date is
    noticed again), the day a lead time falls for the reminders of a kind with
    lead times of its own (a check-up's 60 and 30 days: one notice each), and
    the day for the daily overdue reminder. The unique key
    (kind, object, recipient, stage, period) is what makes the scan safe to run
    twice, after a crash or from two beats at once.
    """

    kind = models.CharField("事项类型", max_length=40)
    object_id = models.BigIntegerField("事项编号")
    # Indexed by notice_inbox (recipient first), so no index of its own.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="reminder_notices",
        db_index=False,
    )
    stage = models.CharField("阶段", max_length=20, choices=Stage.choices)
    period = models.DateField("周期")
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name="事项所在单位",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    cadre = models.ForeignKey(
        Cadre,
        verbose_name="涉及干部",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    # No index and no database constraint on unit, cadre, owner, owner unit,
    # digest or job run: notices are read by recipient (notice_inbox), and each
    # index or deferred foreign-key check costs every scan's inserts (Django
    # still cascades deletes). The key fields are the unique constraint.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    owner_unit = models.ForeignKey(
        OrgUnit,
        verbose_name="责任单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    due_date = models.DateField("到期日")
    days_overdue = models.IntegerField("逾期天数", default=0)
    title = models.CharField("事项", max_length=200)
    body = models.TextField("内容")
    url = models.CharField("链接", max_length=300, blank=True)
    urgent = models.BooleanField("紧急", default=False)
    created_at = models.DateTimeField("生成时间")
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    # Handed to the outbox: its own deliveries (urgent) or a digest (the rest).
    outboxed = models.BooleanField("已进入发送队列", default=False)
    digest = models.ForeignKey(
        Digest,
        verbose_name="所属汇总",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notices",
        db_index=False,
        db_constraint=False,
    )
    job_run = models.ForeignKey(
        "JobRun",
        verbose_name="生成任务",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notices",
        db_index=False,
        db_constraint=False,
    )

    SCOPE_UNIT = "unit"
    SCOPE_CADRE = "cadre"

    class Privacy:
        basic = (
            "id",
            "kind",
            "object_id",
            "recipient",
            "stage",
            "period",
            "unit",
            "cadre",
            "owner",
            "owner_unit",
            "due_date",
            "days_overdue",
            "title",
            "body",
            "url",
            "urgent",
            "created_at",
            "read_at",
            "outboxed",
            "digest",
            "job_run",
        )

    class Meta:
        verbose_name = verbose_name_plural = "提醒通知"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "recipient", "stage", "period"], name="notice_once_per_stage_and_period"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notice_inbox"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notice_unread"),
            models.Index(fields=["recipient"], condition=Q(outboxed=False), name="notice_not_outboxed"),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}：{self.title}"


class Delivery(models.Model):
    """The outbox: one message to send on one channel, for an urgent notice or
    a digest. Claimed under a row lock by the dispatcher, sent by one
    conditional UPDATE claim so it is never sent twice once marked sent;
    retried with backoff, marked failed after the last attempt."""

    notice = models.ForeignKey(
        Notice, verbose_name="通知", null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    digest = models.ForeignKey(
        Digest, verbose_name="汇总", null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE, related_name="+"
    )
    address = models.CharField("地址", max_length=254)
    status = models.CharField("状态", max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试时间")
    claimed_until = models.DateTimeField("占用至", null=True, blank=True)
    last_error = models.TextField("最近错误", blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间")
    # The gateway's id of the sent message (SMS BizId / SerialNo, WeCom msgid,
    # DingTalk task_id), by which its delivery receipt finds the row. Defaults
    # in the database too: the scan writes deliveries by raw INSERT ... SELECT.
    external_id = models.CharField("渠道消息编号", max_length=64, blank=True, default="", db_default="")
    receipt_status = models.CharField(
        "回执", max_length=12, choices=ReceiptStatus.choices, blank=True, default="", db_default=""
    )
    receipt_at = models.DateTimeField("回执时间", null=True, blank=True)
    receipt_error = models.CharField("回执说明", max_length=200, blank=True, default="", db_default="")

    SCOPE_UNIT = None

    class Privacy:
        basic = (
            "id",
            "notice",
            "digest",
            "channel",
            "recipient",
            "status",
            "attempts",
            "next_attempt_at",
            "claimed_until",
            "last_error",
            "sent_at",
            "created_at",
            "external_id",
            "receipt_status",
            "receipt_at",
            "receipt_error",
        )
        personal = ("address",)

    class Meta:
        verbose_name = verbose_name_plural = "发送队列"
        ordering = ["next_attempt_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(notice__isnull=True) ^ Q(digest__isnull=True), name="delivery_of_notice_or_digest"
            ),
            models.UniqueConstraint(
                fields=["notice", "channel"], condition=Q(notice__isnull=False), name="delivery_once_per_notice_channel"
            ),
            models.UniqueConstraint(
                fields=["digest", "channel"], condition=Q(digest__isnull=False), name="delivery_once_per_digest_channel"
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"], condition=Q(status__in=["pending", "sending"]), name="delivery_open"
            ),
            models.Index(fields=["external_id"], condition=~Q(external_id=""), name="delivery_external_id"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.address}（{self.get_status_display()}）"


class ChannelPreference(models.Model):
    """How one person wants to be reached (我的通知方式): which channels carry
    their notices, their WeCom / DingTalk user ids, and their quiet hours.

    Without a row a person gets every channel the service has switched on
    (``REMINDERS_URGENT_CHANNELS`` / ``REMINDERS_DIGEST_CHANNELS``) where they
    have an address, and the service's quiet hours (``REMINDERS_QUIET_HOURS``).
    Quiet hours hold back only the digest of non-urgent notices; urgent ones
    (a death's condolence visit, escalations) go at once. The in-app inbox is
    always on.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="channel_preference"
    )
    email_on = models.BooleanField("接收电子邮件", default=True)
    sms_on = models.BooleanField("接收短信", default=True)
    wecom_on = models.BooleanField("接收企业微信", default=True)
    dingtalk_on = models.BooleanField("接收钉钉", default=True)
    # Set by administrators from the organization's directory (the person cannot
    # point their notices at someone else's account).
    wecom_userid = models.CharField("企业微信账号（UserID）", max_length=64, blank=True)
    dingtalk_userid = models.CharField("钉钉账号（userid）", max_length=64, blank=True)
    quiet_start = models.TimeField("免打扰开始", null=True, blank=True)
    quiet_end = models.TimeField("免打扰结束", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    SCOPE_UNIT = None

    class Privacy:
        basic = (
            "id",
            "user",
            "email_on",
            "sms_on",
            "wecom_on",
            "dingtalk_on",
            "quiet_start",
            "quiet_end",
            "updated_at",
        )
        personal = ("wecom_userid", "dingtalk_userid")

    class Meta:
        verbose_name = verbose_name_plural = "通知方式"
        ordering = ["user_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quiet_start__isnull=True, quiet_end__isnull=True)
                | Q(quiet_start__isnull=False, quiet_end__isnull=False),
                name="channel_preference_quiet_both_or_neither",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} 的通知方式"


class JobRun(models.Model):
    """One run of a scheduled job: when, how much it looked at, what it made,
    what went wrong. Listed to administrators at /api/v1/job-runs/. A run
    still running at ``lease_until`` lost its process and is marked failed."""

    name = models.CharField("任务", max_length=60)
    status = models.CharField("状态", max_length=10, choices=JobStatus.choices, default=JobStatus.RUNNING)
    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    lease_until = models.DateTimeField("租约到期", null=True, blank=True)
    scanned = models.PositiveIntegerField("扫描事项数", default=0)
    created = models.PositiveIntegerField("新建通知数", default=0)
    errors = models.JSONField("错误", default=list, blank=True)
    detail = models.JSONField("明细", default=dict, blank=True)

    SCOPE_UNIT = None

    class Privacy:
        basic = (
            "id",
            "name",
            "status",
            "started_at",
            "finished_at",
            "lease_until",
            "scanned",
            "created",
            "errors",
            "detail",
        )

    class Meta:
        verbose_name = verbose_name_plural = "任务运行记录"
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["name", "-started_at"], name="jobrun_name_started"),
            models.Index(fields=["lease_until"], condition=Q(status="running"), name="jobrun_running_lease"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.started_at:%Y-%m-%d %H:%M} {self.get_status_display()}"


class OverdueTally(models.Model):
    """How many open items of a kind were overdue in an area (a township, by
    the first characters of its unit path) when ``overdue_tally_refresh``
    last counted them, every ten minutes: what the organization department's
    总览 reads instead of computing the due date of every cadre of a city
    (the check-up and regular-talk kinds take a second each on the province
    data). Only the last count is kept; the lists behind the figures are
    always computed live. Counted for everyone: the overview uses it only
    for the kinds the user sees whole (``selectors.kinds_seen_whole``). A
    row of no area and no kind (its ``overdue`` the total) says the count was
    made, whether anything was overdue or not."""

    day = models.DateField("统计日")
    area = models.CharField("区域路径", max_length=255)
    kind = models.CharField("事项类型", max_length=40)
    overdue = models.PositiveIntegerField("逾期数")
    counted_at = models.DateTimeField("统计时间")

    SCOPE_UNIT = None

    class Privacy:
        basic = ("id", "day", "area", "kind", "overdue", "counted_at")

    class Meta:
        verbose_name = verbose_name_plural = "逾期事项统计"
        ordering = ["day", "area", "kind"]
        constraints = [models.UniqueConstraint(fields=["day", "area", "kind"], name="overdue_tally_once")]

    def __str__(self) -> str:
        return f"{self.day} {self.area} {self.kind} {self.overdue}"
