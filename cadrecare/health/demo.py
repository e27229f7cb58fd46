"""Demo check-ups: the city's yearly policy (a remote county reminded earlier)
and one to three years of history for nearly every cadre, as a unit that
keeps its records would have: the last annual check-up within the year for
most, a few percent of cadres a little overdue (up to about two months) and
one or two in a hundred, new in post, never checked yet (due from the day
their record was entered). The demo logins' township always has overdue
cadres, some late enough to have been escalated to the county and the city."""

from __future__ import annotations

import datetime as dt
import random

from dateutil.relativedelta import relativedelta

from cadrecare.core import clock
from cadrecare.health.choices import CheckupKind, Conclusion
from cadrecare.health.models import Checkup, CheckupPolicy
from cadrecare.health.selectors import CHECKED_STATUSES
from cadrecare.org.choices import Role, UnitKind
from cadrecare.org.models import Cadre, OrgUnit, RoleGrant

INSTITUTIONS = ["丽江市人民医院", "丽江市中医医院", "玉龙县人民医院", "永胜县人民医院", "宁蒗县人民医院"]
CONCLUSIONS = (
    [Conclusion.NORMAL] * 5 + [Conclusion.BASICALLY_HEALTHY] * 8 + [Conclusion.RECHECK] * 3 + [Conclusion.TREATMENT]
)
NEVER_CHECKED = 0.015  # new in post, no check-up yet
OVERDUE = 0.03  # the last annual check-up more than a year ago
OVERDUE_DAYS = (1, 60)
# Days overdue of the first cadres of the demo logins' township: reminded,
# escalated to the county (7 days late) and to the city (21 days late).
SHOWCASE_OVERDUE = (2, 9, 25)
RECHECK_MISSED = 0.05  # rechecks asked for whose deadline passed without one
FINDINGS = {
    Conclusion.NORMAL: [""],
    Conclusion.BASICALLY_HEALTHY: [
        "血脂偏高，建议低脂饮食、适量运动。",
        "轻度脂肪肝。",
        "血压临界偏高，建议定期监测。",
        "幽门螺杆菌阳性，建议消化科就诊。",
    ],
    Conclusion.RECHECK: [
        "甲状腺结节（TI-RADS 3类），建议6个月后复查。",
        "肺部小结节，建议3个月后复查CT。",
        "空腹血糖偏高，建议复查糖化血红蛋白。",
    ],
    Conclusion.TREATMENT: ["高血压二级，建议心内科规范治疗。", "腰椎间盘突出，建议骨科治疗。"],
}


def populate(*, rng: random.Random) -> None:
    today = clock.today()
    city = OrgUnit.objects.filter(kind=UnitKind.CITY, parent=None).order_by("id").first()
    if city is None:
        return
    CheckupPolicy.objects.create(unit=city, note="全市干部每年体检一次，费用由所在单位承担。")
    remote = OrgUnit.objects.filter(kind=UnitKind.COUNTY).order_by("-code").first()
    if remote is not None:
        CheckupPolicy.objects.create(
            unit=remote, reminder_days=[90, 30], note="边远乡镇多，体检需提前安排车辆，提前90天提醒。"
        )
    showcase = _showcase_cadres()
    checkups = []
    for cadre_id, unit_id in (
        Cadre.objects.filter(status__in=CHECKED_STATUSES).order_by("id").values_list("id", "unit_id")
    ):
        draw = rng.random()
        if cadre_id in showcase:
            last = today - relativedelta(years=1) - dt.timedelta(days=showcase[cadre_id])
        elif draw < NEVER_CHECKED:
            continue  # due from the day the record was entered
        elif draw < NEVER_CHECKED + OVERDUE:
            last = today - relativedelta(years=1) - dt.timedelta(days=rng.randint(*OVERDUE_DAYS))
        else:
            last = today - dt.timedelta(days=rng.randint(5, 360))
        for years_back in range(rng.choice((1, 2, 2, 3))):
            date = last - relativedelta(years=years_back)
            conclusion = rng.choice(CONCLUSIONS)
            follow_up = conclusion == Conclusion.RECHECK
            checkups.append(
                Checkup(
                    cadre_id=cadre_id,
                    date=date,
                    institution=rng.choice(INSTITUTIONS),
                    kind=CheckupKind.ANNUAL,
                    cost=rng.choice((380, 420, 450, 520, 680)),
                    paying_unit_id=unit_id,
                    conclusion=conclusion,
                    findings=rng.choice(FINDINGS[conclusion]),
                    follow_up_needed=follow_up,
                    follow_up_by=date + relativedelta(months=3) if follow_up else None,
                )
            )
            recheck = date + relativedelta(months=3) - dt.timedelta(days=rng.randint(0, 30))
            if follow_up and recheck < today and rng.random() > RECHECK_MISSED:
                checkups.append(
                    Checkup(
                        cadre_id=cadre_id,
                        date=recheck,
                        institution=rng.choice(INSTITUTIONS),
                        kind=CheckupKind.FOLLOW_UP,
                        cost=rng.choice((120, 260)),
                        paying_unit_id=unit_id,
                        conclusion=Conclusion.BASICALLY_HEALTHY,
                        findings="复查结果稳定，继续随访。",
                    )
                )
    Checkup.objects.bulk_create(checkups, batch_size=2000)


def _showcase_cadres() -> dict[int, int]:
    """The first cadres of the township where the demo HR officer works, with
    how many days overdue their check-up is."""
    grant = RoleGrant.objects.filter(role=Role.HR, user__username="hr").first()
    if grant is None:
        return {}
    ids = (
        Cadre.objects.filter(unit_id=grant.unit_id, status__in=CHECKED_STATUSES)
        .order_by("id")
        .values_list("id", flat=True)[: len(SHOWCASE_OVERDUE)]
    )
    return dict(zip(ids, SHOWCASE_OVERDUE, strict=False))
