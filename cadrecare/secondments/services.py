"""Writes on secondments: the start of a term, and the home unit's decision
before it ends (return, extend, or transfer for good). Each is keyword-only,
owns its transaction, checks scope, moves the cadre through the one post-change
service (``org.services.post_change_apply``) and writes the audit row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from cadrecare.audit.services import Access, audit_log
from cadrecare.core import clock
from cadrecare.core.errors import DomainError, ForbiddenError
from cadrecare.core.i18n import choice_label
from cadrecare.org.access import ADD
from cadrecare.org.choices import CadreStatus, LeaderPost, PostChangeKind, Rank
from cadrecare.org.models import Cadre, OrgUnit, PostChange, User
from cadrecare.org.scoping import may_in_unit
from cadrecare.org.services import post_change_apply
from cadrecare.secondments.choices import RUNNING, SecondmentDecision, SecondmentKind, SecondmentStatus
from cadrecare.secondments.models import DEFAULT_NOTICE_DAYS, Secondment

RESOURCE = "secondments"
DECIDE = "decide"

#: The posts a seconded cadre may hold in the host unit: the seed sends them "挂任党政副职";
#: the principal posts own talks and visits (cadrecare.org.posts) and stay with the unit's own cadres.
HOST_POSTS = (LeaderPost.NONE, LeaderPost.DEPUTY, LeaderPost.MEMBER)
MAX_NOTICE_DAYS = 365


def two_year_term_end(start: dt.date) -> dt.date:
    """The last day of a two-year term from ``start`` (挂职 "2年"): the day
    before the same date two years on (a 29 February start ends on 27 February)."""
    try:
        anniversary = start.replace(year=start.year + 2)
    except ValueError:  # 29 February
        anniversary = start.replace(year=start.year + 2, day=28)
    return anniversary - dt.timedelta(days=1)


def _check_notice_days(notice_days: int) -> None:
    if not 1 <= notice_days <= MAX_NOTICE_DAYS:
        raise DomainError(
            _("提前提醒天数应在1到%(MAX_NOTICE_DAYS)s天之间。") % {"MAX_NOTICE_DAYS": MAX_NOTICE_DAYS},
            field="notice_days",
        )


def _post_change(field: str, **kwargs: Any) -> PostChange:
    """``post_change_apply``, its refusal named on ``field`` of the secondment's form."""
    try:
        return post_change_apply(**kwargs)
    except DomainError as error:
        raise DomainError(error.message, field=field if error.field == "date" else error.field) from error


def _audit(actor: User | None, action: str, secondment: Secondment, fields: list[str]) -> None:
    audit_log(actor=actor, action=action, accesses=[Access(RESOURCE, secondment.pk, secondment.cadre_id, fields)])


@transaction.atomic
def secondment_start(
    *,
    actor: User | None,
    cadre: Cadre,
    kind: str,
    host_unit: OrgUnit,
    start: dt.date,
    planned_end: dt.date | None = None,
    post_title: str = "",
    host_leader_post: str = LeaderPost.NONE,
    notice_days: int = DEFAULT_NOTICE_DAYS,
    note: str = "",
    today: dt.date | None = None,
) -> Secondment:
    """Register a term that has begun: the cadre moves to ``host_unit`` (a
    借调 post change: working unit the host, establishment unchanged, status
    借调), so the host's roster plans their rest and its people look after
    them. A 挂职 term runs two years unless ``planned_end`` says otherwise.
    ``actor`` must reach both the cadre's unit (the home unit) and the host."""
    today = today or clock.today()
    cadre = Cadre.objects.select_for_update(of=("self",)).select_related("unit").get(pk=cadre.pk)
    home_unit = cadre.unit
    if kind not in SecondmentKind.values:
        raise DomainError(_("类型只能是挂职、跟班见习或借调。"), field="kind")
    if actor is not None and not may_in_unit(actor, RESOURCE, ADD, home_unit):
        raise DomainError(_("该干部不在您的管理范围内。"), field="cadre")
    if actor is not None and not may_in_unit(actor, RESOURCE, ADD, host_unit):
        raise DomainError(_("挂职（借调）单位不在您的管理范围内。"), field="host_unit")
    if Secondment.objects.filter(cadre=cadre, status__in=RUNNING).exists():
        raise DomainError(
            _("%(name)s正在挂职（借调）中，请先对该期作出期满决定。") % {"name": cadre.name}, field="cadre"
        )
    if cadre.status != CadreStatus.SERVING:
        raise DomainError(
            _("%(name)s的状态为“%(status)s”，不能登记挂职（借调）。")
            % {"name": cadre.name, "status": choice_label(cadre.get_status_display())},
            field="cadre",
        )
    if host_unit.pk == home_unit.pk:
        raise DomainError(_("挂职（借调）单位不能是干部的现单位。"), field="host_unit")
    if not host_unit.active:
        raise DomainError(_("挂职（借调）单位已停用。"), field="host_unit")
    if host_leader_post not in HOST_POSTS:
        raise DomainError(_("挂职干部只能挂任副职或其他班子成员，党委书记和乡镇长不能挂任。"), field="host_leader_post")
    if start > today:
        raise DomainError(_("开始日期不能晚于今天：到岗后再登记，登记时干部即转到挂职（借调）单位。"), field="start")
    if planned_end is None:
        if kind != SecondmentKind.HANG_POST:
            raise DomainError(_("请填写计划结束日期。"), field="planned_end")
        planned_end = two_year_term_end(start)
    if planned_end <= start:
        raise DomainError(_("计划结束日期应晚于开始日期。"), field="planned_end")
    _check_notice_days(notice_days)
    label = SecondmentKind(kind).label
    change = _post_change(
        "start",
        actor=actor,
        cadre=cadre,
        kind=PostChangeKind.SECONDMENT,
        date=start,
        to_unit=host_unit,
        to_rank=cadre.rank,
        to_leader_post=host_leader_post,
        to_post_title=post_title.strip(),
        note=f"{label}至{host_unit.name}，计划至{planned_end:%Y-%m-%d}",
    )
    secondment = Secondment.objects.create(
        cadre=cadre,
        kind=kind,
        home_unit=home_unit,
        host_unit=host_unit,
        post_title=post_title.strip(),
        host_leader_post=host_leader_post,
        start=start,
        planned_end=planned_end,
        notice_days=notice_days,
        note=note.strip(),
        start_change=change,
        registered_by=actor,
    )
    _audit(actor, "create", secondment, ["cadre", "kind", "host_unit", "start", "planned_end"])
    return secondment


@transaction.atomic
def secondment_decide(
    *,
    actor: User | None,
    secondment: Secondment,
    decision: str,
    date: dt.date | None = None,
    new_end: dt.date | None = None,
    to_post_title: str = "",
    to_leader_post: str | None = None,
    to_rank: str = "",
    note: str = "",
    today: dt.date | None = None,
) -> Secondment:
    """The home unit's organization department decides a running term:

    - 期满返回 (``return``): on ``date`` the cadre goes back to the home unit,
      to the post, rank and leadership post they left (a 任职 post change);
    - 延期 (``extend``): the term runs to ``new_end``, later than the planned end;
    - 转任 (``convert``): on ``date`` the cadre is transferred to the host unit
      for good (a 调任 post change: the establishment moves too), to
      ``to_post_title`` / ``to_leader_post`` / ``to_rank`` (default: as held there).

    The due item (cadrecare.secondments.due) closes with a return or a
    transfer, and moves with an extension."""
    today = today or clock.today()
    secondment = (
        Secondment.objects.select_for_update(of=("self",))
        .select_related("cadre", "home_unit", "host_unit", "start_change")
        .get(pk=secondment.pk)
    )
    if actor is not None and not may_in_unit(actor, RESOURCE, DECIDE, secondment.home_unit):
        raise ForbiddenError(_("只有原单位的组织部门可以作出期满决定。"), field="decision")
    if secondment.status not in RUNNING:
        raise DomainError(
            _("该期%(kind)s的状态为“%(status)s”，不能再作决定。")
            % {
                "kind": choice_label(secondment.get_kind_display()),
                "status": choice_label(secondment.get_status_display()),
            },
            field="decision",
        )
    if decision not in SecondmentDecision.values:
        raise DomainError(_("期满决定只能是期满返回、延期或转任。"), field="decision")
    note = note.strip()
    if decision == SecondmentDecision.EXTEND:
        if new_end is None:
            raise DomainError(_("请填写延期后的结束日期。"), field="new_end")
        if new_end <= secondment.planned_end:
            raise DomainError(
                _("延期后的结束日期应晚于原计划结束日期（%(planned_end)s）。")
                % {"planned_end": format(secondment.planned_end, "%Y-%m-%d")},
                field="new_end",
            )
        secondment.planned_end = new_end
        secondment.status = SecondmentStatus.EXTENDED
        fields = ["planned_end", "status", "decision_note"]
    else:
        date = date or today
        if date > today:
            raise DomainError(_("日期不能晚于今天：返回或转任后再登记。"), field="date")
        if date < secondment.start:
            raise DomainError(
                _("日期不能早于开始日期（%(start)s）。") % {"start": format(secondment.start, "%Y-%m-%d")}, field="date"
            )
        cadre = secondment.cadre
        if decision == SecondmentDecision.RETURN:
            left = secondment.start_change
            change = _post_change(
                "date",
                actor=actor,
                cadre=cadre,
                kind=PostChangeKind.APPOINTMENT,
                date=date,
                to_unit=secondment.home_unit,
                to_rank=cadre.rank,
                to_leader_post=left.from_leader_post or LeaderPost.NONE if left else LeaderPost.NONE,
                to_post_title=left.from_post_title if left else "",
                note=f"{secondment.get_kind_display()}期满返回原单位",
            )
            secondment.status = SecondmentStatus.RETURNED
        else:
            if to_rank and to_rank not in Rank.values:
                raise DomainError(_("职级无效。"), field="to_rank")
            if to_leader_post is not None and to_leader_post not in LeaderPost.values:
                raise DomainError(_("班子职务无效。"), field="to_leader_post")
            change = _post_change(
                "date",
                actor=actor,
                cadre=cadre,
                kind=PostChangeKind.TRANSFER,
                date=date,
                to_unit=secondment.host_unit,
                to_rank=to_rank or cadre.rank,
                to_leader_post=to_leader_post,
                to_post_title=to_post_title.strip() or cadre.post_title,
                note=f"{secondment.get_kind_display()}期间转任{secondment.host_unit.name}",
            )
            secondment.status = SecondmentStatus.CONVERTED
        secondment.end_change = change
        secondment.ended_on = date
        fields = ["status", "ended_on", "end_change", "decision_note"]
    secondment.decision_note = note
    secondment.decided_by = actor
    secondment.save()
    _audit(actor, "update", secondment, fields)
    return secondment
