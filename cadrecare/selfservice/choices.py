"""Choice sets of cadre self-service, labelled in Chinese."""

from django.db import models

# `_` only marks a label for the catalogue (gettext_noop): labels stay Chinese in code, texts and the
# database; the API translates them per request (cadrecare.core.i18n).
from django.utils.translation import gettext_noop as _


class ReportKind(models.TextChoices):
    FAMILY_EVENT = "family_event", _("家庭重大变故")
    HARDSHIP = "hardship", _("本人困难")


class Decision(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("未采纳")


class ChangeAction(models.TextChoices):
    CREATE = "create", _("新增家属")
    UPDATE = "update", _("修改家属信息")
    DELETE = "delete", _("删除家属")


class Addressee(models.TextChoices):
    SECRETARY = "secretary", _("乡镇党委书记")
    ORG_DEPARTMENT = "org_department", _("县委组织部")


class MessageStatus(models.TextChoices):
    OPEN = "open", _("待回复")
    ANSWERED = "answered", _("已回复")
