"""Choice sets of the organisation and cadre records, labelled in Chinese."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


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


# The values stored are the Chinese names; gettext_noop only lists them for the catalogue.
ETHNIC_GROUPS = [
    gettext_noop("汉族"), gettext_noop("蒙古族"), gettext_noop("回族"), gettext_noop("藏族"),
    gettext_noop("维吾尔族"), gettext_noop("苗族"), gettext_noop("彝族"), gettext_noop("壮族"),
    gettext_noop("布依族"), gettext_noop("朝鲜族"), gettext_noop("满族"), gettext_noop("侗族"),
    gettext_noop("瑶族"), gettext_noop("白族"), gettext_noop("土家族"), gettext_noop("哈尼族"),
    gettext_noop("哈萨克族"), gettext_noop("傣族"), gettext_noop("黎族"), gettext_noop("傈僳族"),
    gettext_noop("佤族"), gettext_noop("畲族"), gettext_noop("高山族"), gettext_noop("拉祜族"),
    gettext_noop("水族"), gettext_noop("东乡族"), gettext_noop("纳西族"), gettext_noop("景颇族"),
    gettext_noop("柯尔克孜族"), gettext_noop("土族"), gettext_noop("达斡尔族"), gettext_noop("仫佬族"),
    gettext_noop("羌族"), gettext_noop("布朗族"), gettext_noop("撒拉族"), gettext_noop("毛南族"),
    gettext_noop("仡佬族"), gettext_noop("锡伯族"), gettext_noop("阿昌族"), gettext_noop("普米族"),
    gettext_noop("塔吉克族"), gettext_noop("怒族"), gettext_noop("乌孜别克族"), gettext_noop("俄罗斯族"),
    gettext_noop("鄂温克族"), gettext_noop("德昂族"), gettext_noop("保安族"), gettext_noop("裕固族"),
    gettext_noop("京族"), gettext_noop("塔塔尔族"), gettext_noop("独龙族"), gettext_noop("鄂伦春族"),
    gettext_noop("赫哲族"), gettext_noop("门巴族"), gettext_noop("珞巴族"), gettext_noop("基诺族"),
]
Ethnicity = models.TextChoices("Ethnicity", [(name, (name, _(name))) for name in ETHNIC_GROUPS])


class Rank(models.TextChoices):
    DIVISION_CHIEF = "division_chief", _("正处")
    DIVISION_DEPUTY = "division_deputy", _("副处")
    SECTION_CHIEF = "section_chief", _("正科")
    SECTION_DEPUTY = "section_deputy", _("副科")
    STAFF_MEMBER = "staff_member", _("科员")
    CLERK = "clerk", _("办事员")
    OTHER = "other", _("其他")


SECTION_LEVEL_RANKS = (Rank.SECTION_CHIEF, Rank.SECTION_DEPUTY)


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
