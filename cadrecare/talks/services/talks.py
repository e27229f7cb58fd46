"""Talks: recording one (closing the triggers it answers), correcting it, closing its follow-ups."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

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


# Modules whose items a talk closes (the county's yearly interview plan) subscribe here;
# the callbacks run inside the recording transaction, so the talk and what it closes land together.
talk_listeners: list[Callable[[Talk], object]] = []


@transaction.atomic
def talk_record(
    *,
    actor: User,
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
) -> Talk:
    """Record a talk (谈心谈话). It closes the open must-talks of the same
    talkee it answers (one talk may answer several), closes the talkee's open
    interview item in a round one of the talkers interviews for, and, being a
    talk with the cadre, resets the regular-talk clock (selectors)."""
    _not_future(date, "date", today)
    if not talkers:
        raise DomainError(gettext("请至少选择一名谈话人。"), field="talkers")
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
    return talk


@transaction.atomic
def talk_update(*, actor: User, talk: Talk, data: Mapping[str, Any]) -> Talk:
    """Correct a talk's place, form, notes or next date: the talkers and the
    organization department may (the date and talkee stay as recorded)."""
    talk = Talk.objects.select_for_update().select_related("talkee__unit").get(pk=talk.pk)
    _require_talker_or_org_department(actor, list(talk.talkers.all()), talk.talkee)
    for name, value in data.items():
        setattr(talk, name, value)
    if talk.next_talk_date is not None and talk.next_talk_date < talk.date:
        raise DomainError(gettext("下次谈话日期不能早于本次谈话日期。"), field="next_talk_date")
    talk.save()
    return talk


@transaction.atomic
def talk_follow_up_close(*, actor: User, follow_up: TalkFollowUp, today: dt.date | None = None) -> TalkFollowUp:
    """Mark a follow-up action done (by its owner, a talker or the
    organization department)."""
    follow_up = TalkFollowUp.objects.select_for_update().select_related("talk__talkee__unit").get(pk=follow_up.pk)
    talk = follow_up.talk
    if actor != follow_up.owner:
        _require_talker_or_org_department(actor, list(talk.talkers.all()), talk.talkee)
    if follow_up.status == FollowUpStatus.DONE:
        return follow_up
    follow_up.status = FollowUpStatus.DONE
    follow_up.done_date = today or clock.today()
    follow_up.save(update_fields=["status", "done_date"])
    return follow_up
