"""Choice sets of the care records (seed section 三(二)(三)), labelled in Chinese."""

from django.db import models

# `_` only marks a label for the catalogue (gettext_noop): labels stay Chinese in code, texts and the
# database; the API translates them per request (cadrecare.core.i18n).
from django.utils.translation import gettext_noop as _


class Relation(models.TextChoices):
    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("子女")
    FATHER = "father", _("父亲")
    MOTHER = "mother", _("母亲")
    PARENT_IN_LAW = "parent_in_law", _("岳父母/公婆")
    SIBLING = "sibling", _("兄弟姐妹")
    OTHER = "other", _("其他")


class FamilyEventKind(models.TextChoices):
    DEATH = "death", _("亲属去世")
    GRAVE_ILLNESS = "grave_illness", _("重病重伤")
    ACCIDENT = "accident", _("意外事故")
    DISASTER = "disaster", _("自然灾害/房屋损毁")
    OTHER = "other", _("其他")


class CadreConditionKind(models.TextChoices):
    ILLNESS = "illness", _("重病")
    DEATH = "death", _("去世")


class ObligationSource(models.TextChoices):
    FAMILY_EVENT = "family_event", _("家庭重大变故")
    ILLNESS = "illness", _("干部重病")
    DEATH = "death", _("干部去世")
    MANUAL = "manual", _("人工登记")


class ObligationStatus(models.TextChoices):
    OPEN = "open", _("待走访")
    DONE = "done", _("已走访")
    WAIVED = "waived", _("免于走访")
    CANCELLED = "cancelled", _("已撤销")


class VisitKind(models.TextChoices):
    MUST_VISIT = "must_visit", _("必访")
    CONDOLENCE = "condolence", _("慰问")
    HOLIDAY = "holiday", _("节日慰问")
    HARDSHIP = "hardship", _("困难帮扶")
    OTHER = "other", _("其他")


class HardshipCategory(models.TextChoices):
    ILLNESS = "illness", _("疾病")
    DISABILITY = "disability", _("残疾")
    FINANCIAL = "financial", _("经济困难")
    FAMILY_CARE = "family_care", _("家庭照护")
    DISASTER = "disaster", _("灾害")
    OTHER = "other", _("其他")


class HardshipStatus(models.TextChoices):
    OPEN = "open", _("待帮扶")
    HELPING = "helping", _("帮扶中")
    RESOLVED = "resolved", _("已解决")


ACTIVE_HARDSHIP = (HardshipStatus.OPEN, HardshipStatus.HELPING)


class MeasureKind(models.TextChoices):
    MONEY = "money", _("慰问金/补助")
    GOODS = "goods", _("物资")
    MEDICAL = "medical", _("医疗救助")
    EDUCATION = "education", _("子女就学")
    POST = "post", _("工作岗位调整")
    POLICY = "policy", _("政策帮扶")
    OTHER = "other", _("其他")


class FacilityItem(models.TextChoices):
    CANTEEN = "canteen", _("小食堂")
    TOILET = "toilet", _("小厕所")
    BATHHOUSE = "bathhouse", _("小澡堂")
    LIBRARY = "library", _("小图书室")
    RECREATION = "recreation", _("小文体室")
    MEALS = "meals", _("职工就餐")
    LODGING = "lodging", _("职工住宿")


class FacilityStatus(models.TextChoices):
    PRESENT = "present", _("已建成")
    BUILDING = "building", _("在建")
    MISSING = "missing", _("缺失")


class ContactWay(models.TextChoices):
    """How a new hardship case was first contacted (及时关心问候)."""

    VISIT = "visit", _("上门走访")
    TALK = "talk", _("谈心谈话")
    PHONE = "phone", _("电话问候")


class FollowUpTrigger(models.TextChoices):
    """What asks the HR officer to decide on care for a cadre."""

    TREATMENT = "treatment", _("体检结论需治疗")
    SICK_LEAVE = "sick_leave", _("长期病假")


class FollowUpOutcome(models.TextChoices):
    HARDSHIP = "hardship", _("登记困难帮扶")
    VISIT = "visit", _("安排走访慰问")
    CLOSED = "closed", _("无需跟进")
