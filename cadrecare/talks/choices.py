"""Choice sets of the six must-talks (六必谈), labelled in Chinese."""

from django.db import models

# `_` only marks a label for the catalogue (gettext_noop): labels stay Chinese in code, texts and the
# database; the API translates them per request (cadrecare.core.i18n).
from django.utils.translation import gettext_noop as _


class TriggerKind(models.TextChoices):
    """The six situations in which the seed (section 三) says a talk must happen."""

    TEAM_DISCORD = "team_discord", _("班子不协调")
    POSITION_CHANGE = "position_change", _("干部职务变动")
    WARNING_SIGNS = "warning_signs", _("发现苗头性问题")
    PETITION = "petition", _("有重要信访反映")
    FAMILY_EVENT = "family_event", _("家庭发生重大变故")
    ACHIEVEMENT = "achievement", _("取得突出成绩")


# Triggers whose existence and notes only the talker and the organization department see.
CONFIDENTIAL_KINDS = (TriggerKind.WARNING_SIGNS, TriggerKind.PETITION)


class TriggerSource(models.TextChoices):
    MANUAL = "manual", _("手工登记")
    POST_CHANGE = "post_change", _("职务变动")
    FAMILY_EVENT = "family_event", _("家庭重大变故")
    COMMENDATION = "commendation", _("评优表彰")
    PETITION = "petition", _("信访")
    TEAM_FLAG = "team_flag", _("班子不协调标记")


class TriggerStatus(models.TextChoices):
    OPEN = "open", _("待谈话")
    DONE = "done", _("已谈话")
    WAIVED = "waived", _("免于谈话")
    CANCELLED = "cancelled", _("已撤销")


class TalkForm(models.TextChoices):
    FACE_TO_FACE = "face_to_face", _("面谈")
    PHONE = "phone", _("电话")
    VIDEO = "video", _("视频")


class TalkeeGroup(models.TextChoices):
    """Who the talkee is, for routing (seed: 县委书记→乡镇党委书记, 组织部长→班子成员, 党委书记→其他干部)."""

    TOWNSHIP_SECRETARY = "township_secretary", _("乡镇党委书记")
    TOWNSHIP_LEADER = "township_leader", _("乡镇班子成员")
    TOWNSHIP_CADRE = "township_cadre", _("乡镇其他干部")


class TalkerPost(models.TextChoices):
    """The post whose holder talks with a talkee group."""

    COUNTY_PARTY_SECRETARY = "county_party_secretary", _("县（区）委书记")
    ORG_DEPARTMENT_HEAD = "org_department_head", _("县（区）委组织部部长")
    TOWNSHIP_PARTY_SECRETARY = "township_party_secretary", _("乡镇党委书记")


class CommendationLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    TOWNSHIP = "township", _("乡镇级")


class CommendationKind(models.TextChoices):
    """What was given: a commendation, or one of the civil-service awards
    (公务员奖励: 嘉奖、记三等功、记二等功、记一等功、授予称号)."""

    COMMENDATION = "commendation", _("表彰")
    CITATION = "citation", _("嘉奖")
    MERIT_THIRD = "merit_third", _("记三等功")
    MERIT_SECOND = "merit_second", _("记二等功")
    MERIT_FIRST = "merit_first", _("记一等功")
    HONORARY_TITLE = "honorary_title", _("授予称号")
    OTHER = "other", _("其他奖励")


class CommendationStatus(models.TextChoices):
    """Where a commendation stands: given, recommended to a higher body, or given after death."""

    AWARDED = "awarded", _("已表彰")
    RECOMMENDED = "recommended", _("推荐上报")
    POSTHUMOUS = "posthumous", _("追授")


class PetitionSeriousness(models.TextChoices):
    MINOR = "minor", _("一般")
    SERIOUS = "serious", _("较重")
    GRAVE = "grave", _("严重")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("待办")
    DONE = "done", _("已办结")
    CANCELLED = "cancelled", _("已撤销")


class InterviewItemStatus(models.TextChoices):
    OPEN = "open", _("待约谈")
    DONE = "done", _("已约谈")
    CANCELLED = "cancelled", _("已撤销")
