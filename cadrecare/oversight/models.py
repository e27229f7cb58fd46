"""What the county organization department is asked to follow through
itself (seed 三(二)(三)): the yearly review of exchange candidates
("将在边远、艰苦乡镇工作多年的科级干部交流到县直机关或离城较近乡镇工作"), the
yearly plan of scheduled interviews with every township's section-level cadres
("与乡镇科级干部定期约谈") and the organization-department head's visits to the
townships ("定期开展组织部长下基层活动"). Each falls due in cadrecare.oversight.due.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cadrecare.org.choices import EndReason
from cadrecare.org.models import Cadre, OrgUnit, PostChange
from cadrecare.oversight.choices import Checkpoints, LineStatus, TransferOutcome, VisitCadence
from cadrecare.talks.models import Talk

# ---------------------------------------------------------------------------
# What a county opens once a year
# ---------------------------------------------------------------------------


class CountyYear(models.Model):
    """A record a county opens once a year (a review, a plan), scoped to the
    county, with who opened it and when."""

    county = models.ForeignKey(OrgUnit, verbose_name="县（区）", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    SCOPE_UNIT = "county"
    SCOPE_CADRE = None

    class Meta:
        abstract = True
        ordering = ["-year", "county__path"]


# ---------------------------------------------------------------------------
# Exchange (交流) reviews
# ---------------------------------------------------------------------------


class TransferReview(CountyYear):
    """A county's yearly review of its exchange candidates: the candidates of
    the transfer report (care.selectors.transfer_candidates) taken in when it
    opens, each to be decided by ``decide_by``."""

    min_years = models.DecimalField("边远乡镇工作年限不少于", max_digits=4, decimal_places=1, default=5)
    decide_by = models.DateField("研判截止日期")

    class Privacy:
        basic = ("id", "county", "year", "min_years", "decide_by", "created_by", "created_at")

    class Meta(CountyYear.Meta):
        verbose_name = verbose_name_plural = "交流人选年度研判"
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="transferreview_one_per_year")]

    def __str__(self) -> str:
        return f"{self.county} {self.year}年交流研判"


class TransferDecision(models.Model):
    """One candidate of a review and what was decided: proposed, deferred (with
    the reason) or declined by the cadre by hand; done only by the post change
    that moves the cadre out of the township (cadrecare.oversight.services)."""

    review = models.ForeignKey(
        TransferReview, verbose_name="年度研判", on_delete=models.CASCADE, related_name="decisions"
    )
    cadre = models.ForeignKey(Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="transfer_decisions")
    township = models.ForeignKey(OrgUnit, verbose_name="所在乡镇", on_delete=models.PROTECT, related_name="+")
    remote_years = models.DecimalField("边远乡镇工作年限", max_digits=4, decimal_places=1)
    outcome = models.CharField(
        "研判结果", max_length=10, choices=TransferOutcome.choices, default=TransferOutcome.PENDING
    )
    reason = models.CharField("理由", max_length=500, blank=True)
    decided_on = models.DateField("研判日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="研判人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    post_change = models.ForeignKey(
        PostChange, verbose_name="交流的职务变动", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    SCOPE_UNIT = "township"
    SCOPE_CADRE = "cadre"

    class Privacy:
        basic = (
            "id",
            "review",
            "cadre",
            "township",
            "remote_years",
            "outcome",
            "decided_on",
            "decided_by",
            "post_change",
        )
        personal = ("reason",)  # a deferral or refusal often gives family reasons

    class Meta:
        verbose_name = verbose_name_plural = "交流人选研判结果"
        ordering = ["review_id", "-remote_years", "cadre_id"]
        constraints = [models.UniqueConstraint(fields=["review", "cadre"], name="transferdecision_unique")]

    def __str__(self) -> str:
        return f"{self.cadre} {self.get_outcome_display()}"


# ---------------------------------------------------------------------------
# Scheduled interviews (定期约谈): a county's yearly plan
# ---------------------------------------------------------------------------


class InterviewPlan(CountyYear):
    """A county's yearly plan to interview every section-level cadre (正科/副科)
    of its townships at least once; a township short of its share at a
    checkpoint falls due for the county organization department."""

    checkpoints = models.PositiveSmallIntegerField(
        "进度检查", choices=Checkpoints.choices, default=Checkpoints.QUARTERLY
    )
    interviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="约谈人", related_name="+")

    class Privacy:
        basic = ("id", "county", "year", "checkpoints", "interviewers", "created_by", "created_at")

    class Meta(CountyYear.Meta):
        verbose_name = verbose_name_plural = "年度定期约谈计划"
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="interviewplan_one_per_year")]

    def __str__(self) -> str:
        return f"{self.county} {self.year}年定期约谈计划"


class InterviewPlanLine(models.Model):
    """One cadre to interview in a plan's year: a talk with them by one of the
    plan's interviewers that year closes it; leaving the township cancels it."""

    plan = models.ForeignKey(InterviewPlan, verbose_name="约谈计划", on_delete=models.CASCADE, related_name="lines")
    cadre = models.ForeignKey(Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="interview_plan_lines")
    township = models.ForeignKey(OrgUnit, verbose_name="乡镇", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=10, choices=LineStatus.choices, default=LineStatus.OPEN)
    talk = models.ForeignKey(
        Talk, verbose_name="约谈记录", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_date = models.DateField("约谈日期", null=True, blank=True)
    cancel_reason = models.CharField("撤销原因", max_length=20, choices=EndReason.choices, blank=True)
    cancelled_on = models.DateField("撤销日期", null=True, blank=True)

    SCOPE_UNIT = "township"
    SCOPE_CADRE = "cadre"

    class Privacy:
        basic = ("id", "plan", "cadre", "township", "status", "talk", "done_date", "cancel_reason", "cancelled_on")

    class Meta:
        verbose_name = verbose_name_plural = "约谈计划对象"
        ordering = ["plan_id", "township__path", "cadre_id"]
        constraints = [models.UniqueConstraint(fields=["plan", "cadre"], name="interviewplanline_unique")]
        indexes = [models.Index(fields=["township", "status"], name="interviewline_town_status")]

    def __str__(self) -> str:
        return f"{self.plan} {self.cadre}"


# ---------------------------------------------------------------------------
# The organization-department head's township visits (组织部长下基层)
# ---------------------------------------------------------------------------


class FieldVisitPolicy(models.Model):
    """How often a county's organization-department head must visit every
    township; without one, once a year."""

    county = models.OneToOneField(
        OrgUnit, verbose_name="县（区）", on_delete=models.CASCADE, related_name="field_visit_policy"
    )
    cadence_months = models.PositiveSmallIntegerField(
        "下基层频次", choices=VisitCadence.choices, default=VisitCadence.YEARLY
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    SCOPE_UNIT = "county"

    class Privacy:
        basic = ("id", "county", "cadence_months", "updated_at")

    class Meta:
        verbose_name = verbose_name_plural = "组织部长下基层频次"
        ordering = ["county__path"]

    def __str__(self) -> str:
        return f"{self.county} {self.get_cadence_months_display()}"


class FieldVisit(models.Model):
    """A visit of the organization-department head (and whoever went along) to
    one township: when, who, what was found."""

    township = models.ForeignKey(OrgUnit, verbose_name="乡镇", on_delete=models.PROTECT, related_name="field_visits")
    date = models.DateField("日期")
    visitors = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="下基层人员", related_name="+")
    notes = models.TextField("情况记录", max_length=5000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    SCOPE_UNIT = "township"
    SCOPE_CADRE = None

    class Privacy:
        basic = ("id", "township", "date", "visitors", "notes", "recorded_by", "created_at")

    class Meta:
        verbose_name = verbose_name_plural = "组织部长下基层"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["township", "date"], name="fieldvisit_township_date")]

    def __str__(self) -> str:
        return f"{self.township} {self.date}"
