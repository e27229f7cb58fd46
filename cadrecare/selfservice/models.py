"""Cadre self-service (seed: 畅通、务实的交流渠道; 加强干部日常信息交流沟通): what a
cadre reports or proposes about themself, waiting for HR's confirmation, and
the confidential messages (心里话) they write to their party secretary or the
county organization department.

Written through ``cadrecare.selfservice.services`` only; a confirmed report or
change is applied through the care services (docs/care.md, cadre self-service).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cadrecare.care.choices import FamilyEventKind, HardshipCategory
from cadrecare.care.models import FamilyEvent, FamilyMember, HardshipCase
from cadrecare.org.models import Cadre, OrgUnit
from cadrecare.selfservice.choices import Addressee, ChangeAction, Decision, MessageStatus, ReportKind


class Decided(models.Model):
    """What every item awaiting HR's confirmation has: its state, who decided
    and when, and the reason told to the cadre when it was not taken up."""

    status = models.CharField("状态", max_length=10, choices=Decision.choices, default=Decision.PENDING)
    confirm_by = models.DateField("应确认日期")
    reject_reason = models.CharField("未采纳理由", max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("确认时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    SCOPE_UNIT = "cadre__unit"
    SCOPE_CADRE = "cadre"

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]


class SelfReport(Decided):
    """A family event or a difficulty a cadre reports about themself. Confirmed,
    it becomes the family event (with its must-visit and must-talk) or the
    hardship case (with its reviews), once: the record it became is kept here
    under a one-to-one key."""

    cadre = models.ForeignKey(Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="self_reports")
    kind = models.CharField("报告类型", max_length=20, choices=ReportKind.choices)
    event_kind = models.CharField("变故类型", max_length=20, choices=FamilyEventKind.choices, blank=True)
    hardship_category = models.CharField("困难类别", max_length=20, choices=HardshipCategory.choices, blank=True)
    family_member = models.ForeignKey(
        FamilyMember, verbose_name="涉及家属", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    date = models.DateField("发生日期")
    description = models.TextField("情况说明", max_length=4000, blank=True)
    family_event = models.OneToOneField(
        FamilyEvent,
        verbose_name="登记的家庭变故",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="self_report",
    )
    hardship_case = models.OneToOneField(
        HardshipCase,
        verbose_name="登记的困难帮扶",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="self_report",
    )

    class Privacy:
        basic = (
            "id",
            "cadre",
            "kind",
            "event_kind",
            "family_member",
            "date",
            "status",
            "confirm_by",
            "decided_by",
            "decided_at",
            "created_by",
            "created_at",
            "family_event",
            "hardship_case",
        )
        personal = ("hardship_category", "reject_reason")
        sensitive = ("description",)

    class Meta(Decided.Meta):
        verbose_name = verbose_name_plural = "干部本人报告"
        indexes = [models.Index(fields=["status", "created_at"], name="selfreport_status_created")]

    def __str__(self) -> str:
        return f"{self.cadre} {self.get_kind_display()} {self.date}"


class FamilyMemberChange(Decided):
    """A change a cadre proposes to their family information: a new member, new
    values for one, or one removed. ``proposed`` holds the fields as given
    (dates as ISO text), sensitive as a whole since a child's details are; HR's
    confirmation applies it through the family service."""

    cadre = models.ForeignKey(
        Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="family_member_changes"
    )
    action = models.CharField("变更类型", max_length=10, choices=ChangeAction.choices)
    member = models.ForeignKey(
        FamilyMember, verbose_name="家属", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed = models.JSONField("变更内容", default=dict, blank=True)

    class Privacy:
        basic = (
            "id",
            "cadre",
            "action",
            "member",
            "status",
            "confirm_by",
            "decided_by",
            "decided_at",
            "created_by",
            "created_at",
        )
        personal = ("reject_reason",)
        sensitive = ("proposed",)

    class Meta(Decided.Meta):
        verbose_name = verbose_name_plural = "家属信息变更申请"
        constraints = [
            models.CheckConstraint(
                condition=Q(action="create") | Q(member__isnull=False) | ~Q(status="pending"),
                name="familymemberchange_names_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} {self.get_action_display()}"


class HeartMessage(models.Model):
    """心里话: a confidential message from a cadre to their township's party
    secretary or to the county organization department, and its answer. Read
    only by the sender and by whoever holds the addressed role on
    ``addressee_unit`` (not by the units above: ``selectors.message_list``);
    due to be answered by ``answer_due`` (the care policy's days)."""

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="写信人账号", on_delete=models.CASCADE, related_name="+"
    )
    sender_cadre = models.ForeignKey(
        Cadre, verbose_name="写信人", on_delete=models.CASCADE, related_name="heart_messages"
    )
    addressee = models.CharField("写给", max_length=20, choices=Addressee.choices)
    addressee_unit = models.ForeignKey(OrgUnit, verbose_name="收信单位", on_delete=models.CASCADE, related_name="+")
    body = models.TextField("内容", max_length=4000)
    status = models.CharField("状态", max_length=10, choices=MessageStatus.choices, default=MessageStatus.OPEN)
    answer_due = models.DateField("应回复日期")
    answer = models.TextField("回复", max_length=4000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="回复人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField("回复时间", null=True, blank=True)
    created_at = models.DateTimeField("写信时间", auto_now_add=True)

    SCOPE_UNIT = "addressee_unit"
    SCOPE_CADRE = "sender_cadre"

    class Privacy:
        basic = (
            "id",
            "sender",
            "sender_cadre",
            "addressee",
            "addressee_unit",
            "status",
            "answer_due",
            "answered_by",
            "answered_at",
            "created_at",
        )
        sensitive = ("body", "answer")

    class Meta:
        verbose_name = verbose_name_plural = "心里话"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["addressee_unit", "addressee", "status"], name="heartmessage_inbox"),
            models.Index(fields=["status", "answer_due"], name="heartmessage_status_due"),
        ]

    def __str__(self) -> str:
        return f"{self.sender_cadre} 心里话 {self.created_at:%Y-%m-%d}"
