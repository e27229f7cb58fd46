"""Choice sets of reminders, labelled in Chinese."""

from django.db import models


class Stage(models.TextChoices):
    """When in an item's life a notice goes out, and to whom (issue 6)."""

    UPCOMING = "upcoming", "即将到期"  # the owner, N days before
    DUE = "due", "今日到期"  # the owner, on the day
    OVERDUE = "overdue", "已逾期"  # the owner, every day while late
    COUNTY = "county", "逾期督办（县委组织部）"  # the county organization department
    CITY = "city", "逾期督办（市委组织部）"  # the city organization department


ESCALATIONS = (Stage.COUNTY, Stage.CITY)


class ItemState(models.TextChoices):
    UPCOMING = "upcoming", "未到期"
    DUE = "due", "今日到期"
    OVERDUE = "overdue", "已逾期"


class Channel(models.TextChoices):
    EMAIL = "email", "电子邮件"
    SMS = "sms", "短信"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "待发送"
    SENDING = "sending", "发送中"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"


class JobStatus(models.TextChoices):
    RUNNING = "running", "运行中"
    SUCCEEDED = "succeeded", "成功"
    FAILED = "failed", "失败"
    SKIPPED = "skipped", "跳过"
