"""Opening logins for cadres in bulk, with one-time initial passwords on a slip or by SMS.

Every function is keyword-only, owns its transaction and takes the acting user,
so it behaves the same from a view, a task, the admin or the shell.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext

from cadrecare.core.errors import DomainError
from cadrecare.core.i18n import choice_label

# The audit log and the notification channels are apps above org: org reaches them through core's
# stand-ins, which their apps fill when Django starts (cadrecare.core.providers).
from cadrecare.core.providers import audit, channels
from cadrecare.org.choices import ENDED_STATUSES, LoginDelivery, LoginUsernameRule, Role
from cadrecare.org.models import Cadre, RoleGrant, User
from cadrecare.org.scoping import may_in_unit

logger = logging.getLogger(__name__)


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
