"""A cadre's family and what happens to it or to the cadre (家属, 家庭重大变故,
干部重病或去世): the events that open visit obligations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cadrecare.care.choices import CadreConditionKind, FamilyEventKind, Relation
from cadrecare.core.privacy import Level
from cadrecare.org.choices import Gender
from cadrecare.org.models import Cadre


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
