"""The organisation tree, its offices, cadres, their post history, users and
role grants: the ground every care record and every scope stands on."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from cadrecare.org.choices import (
    CadreStatus,
    Ethnicity,
    Gender,
    LeaderPost,
    PostChangeKind,
    Rank,
    Remoteness,
    Role,
    UnitKind,
)

PATH_STEP = 8  # digits of one id in a materialised path


def ancestor_paths(path: str) -> list[str]:
    """A unit's materialised ``path`` and each of its ancestors' paths, nearest first:
    what "the nearest unit up the tree that sets it" looks through."""
    return [path[:end] for end in range(len(path), 0, -(PATH_STEP + 1))]


class OrgUnit(models.Model):
    """A unit of the organisation tree (city, county, township, agency, village).

    ``path`` is the materialised path of ids from the root ("00000001.00000007."),
    so "this unit and everything under it" is one indexed prefix query.
    """

    code = models.CharField("代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级单位", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField("路径", max_length=255, unique=True, editable=False)
    remoteness = models.CharField("边远艰苦等级", max_length=10, choices=Remoteness.choices, default=Remoteness.NONE)
    distance_km = models.PositiveIntegerField("距县城（公里）", null=True, blank=True)
    active = models.BooleanField("启用", default=True)

    SCOPE_UNIT = ""  # the unit itself

    class Privacy:
        basic = ("id", "code", "name", "kind", "parent", "path", "remoteness", "distance_km", "active")

    class Meta:
        verbose_name = verbose_name_plural = "单位"
        ordering = ["path"]
        indexes = [models.Index(fields=["path"], name="orgunit_path_prefix", opclasses=["varchar_pattern_ops"])]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return len(self.path) // (PATH_STEP + 1)

    @property
    def is_remote(self) -> bool:
        return self.remoteness != Remoteness.NONE


class Office(models.Model):
    """An internal office or station (站所/内设机构) of a township or agency."""

    unit = models.ForeignKey(OrgUnit, verbose_name="所属单位", on_delete=models.PROTECT, related_name="offices")
    name = models.CharField("名称", max_length=100)
    active = models.BooleanField("启用", default=True)

    SCOPE_UNIT = "unit"

    class Privacy:
        basic = ("id", "unit", "name", "active")

    class Meta:
        verbose_name = verbose_name_plural = "科室站所"
        ordering = ["unit_id", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="office_unique_name_in_unit")]

    def __str__(self) -> str:
        return f"{self.unit.name}·{self.name}"


class User(AbstractUser):
    """A person who logs in; what they may see comes from their role grants.
    A login opened with a one-time initial password (``cadre_logins_create``)
    must change it before anything else (``must_change_password``)."""

    must_change_password = models.BooleanField("须修改初始密码", default=False)

    SCOPE_UNIT = "grants__unit"  # visible to whoever covers one of the user's grants

    class Privacy:
        basic = (
            "id",
            "username",
            "first_name",
            "last_name",
            "is_active",
            "is_staff",
            "is_superuser",
            "date_joined",
            "last_login",
            "groups",
            "user_permissions",
            "must_change_password",
        )
        personal = ("email",)
        sensitive = ("password",)

    class Meta:
        verbose_name = verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class RoleGrant(models.Model):
    """A role held on an org unit: the scope is that unit and everything under it.

    An acting grant (代理) runs from ``acting_from`` to ``acting_until``
    inclusive and counts only then: for scope, and, when it names an
    ``acting_post``, as the holder of that post in the unit, ahead of the
    cadre who holds it (cadrecare.org.posts). A grant without dates is for good.
    """

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="grants")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    unit = models.ForeignKey(OrgUnit, verbose_name="单位", on_delete=models.PROTECT, related_name="grants")
    granted_by = models.ForeignKey(
        User, verbose_name="授权人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField("授权时间", auto_now_add=True)
    acting_post = models.CharField("代理岗位", max_length=20, choices=LeaderPost.choices, blank=True)
    acting_from = models.DateField("代理开始日期", null=True, blank=True)
    acting_until = models.DateField("代理结束日期", null=True, blank=True)

    SCOPE_UNIT = "unit"

    class Privacy:
        basic = ("id", "user", "role", "unit", "granted_by", "granted_at", "acting_post", "acting_from", "acting_until")

    class Meta:
        verbose_name = verbose_name_plural = "角色授权"
        ordering = ["user_id", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="rolegrant_unique"),
            # An acting grant has both dates, in order; a post is acted only within dates.
            models.CheckConstraint(
                condition=Q(acting_from__isnull=True, acting_until__isnull=True, acting_post="")
                | Q(acting_from__isnull=False, acting_until__gte=models.F("acting_from")),
                name="rolegrant_acting_span",
                violation_error_message=gettext_lazy("代理授权须填写开始日期和结束日期，结束日期不能早于开始日期。"),
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "acting_post"], name="rolegrant_acting", condition=~Q(acting_post="")),
            # An item's owner by role (the unit's HR officer, secretary, …) is a
            # subquery per row of the due items: every cadre of a township holds
            # a grant there, so the unit alone left fifty rows to filter by role
            # (a county's check-ups: 235 ms → 61 ms on the province demo).
            models.Index(fields=["unit", "role"], name="rolegrant_unit_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"


class Cadre(models.Model):
    """A cadre (干部): the person every care rule of the seed's section 三 is about."""

    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=10, choices=Gender.choices)
    ethnicity = models.CharField("民族", max_length=10, choices=Ethnicity.choices, default="汉族")
    birth_date = models.DateField("出生日期")
    id_number = models.CharField("身份证号", max_length=18, unique=True)
    phone = models.CharField("手机号", max_length=11, blank=True)
    rank = models.CharField("职级", max_length=20, choices=Rank.choices, default=Rank.STAFF_MEMBER)
    post_title = models.CharField("职务", max_length=100, blank=True)
    leader_post = models.CharField("班子职务", max_length=20, choices=LeaderPost.choices, default=LeaderPost.NONE)
    office = models.ForeignKey(
        Office, verbose_name="科室站所", null=True, blank=True, on_delete=models.SET_NULL, related_name="cadres"
    )
    unit = models.ForeignKey(OrgUnit, verbose_name="工作单位", on_delete=models.PROTECT, related_name="cadres")
    establishment_unit = models.ForeignKey(
        OrgUnit, verbose_name="编制所在单位", on_delete=models.PROTECT, related_name="established_cadres"
    )
    township_service_start = models.DateField("进入乡镇工作日期", null=True, blank=True)
    unit_joined = models.DateField("进入现单位日期", null=True, blank=True)
    status = models.CharField("状态", max_length=20, choices=CadreStatus.choices, default=CadreStatus.SERVING)
    status_changed_on = models.DateField("状态变动日期", null=True, blank=True)
    user = models.OneToOneField(
        User, verbose_name="登录账号", null=True, blank=True, on_delete=models.SET_NULL, related_name="cadre"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    SCOPE_UNIT = "unit"
    SCOPE_CADRE = "id"
    SCOPE_OWNER = "user"  # a routed-only role names itself (the county leader as the talker)

    class Privacy:
        basic = (
            "id",
            "name",
            "gender",
            "ethnicity",
            "rank",
            "post_title",
            "leader_post",
            "office",
            "unit",
            "establishment_unit",
            "township_service_start",
            "unit_joined",
            "status",
            "status_changed_on",
            "user",
            "created_at",
            "updated_at",
        )
        personal = ("birth_date", "id_number", "phone")

    class Meta:
        verbose_name = verbose_name_plural = "干部"
        ordering = ["unit_id", "id"]
        indexes = [
            models.Index(fields=["unit", "id"], name="cadre_unit_id"),
            models.Index(fields=["unit", "status"], name="cadre_unit_status"),
            models.Index(fields=["leader_post"], name="cadre_leader_post", condition=~Q(leader_post="none")),
        ]

    def __str__(self) -> str:
        return self.name

    def age_on(self, day: dt.date) -> int:
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - int(before_birthday)

    @property
    def is_leader(self) -> bool:
        return self.leader_post != LeaderPost.NONE


def person_name(user: User) -> str:
    """How a login is named to people: its cadre record's name, else its own."""
    cadre = getattr(user, "cadre", None)  # a missing reverse one-to-one raises an AttributeError
    return cadre.name if cadre is not None else (user.get_full_name() or user.username)


class PostChange(models.Model):
    """One change of a cadre's post (职务变动). The history is append-only:
    recording one updates the cadre's current fields (org.services.post_change_record)."""

    cadre = models.ForeignKey(Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="post_changes")
    kind = models.CharField("变动类型", max_length=20, choices=PostChangeKind.choices)
    date = models.DateField("变动日期")
    from_unit = models.ForeignKey(
        OrgUnit, verbose_name="原单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey(OrgUnit, verbose_name="新单位", on_delete=models.PROTECT, related_name="+")
    from_post_title = models.CharField("原职务", max_length=100, blank=True)
    to_post_title = models.CharField("新职务", max_length=100, blank=True)
    from_rank = models.CharField("原职级", max_length=20, choices=Rank.choices, blank=True)
    to_rank = models.CharField("新职级", max_length=20, choices=Rank.choices)
    from_leader_post = models.CharField("原班子职务", max_length=20, choices=LeaderPost.choices, blank=True)
    to_leader_post = models.CharField("新班子职务", max_length=20, choices=LeaderPost.choices)
    note = models.CharField("说明", max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        User, verbose_name="记录人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    SCOPE_UNIT = "cadre__unit"
    SCOPE_CADRE = "cadre"

    class Privacy:
        basic = (
            "id",
            "cadre",
            "kind",
            "date",
            "from_unit",
            "to_unit",
            "from_post_title",
            "to_post_title",
            "from_rank",
            "to_rank",
            "from_leader_post",
            "to_leader_post",
            "note",
            "recorded_by",
            "recorded_at",
        )

    class Meta:
        verbose_name = verbose_name_plural = "职务变动"
        ordering = ["cadre_id", "date", "id"]
        indexes = [models.Index(fields=["cadre", "date"], name="postchange_cadre_date")]

    def __str__(self) -> str:
        return f"{self.cadre} {self.get_kind_display()} {self.date}"
