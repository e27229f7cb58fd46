"""Secondments (挂职、跟班见习、借调): a cadre working for a term in a unit
other than their own (seed 三(一): "从市直机关选派63名干部到乡镇挂任党政副职2年，
从区县选派50名干部到市直机关跟班见习").

During the term the cadre's working unit is the host unit (a 借调 post change,
``org.services.post_change_record``), their establishment stays at home: the
host unit's roster plans their rest and its people look after them, while the
home unit's organization department decides, before the term ends, whether
they return, stay longer or are transferred for good (cadrecare.secondments.services).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from cadrecare.org.choices import LeaderPost
from cadrecare.org.models import Cadre, OrgUnit, PostChange, User
from cadrecare.secondments.choices import SecondmentKind, SecondmentStatus

#: Days before the planned end from which the home unit's organization department is asked to decide.
DEFAULT_NOTICE_DAYS = 60


class Secondment(models.Model):
    """One term of a cadre in a host unit, from its start to its planned end
    (moved by an extension), closed by a return or a transfer (转任)."""

    cadre = models.ForeignKey(Cadre, verbose_name="干部", on_delete=models.PROTECT, related_name="secondments")
    kind = models.CharField("类型", max_length=20, choices=SecondmentKind.choices)
    home_unit = models.ForeignKey(OrgUnit, verbose_name="原单位", on_delete=models.PROTECT, related_name="+")
    host_unit = models.ForeignKey(OrgUnit, verbose_name="挂职（借调）单位", on_delete=models.PROTECT, related_name="+")
    post_title = models.CharField("挂任职务", max_length=100, blank=True)
    host_leader_post = models.CharField(
        "挂任班子职务", max_length=20, choices=LeaderPost.choices, default=LeaderPost.NONE
    )
    start = models.DateField("开始日期")
    planned_end = models.DateField("计划结束日期")
    notice_days = models.PositiveSmallIntegerField("提前提醒天数", default=DEFAULT_NOTICE_DAYS)
    status = models.CharField("状态", max_length=20, choices=SecondmentStatus.choices, default=SecondmentStatus.ACTIVE)
    ended_on = models.DateField("结束日期", null=True, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    decision_note = models.CharField("期满决定说明", max_length=500, blank=True)
    # The post changes that moved the cadre to the host unit and away from it:
    # the first keeps what they held at home, restored on their return.
    start_change = models.OneToOneField(
        PostChange, verbose_name="开始时的职务变动", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    end_change = models.OneToOneField(
        PostChange, verbose_name="结束时的职务变动", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    registered_by = models.ForeignKey(
        User, verbose_name="登记人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        User, verbose_name="决定人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    # Both units' people reach it: the home unit decides, the host unit looks after the cadre.
    SCOPE_UNIT = ("home_unit", "host_unit")
    SCOPE_CADRE = "cadre"

    class Privacy:
        basic = (
            "id",
            "cadre",
            "kind",
            "home_unit",
            "host_unit",
            "post_title",
            "host_leader_post",
            "start",
            "planned_end",
            "notice_days",
            "status",
            "ended_on",
            "note",
            "decision_note",
            "start_change",
            "end_change",
            "registered_by",
            "decided_by",
            "created_at",
            "updated_at",
        )

    class Meta:
        verbose_name = verbose_name_plural = "挂职借调"
        ordering = ["planned_end", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gt=models.F("start")),
                name="secondment_end_after_start",
                violation_error_message=gettext_lazy("计划结束日期应晚于开始日期。"),
            ),
            models.CheckConstraint(condition=~Q(home_unit=models.F("host_unit")), name="secondment_elsewhere"),
            # One running term per cadre at a time.
            models.UniqueConstraint(
                fields=["cadre"],
                condition=Q(status__in=["active", "extended"]),
                name="secondment_one_running_per_cadre",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "planned_end"], name="secondment_status_end"),
            models.Index(fields=["home_unit"], name="secondment_home"),
            models.Index(fields=["host_unit"], name="secondment_host"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} {self.get_kind_display()} {self.start}—{self.planned_end}"
