"""Logins and role grants: who may hand out which role, a login's changes, and its link to a cadre.

Every function is keyword-only, owns its transaction and takes the acting user,
so it behaves the same from a view, a task, the admin or the shell.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from cadrecare.core.errors import DomainError, ForbiddenError

# The audit log is an app above org: reached through core's stand-in (cadrecare.core.providers).
from cadrecare.core.providers import audit
from cadrecare.org import auth
from cadrecare.org.access import ADD
from cadrecare.org.choices import LeaderPost, Role
from cadrecare.org.models import Cadre, OrgUnit, RoleGrant, User
from cadrecare.org.scoping import (
    cadre_id_of,
    can_grant,
    forget_cached_grants,
    manageable_users,
    own_cadre_id,
    require_placement,
)


def _acting_check(acting_post: str, acting_from: dt.date | None, acting_until: dt.date | None) -> None:
    if acting_post and acting_post not in (LeaderPost.PARTY_SECRETARY, LeaderPost.HEAD):
        raise DomainError(gettext("代理岗位只能是党委书记或乡镇长（主要负责人）。"), field="acting_post")
    if (acting_post or acting_from or acting_until) and acting_from is None:
        raise DomainError(gettext("代理授权请填写代理开始日期。"), field="acting_from")
    if acting_from is not None and acting_until is None:
        raise DomainError(gettext("代理授权请填写代理结束日期。"), field="acting_until")
    if acting_from is not None and acting_until is not None and acting_until < acting_from:
        raise DomainError(gettext("代理结束日期不能早于开始日期。"), field="acting_until")


@transaction.atomic
def role_grant_create(
    *,
    actor: User,
    user: User,
    role: str,
    unit: OrgUnit,
    acting_post: str = "",
    acting_from: dt.date | None = None,
    acting_until: dt.date | None = None,
    request: HttpRequest | None = None,
) -> RoleGrant:
    """Grant ``role`` on ``unit``; a user hands out only roles at or below
    their own, inside their own scope (refused with 403 otherwise). Audited
    when a grant is made (the same grant again makes none).

    With dates the grant is acting (代理): it counts only from ``acting_from``
    to ``acting_until``, and with an ``acting_post`` its user holds that post
    in ``unit`` meanwhile, so what the post owns is theirs (cadrecare.org.posts);
    when it ends, those items go back to the post's holder at once."""
    grant, created = _role_grant(
        actor=actor,
        user=user,
        role=role,
        unit=unit,
        acting_post=acting_post,
        acting_from=acting_from,
        acting_until=acting_until,
    )
    if created:
        fields = ["user", "role", "unit"] + [
            name for name in ("acting_post", "acting_from", "acting_until") if getattr(grant, name)
        ]
        audit.audit_log(
            actor=actor,
            action="create",
            accesses=[audit.Access("role-grants", grant.pk, cadre_id_of(grant), fields)],
            request=request,
        )
    return grant


def _role_grant(
    *,
    actor: User,
    user: User,
    role: str,
    unit: OrgUnit,
    acting_post: str = "",
    acting_from: dt.date | None = None,
    acting_until: dt.date | None = None,
) -> tuple[RoleGrant, bool]:
    """The grant and whether it is new; the checks of ``role_grant_create``, not audited."""
    if role not in Role.values:
        raise DomainError(gettext("角色无效。"), field="role")
    _acting_check(acting_post, acting_from, acting_until)
    if not can_grant(actor, role, unit):
        raise ForbiddenError(gettext("不能授予高于本人的角色，或授予管理范围以外单位的角色。"), field="role")
    user_require_manageable(actor=actor, user=user)
    acting = {"acting_post": acting_post, "acting_from": acting_from, "acting_until": acting_until}
    grant, created = RoleGrant.objects.get_or_create(
        user=user, role=role, unit=unit, defaults={"granted_by": actor, **acting}
    )
    if not created and acting_from is not None:
        raise DomainError(gettext("该用户在该单位已有此角色，不能再登记为代理。"), field="user")
    forget_cached_grants(user)
    return grant, created


def user_require_manageable(*, actor: User, user: User) -> None:
    """Refuse (403) a change to ``user`` unless ``actor`` may manage them
    wholly (``scoping.manageable_users``): a grant elsewhere or above
    ``actor``'s role, or a staff or superuser account, puts them out of reach."""
    if not manageable_users(actor).filter(pk=user.pk).exists():
        raise ForbiddenError(gettext("该用户有管理范围以外或高于本人的角色，不能由您修改或授权。"), field="user")


@transaction.atomic
def role_grant_revoke(*, actor: User, grant: RoleGrant, request: HttpRequest | None = None) -> None:
    """Take a grant back: never one's own, never one above one's own role or
    outside one's scope (the same reach as handing it out). Audited."""
    if grant.user_id == actor.pk:
        raise DomainError(gettext("不能撤销自己的角色。"), field="user")
    if not can_grant(actor, grant.role, grant.unit):
        raise ForbiddenError(gettext("不能撤销高于本人的角色，或管理范围以外单位的角色。"), field="role")
    user = grant.user
    audit.audit_log(
        actor=actor,
        action="delete",
        accesses=[audit.Access("role-grants", grant.pk, cadre_id_of(grant), ["user", "role", "unit"])],
        request=request,
    )
    grant.delete()
    forget_cached_grants(user)


@transaction.atomic
def user_update(
    *, actor: User, user: User, cadre: Cadre | None = None, request: HttpRequest | None = None, **fields: object
) -> User:
    """Rename, re-mail, deactivate or reactivate a login ``actor`` manages
    wholly, and link it to ``cadre`` (``user_cadre_link``). Audited with the
    fields that changed; a change to nothing writes nothing."""
    user_require_manageable(actor=actor, user=user)
    # Against the stored row: a caller's instance may carry the new values already (an admin form's).
    stored = User.objects.select_for_update().get(pk=user.pk)
    changed = [name for name, value in fields.items() if getattr(stored, name) != value]
    for name, value in fields.items():
        setattr(user, name, value)
    if changed:
        user.save(update_fields=changed)
        audit.audit_log(
            actor=actor,
            action="update",
            accesses=[audit.Access("users", user.pk, cadre_id_of(user), sorted(changed))],
            request=request,
        )
    if cadre is not None:
        user_cadre_link(actor=actor, user=user, cadre=cadre, request=request)
    return user


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    password: str,
    role: str,
    unit: OrgUnit,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    cadre: Cadre | None = None,
    request: HttpRequest | None = None,
) -> User:
    """Create a login together with its first grant, on a unit in ``actor``'s
    scope: a user nobody can see is never left behind. The password passes the
    password rules against the new user's own name and e-mail (the similarity
    check needs them). Audited as one new login (its grant with it); linking
    it to ``cadre`` is ``user_cadre_link``'s."""
    require_placement(actor, "users", ADD, unit, field="unit")
    if User.objects.filter(username=username).exists():
        raise DomainError(gettext("该用户名已被使用。"), field="username")
    _check_password(
        password, User(username=username, first_name=first_name, last_name=last_name, email=email), field="password"
    )
    user = User.objects.create_user(
        username=username, password=password, first_name=first_name, last_name=last_name, email=email
    )
    _role_grant(actor=actor, user=user, role=role, unit=unit)
    audit.audit_log(
        actor=actor,
        action="create",
        accesses=[audit.Access("users", user.pk, cadre_id_of(user), ["username", "role", "unit"])],
        request=request,
    )
    if cadre is not None:
        user_cadre_link(actor=actor, user=user, cadre=cadre, request=request)
    return user


def _check_password(password: str, user: User, *, field: str) -> None:
    """AUTH_PASSWORD_VALIDATORS against ``user`` (similar to its name or e-mail, too short, too common, digits only)."""
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as error:
        raise DomainError(
            error.messages[0], field=field, errors=[{"field": field, "message": message} for message in error.messages]
        ) from error


@transaction.atomic
def user_password_change(*, actor: User, old_password: str, new_password: str) -> User:
    """A person changes their own password: the old one proves it is them, the
    new one passes the password rules (AUTH_PASSWORD_VALIDATORS) and differs
    from the old; audited. A one-time initial password is then spent."""
    if not actor.check_password(old_password):
        raise DomainError(gettext("原密码不正确。"), field="old_password")
    if new_password == old_password:
        raise DomainError(gettext("新密码不能与原密码相同。"), field="new_password")
    _check_password(new_password, actor, field="new_password")
    actor.set_password(new_password)
    actor.must_change_password = False
    actor.save(update_fields=["password", "must_change_password"])
    audit.audit_log(
        actor=actor, action="update", accesses=[audit.Access("users", actor.pk, own_cadre_id(actor), ["password"])]
    )
    return actor


def user_tokens_revoke(*, user: User) -> int:
    """Blacklist every unexpired refresh token of ``user`` (a copied refresh
    token was used); returns how many."""
    tokens = OutstandingToken.objects.filter(user=user, expires_at__gt=timezone.now())
    return len(
        BlacklistedToken.objects.bulk_create([BlacklistedToken(token=token) for token in tokens], ignore_conflicts=True)
    )


def user_login_unlock(*, actor: User, user: User) -> User:
    """Lift the login throttle's waits on ``user``'s account at once (the
    account's owner was slowed by someone else's guesses); audited."""
    user_require_manageable(actor=actor, user=user)
    auth.login_unlock(user.get_username())
    audit.audit_log(
        actor=actor, action="update", accesses=[audit.Access("users", user.pk, own_cadre_id(user), ["login_wait"])]
    )
    return user


# ---------------------------------------------------------------------------
# One identity: a cadre and their login
# ---------------------------------------------------------------------------


@transaction.atomic
def user_cadre_link(*, actor: User, user: User, cadre: Cadre, request: HttpRequest | None = None) -> Cadre:
    """Link ``user`` to ``cadre``: a login belongs to at most one cadre and a
    cadre has at most one login, so linking either a second time is refused
    by name (400); linking the same pair again changes nothing. Audited."""
    cadre = Cadre.objects.select_for_update(of=("self",)).select_related("user").get(pk=cadre.pk)
    if cadre.user_id == user.pk:
        return cadre
    if cadre.user is not None:
        raise DomainError(
            gettext("干部%(name)s已有登录账号：%(username)s。") % {"name": cadre.name, "username": cadre.user.username},
            field="cadre",
        )
    linked = Cadre.objects.filter(user=user).first()
    if linked is not None:
        raise DomainError(
            gettext("账号 %(username)s 已属于干部%(name)s。") % {"username": user.username, "name": linked.name},
            field="cadre",
        )
    user_require_manageable(actor=actor, user=user)
    cadre.user = user
    cadre.save(update_fields=["user", "updated_at"])
    forget_cached_grants(user)
    audit.audit_log(
        actor=actor, action="update", accesses=[audit.Access("cadres", cadre.pk, cadre.pk, ["user"])], request=request
    )
    return cadre
