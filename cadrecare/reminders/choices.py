"""Choice sets of reminders, labelled in Chinese."""

from django.db import models

# `_` only marks a label for the catalogue (gettext_noop): labels stay Chinese in code, texts and the
# database; the API translates them per request (cadrecare.core.i18n).
from django.utils.translation import gettext_noop as _

# A run's status is the job-run bookkeeping's (cadrecare.core.jobs); named here with the app's other choices.
from cadrecare.core.jobs import JobStatus

__all__ = ["JobStatus"]


class Stage(models.TextChoices):
    """When in an item's life a notice goes out, and to whom."""

    UPCOMING = "upcoming", _("即将到期")  # the owner, N days before
    DUE = "due", _("今日到期")  # the owner, on the day
    OVERDUE = "overdue", _("已逾期")  # the owner, every day while late
    COUNTY = "county", _("逾期督办（县委组织部）")  # the county organization department
    CITY = "city", _("逾期督办（市委组织部）")  # the city organization department


ESCALATIONS = (Stage.COUNTY, Stage.CITY)


class ItemState(models.TextChoices):
    UPCOMING = "upcoming", _("未到期")
    DUE = "due", _("今日到期")
    OVERDUE = "overdue", _("已逾期")


class Channel(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")
    WECOM = "wecom", _("企业微信")
    DINGTALK = "dingtalk", _("钉钉")


class ReceiptStatus(models.TextChoices):
    """What the SMS gateway's delivery receipt said about a sent message."""

    DELIVERED = "delivered", _("已送达")
    UNDELIVERED = "undelivered", _("未送达")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
