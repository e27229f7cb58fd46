"""The only scope logic: which objects a user may reach, for which action.

A grant covers its unit's subtree (a prefix match on the materialised path);
a self-only grant covers the records about the user's own cadre. Every
selector and viewset starts here, so an object outside scope is simply not
found (404), never "forbidden" (403). Models name their way to a unit in
``SCOPE_UNIT`` ("" for OrgUnit itself, "unit", "cadre__unit", ...; a tuple of
paths for a record that belongs to several units, in scope where any of them
is: a secondment's home and host units), to a cadre in ``SCOPE_CADRE``, and
to the login a record is routed to (its talker, for a routed-only role such as
the county leader) in ``SCOPE_OWNER``.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from cadrecare.core import clock
from cadrecare.core.errors import DomainError
from cadrecare.core.privacy import Level
from cadrecare.org import posts
from cadrecare.org.access import ADMIN_ROLES, ROLE_RANK, VIEW, Rule, rule_for
from cadrecare.org.models import Cadre, OrgUnit, RoleGrant, User


@dataclass(frozen=True)
class Grant:
    role: str
    unit_id: int
    unit_path: str


def grants_of(user: User) -> list[Grant]:
    """The user's grants that run today (an acting grant only within its
    dates), read once per request and cached on the user object (none for an
    anonymous visitor: the admin's login page asks too)."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_cadrecare_grants", None)
    if cached is None:
        cached = [
            Grant(role, unit_id, path)
            for role, unit_id, path in RoleGrant.objects.filter(
                posts.running(clock.today()), user=user, unit__active=True
            ).values_list("role", "unit_id", "unit__path")
        ]
        user._cadrecare_grants = cached  # type: ignore[attr-defined]
    return cached


def own_cadre_id(user: User) -> int | None:
    if not user.is_authenticated:
        return None
    cached = getattr(user, "_cadrecare_cadre_id", False)
    if cached is False:
        cached = Cadre.objects.filter(user=user).values_list("id", flat=True).first()
        user._cadrecare_cadre_id = cached  # type: ignore[attr-defined]
    return cached


def forget_cached_grants(user: User | AnonymousUser) -> None:
    for attr in ("_cadrecare_grants", "_cadrecare_cadre_id"):
        if hasattr(user, attr):
            delattr(user, attr)


def _subtree(model: type[models.Model], unit_path: str) -> Q:
    """Records of ``model`` placed in the subtree at ``unit_path``.

    A semi-join (``unit_id IN (SELECT id ... WHERE path LIKE 'p%')``) rather
    than a join, so PostgreSQL can walk a (unit, id) index in order and stop
    at the page's last row instead of sorting a whole province.
    """
    unit_field = model.SCOPE_UNIT  # type: ignore[attr-defined]
    if not unit_field:
        return Q(path__startswith=unit_path)
    units = OrgUnit.objects.filter(path__startswith=unit_path).values("id")
    if isinstance(unit_field, tuple):  # several units: in scope where any of them is (no join, no duplicate rows)
        return reduce(operator.or_, (Q(**{f"{field}__in": units}) for field in unit_field))
    return Q(**{f"{unit_field}__in": units})


def covers_units(rule: Rule) -> bool:
    """Whether ``rule`` reaches whole units (the subtree of its grant), not
    just the records about the user's own cadre or routed to the user."""
    return not (rule.self_only or rule.routed_only)


def scope_filter(user: User, resource: str, action: str, model: type[models.Model]) -> Q | None:
    """A Q selecting what ``user`` may ``action`` on ``resource``; None means nothing."""
    if user.is_superuser:
        return Q()
    condition: Q | None = None
    for grant in grants_of(user):
        rule = rule_for(resource, grant.role)
        if rule is None or action not in rule.actions:
            continue
        if rule.self_only:
            cadre_field = getattr(model, "SCOPE_CADRE", None)
            cadre_id = own_cadre_id(user)
            if cadre_field is None or cadre_id is None:
                continue
            part = Q(**{cadre_field: cadre_id})
        elif rule.routed_only:
            owner_field = getattr(model, "SCOPE_OWNER", None)
            if owner_field is None:
                continue
            # A semi-join: the owner path may be to-many (a talk's talkers).
            part = Q(pk__in=model._default_manager.filter(**{owner_field: user.pk}).values("pk"))
        else:
            part = _subtree(model, grant.unit_path)
        condition = part if condition is None else condition | part
    return condition


def scoped(queryset: QuerySet, user: User, resource: str, action: str = "view") -> QuerySet:
    """``queryset`` narrowed to what ``user`` may ``action``: the one scope filter."""
    condition = scope_filter(user, resource, action, queryset.model)
    if condition is None:
        return queryset.none()
    return queryset.filter(condition)


def nameable(queryset: QuerySet, user: User | AnonymousUser | None, resource: str) -> QuerySet:
    """The records of ``queryset`` that ``user`` may name in a field of a
    ``resource`` record: those in the scope of their grants that view
    ``resource`` (their own for a self-only grant). A form offers these as the
    field's choices and accepts no other value, so one outside scope reads as
    'does not exist'. Each record once, whatever the model's way to its units."""
    model = queryset.model
    if not isinstance(user, User) or getattr(model, "SCOPE_UNIT", None) is None:
        return queryset.none()  # no reader, or a model that never declared its place in the tree
    condition = scope_filter(user, resource, VIEW, model)
    if condition is None:
        return queryset.none()
    if model.SCOPE_UNIT and single_unit_path(model) is None:
        # A to-many path (a user's grants): a semi-join, or a user with two grants would be two choices.
        return queryset.filter(pk__in=model._default_manager.filter(condition).values("pk"))
    return queryset.filter(condition)


def may(user: User, resource: str, action: str) -> bool:
    """Whether any grant of ``user`` allows ``action`` on ``resource`` somewhere."""
    if user.is_superuser:
        return True
    return any(
        (rule := rule_for(resource, grant.role)) is not None and action in rule.actions for grant in grants_of(user)
    )


def may_in_unit(user: User, resource: str, action: str, unit: OrgUnit) -> bool:
    """Whether ``user`` may ``action`` a ``resource`` record placed in ``unit``."""
    if user.is_superuser:
        return True
    for grant in grants_of(user):
        rule = rule_for(resource, grant.role)
        if rule and action in rule.actions and covers_units(rule) and unit.path.startswith(grant.unit_path):
            return True
    return False


def require_placement(
    actor: User | None, resource: str, action: str, record_or_unit: models.Model, *, field: str
) -> None:
    """Refuse (400, beside ``field``) a write that puts a ``resource`` record
    into a unit outside ``actor``'s scope for ``action``: what every service
    checks inside its transaction, after writing and before auditing. A write
    with no actor is the system's own (a job, the demo)."""
    if actor is None:
        return
    unit = record_or_unit if isinstance(record_or_unit, OrgUnit) else unit_of(record_or_unit)
    if unit is None or not may_in_unit(actor, resource, action, unit):
        raise DomainError(_("所选单位不在您的管理范围内。"), field=field)


def may_on(user: User, resource: str, action: str, instance: models.Model) -> bool:
    """Whether ``user`` may ``action`` this ``resource`` record."""
    unit = unit_of(instance)
    if unit is not None and may_in_unit(user, resource, action, unit):
        return True
    # Self-only grants and multi-valued scope paths: ask the database.
    return scoped(type(instance)._default_manager.filter(pk=instance.pk), user, resource, action).exists()


def may_use_admin(user: User | AnonymousUser) -> bool:
    """Whether ``user`` may enter the Django admin: staff, or a grant of a role
    the access table lets in (``ADMIN_ROLES``); never an anonymous visitor."""
    if not isinstance(user, User):
        return False
    return user.is_active and (user.is_staff or any(grant.role in ADMIN_ROLES for grant in grants_of(user)))


def may_for_cadre(user: User, resource: str, action: str, cadre: Cadre) -> bool:
    """Whether ``user`` may ``action`` a ``resource`` record about ``cadre``."""
    if may_in_unit(user, resource, action, cadre.unit):
        return True
    return any(
        (rule := rule_for(resource, grant.role)) is not None
        and rule.self_only
        and action in rule.actions
        and own_cadre_id(user) == cadre.id
        for grant in grants_of(user)
    )


def visible_level(user: User, resource: str, unit_path: str | None, cadre_id: int | None) -> Level:
    """The highest sensitivity level ``user`` sees unmasked on one record;
    ``unit_path`` None means the record is already known to be in scope."""
    if user.is_superuser:
        return Level.SENSITIVE
    best = Level.BASIC - 1
    for grant in grants_of(user):
        rule = rule_for(resource, grant.role)
        if rule is None or VIEW not in rule.actions:
            continue
        covers = (
            own_cadre_id(user) == cadre_id
            if rule.self_only and cadre_id is not None
            else covers_units(rule) and (unit_path is None or unit_path.startswith(grant.unit_path))
        )
        if covers and rule.level > best:
            best = rule.level
    return Level(max(best, Level.BASIC))


def listing_level(user: User, resource: str) -> Level:
    """The level ``user`` sees on every ``resource`` record they may list: the
    lowest of their viewing grants. What a filter or an ordering works on
    crosses all listed rows, so it needs this level, not one record's."""
    if user.is_superuser:
        return Level.SENSITIVE
    levels = [
        rule.level
        for grant in grants_of(user)
        if (rule := rule_for(resource, grant.role)) is not None and VIEW in rule.actions
    ]
    return Level(min(levels, default=Level.BASIC))


def visible_units(user: User, resource: str = "org-units", action: str = "view") -> QuerySet:
    return scoped(OrgUnit.objects.all(), user, resource, action)


def can_grant(user: User, role: str, unit: OrgUnit) -> bool:
    """A user hands out only roles at or below their own, inside their own scope."""
    if user.is_superuser:
        return True
    return any(
        rule_for("role-grants", grant.role) is not None
        and ROLE_RANK.get(grant.role, 0) >= ROLE_RANK.get(role, 99)
        and unit.path.startswith(grant.unit_path)
        for grant in grants_of(user)
    )


def manageable_users(actor: User) -> QuerySet:
    """The logins ``actor`` may change, unlock, grant a role to or revoke one
    from: every grant they hold is one ``actor`` could hand out (a unit in
    ``actor``'s scope, a role at or below ``actor``'s), and they are neither
    staff nor superuser. A login with no grant yet counts as inside. Someone
    reaching past their scope or up their rank finds nobody to manage."""
    users = User.objects.all()
    if actor.is_superuser:
        return users
    covered = [
        Q(
            role__in=[role for role, rank in ROLE_RANK.items() if rank <= ROLE_RANK.get(grant.role, 0)],
            unit__path__startswith=grant.unit_path,
        )
        for grant in grants_of(actor)
        if rule_for("role-grants", grant.role) is not None or rule_for("users", grant.role) is not None
    ]
    if not covered:
        return users.none()
    beyond = RoleGrant.objects.filter(user=models.OuterRef("pk")).exclude(reduce(operator.or_, covered))
    return users.filter(is_superuser=False, is_staff=False).exclude(models.Exists(beyond))


def roles_of(user: User) -> Iterable[str]:
    return {grant.role for grant in grants_of(user)}


def single_unit_path(model: type[models.Model]) -> str | None:
    """``SCOPE_UNIT`` when it is a chain of forward foreign keys (one unit per
    record), so querysets can select it along and masking costs no query per row."""
    path = getattr(model, "SCOPE_UNIT", None)
    if not path or isinstance(path, tuple):
        return None
    current = model
    for part in path.split("__"):
        field = current._meta.get_field(part)
        if not (field.many_to_one or field.one_to_one) or field.auto_created and not field.concrete:
            return None
        related = field.related_model
        if not isinstance(related, type):  # a relation's model is a class once the apps are loaded
            return None
        current = related
    return path


def _follow(instance: models.Model, path: str) -> object:
    target: object = instance
    for part in path.split("__"):
        target = getattr(target, part)
        if target is None or isinstance(target, models.Manager):
            return None  # no single unit: a multi-valued path (a user's grants)
    return target


def unit_of(instance: models.Model) -> OrgUnit | None:
    """The unit a record hangs off, following the model's ``SCOPE_UNIT``
    (None for a record of several units: ask the database, ``may_on``)."""
    unit_field = getattr(type(instance), "SCOPE_UNIT", None)
    if unit_field is None or isinstance(unit_field, tuple):
        return None
    if unit_field == "":
        return instance  # type: ignore[return-value]
    return _follow(instance, unit_field)  # type: ignore[return-value]


def cadre_id_of(instance: models.Model) -> int | None:
    """The cadre a record is about, following the model's ``SCOPE_CADRE``."""
    cadre_field = getattr(type(instance), "SCOPE_CADRE", None)
    if cadre_field is None:
        return None
    if cadre_field == "id":
        return instance.pk
    return getattr(instance, f"{cadre_field}_id", None) or getattr(_follow(instance, cadre_field), "pk", None)
