"""Choice sets of the care records (seed section 三(二)(三)), labelled in Chinese."""

from django.db import models


class Relation(models.TextChoices):
    SPOUSE = "spouse", "配偶"
    CHILD = "child", "子女"
    FATHER = "father", "父亲"
    MOTHER = "mother", "母亲"
    PARENT_IN_LAW = "parent_in_law", "岳父母/公婆"
    SIBLING = "sibling", "兄弟姐妹"
    OTHER = "other", "其他"


class FamilyEventKind(models.TextChoices):
    DEATH = "death", "亲属去世"
    GRAVE_ILLNESS = "grave_illness", "重病重伤"
    ACCIDENT = "accident", "意外事故"
    DISASTER = "disaster", "自然灾害/房屋损毁"
    OTHER = "other", "其他"


class CadreConditionKind(models.TextChoices):
    ILLNESS = "illness", "重病"
    DEATH = "death", "去世"


class ObligationSource(models.TextChoices):
    FAMILY_EVENT = "family_event", "家庭重大变故"
    ILLNESS = "illness", "干部重病"
    DEATH = "death", "干部去世"
    MANUAL = "manual", "人工登记"


class ObligationStatus(models.TextChoices):
    OPEN = "open", "待走访"
    DONE = "done", "已走访"
    WAIVED = "waived", "免于走访"


class VisitKind(models.TextChoices):
    MUST_VISIT = "must_visit", "必访"
    CONDOLENCE = "condolence", "慰问"
    HOLIDAY = "holiday", "节日慰问"
    HARDSHIP = "hardship", "困难帮扶"
    OTHER = "other", "其他"


class HardshipCategory(models.TextChoices):
    ILLNESS = "illness", "疾病"
    DISABILITY = "disability", "残疾"
    FINANCIAL = "financial", "经济困难"
    FAMILY_CARE = "family_care", "家庭照护"
    DISASTER = "disaster", "灾害"
    OTHER = "other", "其他"


class HardshipStatus(models.TextChoices):
    OPEN = "open", "待帮扶"
    HELPING = "helping", "帮扶中"
    RESOLVED = "resolved", "已解决"


ACTIVE_HARDSHIP = (HardshipStatus.OPEN, HardshipStatus.HELPING)


class MeasureKind(models.TextChoices):
    MONEY = "money", "慰问金/补助"
    GOODS = "goods", "物资"
    MEDICAL = "medical", "医疗救助"
    EDUCATION = "education", "子女就学"
    POST = "post", "工作岗位调整"
    POLICY = "policy", "政策帮扶"
    OTHER = "other", "其他"


class FacilityItem(models.TextChoices):
    CANTEEN = "canteen", "小食堂"
    TOILET = "toilet", "小厕所"
    BATHHOUSE = "bathhouse", "小澡堂"
    LIBRARY = "library", "小图书室"
    RECREATION = "recreation", "小文体室"
    MEALS = "meals", "职工就餐"
    LODGING = "lodging", "职工住宿"


class FacilityStatus(models.TextChoices):
    PRESENT = "present", "已建成"
    BUILDING = "building", "在建"
    MISSING = "missing", "缺失"
