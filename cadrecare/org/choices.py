"""Choice sets of the organisation and cadre records, labelled in Chinese."""

from django.db import models


class UnitKind(models.TextChoices):
    CITY = "city", "市"
    COUNTY = "county", "县（区）"
    TOWNSHIP = "township", "乡镇（街道）"
    COUNTY_AGENCY = "county_agency", "县直机关"
    VILLAGE = "village", "村（社区）"


class Remoteness(models.TextChoices):
    NONE = "none", "非边远"
    GRADE_1 = "grade_1", "边远艰苦一类"
    GRADE_2 = "grade_2", "边远艰苦二类"
    GRADE_3 = "grade_3", "边远艰苦三类"


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


ETHNIC_GROUPS = [
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
    "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
    "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族",
    "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族",
    "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族",
    "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
]
Ethnicity = models.TextChoices("Ethnicity", [(name, name) for name in ETHNIC_GROUPS])


class Rank(models.TextChoices):
    DIVISION_CHIEF = "division_chief", "正处"
    DIVISION_DEPUTY = "division_deputy", "副处"
    SECTION_CHIEF = "section_chief", "正科"
    SECTION_DEPUTY = "section_deputy", "副科"
    STAFF_MEMBER = "staff_member", "科员"
    CLERK = "clerk", "办事员"
    OTHER = "other", "其他"


SECTION_LEVEL_RANKS = (Rank.SECTION_CHIEF, Rank.SECTION_DEPUTY)


class LeaderPost(models.TextChoices):
    PARTY_SECRETARY = "party_secretary", "党委书记"
    HEAD = "head", "乡镇长"
    DEPUTY = "deputy", "副职"
    MEMBER = "member", "其他班子成员"
    NONE = "none", "非班子成员"


class CadreStatus(models.TextChoices):
    SERVING = "serving", "在职"
    SECONDED = "seconded", "借调"
    RETIRED = "retired", "离退休"
    DECEASED = "deceased", "去世"
    TRANSFERRED_OUT = "transferred_out", "调离"


class PostChangeKind(models.TextChoices):
    APPOINTMENT = "appointment", "任职"
    PROMOTION = "promotion", "晋升"
    TRANSFER = "transfer", "调任"
    EXCHANGE = "exchange", "交流"
    SECONDMENT = "secondment", "借调"
    REMOVAL = "removal", "免职"


class Role(models.TextChoices):
    ORG_ADMIN = "org_admin", "组织部管理员"
    ORG_STAFF = "org_staff", "组织部工作人员"
    SECRETARY = "secretary", "乡镇党委书记"
    HR = "hr", "人事干部"
    CADRE = "cadre", "干部本人"
