"""Demo rest rotation: the holiday calendar seeded for recent years and a
policy for every county (a mix of modes), with overrides for some remote
townships, which rest a month at a time (月轮休) to make the trip home worth it."""

from __future__ import annotations

import random

from cadrecare.core import clock
from cadrecare.org.choices import UnitKind
from cadrecare.org.models import OrgUnit
from cadrecare.rotation.choices import Mode
from cadrecare.rotation.holiday_calendar import holiday_year_seed
from cadrecare.rotation.models import RotationPolicy

BLACKOUT_REASONS = ["防汛", "森林防火", "换届选举", "集中整治"]


def populate(*, rng: random.Random) -> None:
    today = clock.today()
    for year in range(today.year - 3, today.year + 2):
        holiday_year_seed(year)
    month = today.replace(day=1)
    modes = [Mode.WEEKLY, Mode.HALF_MONTH, Mode.MONTHLY]
    policies = []
    for index, county in enumerate(OrgUnit.objects.filter(kind=UnitKind.COUNTY).order_by("path")):
        flood = f"{today.year + 1}-07-0{rng.randint(1, 5)}"
        policies.append(
            RotationPolicy(
                unit=county,
                effective_from=month,
                mode=modes[index % 3],
                generation_day=rng.choice([15, 20, 25]),
                blackout=[{"from": flood, "to": flood, "reason": rng.choice(BLACKOUT_REASONS)}],
            )
        )
    for town in OrgUnit.objects.filter(kind=UnitKind.TOWNSHIP).exclude(remoteness="none").order_by("path"):
        if rng.random() < 0.5:
            policies.append(
                RotationPolicy(
                    unit=town, effective_from=month, mode=Mode.MONTHLY, min_on_duty_ratio="0.55", generation_day=20
                )
            )
    RotationPolicy.objects.bulk_create(policies)
