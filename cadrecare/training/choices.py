"""Choice sets of training programmes and their nominations, labelled in Chinese."""

from django.db import models

# `_` only marks a label for the catalogue (gettext_noop): labels stay Chinese in code, texts and the
# database; the API translates them per request (cadrecare.core.i18n).
from django.utils.translation import gettext_noop as _


class ProgrammeKind(models.TextChoices):
    """The three the seed gives grassroots cadres priority for (三(一)):
    组织调训、参观考察、工作交流."""

    TRAINING = "training", _("培训班")
    STUDY_TOUR = "study_tour", _("参观考察")
    EXCHANGE = "exchange", _("工作交流")


class Attendance(models.TextChoices):
    PENDING = "pending", _("待登记")
    ATTENDED = "attended", _("参加")
    ABSENT = "absent", _("缺席")
    EXCUSED = "excused", _("请假")
