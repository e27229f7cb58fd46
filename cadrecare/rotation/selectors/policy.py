"""The policy in force for a unit and month, and the cadres a township's roster plans."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from cadrecare.org.choices import CadreStatus, LeaderPost, UnitKind
from cadrecare.org.inheritance import nearest_first
from cadrecare.org.models import Cadre, OrgUnit
from cadrecare.rotation.choices import REST_REDUCING_KINDS
from cadrecare.rotation.models import RotationPolicy

#: Cadres who belong on a township's roster: at work there, or seconded to it.
ROSTERED_STATUSES = (CadreStatus.SERVING, CadreStatus.SECONDED)


def policy_in_force(*, unit: OrgUnit, month: dt.date) -> RotationPolicy | None:
    """The policy a month is planned under: the deepest unit up the
    tree with a version, and of its versions the latest one effective on or
    before the month. A township override beats the county default; a later
    version never rewrites an earlier month."""
    return (
        nearest_first(RotationPolicy.objects.filter(effective_from__lte=month), unit.path)
        .select_related("unit")
        .order_by("-unit__path", "-effective_from")
        .first()
    )


def rest_reducing_kinds(*, unit: OrgUnit, month: dt.date) -> frozenset[str]:
    """The absence kinds that shorten ``unit``'s rest in ``month``: a county
    setting, read from the policy in force at the nearest county (or city)
    up the tree, whatever a township's own version says."""
    policy = (
        nearest_first(
            RotationPolicy.objects.filter(unit__kind__in=(UnitKind.COUNTY, UnitKind.CITY), effective_from__lte=month),
            unit.path,
        )
        .order_by("-unit__path", "-effective_from")
        .values_list("absence_kinds_reducing_rest", flat=True)
        .first()
    )
    return frozenset(REST_REDUCING_KINDS if policy is None else policy)


def county_bounds(*, unit: OrgUnit, month: dt.date) -> RotationPolicy | None:
    """The policy above a township in force for ``month`` (its county's, else
    its city's): the bounds the township's own policy keeps within."""
    parent = unit.parent
    return policy_in_force(unit=parent, month=month) if parent is not None else None


def rostered_cadres(*, unit: OrgUnit) -> QuerySet[Cadre]:
    """The cadres a unit's roster plans, with what the problem needs."""
    return Cadre.objects.filter(unit=unit, status__in=ROSTERED_STATUSES).select_related("office").order_by("id")


def principal_leaders(cadres: list[Cadre]) -> tuple[Cadre, Cadre] | None:
    """The party secretary and the township head, found from their leader posts."""
    secretary = next((c for c in cadres if c.leader_post == LeaderPost.PARTY_SECRETARY), None)
    head = next((c for c in cadres if c.leader_post == LeaderPost.HEAD), None)
    return (secretary, head) if secretary and head else None
