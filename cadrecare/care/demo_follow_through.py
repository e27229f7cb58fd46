"""Demo follow-through (called from ``care.demo.populate``): what a year of
kept records leaves open. Older check-ups concluding 需治疗 were decided on
(closed with a reason); the recent ones wait for HR. The demo HR officer's
township has one of each kind of item: a new hardship case not yet contacted,
a check-up concluding 需治疗, a long sick leave and a month of post allowance
not yet paid, the county organization department's to chase. Elsewhere a few
new cases and sick leaves, through the services, so dates and owners are real.

Draws from a generator of its own, so the apps seeded after care see the
same random numbers as before."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db.models import Max, OuterRef, QuerySet, Subquery

from cadrecare.care import services
from cadrecare.care.choices import FollowUpOutcome, FollowUpTrigger, HardshipCategory
from cadrecare.care.models import CareDecision, PostAllowance
from cadrecare.health.choices import CheckupKind, Conclusion
from cadrecare.health.models import Checkup
from cadrecare.org.choices import CadreStatus, LeaderPost, Role, UnitKind
from cadrecare.org.models import Cadre, RoleGrant
from cadrecare.rotation.choices import AbsenceKind
from cadrecare.rotation.models import Absence
from cadrecare.rotation.services import absence_save

SEED = 15
DECIDED_AFTER_DAYS = 21  # a check-up concluding 需治疗 older than this was decided on in the demo's past
CLOSED_REASONS = ["已在县医院规范治疗，病情稳定", "已住院治疗，家属照料周全", "门诊治疗即可，已提醒按时复诊"]


def populate_follow_through(*, today: dt.date) -> None:
    rng = random.Random(SEED)
    _decide_old_treatment_checkups(rng, today)
    grant = RoleGrant.objects.filter(role=Role.HR, user__username="hr").first()
    home = [] if grant is None else list(_plain_cadres().filter(unit_id=grant.unit_id))
    others = list(_plain_cadres().exclude(unit_id=getattr(grant, "unit_id", None)))
    if len(home) >= 3:
        first, second, third = home[-3:]  # the last of the township: not the check-up showcase at its head
        _open_case(first, today - dt.timedelta(days=3))
        _treatment(second, today - dt.timedelta(days=10))
        _sick_leave(third, today - dt.timedelta(days=17), days=28)
        _unpaid_month(grant.unit_id, today)  # type: ignore[union-attr]
    for cadre in rng.sample(others, min(4, len(others))):
        _open_case(cadre, today - dt.timedelta(days=rng.randint(2, 12)))
    for cadre in rng.sample(others, min(3, len(others))):
        _sick_leave(cadre, today - dt.timedelta(days=rng.randint(10, 30)), days=rng.randint(16, 40))


def _plain_cadres() -> QuerySet[Cadre]:
    """Township cadres with a login who are neither party secretary nor away already."""
    return (
        Cadre.objects.filter(status=CadreStatus.SERVING, unit__kind=UnitKind.TOWNSHIP, user__isnull=False)
        .exclude(leader_post=LeaderPost.PARTY_SECRETARY)
        .exclude(absences__isnull=False)
        .select_related("unit")
        .order_by("id")
    )


def _decide_old_treatment_checkups(rng: random.Random, today: dt.date) -> None:
    latest = Checkup.objects.filter(cadre=OuterRef("cadre")).values("cadre").annotate(last=Max("date")).values("last")
    old = Checkup.objects.filter(
        conclusion=Conclusion.TREATMENT, date=Subquery(latest), date__lt=today - dt.timedelta(days=DECIDED_AFTER_DAYS)
    ).values_list("id", "cadre_id", "date")
    CareDecision.objects.bulk_create(
        [
            CareDecision(
                cadre_id=cadre_id,
                trigger=FollowUpTrigger.TREATMENT,
                checkup_id=checkup_id,
                outcome=FollowUpOutcome.CLOSED,
                reason=rng.choice(CLOSED_REASONS),
                decided_on=date + dt.timedelta(days=rng.randint(1, 7)),
            )
            for checkup_id, cadre_id, date in old
        ],
        batch_size=2000,
    )


def _open_case(cadre: Cadre, opened_on: dt.date) -> None:
    services.hardship_case_create(
        actor=None,
        cadre=cadre,
        category=HardshipCategory.FAMILY_CARE,
        description="配偶重病住院，子女年幼，需关心帮扶",
        opened_on=opened_on,
        today=opened_on,
    )


def _treatment(cadre: Cadre, date: dt.date) -> None:
    Checkup.objects.create(
        cadre=cadre,
        date=date,
        institution="丽江市人民医院",
        kind=CheckupKind.SPECIAL,
        cost=Decimal(680),
        paying_unit=cadre.unit,
        conclusion=Conclusion.TREATMENT,
        findings="高血压二级，建议心内科规范治疗。",
    )


def _sick_leave(cadre: Cadre, start: dt.date, *, days: int) -> Absence:
    end = start + dt.timedelta(days=days - 1)
    return absence_save(
        actor=None, data={"cadre": cadre, "kind": AbsenceKind.SICK_LEAVE, "start": start, "end": end, "note": "住院"}
    )


def _unpaid_month(township_id: int, today: dt.date) -> None:
    """The township's last month whose payment date has passed: not paid yet."""
    PostAllowance.objects.filter(
        pk__in=PostAllowance.objects.filter(township_id=township_id, due_by__lt=today).order_by("-month")[:1]
    ).update(paid_amount=0, paid_on=None, note="县财政资金未到位")
