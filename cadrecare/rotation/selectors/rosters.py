"""Rosters and generation runs in the user's scope, and who publishes a township's
roster (its serving secretary, or the county standing in for a vacant post)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cadrecare.org import scoping
from cadrecare.org.access import STAND_IN, VIEW
from cadrecare.org.choices import Role, UnitKind
from cadrecare.org.models import Cadre, OrgUnit, RoleGrant, User
from cadrecare.rotation.models import GenerationItem, GenerationRun, Recall, Roster, RosterDay


def serving_secretary(*, unit: OrgUnit) -> User | None:
    """The login that publishes ``unit``'s roster: the first active holder of
    the secretary role on it, as the publish reminder's owner is
    (rotation.due); None when the post is vacant or its holder has no login."""
    grant = (
        RoleGrant.objects.filter(unit=unit, role=Role.SECRETARY, user__is_active=True)
        .select_related("user")
        .order_by("id")
        .first()
    )
    return grant.user if grant is not None else None


def stand_in_post(*, user: User, unit: OrgUnit) -> str:
    """The post ``user`` stands in for on ``unit``'s roster, as the audit row
    names it (``secretary@<code>``): the county organization department's
    while the township has no serving secretary (docs/access.md); "" otherwise."""
    if not scoping.may_in_unit(user, "rosters", STAND_IN, unit) or serving_secretary(unit=unit) is not None:
        return ""
    return f"{Role.SECRETARY}@{unit.code}"


def stand_in_or_refuse(*, user: User, unit: OrgUnit) -> str:
    """The vacant post ``user`` acts for on ``unit``'s roster (see
    ``stand_in_post``), or PermissionDenied naming the serving secretary: one
    wording for the API and the workbench."""
    post = stand_in_post(user=user, unit=unit)
    if post:
        return post
    secretary = serving_secretary(unit=unit)
    name = (secretary.get_full_name() or secretary.get_username()) if secretary is not None else ""
    raise PermissionDenied(
        _("%(unit)s有在任的党委书记（%(name)s），排班由其生成、调整和发布；书记空缺时县委组织部方可代为办理。")
        % {"unit": unit.name, "name": name}
    )


def roster_units(*, user: User, resource: str = "rosters", action: str = VIEW) -> QuerySet[OrgUnit]:
    """The townships whose rosters (or ``resource``) the user may ``action``, by county then name."""
    return (
        scoping.scoped(OrgUnit.objects.filter(kind=UnitKind.TOWNSHIP, active=True), user, resource, action)
        .select_related("parent")
        .order_by("path")
    )


def roster_list(*, user: User) -> QuerySet[Roster]:
    """Rosters in the user's scope."""
    return scoping.scoped(Roster.objects.select_related("unit"), user, "rosters", VIEW)


def roster_of_month(*, unit: OrgUnit, month: dt.date) -> Roster | None:
    """A unit's roster of a month, with its current version and publisher (there is one at most)."""
    return (
        Roster.objects.filter(unit=unit, month=month)
        .select_related("unit", "current", "current__created_by", "published_by")
        .first()
    )


def roster_cadres(*, roster: Roster) -> QuerySet[Cadre]:
    """The cadres on a roster's current version (an edit may name only them)."""
    return Cadre.objects.filter(pk__in=RosterDay.objects.filter(version_id=roster.current_id).values("cadre_id"))


def generation_item_latest(*, unit: OrgUnit, month: dt.date) -> GenerationItem | None:
    """The newest generation of a unit's month (a secretary's or the daily job's), with its run."""
    return (
        GenerationItem.objects.filter(unit=unit, run__month=month)
        .select_related("run", "run__requested_by")
        .order_by("-run__created_at", "-run_id")
        .first()
    )


def generation_run_list(*, user: User) -> QuerySet[GenerationRun]:
    """Generation runs in the user's scope, with their items."""
    return scoping.scoped(
        GenerationRun.objects.select_related("unit").prefetch_related("items__unit"), user, "generation-runs", VIEW
    )


def recall_list(*, user: User) -> QuerySet[Recall]:
    """Recalls in the user's scope, newest first."""
    return scoping.scoped(
        Recall.objects.select_related("cadre", "cadre__unit", "recorded_by"), user, "recalls", VIEW
    ).order_by("-date", "-id")
