"""Talks held and their follow-ups."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cadrecare.org.choices import EndReason
from cadrecare.org.models import Cadre
from cadrecare.talks.choices import FollowUpStatus, TalkForm


class Talk(models.Model):
    """A heart-to-heart talk (谈心谈话) held with one cadre. The summary and the
    follow-up actions are sensitive: the talkers and the organization
    department in scope read them; the talkee sees that the talk took place."""

    talkee = models.ForeignKey(Cadre, verbose_name="谈话对象", on_delete=models.PROTECT, related_name="talks")
    talkers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="谈话人", related_name="talks_held")
    date = models.DateField("谈话日期")
    place = models.CharField("地点", max_length=200, blank=True)
    form = models.CharField("形式", max_length=20, choices=TalkForm.choices, default=TalkForm.FACE_TO_FACE)
    summary = models.TextField("谈话内容", max_length=10000, blank=True)
    next_talk_date = models.DateField("下次谈话日期", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    SCOPE_UNIT = "talkee__unit"
    SCOPE_CADRE = "talkee"
    SCOPE_OWNER = "talkers"  # a routed-only role (the county leader) reaches the talks they held

    class Privacy:
        basic = (
            "id",
            "talkee",
            "talkers",
            "date",
            "place",
            "form",
            "next_talk_date",
            "recorded_by",
            "created_at",
            "updated_at",
        )
        sensitive = ("summary",)

    class Meta:
        verbose_name = verbose_name_plural = "谈心谈话"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["talkee", "date"], name="talk_talkee_date")]

    def __str__(self) -> str:
        return f"{self.talkee} {self.date}"


class TalkFollowUp(models.Model):
    """A follow-up action agreed in a talk, with an owner and a due date."""

    talk = models.ForeignKey(Talk, verbose_name="谈话", on_delete=models.CASCADE, related_name="follow_ups")
    action = models.CharField("跟进事项", max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="talk_follow_ups",
    )
    due_date = models.DateField("完成期限")
    status = models.CharField("状态", max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN)
    done_date = models.DateField("办结日期", null=True, blank=True)
    cancel_reason = models.CharField("撤销原因", max_length=20, choices=EndReason.choices, blank=True)
    cancelled_on = models.DateField("撤销日期", null=True, blank=True)

    SCOPE_UNIT = "talk__talkee__unit"
    SCOPE_CADRE = "talk__talkee"

    class Privacy:
        basic = ("id", "talk", "owner", "due_date", "status", "done_date", "cancel_reason", "cancelled_on")
        sensitive = ("action",)

    class Meta:
        verbose_name = verbose_name_plural = "谈话跟进事项"
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["status", "due_date"], name="talkfollowup_status_due")]

    def __str__(self) -> str:
        return f"{self.talk} 跟进 {self.due_date}"
