"""Source events that are records of their own: commendations, petitions,
team flags."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cadrecare.org.models import Cadre, OrgUnit
from cadrecare.talks.choices import CommendationKind, CommendationLevel, CommendationStatus, PetitionSeriousness


class Commendation(models.Model):
    """The commendation register (评优选先/表彰): level, kind, issuing body and
    citation. An award given raises an ``achievement`` must-talk; a
    recommendation to a higher body waits for the award, and a posthumous
    award (追授) raises none."""

    cadre = models.ForeignKey(Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="commendations")
    level = models.CharField("级别", max_length=20, choices=CommendationLevel.choices)
    kind = models.CharField(
        "类别", max_length=20, choices=CommendationKind.choices, default=CommendationKind.COMMENDATION
    )
    title = models.CharField("表彰名称", max_length=200)
    date = models.DateField("表彰日期")
    status = models.CharField(
        "状态", max_length=12, choices=CommendationStatus.choices, default=CommendationStatus.AWARDED
    )
    # Kept once the award comes, so the years' figures still count who was
    # recommended (the seed: "8名干部被推荐为省级先进个人").
    recommended = models.BooleanField("曾推荐上报", default=False)
    issuing_body = models.CharField("表彰机关", max_length=100, blank=True)
    citation = models.TextField("主要事迹", max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    SCOPE_UNIT = "cadre__unit"
    SCOPE_CADRE = "cadre"

    class Privacy:
        basic = (
            "id",
            "cadre",
            "level",
            "kind",
            "title",
            "date",
            "status",
            "recommended",
            "issuing_body",
            "citation",
            "recorded_by",
            "created_at",
        )

    class Meta:
        verbose_name = verbose_name_plural = "评优表彰"
        ordering = ["-date", "-id"]
        # A retried request names the same commendation: one record, one trigger.
        constraints = [models.UniqueConstraint(fields=["cadre", "title", "date"], name="commendation_unique")]

    def __str__(self) -> str:
        return f"{self.cadre} {self.title}"


class Petition(models.Model):
    """A petition (信访) concerning a cadre. Sensitive: only the organization
    department and the talker of its must-talk read it. Marked important, it
    gives a ``petition`` must-talk."""

    cadre = models.ForeignKey(Cadre, verbose_name="涉及干部", on_delete=models.CASCADE, related_name="petitions")
    date = models.DateField("信访日期")
    summary = models.TextField("信访内容摘要", max_length=4000)
    seriousness = models.CharField("严重程度", max_length=20, choices=PetitionSeriousness.choices)
    important = models.BooleanField("重要信访", default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    SCOPE_UNIT = "cadre__unit"
    SCOPE_CADRE = "cadre"

    class Privacy:
        basic = ("id", "cadre", "date", "important", "recorded_by", "created_at")
        sensitive = ("summary", "seriousness")

    class Meta:
        verbose_name = verbose_name_plural = "信访反映"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.cadre} 信访 {self.date}"


class TeamFlag(models.Model):
    """The organization department's finding that a unit's leadership team is
    not working together (班子不协调): a ``team_discord`` must-talk for every
    serving leadership member of the unit."""

    unit = models.ForeignKey(OrgUnit, verbose_name="单位", on_delete=models.CASCADE, related_name="team_flags")
    date = models.DateField("发现日期")
    note = models.TextField("情况说明", max_length=4000)
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="标记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    SCOPE_UNIT = "unit"
    SCOPE_CADRE = None

    class Privacy:
        basic = ("id", "unit", "date", "flagged_by", "created_at")
        sensitive = ("note",)

    class Meta:
        verbose_name = verbose_name_plural = "班子不协调标记"
        ordering = ["-date", "-id"]
        constraints = [models.UniqueConstraint(fields=["unit", "date"], name="teamflag_unique_unit_date")]

    def __str__(self) -> str:
        return f"{self.unit} 班子不协调 {self.date}"
