"""Township establishment (乡镇编制): the slots approved for each township and
the register of its cadres borrowed by county or city bodies. The seed:
"实行乡镇编制专编专用，县级机关不得占用乡镇编制，上级机关一般不得借用乡镇干部"."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from cadrecare.org.models import Cadre, OrgUnit, User


class EstablishmentSlot(models.Model):
    """The number of slots (核定编制数) approved for one township. Filled,
    vacant and borrowed are counted from the cadre records and the borrowing
    register (establishment.selectors.slot_queryset), never stored."""

    township = models.OneToOneField(
        OrgUnit, verbose_name="乡镇", on_delete=models.CASCADE, related_name="establishment_slot"
    )
    approved = models.PositiveIntegerField("核定编制数")
    approved_on = models.DateField("核定日期", null=True, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    SCOPE_UNIT = "township"

    class Privacy:
        basic = ("id", "township", "approved", "approved_on", "note", "updated_at")

    class Meta:
        verbose_name = verbose_name_plural = "乡镇编制"
        ordering = ["township__path"]

    def __str__(self) -> str:
        return f"{self.township} 核定编制 {self.approved} 名"


class Borrowing(models.Model):
    """A township cadre working in a county or city body (借用) while their
    slot stays with the township: who, by whom, from when until when and why.
    The county organization department reviews each one (审核) and is chased
    again when it outlasts its end date (establishment.due)."""

    cadre = models.ForeignKey(Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="borrowings")
    township = models.ForeignKey(
        OrgUnit, verbose_name="编制所在乡镇", on_delete=models.PROTECT, related_name="borrowings_out"
    )
    borrower = models.ForeignKey(
        OrgUnit, verbose_name="借用单位", on_delete=models.PROTECT, related_name="borrowings_in"
    )
    start = models.DateField("借用开始日期")
    until = models.DateField("借用截止日期")
    reason = models.CharField("借用事由", max_length=500)
    recorded_on = models.DateField("登记日期")
    recorded_by = models.ForeignKey(
        User, verbose_name="登记人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_on = models.DateField("审核日期", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        User, verbose_name="审核人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_note = models.CharField("组织部审核意见", max_length=500, blank=True)
    returned_on = models.DateField("返回乡镇日期", null=True, blank=True)

    SCOPE_UNIT = "township"
    SCOPE_CADRE = "cadre"

    class Privacy:
        basic = (
            "id",
            "cadre",
            "township",
            "borrower",
            "start",
            "until",
            "reason",
            "recorded_on",
            "recorded_by",
            "reviewed_on",
            "reviewed_by",
            "review_note",
            "returned_on",
        )

    class Meta:
        verbose_name = verbose_name_plural = "乡镇干部借用"
        ordering = ["-start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__gte=models.F("start")),
                name="borrowing_until_not_before_start",
                violation_error_message=gettext_lazy("借用截止日期不能早于开始日期。"),
            ),
            # One open borrowing per cadre: a cadre works in one place at a time.
            models.UniqueConstraint(
                fields=["cadre"], condition=Q(returned_on__isnull=True), name="borrowing_one_open_per_cadre"
            ),
        ]
        indexes = [models.Index(fields=["township", "returned_on"], name="borrowing_township_open")]

    def __str__(self) -> str:
        return f"{self.cadre} 借用至 {self.borrower}"
