"""Demo oversight records: every county's exchange review of the year, some
candidates decided and the rest waiting; the yearly interview plan of each
county whose organization department has a login (the demo county's), with
townships ahead of and behind the quarterly share; the head's visits to
about half the townships of those counties this year, and one county asking
for a visit every half year. Through the services, as a county would."""

from __future__ import annotations

import datetime as dt
import random

from cadrecare.core import clock
from cadrecare.org.choices import Role, UnitKind
from cadrecare.org.models import OrgUnit, RoleGrant, User
from cadrecare.oversight import services
from cadrecare.oversight.choices import Checkpoints, LineStatus, TransferOutcome, VisitCadence
from cadrecare.oversight.models import FieldVisitPolicy, InterviewPlanLine, TransferDecision
from cadrecare.talks.choices import TalkForm
from cadrecare.talks.services import talk_record

DEFERRAL_REASONS = [
    "配偶在本乡镇任教，待明年统筹",
    "正在牵头脱贫攻坚项目，项目验收后再交流",
    "本人身体原因，待体检复查后研判",
]
VISIT_NOTES = [
    "与班子成员座谈，了解乡镇干部轮休落实情况；查看“五小”建设进度。",
    "走访两名家庭困难干部；听取乡镇编制使用情况汇报。",
    "召开科级干部座谈会，收集对岗位补贴发放的意见。",
]


def populate(*, rng: random.Random) -> None:
    today = clock.today()
    counties = list(OrgUnit.objects.filter(kind=UnitKind.COUNTY).order_by("path"))
    org_users = _org_department_users(counties)
    for county in counties:
        _transfer_review(rng, county, today)
        users = org_users.get(county.pk)
        if users:
            _interview_plan(rng, county, users, today)
            _field_visits(rng, county, users, today)
    if len(counties) > 1:
        FieldVisitPolicy.objects.create(county=counties[-1], cadence_months=VisitCadence.HALF_YEARLY)


def _org_department_users(counties: list[OrgUnit]) -> dict[int, list[User]]:
    found: dict[int, list[User]] = {}
    grants = RoleGrant.objects.filter(unit__in=counties, role__in=[Role.ORG_ADMIN, Role.ORG_STAFF]).select_related(
        "user"
    )
    for grant in grants.order_by("id"):
        found.setdefault(grant.unit_id, []).append(grant.user)
    return found


def _transfer_review(rng: random.Random, county: OrgUnit, today: dt.date) -> None:
    review = services.transfer_review_open(
        actor=None, county=county, year=today.year, decide_by=today + dt.timedelta(days=20), today=today
    )
    decisions = list(TransferDecision.objects.filter(review=review).order_by("-remote_years", "cadre_id"))
    outcomes = [TransferOutcome.PROPOSED, TransferOutcome.DEFERRED, TransferOutcome.DECLINED]
    # The longest-serving half is decided; the rest wait for the department.
    for decision in decisions[: len(decisions) // 2]:
        outcome = rng.choice(outcomes)
        reason = rng.choice(DEFERRAL_REASONS) if outcome == TransferOutcome.DEFERRED else ""
        services.transfer_decision_record(actor=None, decision=decision, outcome=outcome, reason=reason, today=today)


def _interview_plan(rng: random.Random, county: OrgUnit, users: list[User], today: dt.date) -> None:
    start = dt.date(today.year, 1, 15)
    plan = services.interview_plan_create(
        actor=users[0],
        county=county,
        year=today.year,
        checkpoints=Checkpoints.QUARTERLY,
        interviewers=users,
        today=min(start, today),
    )
    # Some townships keep pace with the quarters, others fall behind.
    elapsed = max((today - start).days, 1)
    share_by_township: dict[int, float] = {}
    for line in (
        InterviewPlanLine.objects.filter(plan=plan, status=LineStatus.OPEN).select_related("cadre").order_by("id")
    ):
        share = share_by_township.setdefault(line.township_id, rng.choice([0.2, 0.5, 0.9, 1.0]))
        if rng.random() < share:
            day = start + dt.timedelta(days=rng.randrange(elapsed))
            talk_record(
                actor=users[0],
                talkee=line.cadre,
                talkers=[users[0]],
                date=day,
                form=TalkForm.FACE_TO_FACE,
                summary="定期约谈：了解思想、工作和生活情况。",
                today=today,
            )


def _field_visits(rng: random.Random, county: OrgUnit, users: list[User], today: dt.date) -> None:
    townships = list(OrgUnit.objects.filter(parent=county, kind=UnitKind.TOWNSHIP, active=True).order_by("path"))
    for township in townships[::2]:
        day = dt.date(today.year, 1, 1) + dt.timedelta(
            days=rng.randrange(max((today - dt.date(today.year, 1, 1)).days, 1))
        )
        services.field_visit_record(
            actor=users[0], township=township, date=day, visitors=users[:1], notes=rng.choice(VISIT_NOTES), today=today
        )
