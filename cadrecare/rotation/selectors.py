"""Reads of the rest rotation: the policy in force, a unit's active cadres."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.db.models.functions import Length

from cadrecare.org.choices import CadreStatus, LeaderPost
from cadrecare.org.models import PATH_STEP, Cadre, OrgUnit
from cadrecare.rotation.models import RotationPolicy

#: Cadres who belong on a township's roster: at work there, or seconded to it.
ROSTERED_STATUSES = (CadreStatus.SERVING, CadreStatus.SECONDED)


def unit_path_prefixes(unit: OrgUnit) -> list[str]:
    """The unit's own path and each ancestor's (materialised path prefixes)."""
    step = PATH_STEP + 1
    return [unit.path[:end] for end in range(step, len(unit.path) + 1, step)]


def policy_in_force(*, unit: OrgUnit, month: dt.date) -> RotationPolicy | None:
    """The policy a month is planned under (issue 3): the deepest unit up the
    tree with a version, and of its versions the latest one effective on or
    before the month. A township override beats the county default; a later
    version never rewrites an earlier month."""
    return (
        RotationPolicy.objects.filter(unit__path__in=unit_path_prefixes(unit), effective_from__lte=month)
        .select_related("unit")
        .annotate(depth=Length("unit__path"))
        .order_by("-depth", "-effective_from")
        .first()
    )


def rostered_cadres(*, unit: OrgUnit) -> QuerySet[Cadre]:
    """The cadres a unit's roster plans, with what the problem needs."""
    return (
        Cadre.objects.filter(unit=unit, status__in=ROSTERED_STATUSES)
        .select_related("office")
        .order_by("id")
    )


def principal_leaders(cadres: list[Cadre]) -> tuple[Cadre, Cadre] | None:
    """The party secretary and the township head, found from their leader posts."""
    secretary = next((c for c in cadres if c.leader_post == LeaderPost.PARTY_SECRETARY), None)
    head = next((c for c in cadres if c.leader_post == LeaderPost.HEAD), None)
    return (secretary, head) if secretary and head else None
