"""Training, study tours and work exchanges (seed 三(一): "组织调训优先安排、
参观考察优先安排、工作交流优先安排"): a programme an organization department
runs, the cadres nominated to it (grassroots cadres first, then those longest
without one) and whether each attended. Attending takes the cadre off the
roster for the programme's dates: an absence of kind 培训 kept by the
attendance service (cadrecare.training.services)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from cadrecare.org.models import Cadre, OrgUnit
from cadrecare.rotation.models import Absence
from cadrecare.training.choices import Attendance, ProgrammeKind


class TrainingProgramme(models.Model):
    """A training class, study tour or work exchange organised by a unit's
    organization department for cadres of that unit's subtree."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name="主办单位", on_delete=models.PROTECT, related_name="training_programmes"
    )
    kind = models.CharField("类型", max_length=20, choices=ProgrammeKind.choices)
    name = models.CharField("名称", max_length=100)
    date_from = models.DateField("开始日期")
    date_to = models.DateField("结束日期")
    location = models.CharField("地点", max_length=100)
    places = models.PositiveSmallIntegerField("名额")
    note = models.CharField("说明", max_length=500, blank=True)
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
        basic = (
            "id",
            "unit",
            "kind",
            "name",
            "date_from",
            "date_to",
            "location",
            "places",
            "note",
            "created_by",
            "created_at",
        )

    class Meta:
        verbose_name = verbose_name_plural = "培训与考察交流"
        ordering = ["-date_from", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(date_to__gte=F("date_from")), name="trainingprogramme_dates_ordered"),
            models.CheckConstraint(condition=Q(places__gte=1), name="trainingprogramme_places_positive"),
        ]
        indexes = [models.Index(fields=["unit", "date_from"], name="trainingprogramme_unit_date")]

    def __str__(self) -> str:
        return self.name


class Nomination(models.Model):
    """A cadre nominated to a programme, in the order the priority rule
    proposed, and their attendance; ``absence`` is the roster absence their
    attendance made (none unless attended)."""

    programme = models.ForeignKey(
        TrainingProgramme, verbose_name="培训与考察交流", on_delete=models.CASCADE, related_name="nominations"
    )
    cadre = models.ForeignKey(Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="training_nominations")
    priority = models.CharField("推荐理由", max_length=200, blank=True)
    attendance = models.CharField("出勤", max_length=20, choices=Attendance.choices, default=Attendance.PENDING)
    excuse = models.CharField("请假原因", max_length=300, blank=True)
    absence = models.OneToOneField(
        Absence, verbose_name="外出记录", null=True, blank=True, on_delete=models.SET_NULL, related_name="nomination"
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提名人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    nominated_at = models.DateTimeField("提名时间", auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="出勤登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField("出勤登记时间", null=True, blank=True)

    SCOPE_UNIT = "cadre__unit"
    SCOPE_CADRE = "cadre"

    class Privacy:
        basic = (
            "id",
            "programme",
            "cadre",
            "priority",
            "attendance",
            "absence",
            "nominated_by",
            "nominated_at",
            "recorded_by",
            "recorded_at",
        )
        personal = ("excuse",)  # a reason for not going may say something about health or family

    class Meta:
        verbose_name = verbose_name_plural = "培训提名与出勤"
        ordering = ["programme_id", "id"]
        constraints = [models.UniqueConstraint(fields=["programme", "cadre"], name="nomination_once_per_programme")]
        indexes = [models.Index(fields=["cadre", "attendance"], name="nomination_cadre_attendance")]

    def __str__(self) -> str:
        return f"{self.programme} · {self.cadre} · {self.get_attendance_display()}"
