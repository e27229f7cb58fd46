"""Choice sets of the six must-talks (六必谈), labelled in Chinese."""

from django.db import models


class TriggerKind(models.TextChoices):
    """The six situations in which the seed (section 三) says a talk must happen."""

    TEAM_DISCORD = "team_discord", "班子不协调"
    POSITION_CHANGE = "position_change", "干部职务变动"
    WARNING_SIGNS = "warning_signs", "发现苗头性问题"
    PETITION = "petition", "有重要信访反映"
    FAMILY_EVENT = "family_event", "家庭发生重大变故"
    ACHIEVEMENT = "achievement", "取得突出成绩"


# Triggers whose existence and notes only the talker and the organization department see.
CONFIDENTIAL_KINDS = (TriggerKind.WARNING_SIGNS, TriggerKind.PETITION)


class TriggerSource(models.TextChoices):
    MANUAL = "manual", "手工登记"
    POST_CHANGE = "post_change", "职务变动"
    FAMILY_EVENT = "family_event", "家庭重大变故"
    COMMENDATION = "commendation", "评优表彰"
    PETITION = "petition", "信访"
    TEAM_FLAG = "team_flag", "班子不协调标记"


class TriggerStatus(models.TextChoices):
    OPEN = "open", "待谈话"
    DONE = "done", "已谈话"
    WAIVED = "waived", "免于谈话"


class TalkForm(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "面谈"
    PHONE = "phone", "电话"
    VIDEO = "video", "视频"


class TalkeeGroup(models.TextChoices):
    """Who the talkee is, for routing (seed: 县委书记→乡镇党委书记, 组织部长→班子成员, 党委书记→其他干部)."""

    TOWNSHIP_SECRETARY = "township_secretary", "乡镇党委书记"
    TOWNSHIP_LEADER = "township_leader", "乡镇班子成员"
    TOWNSHIP_CADRE = "township_cadre", "乡镇其他干部"


class TalkerPost(models.TextChoices):
    """The post whose holder talks with a talkee group."""

    COUNTY_PARTY_SECRETARY = "county_party_secretary", "县（区）委书记"
    ORG_DEPARTMENT_HEAD = "org_department_head", "县（区）委组织部部长"
    TOWNSHIP_PARTY_SECRETARY = "township_party_secretary", "乡镇党委书记"


class CommendationLevel(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"
    TOWNSHIP = "township", "乡镇级"


class PetitionSeriousness(models.TextChoices):
    MINOR = "minor", "一般"
    SERIOUS = "serious", "较重"
    GRAVE = "grave", "严重"


class FollowUpStatus(models.TextChoices):
    OPEN = "open", "待办"
    DONE = "done", "已办结"


class InterviewItemStatus(models.TextChoices):
    OPEN = "open", "待约谈"
    DONE = "done", "已约谈"
