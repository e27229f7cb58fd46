"""Talks: recording one (closing the triggers it answers), correcting it, closing its follow-ups."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext

from cadrecare.audit.services import PLACING, audit_change, changed_fields
from cadrecare.core import clock
from cadrecare.core.errors import DomainError, ForbiddenError
from cadrecare.core.i18n import choice_label
from cadrecare.core.privacy import Level
from cadrecare.org import scoping
from cadrecare.org.models import Cadre, User
from cadrecare.talks.choices import FollowUpStatus, InterviewItemStatus, TriggerStatus
from cadrecare.talks.models import InterviewItem, Talk, TalkFollowUp, TalkTrigger
from cadrecare.talks.services.triggers import _not_future


def speaks_for_org_department(user: User, cadre: Cadre) -> bool:
    """Whether ``user`` reads talk notes about ``cadre`` by role: the
    organization department in scope (the access table's sensitive level)."""
    return scoping.visible_level(user, "talks", cadre.unit.path, cadre.pk) >= Level.SENSITIVE


def _require_talker_or_org_department(actor: User, talkers: Sequence[User], cadre: Cadre) -> None:
    if actor not in talkers and not speaks_for_org_department(actor, cadre):
        raise ForbiddenError(gettext("只有谈话人本人或组织部门可以记录、修改谈话。"), field="talkers")


def _validate_follow_ups(follow_ups: Sequence[Mapping[str, Any]], talk_date: dt.date) -> None:
    for index, item in enumerate(follow_ups):
        if not str(item.get("action", "")).strip():
            raise DomainError(gettext("请填写跟进事项。"), field=f"follow_ups[{index}].action")
        if item["due_date"] < talk_date:
            raise DomainError(gettext("跟进事项的完成期限不能早于谈话日期。"), field=f"follow_ups[{index}].due_date")


def _talk_written(actor: User | None, request: HttpRequest | None, action: str, talk: Talk, fields: list[str]) -> None:
    """The end of a talk's write: placed where the actor may record it (in
    their units or, for a routed-only role such as the county leader, among
    the talks they hold: ``scoping.may_on``), then its one audit row."""
    if actor is not None and not scoping.may_on(actor, "talks", PLACING[action], talk):
        scoping.require_placement(actor, "talks", PLACING[action], talk, field="talkee")
    audit_change(actor=actor, action=action, resource="talks", record=talk, fields=fields, request=request)


# Modules whose items a talk closes (the county's yearly interview plan) subscribe here;
# the callbacks run inside the recording transaction, so the talk and what it closes land together.
talk_listeners: list[Callable[[Talk], object]] = []


@transaction.atomic
def talk_record(
    *,
    actor: User | None,
    talkee: Cadre,
    talkers: Sequence[User],
    date: dt.date,
    form: str,
    place: str = "",
    summary: str = "",
    next_talk_date: dt.date | None = None,
    triggers: Sequence[TalkTrigger] = (),
    follow_ups: Sequence[Mapping[str, Any]] = (),
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Talk:
    """Record a talk (谈心谈话). It closes the open must-talks of the same
    talkee it answers (one talk may answer several), closes the talkee's open
    interview item in a round one of the talkers interviews for, and, being a
    talk with the cadre, resets the regular-talk clock (selectors). No actor:
    the system's own record (the demo's talks), under no one's rule or scope."""
    _not_future(date, "date", today)
    if not talkers:
        raise DomainError(gettext("请至少选择一名谈话人。"), field="talkers")
    if actor is not None:
        _require_talker_or_org_department(actor, talkers, talkee)
    if next_talk_date is not None and next_talk_date < date:
        raise DomainError(gettext("下次谈话日期不能早于本次谈话日期。"), field="next_talk_date")
    _validate_follow_ups(follow_ups, date)
    locked = list(TalkTrigger.objects.select_for_update().filter(pk__in=[t.pk for t in triggers]).order_by("pk"))
    for trigger in locked:
        if trigger.cadre_id != talkee.pk:
            raise DomainError(gettext("所选必谈事项不属于该谈话对象。"), field="triggers")
        if trigger.status != TriggerStatus.OPEN:
            raise DomainError(
                gettext("必谈事项“%(kind)s”已%(status)s。")
                % {
                    "kind": choice_label(trigger.get_kind_display()),
                    "status": choice_label(trigger.get_status_display()),
                },
                field="triggers",
            )
        if trigger.event_date > date:
            raise DomainError(gettext("谈话日期不能早于必谈事项的发生日期。"), field="triggers")

    talk = Talk.objects.create(
        talkee=talkee,
        date=date,
        form=form,
        place=place,
        summary=summary,
        next_talk_date=next_talk_date,
        recorded_by=actor,
    )
    talk.talkers.set(talkers)
    TalkFollowUp.objects.bulk_create(
        TalkFollowUp(talk=talk, action=item["action"].strip(), owner=item.get("owner"), due_date=item["due_date"])
        for item in follow_ups
    )
    TalkTrigger.objects.filter(pk__in=[t.pk for t in locked]).update(
        status=TriggerStatus.DONE, talk=talk, done_date=date
    )
    InterviewItem.objects.filter(
        cadre=talkee,
        status=InterviewItemStatus.OPEN,
        round__start_date__lte=date,
        round__end_date__gte=date,
        round__interviewers__in=talkers,
    ).update(status=InterviewItemStatus.DONE, talk=talk, done_date=date)
    for listener in talk_listeners:
        listener(talk)
    given = {
        "talkee": talkee,
        "talkers": talkers,
        "date": date,
        "form": form,
        "place": place,
        "summary": summary,
        "next_talk_date": next_talk_date,
        "triggers": triggers,
        "follow_ups": follow_ups,
    }
    _talk_written(actor, request, "create", talk, sorted(name for name, value in given.items() if value))
    return talk


@transaction.atomic
def talk_update(*, actor: User, talk: Talk, data: Mapping[str, Any], request: HttpRequest | None = None) -> Talk:
    """Correct a talk's place, form, notes or next date: the talkers and the
    organization department may (the date and talkee stay as recorded)."""
    talk = Talk.objects.select_for_update().select_related("talkee__unit").get(pk=talk.pk)
    _require_talker_or_org_department(actor, list(talk.talkers.all()), talk.talkee)
    before = {name: getattr(talk, name) for name in data}
    for name, value in data.items():
        setattr(talk, name, value)
    if talk.next_talk_date is not None and talk.next_talk_date < talk.date:
        raise DomainError(gettext("下次谈话日期不能早于本次谈话日期。"), field="next_talk_date")
    talk.save()
    _talk_written(actor, request, "update", talk, changed_fields(talk, before))
    return talk


@transaction.atomic
def talk_follow_up_close(
    *, actor: User, follow_up: TalkFollowUp, today: dt.date | None = None, request: HttpRequest | None = None
) -> TalkFollowUp:
    """Mark a follow-up action done (by its owner, a talker or the
    organization department), audited as a change of the talk's follow-ups.
    Who may is this rule, not the actor's units: an owner acts on their
    follow-up where no grant reaches the talk, so no placement is checked."""
    follow_up = TalkFollowUp.objects.select_for_update().select_related("talk__talkee__unit").get(pk=follow_up.pk)
    talk = follow_up.talk
    if actor != follow_up.owner:
        _require_talker_or_org_department(actor, list(talk.talkers.all()), talk.talkee)
    if follow_up.status != FollowUpStatus.DONE:
        follow_up.status = FollowUpStatus.DONE
        follow_up.done_date = today or clock.today()
        follow_up.save(update_fields=["status", "done_date"])
    audit_change(actor=actor, action="update", resource="talks", record=talk, fields=["follow_ups"], request=request)
    return follow_up
