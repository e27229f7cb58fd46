"""Family care, visits, hardship help and township conditions (seed section
三(二) 亲情关怀/走访慰问/困难帮扶 and 三(三) 五小/岗位补贴).

Records are written through ``cadrecare.care.services``; the rules (deadlines,
owners, exactly-once recording) live there, the shapes and the last-line
database constraints here.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from cadrecare.care.choices import (
    CadreConditionKind,
    ContactWay,
    FacilityItem,
    FacilityStatus,
    FamilyEventKind,
    FollowUpOutcome,
    FollowUpTrigger,
    HardshipCategory,
    HardshipStatus,
    MeasureKind,
    ObligationSource,
    ObligationStatus,
    Relation,
    VisitKind,
)
from cadrecare.core.privacy import Level
from cadrecare.org.choices import EndReason, Gender, LeaderPost
from cadrecare.org.models import Cadre, OrgUnit

MONEY: dict[str, Any] = {"max_digits": 12, "decimal_places": 2}


class CarePolicy(models.Model):
    """Per-unit settings of family care, inherited down the tree: a field left
    empty takes the value of the nearest ancestor that sets it, else the
    default (7 days after a family event or a cadre's illness, 3 after a death;
    an open hardship case reviewed every 3 months; a cadre's 心里话 answered
    within 7 days; a new hardship case first contacted within 7 days; a sick
    leave longer than 14 days brought to the HR officer's decision)."""

    unit = models.OneToOneField(OrgUnit, verbose_name="单位", on_delete=models.CASCADE, related_name="care_policy")
    family_event_days = models.PositiveSmallIntegerField("家庭变故必访期限（天）", null=True, blank=True)
    illness_days = models.PositiveSmallIntegerField("干部重病慰问期限（天）", null=True, blank=True)
    death_days = models.PositiveSmallIntegerField("干部去世慰问期限（天）", null=True, blank=True)
    hardship_review_months = models.PositiveSmallIntegerField("困难帮扶回访周期（月）", null=True, blank=True)
    message_answer_days = models.PositiveSmallIntegerField("心里话回复期限（天）", null=True, blank=True)
    first_contact_days = models.PositiveSmallIntegerField("困难帮扶首次联系期限（天）", null=True, blank=True)
    sick_leave_days = models.PositiveSmallIntegerField("长期病假关怀起点（天）", null=True, blank=True)
    visit_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="指定走访责任人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    SCOPE_UNIT = "unit"

    class Privacy:
        basic = (
            "id",
            "unit",
            "family_event_days",
            "illness_days",
            "death_days",
            "hardship_review_months",
            "message_answer_days",
            "first_contact_days",
            "sick_leave_days",
            "visit_owner",
            "updated_at",
        )

    class Meta:
        verbose_name = verbose_name_plural = "关爱政策"
        ordering = ["unit__path"]

    def __str__(self) -> str:
        return f"{self.unit} 关爱政策"


class FamilyMember(models.Model):
    """A member of a cadre's family (家属基本信息库). Personal information; a
    minor child's data counts as sensitive (PIPL art. 28), see the serializer."""

    cadre = models.ForeignKey(Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="family_members")
    relation = models.CharField("关系", max_length=20, choices=Relation.choices)
    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=10, choices=Gender.choices, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    work_unit = models.CharField("工作单位或学校", max_length=100, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    lives_with_cadre = models.BooleanField("与干部同住", default=False)
    health_condition = models.CharField("健康状况", max_length=500, blank=True)
    notes = models.TextField("备注", max_length=2000, blank=True)
    deceased_on = models.DateField("去世日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    SCOPE_UNIT = "cadre__unit"
    SCOPE_CADRE = "cadre"

    class Privacy:
        basic = ("id", "cadre", "relation", "created_at", "updated_at")
        personal = ("name", "gender", "birth_date", "work_unit", "phone", "lives_with_cadre", "deceased_on")
        sensitive = ("health_condition", "notes")
        # A child under 14 is sensitive throughout (care.rules.is_minor): filtering or
        # ordering by a personal field would tell it about the children too.
        rows_may_raise_to = Level.SENSITIVE

    class Meta:
        verbose_name = verbose_name_plural = "家属"
        ordering = ["cadre_id", "id"]
        constraints = [
            # One living spouse, father and mother at a time (the service says so first, in Chinese).
            models.UniqueConstraint(
                fields=["cadre", "relation"],
                name="familymember_one_living_per_relation",
                condition=Q(relation__in=["spouse", "father", "mother"], deceased_on__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre}的{self.get_relation_display()}"


class RecordedEvent(models.Model):
    """What every recorded event about a cadre has: when, what happened, who
    recorded it and when.

    ``request_key`` is the client's idempotency key: a retried POST with the
    same key by the same user finds the event recorded the first time instead
    of recording a second."""

    date = models.DateField("发生日期")
    description = models.TextField("情况说明", max_length=4000, blank=True)
    request_key = models.CharField("请求幂等键", max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    SCOPE_UNIT = "cadre__unit"
    SCOPE_CADRE = "cadre"

    class Meta:
        abstract = True
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recorded_by", "request_key"], name="%(class)s_request_once", condition=~Q(request_key="")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} {self.get_kind_display()} {self.date}"  # type: ignore[attr-defined]


class FamilyEvent(RecordedEvent):
    """A major event in a cadre's family (家庭发生重大变故): recording it opens a
    must-visit obligation and a must-talk trigger (care.services.family_event_record)."""

    cadre = models.ForeignKey(Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="family_events")
    family_member = models.ForeignKey(
        FamilyMember, verbose_name="涉及家属", null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    kind = models.CharField("变故类型", max_length=20, choices=FamilyEventKind.choices)

    class Privacy:
        basic = ("id", "cadre", "family_member", "kind", "date", "request_key", "recorded_by", "created_at")
        sensitive = ("description",)

    class Meta(RecordedEvent.Meta):
        verbose_name = verbose_name_plural = "家庭重大变故"


class CadreCondition(RecordedEvent):
    """A cadre's own serious illness or death: opens a condolence-visit
    obligation; a death also sets the cadre's status (care.services.cadre_condition_record)."""

    cadre = models.ForeignKey(Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="conditions")
    kind = models.CharField("类型", max_length=20, choices=CadreConditionKind.choices)

    class Privacy:
        basic = ("id", "cadre", "kind", "date", "request_key", "recorded_by", "created_at")
        sensitive = ("description",)

    class Meta(RecordedEvent.Meta):
        verbose_name = verbose_name_plural = "干部重病或去世"
        constraints = [
            *RecordedEvent.Meta.constraints,
            models.UniqueConstraint(fields=["cadre"], name="cadrecondition_one_death", condition=Q(kind="death")),
        ]


class VisitObligation(models.Model):
    """A visit that must happen (必访 / 慰问) by a deadline, with an owner.
    At most one per family event or cadre condition (the exactly-once rule)."""

    cadre = models.ForeignKey(Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="visit_obligations")
    source = models.CharField("来源", max_length=20, choices=ObligationSource.choices)
    family_event = models.OneToOneField(
        FamilyEvent, verbose_name="家庭变故", null=True, blank=True, on_delete=models.CASCADE, related_name="obligation"
    )
    condition = models.OneToOneField(
        CadreCondition,
        verbose_name="干部重病或去世",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="obligation",
    )
    reason = models.CharField("事由", max_length=200)
    event_date = models.DateField("事由发生日期")
    deadline = models.DateField("走访期限")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visit_obligations",
    )
    owner_note = models.CharField("责任人说明", max_length=200, blank=True)
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
    status = models.CharField("状态", max_length=10, choices=ObligationStatus.choices, default=ObligationStatus.OPEN)
    done_on = models.DateField("走访日期", null=True, blank=True)
    waived_reason = models.CharField("免于走访理由", max_length=500, blank=True)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="批准免访人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cancel_reason = models.CharField("撤销原因", max_length=20, choices=EndReason.choices, blank=True)
    cancelled_on = models.DateField("撤销日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    SCOPE_UNIT = "cadre__unit"
    SCOPE_CADRE = "cadre"

    class Privacy:
        basic = (
            "id",
            "cadre",
            "source",
            "family_event",
            "condition",
            "reason",
            "event_date",
            "deadline",
            "owner",
            "owner_note",
            "owner_post",
            "owner_post_unit",
            "status",
            "done_on",
            "waived_reason",
            "waived_by",
            "cancel_reason",
            "cancelled_on",
            "created_at",
        )

    class Meta:
        verbose_name = verbose_name_plural = "走访任务"
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["status", "deadline"], name="obligation_status_deadline")]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_post="") | Q(owner_post_unit__isnull=False), name="obligation_owner_post_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} {self.reason} 期限{self.deadline}"


class Visit(models.Model):
    """A visit to a cadre or their family (走访慰问); it fulfils the open
    obligations it names (care.services.visit_record)."""

    cadre = models.ForeignKey(Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="visits")
    family_member = models.ForeignKey(
        FamilyMember, verbose_name="走访家属", null=True, blank=True, on_delete=models.SET_NULL, related_name="visits"
    )
    date = models.DateField("走访日期")
    kind = models.CharField("走访类型", max_length=20, choices=VisitKind.choices)
    visitors = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="走访人", related_name="care_visits")
    money_amount = models.DecimalField("慰问金（元）", **MONEY, default=0)
    goods = models.CharField("慰问物资", max_length=500, blank=True)
    notes = models.TextField("走访情况", max_length=4000, blank=True)
    obligations = models.ManyToManyField(
        VisitObligation, verbose_name="完成的走访任务", blank=True, related_name="visits"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    SCOPE_UNIT = "cadre__unit"
    SCOPE_CADRE = "cadre"

    class Privacy:
        basic = (
            "id",
            "cadre",
            "family_member",
            "date",
            "kind",
            "visitors",
            "money_amount",
            "goods",
            "obligations",
            "recorded_by",
            "created_at",
        )
        sensitive = ("notes",)

    class Meta:
        verbose_name = verbose_name_plural = "走访慰问"
        ordering = ["-date", "-id"]
        constraints = [models.CheckConstraint(condition=Q(money_amount__gte=0), name="visit_money_not_negative")]

    def __str__(self) -> str:
        return f"{self.date} 走访 {self.cadre}"


class HardshipCase(models.Model):
    """A cadre's hardship (困难帮扶). While open or being helped the cadre
    counts as ``hardship`` for the rest roster (care.selectors.cadres_with_hardship)
    and has a review due on ``next_review`` (a reminders due item, ``care/due.py``):
    set when the case is opened and moved on by each review recorded, by the
    interval of the care policy unless given.

    A new case is first contacted (及时关心问候) by ``first_contact_due``, the
    care policy's days after opening (the ``hardship_first_contact`` due
    item): done when the contact is recorded on the case, or a visit to the
    cadre on or after the opening is."""

    cadre = models.ForeignKey(Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="hardship_cases")
    category = models.CharField("困难类别", max_length=20, choices=HardshipCategory.choices)
    description = models.TextField("困难情况", max_length=4000, blank=True)
    status = models.CharField("状态", max_length=10, choices=HardshipStatus.choices, default=HardshipStatus.OPEN)
    opened_on = models.DateField("登记日期")
    next_review = models.DateField("下次回访日期", null=True, blank=True)
    last_reviewed_on = models.DateField("最近回访日期", null=True, blank=True)
    resolved_on = models.DateField("解决日期", null=True, blank=True)
    first_contact_due = models.DateField("首次联系期限", null=True, blank=True)
    first_contact_on = models.DateField("首次联系日期", null=True, blank=True)
    first_contact_way = models.CharField("首次联系方式", max_length=10, choices=ContactWay.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    SCOPE_UNIT = "cadre__unit"
    SCOPE_CADRE = "cadre"

    class Privacy:
        basic = (
            "id",
            "cadre",
            "status",
            "opened_on",
            "next_review",
            "last_reviewed_on",
            "resolved_on",
            "first_contact_due",
            "first_contact_on",
            "first_contact_way",
            "recorded_by",
            "created_at",
            "updated_at",
        )
        personal = ("category",)
        sensitive = ("description",)

    class Meta:
        verbose_name = verbose_name_plural = "困难帮扶"
        ordering = ["-opened_on", "-id"]
        indexes = [models.Index(fields=["cadre", "status"], name="hardship_cadre_status")]

    def __str__(self) -> str:
        return f"{self.cadre} {self.get_category_display()}"


class CareDecision(models.Model):
    """The HR officer's decision on a cadre whom a check-up found in need of
    treatment (结论需治疗) or who is on a sick leave longer than the care
    policy's days: open a hardship case, arrange a visit, or close with a
    reason. One per check-up or absence; until it is made, the check-up or
    absence is a due item (``care/due.py``)."""

    cadre = models.ForeignKey(Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="care_decisions")
    trigger = models.CharField("起因", max_length=20, choices=FollowUpTrigger.choices)
    checkup = models.OneToOneField(
        "health.Checkup",
        verbose_name="体检记录",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="care_decision",
    )
    absence = models.OneToOneField(
        "rotation.Absence",
        verbose_name="病假",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="care_decision",
    )
    outcome = models.CharField("决定", max_length=20, choices=FollowUpOutcome.choices)
    reason = models.CharField("理由", max_length=500, blank=True)
    hardship_case = models.ForeignKey(
        HardshipCase, verbose_name="登记的困难帮扶", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    visit_obligation = models.ForeignKey(
        VisitObligation,
        verbose_name="安排的走访任务",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_on = models.DateField("决定日期")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="决定人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    SCOPE_UNIT = "cadre__unit"
    SCOPE_CADRE = "cadre"

    class Privacy:
        basic = (
            "id",
            "cadre",
            "outcome",
            "hardship_case",
            "visit_obligation",
            "decided_on",
            "decided_by",
            "created_at",
        )
        # Why HR was asked (a check-up's conclusion, a sick leave) and why it closed say something about health.
        sensitive = ("trigger", "checkup", "absence", "reason")

    class Meta:
        verbose_name = verbose_name_plural = "关爱跟进决定"
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(trigger="treatment", checkup__isnull=False, absence__isnull=True)
                | Q(trigger="sick_leave", checkup__isnull=True, absence__isnull=False),
                name="caredecision_one_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} {self.get_outcome_display()} {self.decided_on}"


class HardshipMeasure(models.Model):
    """One measure taken on a hardship case: when, what, how much, by whom."""

    case = models.ForeignKey(HardshipCase, verbose_name="帮扶对象", on_delete=models.CASCADE, related_name="measures")
    date = models.DateField("日期")
    kind = models.CharField("措施类型", max_length=20, choices=MeasureKind.choices)
    amount = models.DecimalField("金额（元）", **MONEY, default=0)
    provided_by = models.CharField("帮扶单位或个人", max_length=100)
    note = models.CharField("说明", max_length=1000, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    SCOPE_UNIT = "case__cadre__unit"
    SCOPE_CADRE = "case__cadre"

    class Privacy:
        basic = ("id", "case", "date", "kind", "amount", "provided_by", "created_at")
        sensitive = ("note",)

    class Meta:
        verbose_name = verbose_name_plural = "帮扶措施"
        ordering = ["date", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="measure_amount_not_negative")]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class Facility(models.Model):
    """One of a township's working and living facilities (五小 plus meals and
    lodging) and its state: present, being built or missing."""

    township = models.ForeignKey(OrgUnit, verbose_name="乡镇", on_delete=models.CASCADE, related_name="facilities")
    item = models.CharField("项目", max_length=20, choices=FacilityItem.choices)
    status = models.CharField("状态", max_length=10, choices=FacilityStatus.choices)
    as_of = models.DateField("状态日期")
    note = models.CharField("说明", max_length=500, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    SCOPE_UNIT = "township"

    class Privacy:
        basic = ("id", "township", "item", "status", "as_of", "note", "updated_at")

    class Meta:
        verbose_name = verbose_name_plural = "乡镇五小设施"
        ordering = ["township__path", "item"]
        constraints = [models.UniqueConstraint(fields=["township", "item"], name="facility_one_per_item")]

    def __str__(self) -> str:
        return f"{self.township} {self.get_item_display()} {self.get_status_display()}"


class PostAllowance(models.Model):
    """A township's post allowance (岗位补贴) for one month: due, paid, when.
    Late and short are derived (care.selectors.post_allowance_queryset)."""

    township = models.ForeignKey(OrgUnit, verbose_name="乡镇", on_delete=models.CASCADE, related_name="post_allowances")
    month = models.DateField("月份")  # the first day of the month
    due_amount = models.DecimalField("应发金额（元）", **MONEY)
    paid_amount = models.DecimalField("实发金额（元）", **MONEY, default=0)
    due_by = models.DateField("应发放截止日")
    paid_on = models.DateField("发放日期", null=True, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    SCOPE_UNIT = "township"

    class Privacy:
        basic = ("id", "township", "month", "due_amount", "paid_amount", "due_by", "paid_on", "note", "updated_at")

    class Meta:
        verbose_name = verbose_name_plural = "乡镇岗位补贴发放"
        ordering = ["-month", "township__path"]
        constraints = [
            models.UniqueConstraint(fields=["township", "month"], name="allowance_one_per_month"),
            models.CheckConstraint(
                condition=Q(due_amount__gte=0) & Q(paid_amount__gte=0), name="allowance_amounts_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.township} {self.month:%Y-%m}"
