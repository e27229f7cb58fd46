"""Choice sets of the rest rotation (轮休), labelled in Chinese."""

from django.db import models

# `_` only marks a label for the catalogue (gettext_noop): labels stay Chinese in code, texts and the
# database; the API translates them per request (cadrecare.core.i18n).
from django.utils.translation import gettext_noop as _


class CalendarStatus(models.TextChoices):
    OFFICIAL = "official", _("正式（国务院通知）")
    PROVISIONAL = "provisional", _("暂定")


class HolidayKind(models.TextChoices):
    HOLIDAY = "holiday", _("法定节假日")
    MAKEUP_WORKDAY = "makeup_workday", _("调休上班日")


class DayType(models.TextChoices):
    """What a date is in a year's arrangement: a listed holiday or makeup
    workday (the same codes as ``HolidayKind``), else a weekend or a workday."""

    WORKDAY = "workday", _("工作日")
    WEEKEND = "weekend", _("周末")
    HOLIDAY = "holiday", _("法定节假日")
    MAKEUP_WORKDAY = "makeup_workday", _("调休上班日")


class Mode(models.TextChoices):
    WEEKLY = "weekly", _("周轮休")
    HALF_MONTH = "half_month", _("半月轮休")
    MONTHLY = "monthly", _("月轮休")


class AbsenceKind(models.TextChoices):
    LEAVE = "leave", _("请假")
    TRAINING = "training", _("培训")
    SECONDMENT = "secondment", _("借调")
    SICK_LEAVE = "sick_leave", _("病假")
    ANNUAL_LEAVE = "annual_leave", _("年休假")
    PERSONAL_LEAVE = "personal_leave", _("事假")


#: The absence kinds that shorten the month's rest (format rule 1 prorates it
#: by the days available) unless the county's policy says otherwise. Annual
#: and personal leave are not among them: a week of 年休假 must not cost two of
#: the month's eight rest days. 请假 without a kind keeps its old meaning.
REST_REDUCING_KINDS = [
    AbsenceKind.LEAVE.value,
    AbsenceKind.TRAINING.value,
    AbsenceKind.SECONDMENT.value,
    AbsenceKind.SICK_LEAVE.value,
]


class MissedRestStatus(models.TextChoices):
    """A published rest day the cadre spent away: owed until the secretary
    records that the rest was taken after all."""

    OWED = "owed", _("未休，待补")
    TAKEN = "taken", _("书记确认已休")


class RestConfirmationStatus(models.TextChoices):
    """The cadre's word on their month's rest, at the month's end."""

    CONFIRMED = "confirmed", _("已确认")
    CORRECTED = "corrected", _("有更正，待书记处理")
    RESOLVED = "resolved", _("更正已处理")


class RequestKind(models.TextChoices):
    PREFER = "prefer", _("希望休息")
    AVOID = "avoid", _("希望不休息")


class RosterStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    LOCKED = "locked", _("已锁定")


class SolverStatus(models.TextChoices):
    OPTIMAL = "optimal", _("最优")
    FEASIBLE = "feasible", _("可行")
    INFEASIBLE = "infeasible", _("无可行方案")
    EDITED = "edited", _("手工调整")


class DayKind(models.TextChoices):
    REST = "rest", _("休")
    DUTY = "duty", _("班")
    AWAY = "away", _("外出")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    SOLVED = "solved", _("已生成")
    INFEASIBLE = "infeasible", _("无可行方案")
    FAILED = "failed", _("失败")
    SKIPPED = "skipped", _("已跳过")


class RunKind(models.TextChoices):
    MANUAL = "manual", _("手动生成")
    SCHEDULED = "scheduled", _("定时生成")


class SwapStatus(models.TextChoices):
    """Where a swap request (换休申请) stands: the counterpart answers first,
    then the township's party secretary decides."""

    PENDING_COUNTERPART = "pending_counterpart", _("待对方确认")
    PENDING_APPROVAL = "pending_approval", _("待书记审批")
    APPLIED = "applied", _("已批准并生效")
    DECLINED = "declined", _("对方已拒绝")
    REJECTED = "rejected", _("书记未批准")
    WITHDRAWN = "withdrawn", _("已撤回")
    EXPIRED = "expired", _("已失效")


SWAP_OPEN = (SwapStatus.PENDING_COUNTERPART, SwapStatus.PENDING_APPROVAL)
