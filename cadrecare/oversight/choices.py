"""Choice sets of the organization department's oversight records (seed 三(二)(三)), labelled in Chinese."""

from django.db import models

# `_` only marks a label for the catalogue (gettext_noop): labels stay Chinese in code, texts and the
# database; the API translates them per request (cadrecare.core.i18n).
from django.utils.translation import gettext_noop as _


class TransferOutcome(models.TextChoices):
    """What the yearly review decided for one exchange (交流) candidate."""

    PENDING = "pending", _("待研判")
    PROPOSED = "proposed", _("拟交流")
    DONE = "done", _("已交流")
    DEFERRED = "deferred", _("暂缓交流")
    DECLINED = "declined", _("本人不愿交流")


# What the organization department may record by hand: "done" comes only with the post change.
DECIDABLE_OUTCOMES = (TransferOutcome.PROPOSED, TransferOutcome.DEFERRED, TransferOutcome.DECLINED)


class Checkpoints(models.IntegerChoices):
    """How often in the year a county checks its interview plan's progress:
    by each checkpoint the townships must have interviewed their share."""

    YEARLY = 1, _("年底前全部约谈")
    HALF_YEARLY = 2, _("每半年过半")
    QUARTERLY = 4, _("每季度按进度")
    MONTHLY = 12, _("每月按进度")


class LineStatus(models.TextChoices):
    OPEN = "open", _("待约谈")
    DONE = "done", _("已约谈")
    CANCELLED = "cancelled", _("已撤销")


class VisitCadence(models.IntegerChoices):
    """How often the organization-department head visits every township (组织部长下基层)."""

    YEARLY = 12, _("每年至少一次")
    HALF_YEARLY = 6, _("每半年至少一次")
    QUARTERLY = 3, _("每季度至少一次")
