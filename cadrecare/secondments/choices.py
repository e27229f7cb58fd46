"""Choice sets of secondments (挂职、跟班见习、借调), labelled in Chinese."""

from django.db import models

# `_` only marks a label for the catalogue (gettext_noop): labels stay Chinese in code, texts and the
# database; the API translates them per request (cadrecare.core.i18n).
from django.utils.translation import gettext_noop as _


class SecondmentKind(models.TextChoices):
    # Seed 三(一): city cadres sent down to townships as deputies for two years,
    # county cadres sent up to shadow at city bodies, and borrowing.
    HANG_POST = "hang_post", _("挂职")
    SHADOWING = "shadowing", _("跟班见习")
    LOAN = "loan", _("借调")


class SecondmentStatus(models.TextChoices):
    ACTIVE = "active", _("在岗")
    EXTENDED = "extended", _("已延期")
    RETURNED = "returned", _("已返回")
    CONVERTED = "converted", _("已转任")


# A term still running: the cadre works in the host unit, and the home unit's
# organization department must decide before it ends.
RUNNING = (SecondmentStatus.ACTIVE, SecondmentStatus.EXTENDED)


class SecondmentDecision(models.TextChoices):
    RETURN = "return", _("期满返回")
    EXTEND = "extend", _("延期")
    CONVERT = "convert", _("转任")
