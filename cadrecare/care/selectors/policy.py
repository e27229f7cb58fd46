"""The care policy in force for a unit (inherited down the tree) and who owns a
new visit obligation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, DateField, ExpressionWrapper, F

from cadrecare.care.models import CarePolicy
from cadrecare.core import clock
from cadrecare.org import posts as org_posts
from cadrecare.org.choices import CadreStatus, LeaderPost, UnitKind
from cadrecare.org.inheritance import nearest_case, nearest_first
from cadrecare.org.models import Cadre, OrgUnit, User

DEFAULT_FAMILY_EVENT_DAYS = 7  # seed 三(二): 必访 after a major family event; the default
DEFAULT_ILLNESS_DAYS = 7
DEFAULT_DEATH_DAYS = 3
DEFAULT_HARDSHIP_REVIEW_MONTHS = 3  # an open hardship case is looked at again every quarter
DEFAULT_MESSAGE_ANSWER_DAYS = 7  # a cadre's 心里话 is answered within a week
DEFAULT_FIRST_CONTACT_DAYS = 7  # seed 三(二) "及时关心问候": a new hardship case is contacted within a week
DEFAULT_SICK_LEAVE_DAYS = 14  # a sick leave longer than two weeks asks the HR officer to decide on care


@dataclass(frozen=True)
class CarePolicyInForce:
    """The care settings in force for one unit, after inheritance."""

    family_event_days: int
    illness_days: int
    death_days: int
    visit_owner: User | None
    hardship_review_months: int = DEFAULT_HARDSHIP_REVIEW_MONTHS
    message_answer_days: int = DEFAULT_MESSAGE_ANSWER_DAYS
    first_contact_days: int = DEFAULT_FIRST_CONTACT_DAYS
    sick_leave_days: int = DEFAULT_SICK_LEAVE_DAYS


def care_policy_effective(unit: OrgUnit) -> CarePolicyInForce:
    """Each setting from the nearest unit on the way up that sets it, else the default."""
    policies = list(nearest_first(CarePolicy.objects.select_related("unit", "visit_owner"), unit.path))

    def nearest(name: str, default: object) -> object:
        return next((getattr(p, name) for p in policies if getattr(p, name) is not None), default)

    return CarePolicyInForce(
        family_event_days=nearest("family_event_days", DEFAULT_FAMILY_EVENT_DAYS),  # type: ignore[arg-type]
        illness_days=nearest("illness_days", DEFAULT_ILLNESS_DAYS),  # type: ignore[arg-type]
        death_days=nearest("death_days", DEFAULT_DEATH_DAYS),  # type: ignore[arg-type]
        visit_owner=nearest("visit_owner", None),  # type: ignore[arg-type]
        hardship_review_months=nearest(  # type: ignore[arg-type]
            "hardship_review_months", DEFAULT_HARDSHIP_REVIEW_MONTHS
        ),
        message_answer_days=nearest("message_answer_days", DEFAULT_MESSAGE_ANSWER_DAYS),  # type: ignore[arg-type]
        first_contact_days=nearest("first_contact_days", DEFAULT_FIRST_CONTACT_DAYS),  # type: ignore[arg-type]
        sick_leave_days=nearest("sick_leave_days", DEFAULT_SICK_LEAVE_DAYS),  # type: ignore[arg-type]
    )


def sick_leave_crossed_on(unit_path_field: str, start_field: str) -> Case:
    """The day a sick leave starting on ``start_field`` passes the sick-leave
    days of the care policy in force (``care_policy_effective``) for the unit
    at ``unit_path_field``, in SQL per row (``nearest_case``)."""
    rows = CarePolicy.objects.filter(sick_leave_days__isnull=False).values_list("unit__path", "sick_leave_days")
    days_by_path = {path: days for path, days in rows if days is not None}  # the filter's: never None

    def after(days: int) -> ExpressionWrapper:
        return ExpressionWrapper(F(start_field) + dt.timedelta(days=days), output_field=DateField())

    by_path = {path: after(days) for path, days in days_by_path.items()}
    return nearest_case(unit_path_field, by_path, after(DEFAULT_SICK_LEAVE_DAYS), DateField())


@dataclass(frozen=True)
class VisitOwner:
    """Who a new visit obligation goes to: a person named by hand (``post``
    empty), or a post in ``post_unit`` whose holder on the day owns it
    (``owner``: the holder now, None when vacant)."""

    owner: User | None
    note: str = ""
    post: str = ""
    post_unit: OrgUnit | None = None


def visit_owner_for(cadre: Cadre, policy: CarePolicyInForce) -> VisitOwner:
    """Who must make a visit to ``cadre``: the user named by the care policy
    if any (by hand); else the post of the township party secretary, for a
    township cadre; elsewhere the post of the unit's head (its party
    secretary when it has no head with a login). The post's holder on the
    day owns it, the organisation department above while it is vacant
    (cadrecare.org.posts). When the cadre holds the post themself, nobody:
    the organisation department names someone."""
    if policy.visit_owner is not None and policy.visit_owner.is_active:
        return VisitOwner(policy.visit_owner)
    unit = cadre.unit
    township = unit.kind == UnitKind.TOWNSHIP
    posts = [LeaderPost.PARTY_SECRETARY] if township else [LeaderPost.HEAD, LeaderPost.PARTY_SECRETARY]
    leaders = list(
        Cadre.objects.filter(unit=unit, leader_post__in=posts, status=CadreStatus.SERVING, user__is_active=True)
        .exclude(pk=cadre.pk)
        .select_related("user")
        .order_by("id")
    )
    for post in posts:
        leader = next((c for c in leaders if c.leader_post == post), None)
        if leader is not None:
            return VisitOwner(leader.user, post=post, post_unit=unit)
    title = "党委书记" if township else "主要负责人"
    if cadre.leader_post in posts:
        return VisitOwner(None, f"该干部本人是{unit.name}{title}，请上级组织部门指定走访责任人。")
    holder, why = org_posts.holder(unit.pk, posts[0], clock.today())
    note = f"{unit.name}{title}{why}，请组织部门指定走访责任人。" if holder is None else ""
    return VisitOwner(holder, note, post=posts[0], post_unit=unit)
