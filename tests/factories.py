"""One factory per model, valid by default."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import factory

from cadrecare.health.choices import CheckupKind, Conclusion
from cadrecare.health.models import Checkup, CheckupPolicy
from cadrecare.org import services
from cadrecare.org.choices import Gender, LeaderPost, Rank, UnitKind
from cadrecare.org.models import Cadre, Office, OrgUnit, RoleGrant, User
from cadrecare.org.rules import citizen_id_compose

_unit_codes = itertools.count(1)
_id_sequence = itertools.count(1)


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    code = factory.LazyFunction(lambda: f"U{next(_unit_codes):05d}")
    name = factory.Sequence(lambda n: f"单位{n}")
    kind = UnitKind.TOWNSHIP
    parent = None

    @classmethod
    def _create(cls, model_class: type, *args: object, **kwargs: object) -> OrgUnit:
        return services.org_unit_create(**kwargs)  # type: ignore[arg-type]


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    unit = factory.SubFactory(OrgUnitFactory)
    name = factory.Sequence(lambda n: f"办公室{n}")


class CadreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cadre

    name = factory.Sequence(lambda n: f"干部{n}")
    gender = Gender.MALE
    birth_date = dt.date(1985, 6, 15)
    id_number = factory.LazyAttribute(
        lambda o: citizen_id_compose("530721", o.birth_date, next(_id_sequence), o.gender)
    )
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    rank = Rank.STAFF_MEMBER
    leader_post = LeaderPost.NONE
    unit = factory.SubFactory(OrgUnitFactory)
    establishment_unit = factory.SelfAttribute("unit")
    unit_joined = dt.date(2015, 3, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def save_password(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class RoleGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleGrant

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(OrgUnitFactory)


class CheckupPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckupPolicy

    unit = factory.SubFactory(OrgUnitFactory)
    interval_months = 12
    reminder_days = factory.LazyFunction(lambda: [60, 30])


class CheckupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Checkup

    cadre = factory.SubFactory(CadreFactory)
    date = dt.date(2025, 5, 20)
    institution = "丽江市人民医院"
    kind = CheckupKind.ANNUAL
    cost = 450
    paying_unit = factory.SelfAttribute("cadre.unit")
    conclusion = Conclusion.BASICALLY_HEALTHY
    findings = "血脂偏高，建议低脂饮食。"


# -- care ------------------------------------------------------------


class FamilyMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "care.FamilyMember"

    cadre = factory.SubFactory(CadreFactory)
    relation = "sibling"
    name = factory.Sequence(lambda n: f"家属{n}")
    gender = Gender.FEMALE
    birth_date = dt.date(1988, 3, 8)
    work_unit = "丽江市第一中学"
    phone = factory.Sequence(lambda n: f"137{n:08d}")
    health_condition = "高血压，长期服药"
    notes = "需照顾年迈父母"


class HardshipCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "care.HardshipCase"

    cadre = factory.SubFactory(CadreFactory)
    category = "financial"
    description = "配偶失业，子女上学开支大"
    opened_on = dt.date(2025, 6, 1)


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "care.Facility"

    township = factory.SubFactory(OrgUnitFactory)
    item = "canteen"
    status = "present"
    as_of = dt.date(2024, 5, 1)


class PostAllowanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "care.PostAllowance"

    township = factory.SubFactory(OrgUnitFactory)
    month = dt.date(2025, 1, 1)
    due_amount = 500
    paid_amount = 500
    due_by = dt.date(2025, 1, 31)
    paid_on = dt.date(2025, 1, 20)


def cadre_of(user: User, unit: OrgUnit, **fields: Any) -> Cadre:
    """The cadre record behind ``user`` (people are named by it in the API), made in ``unit`` if it has none."""
    existing = Cadre.objects.filter(user=user).first()
    return existing or CadreFactory(name=fields.pop("name", user.username), unit=unit, user=user, **fields)
