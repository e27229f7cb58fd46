"""Writes on the organisation: units, post changes, users and grants.

Every function is keyword-only, owns its transaction and takes the acting user,
so it behaves the same from a view, a task, the admin or the shell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from cadrecare.audit.services import Access, audit_log
from cadrecare.core import clock
from cadrecare.core.errors import DomainError, ForbiddenError
from cadrecare.org import auth
from cadrecare.org.choices import ENDED_STATUSES, CadreStatus, LeaderPost, PostChangeKind, Role
from cadrecare.org.models import PATH_STEP, Cadre, Office, OrgUnit, PostChange, RoleGrant, User
from cadrecare.org.scoping import can_grant, forget_cached_grants, manageable_users, own_cadre_id

# ---------------------------------------------------------------------------
# Org units
# ---------------------------------------------------------------------------


def _path_for(unit_id: int, parent: OrgUnit | None) -> str:
    return (parent.path if parent else "") + f"{unit_id:0{PATH_STEP}d}."


@transaction.atomic
def org_unit_create(*, code: str, name: str, kind: str, parent: OrgUnit | None = None, **fields: object) -> OrgUnit:
    """Create a unit and give it its materialised path under ``parent``."""
    unit = OrgUnit(code=code, name=name, kind=kind, parent=parent, path=f"tmp-{code}", **fields)
    unit.save()
    unit.path = _path_for(unit.pk, parent)
    unit.save(update_fields=["path"])
    return unit


@transaction.atomic
def org_unit_move(*, unit: OrgUnit, parent: OrgUnit | None) -> OrgUnit:
    """Move ``unit`` and its whole subtree under ``parent`` in one UPDATE."""
    if parent is not None and parent.path.startswith(unit.path):
        raise DomainError("不能把单位移到它自己或其下级单位之下。", field="parent")
    old_path = unit.path
    new_path = _path_for(unit.pk, parent)
    OrgUnit.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr(F("path"), len(old_path) + 1))
    )
    OrgUnit.objects.filter(pk=unit.pk).update(parent=parent)
    unit.refresh_from_db()
    return unit


# ---------------------------------------------------------------------------
# Post changes (职务变动)
# ---------------------------------------------------------------------------

# Later modules (the six must-talk triggers) subscribe here; the callbacks run
# inside the recording transaction so the trigger and the change land together.
post_change_listeners: list[Callable[[PostChange], None]] = []

_UNIT_MOVES = {PostChangeKind.TRANSFER, PostChangeKind.EXCHANGE, PostChangeKind.APPOINTMENT, PostChangeKind.PROMOTION}


@transaction.atomic
def post_change_record(
    *,
    actor: User | None,
    cadre: Cadre,
    kind: str,
    date: dt.date,
    to_unit: OrgUnit,
    to_rank: str,
    to_leader_post: str | None = None,
    to_post_title: str = "",
    to_office: Office | None = None,
    note: str = "",
) -> PostChange:
    """Record a post change and move the cadre's current fields to it
    (``to_leader_post`` None keeps the current leadership post).

    The history is append-only: a change dated before the latest recorded one
    is refused, so the current fields always follow the last entry.
    """
    cadre = Cadre.objects.select_for_update().select_related("unit").get(pk=cadre.pk)
    if date > clock.today():
        raise DomainError("变动日期不能晚于今天。", field="date")
    last = cadre.post_changes.order_by("-date", "-id").values_list("date", flat=True).first()
    if last is not None and date < last:
        raise DomainError(f"该干部已有 {last:%Y-%m-%d} 的职务变动记录，变动日期不能早于它。", field="date")
    if cadre.status in ENDED_STATUSES:
        raise DomainError(f"该干部状态为“{cadre.get_status_display()}”，不能登记职务变动。", field="cadre")
    if to_leader_post is None:
        to_leader_post = cadre.leader_post
    if to_office is not None and to_office.unit_id != to_unit.pk:
        raise DomainError("所选科室站所不属于新单位。", field="to_office")
    if not to_unit.active:
        raise DomainError("新单位已停用。", field="to_unit")

    change = PostChange.objects.create(
        cadre=cadre,
        kind=kind,
        date=date,
        from_unit=cadre.unit,
        to_unit=to_unit,
        from_post_title=cadre.post_title,
        to_post_title=to_post_title,
        from_rank=cadre.rank,
        to_rank=to_rank,
        from_leader_post=cadre.leader_post,
        to_leader_post=to_leader_post,
        note=note,
        recorded_by=actor,
    )
    if cadre.unit_id != to_unit.pk:
        cadre.unit_joined = date
        cadre.office = to_office
    elif to_office is not None:
        cadre.office = to_office
    cadre.unit = to_unit
    if kind in _UNIT_MOVES:
        cadre.establishment_unit = to_unit if kind != PostChangeKind.PROMOTION else cadre.establishment_unit
        cadre.status = CadreStatus.SERVING
    elif kind == PostChangeKind.SECONDMENT:
        cadre.status = CadreStatus.SECONDED
    cadre.rank = to_rank
    cadre.leader_post = LeaderPost.NONE if kind == PostChangeKind.REMOVAL else to_leader_post
    cadre.post_title = to_post_title
    cadre.save()
    for listener in post_change_listeners:
        listener(change)
    return change


# ---------------------------------------------------------------------------
# The end of a cadre's service (离退休, 调离, 去世)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceEnded:
    """What listeners of ``cadre_status_change`` are told: whose service ended,
    how (the new status, also the reason every cancelled item records), on
    which day, and who recorded it (for the audit log)."""

    cadre: Cadre
    status: str
    date: dt.date
    actor: User | None


# The modules whose open obligations end with the cadre's service (talks, care)
# subscribe here; the callbacks run inside the status change's transaction, so
# the change and every cancellation land together or not at all.
cadre_status_listeners: list[Callable[[ServiceEnded], None]] = []


def open_items_cancel(
    queryset: QuerySet, *, resource: str, cadre_field: str, reason: str, day: dt.date, actor: User | None
) -> int:
    """Cancel the items of ``queryset`` (open obligations about a cadre) with
    ``reason`` (an ``EndReason``: 去世, 离退休, 调离) as of ``day``, each one
    written to the audit log under ``resource``; returns how many. The model
    has a status whose choices include "cancelled", ``cancel_reason`` and
    ``cancelled_on`` (must-talks, follow-ups, interview items, visits)."""
    rows = list(queryset.select_for_update().order_by("pk").values_list("pk", cadre_field))
    if not rows:
        return 0
    queryset.model.objects.filter(pk__in=[pk for pk, _ in rows]).update(
        status="cancelled", cancel_reason=reason, cancelled_on=day
    )
    audit_log(
        actor=actor,
        action="update",
        accesses=[Access(resource, pk, cadre_id, ["status", "cancel_reason", "cancelled_on"]) for pk, cadre_id in rows],
    )
    return len(rows)


@transaction.atomic
def cadre_status_change(
    *, actor: User | None, cadre: Cadre, status: str, date: dt.date, today: dt.date | None = None
) -> Cadre:
    """Record that a cadre retired (离退休), left (调离) or died (去世) on
    ``date``: the status and its date change, and every listener closes, with
    that reason, the open items about the cadre that no longer apply, audited.
    A death is recorded through ``care.services.cadre_condition_record``, which
    calls this. Post changes and secondments go through ``post_change_record``."""
    if status not in ENDED_STATUSES:
        raise DomainError("这里只能登记离退休、调离或去世；职务变动和借调请通过“职务变动”登记。", field="status")
    if date > (today or clock.today()):
        raise DomainError("变动日期不能晚于今天。", field="date")
    cadre = Cadre.objects.select_for_update().select_related("unit").get(pk=cadre.pk)
    if cadre.status == CadreStatus.DECEASED:
        raise DomainError("该干部已登记去世，不能再变更状态。", field="cadre")
    if cadre.status == status:
        raise DomainError(f"该干部状态已是“{cadre.get_status_display()}”。", field="status")
    last = cadre.post_changes.order_by("-date", "-id").values_list("date", flat=True).first()
    if last is not None and date < last:
        raise DomainError(f"该干部有 {last:%Y-%m-%d} 的职务变动记录，变动日期不能早于它。", field="date")
    cadre.status = status
    cadre.status_changed_on = date
    cadre.save(update_fields=["status", "status_changed_on", "updated_at"])
    audit_log(
        actor=actor, action="update", accesses=[Access("cadres", cadre.pk, cadre.pk, ["status", "status_changed_on"])]
    )
    change = ServiceEnded(cadre=cadre, status=status, date=date, actor=actor)
    for listener in cadre_status_listeners:
        listener(change)
    return cadre


# ---------------------------------------------------------------------------
# Users and role grants
# ---------------------------------------------------------------------------


def _acting_check(acting_post: str, acting_from: dt.date | None, acting_until: dt.date | None) -> None:
    if acting_post and acting_post not in (LeaderPost.PARTY_SECRETARY, LeaderPost.HEAD):
        raise DomainError("代理岗位只能是党委书记或乡镇长（主要负责人）。", field="acting_post")
    if (acting_post or acting_from or acting_until) and acting_from is None:
        raise DomainError("代理授权请填写代理开始日期。", field="acting_from")
    if acting_from is not None and acting_until is None:
        raise DomainError("代理授权请填写代理结束日期。", field="acting_until")
    if acting_from is not None and acting_until is not None and acting_until < acting_from:
        raise DomainError("代理结束日期不能早于开始日期。", field="acting_until")


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
) -> RoleGrant:
    """Grant ``role`` on ``unit``; a user hands out only roles at or below
    their own, inside their own scope (refused with 403 otherwise).

    With dates the grant is acting (代理): it counts only from ``acting_from``
    to ``acting_until``, and with an ``acting_post`` its user holds that post
    in ``unit`` meanwhile, so what the post owns is theirs (cadrecare.org.posts);
    when it ends, those items go back to the post's holder at once."""
    if role not in Role.values:
        raise DomainError("角色无效。", field="role")
    _acting_check(acting_post, acting_from, acting_until)
    if not can_grant(actor, role, unit):
        raise ForbiddenError("不能授予高于本人的角色，或授予管理范围以外单位的角色。", field="role")
    user_require_manageable(actor=actor, user=user)
    acting = {"acting_post": acting_post, "acting_from": acting_from, "acting_until": acting_until}
    grant, created = RoleGrant.objects.get_or_create(
        user=user, role=role, unit=unit, defaults={"granted_by": actor, **acting}
    )
    if not created and acting_from is not None:
        raise DomainError("该用户在该单位已有此角色，不能再登记为代理。", field="user")
    forget_cached_grants(user)
    return grant


def user_require_manageable(*, actor: User, user: User) -> None:
    """Refuse (403) a change to ``user`` unless ``actor`` may manage them
    wholly (``scoping.manageable_users``): a grant elsewhere or above
    ``actor``'s role, or a staff or superuser account, puts them out of reach."""
    if not manageable_users(actor).filter(pk=user.pk).exists():
        raise ForbiddenError("该用户有管理范围以外或高于本人的角色，不能由您修改或授权。", field="user")


@transaction.atomic
def role_grant_revoke(*, actor: User, grant: RoleGrant) -> None:
    """Take a grant back: never one's own, never one above one's own role or
    outside one's scope (the same reach as handing it out)."""
    if grant.user_id == actor.pk:
        raise DomainError("不能撤销自己的角色。", field="user")
    if not can_grant(actor, grant.role, grant.unit):
        raise ForbiddenError("不能撤销高于本人的角色，或管理范围以外单位的角色。", field="role")
    user = grant.user
    grant.delete()
    forget_cached_grants(user)


@transaction.atomic
def user_update(*, actor: User, user: User, **fields: object) -> User:
    """Rename, re-mail, deactivate or reactivate a login ``actor`` manages wholly."""
    user_require_manageable(actor=actor, user=user)
    for name, value in fields.items():
        setattr(user, name, value)
    user.save(update_fields=list(fields))
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
) -> User:
    """Create a login together with its first grant: a user nobody can see is
    never left behind. The password passes the password rules against the new
    user's own name and e-mail (the similarity check needs them)."""
    if User.objects.filter(username=username).exists():
        raise DomainError("该用户名已被使用。", field="username")
    _check_password(
        password, User(username=username, first_name=first_name, last_name=last_name, email=email), field="password"
    )
    user = User.objects.create_user(
        username=username, password=password, first_name=first_name, last_name=last_name, email=email
    )
    role_grant_create(actor=actor, user=user, role=role, unit=unit)
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
    new one passes the password rules (AUTH_PASSWORD_VALIDATORS); audited."""
    if not actor.check_password(old_password):
        raise DomainError("原密码不正确。", field="old_password")
    _check_password(new_password, actor, field="new_password")
    actor.set_password(new_password)
    actor.save(update_fields=["password"])
    audit_log(actor=actor, action="update", accesses=[Access("users", actor.pk, own_cadre_id(actor), ["password"])])
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
    audit_log(actor=actor, action="update", accesses=[Access("users", user.pk, own_cadre_id(user), ["login_wait"])])
    return user
