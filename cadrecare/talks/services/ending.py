"""What ends with a cadre's service, or with their leaving a unit."""

from __future__ import annotations

from typing import Any

from cadrecare.org.choices import EndReason
from cadrecare.org.models import PostChange
from cadrecare.org.services import ServiceEnded, open_items_cancel
from cadrecare.talks.choices import FollowUpStatus, InterviewItemStatus, TriggerStatus
from cadrecare.talks.models import InterviewItem, TalkFollowUp, TalkTrigger


def talk_items_end_with_service(change: ServiceEnded) -> None:
    """A cadre who died, retired or left is talked with no more: their open
    must-talks, the follow-ups agreed in talks with them and their interview
    items are cancelled with the reason, as of the day it happened. (Their
    regular-talk clock stops by itself: only cadres in service have one.)
    Listens to ``org.services.cadre_status_change``, inside its transaction."""
    common: dict[str, Any] = {"reason": change.status, "day": change.date, "actor": change.actor}
    open_items_cancel(
        TalkTrigger.objects.filter(cadre=change.cadre, status=TriggerStatus.OPEN),
        resource="talk-triggers",
        cadre_field="cadre_id",
        **common,
    )
    open_items_cancel(
        TalkFollowUp.objects.filter(talk__talkee=change.cadre, status=FollowUpStatus.OPEN),
        resource="talks",
        cadre_field="talk__talkee_id",
        **common,
    )
    open_items_cancel(
        InterviewItem.objects.filter(cadre=change.cadre, status=InterviewItemStatus.OPEN),
        resource="interview-rounds",
        cadre_field="cadre_id",
        **common,
    )


def interview_items_end_on_move(change: PostChange) -> None:
    """A round interviews one township's cadres: a cadre posted out of it is
    no longer interviewed there (cancelled, 调离). Listens to post changes."""
    open_items_cancel(
        InterviewItem.objects.filter(cadre_id=change.cadre_id, status=InterviewItemStatus.OPEN).exclude(
            round__unit_id=change.to_unit_id
        ),
        resource="interview-rounds",
        cadre_field="cadre_id",
        reason=EndReason.TRANSFERRED_OUT,
        day=change.date,
        actor=change.recorded_by,
    )
