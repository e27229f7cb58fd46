"""Who talks with whom (谈话分工) and the due days (谈话期限)."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext

from cadrecare.audit.services import changed_fields, written
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
    request: HttpRequest | None = None,
) -> tuple[TalkRoute, bool]:
    """Set who in ``county`` talks with one talkee group and how often at
    least (the county's own row replaces the seed's default for that group);
    returns the row and whether it is new. A talker unit, when named, must be
    the county or a unit in it. Audited as a create of the fields it set, or
    an update of those it changed."""
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
    settings = {
        "talker_post": talker_post,
        "talker_leader_post": talker_leader_post,
        "talker_unit": talker_unit,
        "cadence_months": cadence_months,
    }
    route = TalkRoute.objects.select_for_update().filter(county=county, talkee_group=talkee_group).first()
    created = route is None
    if route is None:
        route = TalkRoute.objects.create(county=county, talkee_group=talkee_group, **settings)
        fields = sorted(
            name for name, value in {"county": county, "talkee_group": talkee_group, **settings}.items() if value
        )
    else:
        before = {name: getattr(route, name) for name in settings}
        for name, value in settings.items():
            setattr(route, name, value)
        route.save()
        fields = changed_fields(route, before)
    written(actor, request, "create" if created else "update", "talk-routes", route, fields)
    return route, created


@transaction.atomic
def talk_route_delete(*, actor: User | None, route: TalkRoute, request: HttpRequest | None = None) -> None:
    """Remove a county's own route: the talkee group follows the seed's default again."""
    written(actor, request, "delete", "talk-routes", route)  # first: the row names it while it exists
    route.delete()


@transaction.atomic
def talk_due_days_set(
    *,
    actor: User | None,
    unit: OrgUnit,
    due_days: Mapping[str, int | None],
    request: HttpRequest | None = None,
) -> list[tuple[str, TalkPolicy]]:
    """Set a unit's own due days per must-talk kind; None removes the unit's
    own setting, so the kind follows the unit above (or the default). Each
    row created, changed or removed is placed and audited on its own; returns
    them as (create / update / delete, row)."""
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
            written(actor, request, "delete", "talk-policies", policy)  # first: the row names it while it exists
            TalkPolicy.objects.filter(pk=policy.pk).delete()  # the instance keeps its id for the caller
            changes.append(("delete", policy))
        elif days is not None and policy is None:
            policy = TalkPolicy.objects.create(unit=unit, kind=kind, due_days=days)
            written(actor, request, "create", "talk-policies", policy, ["due_days", "kind", "unit"])
            changes.append(("create", policy))
        elif days is not None and policy is not None and policy.due_days != days:
            policy.due_days = days
            policy.save(update_fields=["due_days"])
            written(actor, request, "update", "talk-policies", policy, ["due_days"])
            changes.append(("update", policy))
    return changes
