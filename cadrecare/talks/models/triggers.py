"""Triggers: one obligation to talk with one cadre, raised once per source event."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cadrecare.org.choices import EndReason, LeaderPost
from cadrecare.org.models import Cadre, OrgUnit, PostChange
from cadrecare.talks.choices import TriggerKind, TriggerSource, TriggerStatus
from cadrecare.talks.models.sources import Commendation, Petition, TeamFlag
from cadrecare.talks.models.talks import Talk


class TalkTrigger(models.Model):
    """One obligation to talk (六必谈) with one cadre, raised exactly once per
    source event: the unique key is (kind, source, source key, cadre), so a
    retried request or a second worker finds the trigger already there."""

    cadre = models.ForeignKey(Cadre, verbose_name="谈话对象", on_delete=models.CASCADE, related_name="talk_triggers")
    kind = models.CharField("谈话情形", max_length=20, choices=TriggerKind.choices)
    source = models.CharField("来源", max_length=20, choices=TriggerSource.choices)
    source_key = models.CharField("来源编号", max_length=64)
    event_date = models.DateField("事由发生日期")
    due_date = models.DateField("应谈日期")
    talker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="谈话人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="talk_triggers",
    )
    talker_post = models.CharField("谈话人岗位", max_length=200, blank=True)
    routed_to_unit = models.ForeignKey(
        OrgUnit,
        verbose_name="负责单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    routing_note = models.CharField("分派说明", max_length=200, blank=True)
    owner_post = models.CharField(
        "责任岗位",
        max_length=20,
        choices=LeaderPost.choices,
        blank=True,
        help_text="按岗位分派：由该岗位当日的在任者（含代理）负责；留空为按人指派（cadrecare.org.posts）。",
    )
    owner_post_unit = models.ForeignKey(
        OrgUnit, verbose_name="责任岗位所在单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("状态", max_length=10, choices=TriggerStatus.choices, default=TriggerStatus.OPEN)
    waive_reason = models.CharField("免谈理由", max_length=500, blank=True)
    cancel_reason = models.CharField("撤销原因", max_length=20, choices=EndReason.choices, blank=True)
    cancelled_on = models.DateField("撤销日期", null=True, blank=True)
    confidential = models.BooleanField("保密", default=False)
    note = models.TextField("情况说明", max_length=4000, blank=True)
    post_change = models.ForeignKey(
        PostChange, verbose_name="职务变动", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    commendation = models.ForeignKey(
        Commendation, verbose_name="评优表彰", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    petition = models.ForeignKey(
        Petition, verbose_name="信访反映", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    team_flag = models.ForeignKey(
        TeamFlag, verbose_name="班子不协调标记", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    talk = models.ForeignKey(
        Talk, verbose_name="答复谈话", null=True, blank=True, on_delete=models.SET_NULL, related_name="triggers"
    )
    done_date = models.DateField("完成日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    SCOPE_UNIT = "cadre__unit"
    SCOPE_CADRE = "cadre"
    SCOPE_OWNER = "talker"  # a routed-only role (the county leader) reaches the triggers routed to them

    class Privacy:
        basic = (
            "id",
            "cadre",
            "kind",
            "source",
            "source_key",
            "event_date",
            "due_date",
            "talker",
            "talker_post",
            "routed_to_unit",
            "routing_note",
            "owner_post",
            "owner_post_unit",
            "status",
            "cancel_reason",
            "cancelled_on",
            "confidential",
            "post_change",
            "commendation",
            "petition",
            "team_flag",
            "talk",
            "done_date",
            "created_by",
            "created_at",
        )
        sensitive = ("note", "waive_reason")

    class Meta:
        verbose_name = verbose_name_plural = "必谈事项"
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "source", "source_key", "cadre"], name="talktrigger_once"),
            models.CheckConstraint(
                condition=~Q(status=TriggerStatus.WAIVED) | ~Q(waive_reason=""), name="talktrigger_waive_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status=TriggerStatus.CANCELLED) | ~Q(cancel_reason=""), name="talktrigger_cancel_reason"
            ),
            models.CheckConstraint(
                condition=Q(owner_post="") | Q(owner_post_unit__isnull=False), name="talktrigger_owner_post_unit"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"], name="talktrigger_status_due"),
            models.Index(fields=["talker", "status"], name="talktrigger_talker_status"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} {self.get_kind_display()} {self.due_date}"
