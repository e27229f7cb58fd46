"""Choice sets of check-ups and campaigns, labelled in Chinese."""

from django.db import models

# `_` only marks a label for the catalogue (gettext_noop): labels stay Chinese in code, texts and the
# database; the API translates them per request (cadrecare.core.i18n).
from django.utils.translation import gettext_noop as _


class CheckupKind(models.TextChoices):
    ANNUAL = "annual", _("年度体检")
    SPECIAL = "special", _("专项体检")
    FOLLOW_UP = "follow_up", _("复查")


class Conclusion(models.TextChoices):
    NORMAL = "normal", _("未见明显异常")
    BASICALLY_HEALTHY = "basically_healthy", _("基本健康")
    RECHECK = "recheck", _("需复查")
    TREATMENT = "treatment", _("需治疗")


class Payer(models.TextChoices):
    UNIT = "unit", _("所在单位")
    ESTABLISHMENT_UNIT = "establishment_unit", _("编制所在单位")


class DueState(models.TextChoices):
    NOT_DUE = "not_due", _("未到期")
    UPCOMING = "upcoming", _("即将到期")
    DUE = "due", _("应检")
    OVERDUE = "overdue", _("已逾期")


class CampaignStatus(models.TextChoices):
    PLANNED = "planned", _("进行中")
    CLOSED = "closed", _("已结束")


class AttendanceStatus(models.TextChoices):
    PENDING = "pending", _("待体检")
    ATTENDED = "attended", _("已体检")
    ABSENT = "absent", _("缺检")
    EXCUSED = "excused", _("请假")
