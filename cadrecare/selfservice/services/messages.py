"""心里话: a cadre writes to their secretary or the organization department, who answer."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from cadrecare.audit.services import audit_change
from cadrecare.care.selectors import care_policy_effective
from cadrecare.core import clock
from cadrecare.core.errors import DomainError, ForbiddenError
from cadrecare.core.i18n import choice_label
from cadrecare.org.models import User
from cadrecare.selfservice import selectors
from cadrecare.selfservice.choices import Addressee, MessageStatus
from cadrecare.selfservice.models import HeartMessage
from cadrecare.selfservice.services.common import _own_cadre, _tell


@transaction.atomic
def heart_message_send(
    *, actor: User, addressee: str, body: str, request: HttpRequest | None = None, today: dt.date | None = None
) -> HeartMessage:
    """A cadre writes to their unit's party secretary or their county's
    organization department; it is due to be answered within the care
    policy's ``message_answer_days`` (default 7), chased as a due item after."""
    today = today or clock.today()
    cadre = _own_cadre(actor)
    body = (body or "").strip()
    if not body:
        raise DomainError(_("请写下您想说的话。"), field="body")
    unit = selectors.message_addressee_unit(cadre, addressee)
    answerers = [
        user_id for user_id in (selectors.message_answerers(unit, addressee) if unit else []) if user_id != actor.pk
    ]
    if unit is None or not answerers:
        other = Addressee.ORG_DEPARTMENT if addressee == Addressee.SECRETARY else Addressee.SECRETARY
        raise DomainError(
            _("%(label)s目前无人在系统中接收心里话，可改为写给%(label2)s。")
            % {"label": choice_label(Addressee(addressee).label), "label2": choice_label(Addressee(other).label)},
            field="addressee",
        )
    message = HeartMessage.objects.create(
        sender=actor,
        sender_cadre=cadre,
        addressee=addressee,
        addressee_unit=unit,
        body=body,
        answer_due=today + dt.timedelta(days=care_policy_effective(cadre.unit).message_answer_days),
    )
    audit_change(actor=actor, action="create", resource="messages", record=message, fields=["body"], request=request)
    _tell(
        kind="heart_message",
        record=message,
        cadre=cadre,
        users=answerers,
        title="收到一条心里话",
        body=f"请于{message.answer_due:%Y-%m-%d}前登录系统查看并回复。",
        url=f"/api/v1/messages/{message.pk}/",
    )
    return message


@transaction.atomic
def heart_message_answer(
    *, actor: User, message: HeartMessage, answer: str, request: HttpRequest | None = None
) -> HeartMessage:
    """The addressee answers, once; the sender is told."""
    message = HeartMessage.objects.select_for_update(of=("self",)).select_related("sender_cadre").get(pk=message.pk)
    received = selectors.addressed_to(actor)
    if received is None or not HeartMessage.objects.filter(received, pk=message.pk).exists():
        raise ForbiddenError(_("只有收信人可以回复这条心里话。"))
    if message.status == MessageStatus.ANSWERED:
        raise DomainError(_("这条心里话已经回复过了。"), field="answer")
    answer = (answer or "").strip()
    if not answer:
        raise DomainError(_("请填写回复内容。"), field="answer")
    message.answer = answer
    message.answered_by = actor
    message.answered_at = clock.now()
    message.status = MessageStatus.ANSWERED
    message.save(update_fields=["answer", "answered_by", "answered_at", "status"])
    audit_change(
        actor=actor, action="update", resource="messages", record=message, fields=["answer", "status"], request=request
    )
    _tell(
        kind="heart_message_answered",
        record=message,
        cadre=message.sender_cadre,
        users=[message.sender_id],
        title="您的心里话已有回复",
        body="请登录系统查看回复。",
        url=f"/api/v1/messages/{message.pk}/",
    )
    return message
