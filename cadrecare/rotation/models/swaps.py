"""Swap requests: two cadres trading rest blocks of a published roster."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from cadrecare.org.models import Cadre, User
from cadrecare.rotation.choices import SwapStatus
from cadrecare.rotation.models.rosters import Roster, RosterVersion


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
