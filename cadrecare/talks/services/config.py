"""Who talks with whom (谈话分工) and the due days (谈话期限)."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext

from cadrecare.core.errors import DomainError
from cadrecare.org.choices import LeaderPost, UnitKind
from cadrecare.org.models import OrgUnit, User
from cadrecare.talks.choices import TalkeeGroup, TalkerPost, TriggerKind
from cadrecare.talks.models import TalkPolicy, TalkRoute

MAX_DUE_DAYS = 90
MAX_CADENCE_MONTHS = 60


@transaction.atomic
def talk_route_save(
    *,
    actor: User | None,
    county: OrgUnit,
    talkee_group: str,
    talker_post: str,
    talker_leader_post: str,
    talker_unit: OrgUnit | None = None,
    cadence_months: int,
) -> tuple[TalkRoute, bool]:
    """Set who in ``county`` talks with one talkee group and how often at
    least (the county's own row replaces the seed's default for that group);
    returns the row and whether it is new. A talker unit, when named, must be
    the county or a unit in it."""
    if county.kind != UnitKind.COUNTY:
        raise DomainError(gettext("谈话分工按县（区）设置，请选择一个县（区）。"), field="county")
    if talkee_group not in TalkeeGroup.values:
        raise DomainError(gettext("请选择谈话对象。"), field="talkee_group")
    if talker_post not in TalkerPost.values:
        raise DomainError(gettext("请选择谈话人岗位。"), field="talker_post")
    if talker_leader_post not in LeaderPost.values or talker_leader_post == LeaderPost.NONE:
        raise DomainError(gettext("请选择谈话人的班子职务。"), field="talker_leader_post")
    if talker_unit is not None and not talker_unit.path.startswith(county.path):
        raise DomainError(
            gettext("谈话人所在单位应是%(name)s或其下属单位。") % {"name": county.name}, field="talker_unit"
        )
    if not 1 <= cadence_months <= MAX_CADENCE_MONTHS:
        raise DomainError(
            gettext("经常性谈话周期应在 1 到 %(MAX_CADENCE_MONTHS)s 个月之间。")
            % {"MAX_CADENCE_MONTHS": MAX_CADENCE_MONTHS},
            field="cadence_months",
        )
    route, created = TalkRoute.objects.select_for_update().update_or_create(
        county=county,
        talkee_group=talkee_group,
        defaults={
            "talker_post": talker_post,
            "talker_leader_post": talker_leader_post,
            "talker_unit": talker_unit,
            "cadence_months": cadence_months,
        },
    )
    return route, created


@transaction.atomic
def talk_due_days_set(
    *, actor: User | None, unit: OrgUnit, due_days: Mapping[str, int | None]
) -> list[tuple[str, TalkPolicy]]:
    """Set a unit's own due days per must-talk kind; None removes the unit's
    own setting, so the kind follows the unit above (or the default). Returns
    what changed as (create / update / delete, row) for the caller's audit."""
    for kind, days in due_days.items():
        if kind not in TriggerKind.values:
            raise DomainError(gettext("没有这种谈话情形。"), field=kind)
        if days is not None and not 1 <= days <= MAX_DUE_DAYS:
            raise DomainError(
                gettext("应谈期限应在 1 到 %(MAX_DUE_DAYS)s 天之间，留空则沿用上级设置。")
                % {"MAX_DUE_DAYS": MAX_DUE_DAYS},
                field=kind,
            )
    own = {policy.kind: policy for policy in TalkPolicy.objects.select_for_update().filter(unit=unit)}
    changes: list[tuple[str, TalkPolicy]] = []
    for kind, days in due_days.items():
        policy = own.get(kind)
        if days is None and policy is not None:
            TalkPolicy.objects.filter(pk=policy.pk).delete()  # the row keeps its id for the audit
            changes.append(("delete", policy))
        elif days is not None and policy is None:
            changes.append(("create", TalkPolicy.objects.create(unit=unit, kind=kind, due_days=days)))
        elif days is not None and policy is not None and policy.due_days != days:
            policy.due_days = days
            policy.save(update_fields=["due_days"])
            changes.append(("update", policy))
    return changes
