"""Configuration: due days and routes (who talks with whom), as data."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from cadrecare.org.choices import LeaderPost
from cadrecare.org.models import OrgUnit
from cadrecare.talks.choices import TalkeeGroup, TalkerPost, TriggerKind


class TalkPolicy(models.Model):
    """How many days after the event a must-talk of one kind is due, set on an
    org unit and inherited by everything under it (the deepest setting wins).
    Without one: 15 days, 7 for a family event or warning signs."""

    unit = models.ForeignKey(OrgUnit, verbose_name="单位", on_delete=models.CASCADE, related_name="talk_policies")
    kind = models.CharField("谈话情形", max_length=20, choices=TriggerKind.choices)
    due_days = models.PositiveSmallIntegerField("应谈期限（天）")

    SCOPE_UNIT = "unit"

    class Privacy:
        basic = ("id", "unit", "kind", "due_days")

    class Meta:
        verbose_name = verbose_name_plural = "谈话期限设置"
        constraints = [models.UniqueConstraint(fields=["unit", "kind"], name="talkpolicy_unique_unit_kind")]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_kind_display()} {self.due_days}天"


class TalkRoute(models.Model):
    """Who talks with whom in one county, and how often at least: one row per
    talkee group. A county without rows follows the seed's defaults
    (cadrecare.talks.routing.DEFAULT_ROUTES).

    The talker is the serving cadre holding ``talker_leader_post`` in the
    talker's unit: the county itself for the county party secretary, the
    county organization department (``talker_unit``, else the county agency
    whose name contains 组织部) for its head, the talkee's township for the
    township party secretary."""

    county = models.ForeignKey(OrgUnit, verbose_name="县（区）", on_delete=models.CASCADE, related_name="talk_routes")
    talkee_group = models.CharField("谈话对象", max_length=30, choices=TalkeeGroup.choices)
    talker_post = models.CharField("谈话人岗位", max_length=30, choices=TalkerPost.choices)
    talker_unit = models.ForeignKey(
        OrgUnit,
        verbose_name="谈话人所在单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="留空时按岗位推定：县委书记在县（区）本级，组织部部长在名称含“组织部”的县直机关，乡镇党委书记在本乡镇。",
    )
    talker_leader_post = models.CharField("谈话人班子职务", max_length=20, choices=LeaderPost.choices)
    cadence_months = models.PositiveSmallIntegerField("经常性谈话周期（月）", default=12)

    SCOPE_UNIT = "county"

    class Privacy:
        basic = ("id", "county", "talkee_group", "talker_post", "talker_unit", "talker_leader_post", "cadence_months")

    class Meta:
        verbose_name = verbose_name_plural = "谈话分工"
        constraints = [
            models.UniqueConstraint(fields=["county", "talkee_group"], name="talkroute_unique_county_group"),
            models.CheckConstraint(condition=Q(cadence_months__gte=1), name="talkroute_cadence_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.county} {self.get_talkee_group_display()} ← {self.get_talker_post_display()}"
