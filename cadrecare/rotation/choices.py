"""Choice sets of the rest rotation (轮休), labelled in Chinese."""

from django.db import models


class CalendarStatus(models.TextChoices):
    OFFICIAL = "official", "正式（国务院通知）"
    PROVISIONAL = "provisional", "暂定"


class HolidayKind(models.TextChoices):
    HOLIDAY = "holiday", "法定节假日"
    MAKEUP_WORKDAY = "makeup_workday", "调休上班日"


class Mode(models.TextChoices):
    WEEKLY = "weekly", "周轮休"
    HALF_MONTH = "half_month", "半月轮休"
    MONTHLY = "monthly", "月轮休"


class AbsenceKind(models.TextChoices):
    LEAVE = "leave", "请假"
    TRAINING = "training", "培训"
    SECONDMENT = "secondment", "借调"
    SICK_LEAVE = "sick_leave", "病假"


class RequestKind(models.TextChoices):
    PREFER = "prefer", "希望休息"
    AVOID = "avoid", "希望不休息"


class RosterStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    LOCKED = "locked", "已锁定"


class SolverStatus(models.TextChoices):
    OPTIMAL = "optimal", "最优"
    FEASIBLE = "feasible", "可行"
    INFEASIBLE = "infeasible", "无可行方案"
    EDITED = "edited", "手工调整"


class DayKind(models.TextChoices):
    REST = "rest", "休"
    DUTY = "duty", "班"
    AWAY = "away", "外出"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    SOLVED = "solved", "已生成"
    INFEASIBLE = "infeasible", "无可行方案"
    FAILED = "failed", "失败"
    SKIPPED = "skipped", "已跳过"


class RunKind(models.TextChoices):
    MANUAL = "manual", "手动生成"
    SCHEDULED = "scheduled", "定时生成"
