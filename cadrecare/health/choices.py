"""Choice sets of check-ups and campaigns, labelled in Chinese."""

from django.db import models


class CheckupKind(models.TextChoices):
    ANNUAL = "annual", "年度体检"
    SPECIAL = "special", "专项体检"
    FOLLOW_UP = "follow_up", "复查"


class Conclusion(models.TextChoices):
    NORMAL = "normal", "未见明显异常"
    BASICALLY_HEALTHY = "basically_healthy", "基本健康"
    RECHECK = "recheck", "需复查"
    TREATMENT = "treatment", "需治疗"


class Payer(models.TextChoices):
    UNIT = "unit", "所在单位"
    ESTABLISHMENT_UNIT = "establishment_unit", "编制所在单位"


class DueState(models.TextChoices):
    NOT_DUE = "not_due", "未到期"
    UPCOMING = "upcoming", "即将到期"
    DUE = "due", "应检"
    OVERDUE = "overdue", "已逾期"


class CampaignStatus(models.TextChoices):
    PLANNED = "planned", "进行中"
    CLOSED = "closed", "已结束"


class AttendanceStatus(models.TextChoices):
    PENDING = "pending", "待体检"
    ATTENDED = "attended", "已体检"
    ABSENT = "absent", "缺检"
    EXCUSED = "excused", "请假"
