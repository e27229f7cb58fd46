"""Choice sets of the organisation and cadre records, labelled in Chinese."""

from django.db import models

# `_` only marks a label for the catalogue (gettext_noop): labels stay Chinese in code, texts and the
# database; the API translates them per request (cadrecare.core.i18n).
from django.utils.translation import gettext_noop as _


class UnitKind(models.TextChoices):
    CITY = "city", _("市")
    COUNTY = "county", _("县（区）")
    TOWNSHIP = "township", _("乡镇（街道）")
    COUNTY_AGENCY = "county_agency", _("县直机关")
    VILLAGE = "village", _("村（社区）")


class Remoteness(models.TextChoices):
    NONE = "none", _("非边远")
    GRADE_1 = "grade_1", _("边远艰苦一类")
    GRADE_2 = "grade_2", _("边远艰苦二类")
    GRADE_3 = "grade_3", _("边远艰苦三类")


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


# The values stored are the Chinese names themselves.
ETHNIC_GROUPS = [
    _("汉族"),
    _("蒙古族"),
    _("回族"),
    _("藏族"),
    _("维吾尔族"),
    _("苗族"),
    _("彝族"),
    _("壮族"),
    _("布依族"),
    _("朝鲜族"),
    _("满族"),
    _("侗族"),
    _("瑶族"),
    _("白族"),
    _("土家族"),
    _("哈尼族"),
    _("哈萨克族"),
    _("傣族"),
    _("黎族"),
    _("傈僳族"),
    _("佤族"),
    _("畲族"),
    _("高山族"),
    _("拉祜族"),
    _("水族"),
    _("东乡族"),
    _("纳西族"),
    _("景颇族"),
    _("柯尔克孜族"),
    _("土族"),
    _("达斡尔族"),
    _("仫佬族"),
    _("羌族"),
    _("布朗族"),
    _("撒拉族"),
    _("毛南族"),
    _("仡佬族"),
    _("锡伯族"),
    _("阿昌族"),
    _("普米族"),
    _("塔吉克族"),
    _("怒族"),
    _("乌孜别克族"),
    _("俄罗斯族"),
    _("鄂温克族"),
    _("德昂族"),
    _("保安族"),
    _("裕固族"),
    _("京族"),
    _("塔塔尔族"),
    _("独龙族"),
    _("鄂伦春族"),
    _("赫哲族"),
    _("门巴族"),
    _("珞巴族"),
    _("基诺族"),
]
# django-stubs types TextChoices' constructor as its members' (value, label), not Enum's functional API.
Ethnicity: type[models.TextChoices] = models.TextChoices(  # type: ignore[call-overload]
    "Ethnicity", [(name, name) for name in ETHNIC_GROUPS]
)


class Rank(models.TextChoices):
    """Leadership posts (职务) and the non-leadership ranks (职级) of the 2019
    公务员职务与职级并行规定, each beside the leadership level it matches, most
    senior first. The seed's 主任科员 is today's 一级/二级主任科员 and its
    副主任科员 the 三级/四级主任科员 (docs/domain.md, "Ranks")."""

    DIVISION_CHIEF = "division_chief", _("正处")
    RESEARCHER_1 = "researcher_1", _("一级调研员")
    RESEARCHER_2 = "researcher_2", _("二级调研员")
    DIVISION_DEPUTY = "division_deputy", _("副处")
    RESEARCHER_3 = "researcher_3", _("三级调研员")
    RESEARCHER_4 = "researcher_4", _("四级调研员")
    SECTION_CHIEF = "section_chief", _("正科")
    PRINCIPAL_STAFF_1 = "principal_staff_1", _("一级主任科员")
    PRINCIPAL_STAFF_2 = "principal_staff_2", _("二级主任科员")
    SECTION_DEPUTY = "section_deputy", _("副科")
    PRINCIPAL_STAFF_3 = "principal_staff_3", _("三级主任科员")
    PRINCIPAL_STAFF_4 = "principal_staff_4", _("四级主任科员")
    STAFF_MEMBER = "staff_member", _("科员")
    STAFF_1 = "staff_1", _("一级科员")
    STAFF_2 = "staff_2", _("二级科员")
    CLERK = "clerk", _("办事员")
    OTHER = "other", _("其他")


# 科级干部: the section-level leaders and the 主任科员 ranks that match them
# (the seed's 主任科员、副主任科员 posts), whom the care rules name alike.
SECTION_LEVEL_RANKS = (
    Rank.SECTION_CHIEF,
    Rank.PRINCIPAL_STAFF_1,
    Rank.PRINCIPAL_STAFF_2,
    Rank.SECTION_DEPUTY,
    Rank.PRINCIPAL_STAFF_3,
    Rank.PRINCIPAL_STAFF_4,
)


class LeaderPost(models.TextChoices):
    PARTY_SECRETARY = "party_secretary", _("党委书记")
    HEAD = "head", _("乡镇长")
    DEPUTY = "deputy", _("副职")
    MEMBER = "member", _("其他班子成员")
    NONE = "none", _("非班子成员")


class CadreStatus(models.TextChoices):
    SERVING = "serving", _("在职")
    SECONDED = "seconded", _("借调")
    RETIRED = "retired", _("离退休")
    DECEASED = "deceased", _("去世")
    TRANSFERRED_OUT = "transferred_out", _("调离")


# A cadre in one of these has left service: nothing more is chased about them
# but the care their family is still owed (org.services.cadre_status_change).
ENDED_STATUSES = (CadreStatus.RETIRED, CadreStatus.DECEASED, CadreStatus.TRANSFERRED_OUT)


class EndReason(models.TextChoices):
    """Why an open obligation about a cadre was cancelled: their service ended
    (the values are the cadre statuses that end it), or for 调离 also that they
    moved out of the unit the obligation was for."""

    DECEASED = "deceased", _("去世")
    RETIRED = "retired", _("离退休")
    TRANSFERRED_OUT = "transferred_out", _("调离")


class PostChangeKind(models.TextChoices):
    APPOINTMENT = "appointment", _("任职")
    PROMOTION = "promotion", _("晋升")
    TRANSFER = "transfer", _("调任")
    EXCHANGE = "exchange", _("交流")
    SECONDMENT = "secondment", _("借调")
    REMOVAL = "removal", _("免职")


class Role(models.TextChoices):
    ORG_ADMIN = "org_admin", _("组织部管理员")
    ORG_STAFF = "org_staff", _("组织部工作人员")
    SECRETARY = "secretary", _("乡镇党委书记")
    HR = "hr", _("人事干部")
    CADRE = "cadre", _("干部本人")
    # The county party secretary and the county head: the talkers the seed names
    # for township leaders; they reach only the talks routed to them.
    COUNTY_LEADER = "county_leader", _("县领导")


class LoginUsernameRule(models.TextChoices):
    """What a cadre's new login is called (``org.services.cadre_logins_create``)."""

    MOBILE = "mobile", _("手机号")
    CODE = "code", _("单位代码-干部编号")


class LoginDelivery(models.TextChoices):
    """How a new login's one-time initial password reaches its cadre."""

    SLIP = "slip", _("打印开通单")
    SMS = "sms", _("短信")
