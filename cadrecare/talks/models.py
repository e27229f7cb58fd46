"""The six must-talks (六必谈): the events that oblige a talk, the triggers
they raise, who talks with whom, the talks held and the scheduled interviews.

Seed, section 三: a talk must be held when the leadership team is not working
together, a cadre's post changes, warning signs appear, an important petition
concerns the cadre, the family meets a major event or the cadre achieves
something outstanding; the county party secretary talks with township party
secretaries, the county organization-department head with township leadership
members, the township party secretary with the township's other cadres; talks
are also held regularly, and the organization department holds scheduled
interviews with township section-level cadres.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cadrecare.org.choices import EndReason, LeaderPost
from cadrecare.org.models import Cadre, OrgUnit, PostChange
from cadrecare.talks.choices import (
    CommendationKind,
    CommendationLevel,
    CommendationStatus,
    FollowUpStatus,
    InterviewItemStatus,
    PetitionSeriousness,
    TalkeeGroup,
    TalkerPost,
    TalkForm,
    TriggerKind,
    TriggerSource,
    TriggerStatus,
)

# ---------------------------------------------------------------------------
# Configuration: due days and routes, as data
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Source events that are records of their own
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Triggers and talks
# ---------------------------------------------------------------------------


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


class InterviewRound(models.Model):
    """A round of scheduled interviews (定期约谈) the county organization
    department holds with one township's section-level cadres (正科/副科)."""

    unit = models.ForeignKey(OrgUnit, verbose_name="乡镇", on_delete=models.PROTECT, related_name="interview_rounds")
    title = models.CharField("名称", max_length=200)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    interviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="约谈人", related_name="+")
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
        basic = ("id", "unit", "title", "start_date", "end_date", "interviewers", "created_by", "created_at")

    class Meta:
        verbose_name = verbose_name_plural = "定期约谈"
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="interviewround_dates"),
        ]

    def __str__(self) -> str:
        return self.title


class InterviewItem(models.Model):
    """One cadre to interview in a round; a talk with them by one of the
    round's interviewers within its dates closes it."""

    round = models.ForeignKey(InterviewRound, verbose_name="约谈批次", on_delete=models.CASCADE, related_name="items")
    cadre = models.ForeignKey(Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="interview_items")
    status = models.CharField(
        "状态", max_length=10, choices=InterviewItemStatus.choices, default=InterviewItemStatus.OPEN
    )
    talk = models.ForeignKey(
        Talk, verbose_name="约谈记录", null=True, blank=True, on_delete=models.SET_NULL, related_name="interview_items"
    )
    done_date = models.DateField("约谈日期", null=True, blank=True)
    cancel_reason = models.CharField("撤销原因", max_length=20, choices=EndReason.choices, blank=True)
    cancelled_on = models.DateField("撤销日期", null=True, blank=True)

    SCOPE_UNIT = "cadre__unit"
    SCOPE_CADRE = "cadre"

    class Privacy:
        basic = ("id", "round", "cadre", "status", "talk", "done_date", "cancel_reason", "cancelled_on")

    class Meta:
        verbose_name = verbose_name_plural = "约谈对象"
        ordering = ["round_id", "cadre_id"]
        constraints = [models.UniqueConstraint(fields=["round", "cadre"], name="interviewitem_unique")]

    def __str__(self) -> str:
        return f"{self.round} {self.cadre}"
