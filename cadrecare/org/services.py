"""Writes on the organisation: units, post changes, users and grants.

Every function is keyword-only, owns its transaction and takes the acting user,
so it behaves the same from a view, a task, the admin or the shell.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Concat, Substr
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from cadrecare.core import clock
from cadrecare.core.errors import DomainError, ForbiddenError
from cadrecare.core.i18n import choice_label

# The audit log and the notification channels are apps above org: org reaches them through core's
# stand-ins, which their apps fill when Django starts (cadrecare.core.providers).
from cadrecare.core.providers import audit, channels
from cadrecare.org import auth
from cadrecare.org.access import ADD, CHANGE
from cadrecare.org.choices import (
    ENDED_STATUSES,
    CadreStatus,
    LeaderPost,
    LoginDelivery,
    LoginUsernameRule,
    PostChangeKind,
    Role,
)
from cadrecare.org.models import PATH_STEP, Cadre, Office, OrgUnit, PostChange, RoleGrant, User
from cadrecare.org.scoping import (
    cadre_id_of,
    can_grant,
    forget_cached_grants,
    manageable_users,
    may_in_unit,
    own_cadre_id,
    require_placement,
)

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------------------
# Org units
# ---------------------------------------------------------------------------


def _path_for(unit_id: int, parent: OrgUnit | None) -> str:
    return (parent.path if parent else "") + f"{unit_id:0{PATH_STEP}d}."


@transaction.atomic
def org_unit_create(
    *, code: str, name: str, kind: str, parent: OrgUnit | None = None, actor: User | None = None, **fields: object
) -> OrgUnit:
    """Create a unit and give it its materialised path under ``parent``; with
    an ``actor``, only inside their scope (the demo and the tests pass none)."""
    unit = OrgUnit(code=code, name=name, kind=kind, parent=parent, path=f"tmp-{code}", **fields)
    unit.save()
    unit.path = _path_for(unit.pk, parent)
    unit.save(update_fields=["path"])
    require_placement(actor, "org-units", ADD, unit, field="parent")  # by its new path
    return unit


@transaction.atomic
def org_unit_move(*, unit: OrgUnit, parent: OrgUnit | None, actor: User | None = None) -> OrgUnit:
    """Move ``unit`` and its whole subtree under ``parent`` in one UPDATE: every
    path below it is rewritten, so each prefix-based scope decision about the
    subtree follows the move. With an ``actor``, only to a place inside their scope."""
    if parent is not None and parent.path.startswith(unit.path):
        raise DomainError(gettext("不能把单位移到它自己或其下级单位之下。"), field="parent")
    old_path = unit.path
    new_path = _path_for(unit.pk, parent)
    OrgUnit.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr(F("path"), len(old_path) + 1))
    )
    OrgUnit.objects.filter(pk=unit.pk).update(parent=parent)
    unit.refresh_from_db()
    require_placement(actor, "org-units", CHANGE, unit, field="parent")  # by its new path
    return unit


# ---------------------------------------------------------------------------
# Post changes (职务变动)
# ---------------------------------------------------------------------------

# Later modules (the six must-talk triggers) subscribe here; the callbacks run
# inside the recording transaction so the trigger and the change land together.
post_change_listeners: list[Callable[[PostChange], object]] = []

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
    request: HttpRequest | None = None,
) -> PostChange:
    """Record a post change (``post_change_apply``) where ``actor`` may add
    post changes: both the cadre's unit and the new one in their scope (an
    ``actor`` of None is the system: the demo, the tests). Audited once."""
    require_placement(actor, "post-changes", ADD, cadre.unit, field="cadre")
    require_placement(actor, "post-changes", ADD, to_unit, field="to_unit")
    change = post_change_apply(
        actor=actor,
        cadre=cadre,
        kind=kind,
        date=date,
        to_unit=to_unit,
        to_rank=to_rank,
        to_leader_post=to_leader_post,
        to_post_title=to_post_title,
        to_office=to_office,
        note=note,
    )
    fields = ["cadre", "kind", "date", "to_unit", "to_rank", "to_leader_post", "to_post_title", "note"]
    audit.audit_log(
        actor=actor,
        action="create",
        accesses=[audit.Access("post-changes", change.pk, change.cadre_id, fields + ["to_office"] * bool(to_office))],
        request=request,
    )
    return change


@transaction.atomic
def post_change_apply(
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
    (``to_leader_post`` None keeps the current leadership post), for a
    service that checks its own scope and writes its own audit row (a
    secondment's start and end); anyone else calls ``post_change_record``.

    The history is append-only: a change dated before the latest recorded one
    is refused, so the current fields always follow the last entry.
    """
    cadre = Cadre.objects.select_for_update().select_related("unit").get(pk=cadre.pk)
    if date > clock.today():
        raise DomainError(gettext("变动日期不能晚于今天。"), field="date")
    last = cadre.post_changes.order_by("-date", "-id").values_list("date", flat=True).first()
    if last is not None and date < last:
        raise DomainError(
            gettext("该干部已有 %(last)s 的职务变动记录，变动日期不能早于它。") % {"last": format(last, "%Y-%m-%d")},
            field="date",
        )
    if cadre.status in ENDED_STATUSES:
        raise DomainError(
            gettext("该干部状态为“%(status)s”，不能登记职务变动。")
            % {"status": choice_label(cadre.get_status_display())},
            field="cadre",
        )
    if to_leader_post is None:
        to_leader_post = cadre.leader_post
    if to_office is not None and to_office.unit_id != to_unit.pk:
        raise DomainError(gettext("所选科室站所不属于新单位。"), field="to_office")
    if not to_unit.active:
        raise DomainError(gettext("新单位已停用。"), field="to_unit")

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
cadre_status_listeners: list[Callable[[ServiceEnded], object]] = []


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
    audit.audit_log(
        actor=actor,
        action="update",
        accesses=[
            audit.Access(resource, pk, cadre_id, ["status", "cancel_reason", "cancelled_on"]) for pk, cadre_id in rows
        ],
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
        raise DomainError(
            gettext("这里只能登记离退休、调离或去世；职务变动和借调请通过“职务变动”登记。"), field="status"
        )
    if date > (today or clock.today()):
        raise DomainError(gettext("变动日期不能晚于今天。"), field="date")
    cadre = Cadre.objects.select_for_update().select_related("unit").get(pk=cadre.pk)
    if cadre.status == CadreStatus.DECEASED:
        raise DomainError(gettext("该干部已登记去世，不能再变更状态。"), field="cadre")
    if cadre.status == status:
        raise DomainError(
            gettext("该干部状态已是“%(status)s”。") % {"status": choice_label(cadre.get_status_display())},
            field="status",
        )
    last = cadre.post_changes.order_by("-date", "-id").values_list("date", flat=True).first()
    if last is not None and date < last:
        raise DomainError(
            gettext("该干部有 %(last)s 的职务变动记录，变动日期不能早于它。") % {"last": format(last, "%Y-%m-%d")},
            field="date",
        )
    cadre.status = status
    cadre.status_changed_on = date
    cadre.save(update_fields=["status", "status_changed_on", "updated_at"])
    audit.audit_log(
        actor=actor,
        action="update",
        accesses=[audit.Access("cadres", cadre.pk, cadre.pk, ["status", "status_changed_on"])],
    )
    if cadre.user is not None and cadre.user.is_active:
        # Whoever left no longer signs in: the login closes with the service, its tokens with it.
        User.objects.filter(pk=cadre.user.pk).update(is_active=False)
        user_tokens_revoke(user=cadre.user)
        audit.audit_log(
            actor=actor, action="update", accesses=[audit.Access("users", cadre.user_id, cadre.pk, ["is_active"])]
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


# Easy to read off a slip and type on a phone: no 0/O, 1/l/I.
_PASSWORD_LETTERS = "abcdefghjkmnpqrstuvwxyz"
_PASSWORD_DIGITS = "23456789"
INITIAL_PASSWORD_LENGTH = 10


def initial_password() -> str:
    """A one-time initial password: random letters with at least two digits."""
    while True:
        password = "".join(secrets.choice(_PASSWORD_LETTERS + _PASSWORD_DIGITS) for _ in range(INITIAL_PASSWORD_LENGTH))
        if sum(ch.isdigit() for ch in password) >= 2 and any(ch.isalpha() for ch in password):
            return password


def login_username(cadre: Cadre, rule: str) -> str:
    """The username ``rule`` gives ``cadre``: their mobile number, or their unit's code and their number."""
    return cadre.phone if rule == LoginUsernameRule.MOBILE else f"{cadre.unit.code}-{cadre.pk}"


@dataclass(frozen=True)
class LoginIssued:
    """A login opened for a cadre. ``password`` is the one-time initial
    password, kept nowhere else: shown once on the slip, or None when the SMS
    carried it (``sms_error`` says why an SMS failed, and the password is then
    on the slip instead)."""

    cadre: Cadre
    username: str
    password: str | None
    delivery: str
    sms_error: str = ""


@dataclass(frozen=True)
class LoginSkipped:
    cadre: Cadre
    reason: str


@dataclass
class LoginsResult:
    issued: list[LoginIssued] = field(default_factory=list)
    skipped: list[LoginSkipped] = field(default_factory=list)


def cadre_logins_create(*, actor: User, cadres: Iterable[Cadre], username_rule: str, delivery: str) -> LoginsResult:
    """Open a login for each of ``cadres`` who has none: named by
    ``username_rule``, with the cadre role on their unit, a one-time initial
    password they must change at first sign-in, linked to the cadre; audited.
    Cadres who already have a login, or whose service ended, are skipped with
    the reason, so running it again opens nothing twice. Any other problem (no
    mobile number for the rule or the SMS, a username taken, a cadre outside
    ``actor``'s reach) refuses the whole batch, each problem named.

    ``delivery`` SMS sends each password after the logins are saved; one the
    gateway refused is returned for the slip instead."""
    result = _cadre_logins_open(actor=actor, cadres=cadres, username_rule=username_rule, delivery=delivery)
    if delivery != LoginDelivery.SMS:
        return result
    sent = []
    for issued in result.issued:
        text = (
            f"{issued.cadre.name}同志，您的干部关爱平台账号已开通。用户名：{issued.username}，"
            f"初始密码：{issued.password}。首次登录后须修改密码。"
        )
        try:
            channels.channel_send(
                channel=channels.Channel.SMS,
                address=issued.cadre.phone,
                subject="账号开通",
                body=text,
                key=f"login-open:{issued.username}",
            )
        except Exception as error:  # any gateway failure: the slip carries this password instead
            logger.warning("initial password SMS to cadre %s failed: %s", issued.cadre.pk, error)
            sent.append(
                LoginIssued(
                    issued.cadre,
                    issued.username,
                    issued.password,
                    LoginDelivery.SLIP,
                    "短信发送失败，请打印开通单交本人。",
                )
            )
        else:
            sent.append(LoginIssued(issued.cadre, issued.username, None, LoginDelivery.SMS))
    result.issued = sent
    return result


@transaction.atomic
def _cadre_logins_open(*, actor: User, cadres: Iterable[Cadre], username_rule: str, delivery: str) -> LoginsResult:
    if username_rule not in LoginUsernameRule.values:
        raise DomainError(gettext("用户名规则只能是“手机号”或“单位代码-干部编号”。"), field="username_rule")
    if delivery not in LoginDelivery.values:
        raise DomainError(gettext("初始密码只能打印开通单或以短信发送。"), field="delivery")
    locked = Cadre.objects.select_for_update(of=("self",)).select_related("unit", "user").order_by("pk")
    rows = list(locked.filter(pk__in={cadre.pk for cadre in cadres}))
    result = LoginsResult()
    problems: list[str] = []
    wanted: dict[str, Cadre] = {}
    for cadre in rows:
        if not may_in_unit(actor, "cadres", "logins", cadre.unit):
            problems.append(
                gettext("%(name)s（%(name2)s）不在您开通账号的范围内。")
                % {"name": cadre.name, "name2": cadre.unit.name}
            )
        elif cadre.user is not None:
            result.skipped.append(
                LoginSkipped(cadre, gettext("已有账号：%(username)s") % {"username": cadre.user.username})
            )
        elif cadre.status in ENDED_STATUSES:
            result.skipped.append(
                LoginSkipped(
                    cadre, gettext("状态为“%(status)s”") % {"status": choice_label(cadre.get_status_display())}
                )
            )
        elif username_rule == LoginUsernameRule.MOBILE and not cadre.phone:
            problems.append(gettext("%(name)s没有登记手机号，不能以手机号作用户名。") % {"name": cadre.name})
        elif delivery == LoginDelivery.SMS and not cadre.phone:
            problems.append(gettext("%(name)s没有登记手机号，不能以短信发送初始密码。") % {"name": cadre.name})
        else:
            username = login_username(cadre, username_rule)
            if username in wanted:
                problems.append(
                    gettext("%(name)s与%(name2)s的用户名相同：%(username)s。")
                    % {"name": cadre.name, "name2": wanted[username].name, "username": username}
                )
            wanted[username] = cadre
    taken = set(User.objects.filter(username__in=list(wanted)).values_list("username", flat=True))
    problems += [
        gettext("%(name)s的用户名 %(username)s 已被其他账号使用。") % {"name": wanted[name].name, "username": name}
        for name in sorted(taken)
    ]
    if problems:
        raise DomainError(problems[0], field="cadres", errors=[{"field": "cadres", "message": p} for p in problems])
    for username, cadre in wanted.items():
        password = initial_password()
        user = User.objects.create_user(
            username=username, password=password, first_name=cadre.name, must_change_password=True
        )
        RoleGrant.objects.create(user=user, role=Role.CADRE, unit=cadre.unit, granted_by=actor)
        cadre.user = user
        cadre.save(update_fields=["user", "updated_at"])
        result.issued.append(LoginIssued(cadre, username, password, delivery))
    audit.audit_log(
        actor=actor,
        action="create",
        accesses=[
            audit.Access("users", issued.cadre.user_id, issued.cadre.pk, ["username", "password"])
            for issued in result.issued
        ],
    )
    return result
