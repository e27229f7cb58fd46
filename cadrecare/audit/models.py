"""The audit log of personal and sensitive information: every read of such a
field and every change of any record through the API lands here (PIPL art. 51,
GB/T 35273 11.3). The table is append-only: no API edits it, and on
PostgreSQL a trigger refuses UPDATE and DELETE (but the sealing of an entry
into the hash chain, once)."""

from django.conf import settings
from django.db import models

# `_` only marks a label for the catalogue (gettext_noop): labels stay Chinese in code, texts and the
# database; the API translates them per request (cadrecare.core.i18n).
from django.utils.translation import gettext_noop as _


class AuditAction(models.TextChoices):
    READ = "read", _("查看")
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    EXPORT = "export", _("导出")
    IMPORT = "import", _("导入")


class AccessPurpose(models.TextChoices):
    """Why personal information is read (PIPL art. 6: a specific purpose), told
    by an API client in ``X-Access-Purpose``; one of these or none, never free text."""

    MANAGEMENT = "management", _("日常管理")
    TALK = "talk", _("谈心谈话")
    CHECKUP = "checkup", _("体检安排")
    CARE = "care", _("关心关爱与走访慰问")
    ROSTER = "roster", _("轮休排班")
    ASSESSMENT = "assessment", _("考察考核")
    SUPERVISION = "supervision", _("监督检查")


class AuditEntry(models.Model):
    """One access to personal information: who, as which role, what, when, from where."""

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    # No database constraint and nothing done on delete: an entry outlives its
    # actor's account unchanged (the table refuses UPDATE), keeping the id and
    # the name it had.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_name = models.CharField("操作人账号", max_length=150)
    roles = models.CharField("角色", max_length=200, blank=True)
    action = models.CharField("操作", max_length=10, choices=AuditAction.choices)
    resource = models.CharField("资源", max_length=50)
    object_id = models.CharField("记录编号", max_length=40, blank=True)
    cadre_id = models.BigIntegerField("涉及干部", null=True, blank=True, db_index=True)
    fields = models.JSONField("字段", default=list)
    purpose = models.CharField("用途", max_length=100, blank=True, choices=AccessPurpose.choices)
    request_id = models.CharField("请求编号", max_length=40, blank=True)
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)
    # The hash chain (audit.services.audit_seal): the entry's place in it and an
    # HMAC, under the service's secret key, of its content and the previous
    # digest, so a row altered or deleted in the database, by its superuser too,
    # is found (manage.py audit_verify). Written once, after the insert.
    chain_position = models.BigIntegerField("链序号", null=True, blank=True, unique=True)
    digest = models.CharField("链摘要", max_length=64, blank=True)

    SCOPE_UNIT = None

    class Privacy:
        basic = (
            "id",
            "at",
            "actor",
            "actor_name",
            "roles",
            "action",
            "resource",
            "object_id",
            "cadre_id",
            "fields",
            "purpose",
            "request_id",
            "ip",
            "chain_position",
            "digest",
        )

    class Meta:
        verbose_name = verbose_name_plural = "审计日志"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["resource", "object_id"], name="audit_resource_object")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()} {self.resource}"
