"""Triggers (六必谈): raised from their source events exactly once, created by
hand, reassigned, waived."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext

from cadrecare.audit.services import changed_fields, written
from cadrecare.core import clock
from cadrecare.core.errors import DomainError
from cadrecare.core.i18n import choice_label
from cadrecare.org.choices import ENDED_STATUSES, CadreStatus
from cadrecare.org.models import Cadre, PostChange, User
from cadrecare.talks.choices import CONFIDENTIAL_KINDS, TriggerKind, TriggerSource, TriggerStatus
from cadrecare.talks.models import TalkTrigger
from cadrecare.talks.routing import talk_routing, trigger_due_date

if TYPE_CHECKING:
    from cadrecare.care.models import FamilyEvent


def _not_future(day: dt.date, field: str, today: dt.date | None) -> None:
    if day > (today or clock.today()):
        raise DomainError(gettext("日期不能晚于今天。"), field=field)


@transaction.atomic
def talk_trigger_raise(
    *,
    cadre: Cadre,
    kind: str,
    source: str,
    source_key: str,
    event_date: dt.date,
    actor: User | None = None,
    note: str = "",
    links: Mapping[str, Any] | None = None,
) -> TalkTrigger | None:
    """Raise the must-talk a source event obliges, exactly once; none (None)
    about a cadre who died, retired or left: talks are with cadres in service.

    The unique key (kind, source, source key, cadre) makes a second call for
    the same event, from a retried request or a second worker, return the
    trigger the first one made: the insert is ``ON CONFLICT DO NOTHING`` and
    the row is read back. The talker is routed by the cadre's post now, and
    the trigger follows the post: its holder on the day it is read owns it
    (cadrecare.org.posts); ``talker`` keeps who held it when raised.
    """
    if cadre.status in ENDED_STATUSES:
        return None
    key = {"kind": kind, "source": source, "source_key": source_key, "cadre": cadre}
    existing = TalkTrigger.objects.filter(**key).first()
    if existing is not None:
        return existing
    routing = talk_routing(cadre)
    trigger = TalkTrigger(
        **key,
        event_date=event_date,
        due_date=trigger_due_date(cadre.unit, kind, event_date),
        talker=routing.talker,
        talker_post=routing.talker_post,
        routed_to_unit=routing.routed_to_unit,
        routing_note=routing.note,
        owner_post=routing.owner_post,
        owner_post_unit=routing.owner_post_unit,
        confidential=kind in CONFIDENTIAL_KINDS,
        note=note,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        **(links or {}),
    )
    TalkTrigger.objects.bulk_create([trigger], ignore_conflicts=True)
    return TalkTrigger.objects.get(**key)


def talk_trigger_for_post_change(change: PostChange) -> TalkTrigger | None:
    """干部职务变动: every recorded post change obliges a talk. Registered in
    ``cadrecare.org.services.post_change_listeners``, so it runs inside the
    recording transaction, after the cadre's post was moved."""
    return talk_trigger_raise(
        cadre=change.cadre,
        kind=TriggerKind.POSITION_CHANGE,
        source=TriggerSource.POST_CHANGE,
        source_key=str(change.pk),
        event_date=change.date,
        actor=change.recorded_by,
        links={"post_change": change},
    )


def talk_trigger_for_family_event(*, cadre: Cadre, event_id: object, event_date: dt.date) -> TalkTrigger | None:
    """家庭发生重大变故: the care records call this (or a listener does) once a
    major family event is recorded; calling it again for the same event
    changes nothing. A retired cadre's family is visited, but no talk is due."""
    return talk_trigger_raise(
        cadre=cadre,
        kind=TriggerKind.FAMILY_EVENT,
        source=TriggerSource.FAMILY_EVENT,
        source_key=str(event_id),
        event_date=event_date,
    )


def talk_trigger_for_recorded_family_event(event: FamilyEvent) -> TalkTrigger | None:
    """The listener in ``cadrecare.care.services.family_event_listeners``: runs
    inside the transaction recording the event, once per event."""
    return talk_trigger_for_family_event(cadre=event.cadre, event_id=event.pk, event_date=event.date)


@transaction.atomic
def talk_trigger_create(
    *,
    actor: User | None,
    cadre: Cadre,
    kind: str,
    event_date: dt.date,
    note: str = "",
    source_key: str = "",
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> TalkTrigger:
    """A must-talk entered by hand, chiefly 发现苗头性问题 (warning signs, kept
    confidential). A client may send its own ``source_key`` so that a retried
    request raises the trigger once."""
    _not_future(event_date, "event_date", today)
    if kind not in TriggerKind.values:
        raise DomainError(gettext("谈话情形无效。"), field="kind")
    if cadre.status != CadreStatus.SERVING:
        raise DomainError(
            gettext("该干部状态为“%(status)s”，不能登记必谈事项。")
            % {"status": choice_label(cadre.get_status_display())},
            field="cadre",
        )
    trigger = talk_trigger_raise(
        cadre=cadre,
        kind=kind,
        source=TriggerSource.MANUAL,
        source_key=source_key or uuid.uuid4().hex,
        event_date=event_date,
        actor=actor,
        note=note,
    )
    assert trigger is not None  # the cadre serves: checked above
    given = {"cadre": cadre, "kind": kind, "event_date": event_date, "note": note, "source_key": source_key}
    written(actor, request, "create", "talk-triggers", trigger, sorted(name for name, value in given.items() if value))
    return trigger


@transaction.atomic
def talk_trigger_update(
    *, actor: User, trigger: TalkTrigger, data: Mapping[str, Any], request: HttpRequest | None = None
) -> TalkTrigger:
    """The organization department reassigns an open must-talk (another
    talker, a later due date) or completes its note. A talker named by hand
    (or none: the organization department) keeps it until reassigned: it no
    longer follows the post."""
    trigger = TalkTrigger.objects.select_for_update().get(pk=trigger.pk)
    if trigger.status != TriggerStatus.OPEN and {"talker", "due_date"} & set(data):
        raise DomainError(
            gettext("该事项已%(status)s，不能改派或改期。") % {"status": choice_label(trigger.get_status_display())},
            field="status",
        )
    if "due_date" in data and data["due_date"] < trigger.event_date:
        raise DomainError(gettext("应谈日期不能早于事由发生日期。"), field="due_date")
    before = {name: getattr(trigger, name) for name in ("talker", "due_date", "note") if name in data}
    reassigned = "talker" in data and (data["talker"] != trigger.talker or bool(trigger.owner_post))
    if reassigned:
        trigger.talker = data["talker"]
        trigger.talker_post = f"由{actor}指派" if data["talker"] is not None else ""
        trigger.routing_note = "" if data["talker"] is not None else "已撤回指派，由县委组织部安排谈话。"
        trigger.owner_post, trigger.owner_post_unit = "", None
    for name in ("due_date", "note"):
        if name in data:
            setattr(trigger, name, data[name])
    trigger.save()
    # A post's holder reassigned to themselves by name changes no field but who owns it.
    changed = sorted({*changed_fields(trigger, before), *(["talker"] if reassigned else [])})
    written(actor, request, "update", "talk-triggers", trigger, changed)
    return trigger


@transaction.atomic
def talk_trigger_waive(
    *, actor: User, trigger: TalkTrigger, reason: str, request: HttpRequest | None = None
) -> TalkTrigger:
    """Close an open must-talk without a talk; the reason is kept."""
    trigger = TalkTrigger.objects.select_for_update().get(pk=trigger.pk)
    if trigger.status != TriggerStatus.OPEN:
        raise DomainError(
            gettext("该事项已%(status)s，不能再免谈。") % {"status": choice_label(trigger.get_status_display())},
            field="status",
        )
    if not reason.strip():
        raise DomainError(gettext("请填写免谈理由。"), field="reason")
    trigger.status = TriggerStatus.WAIVED
    trigger.waive_reason = reason.strip()
    trigger.save(update_fields=["status", "waive_reason"])
    written(actor, request, "update", "talk-triggers", trigger, ["status", "waive_reason"])
    return trigger
