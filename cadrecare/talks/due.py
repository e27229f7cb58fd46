"""The must-talks' due items, for the reminders (issue 6, the source contract
in cadrecare.reminders.sources): open triggers (owner: the talker, or the
county organization department when the post is vacant), regular talks,
follow-up actions and scheduled-interview items, each one SQL query.

Titles say only "谈心谈话": a due-items list must not reveal a warning sign or
a petition. Confidential triggers are a kind of their own whose list scope is
the organization department (``confidential-talk-triggers`` in the access
table); their owner sees them too, as the owner of any item does.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, CharField, F, QuerySet, Value, When
from django.db.models.functions import Concat
from django.utils.translation import gettext_noop

from cadrecare.reminders.sources import api_url, due_columns, register
from cadrecare.talks.choices import FollowUpStatus, InterviewItemStatus, TriggerKind, TriggerStatus
from cadrecare.talks.models import InterviewItem, TalkFollowUp, TalkTrigger
from cadrecare.talks.selectors import regular_talk_due_items

# Titles are stored in notices: in Chinese, whatever language the request that built the query asked for.
KIND_LABEL = Case(*(When(kind=value, then=Value(label)) for value, label in TriggerKind.choices),
                  output_field=CharField())


def _open_triggers(*, confidential: bool) -> QuerySet[TalkTrigger]:
    return TalkTrigger.objects.filter(status=TriggerStatus.OPEN, confidential=confidential)


def _trigger_columns(kind: str, title: object) -> dict:
    return due_columns(
        kind=kind, cadre_id="cadre_id", unit_id="cadre__unit_id", unit_path="cadre__unit__path",
        due_date="due_date", title=title, url=api_url("talk-triggers"), owner_id="talker_id",
        owner_unit_id="routed_to_unit_id",
    )


@register("talk_trigger", label=gettext_noop("必谈事项"), resource="talk-triggers")
def talk_triggers_due(*, today: dt.date) -> QuerySet:
    """Open must-talks that are not confidential, titled with their kind."""
    title = Concat("cadre__name", Value("：谈心谈话（"), KIND_LABEL, Value("）"), output_field=CharField())
    return _open_triggers(confidential=False).annotate(**_trigger_columns("talk_trigger", title))


@register("confidential_talk_trigger", label=gettext_noop("必谈事项（保密）"), resource="confidential-talk-triggers")
def confidential_talk_triggers_due(*, today: dt.date) -> QuerySet:
    """Open warning-signs and petition must-talks, titled without their kind."""
    title = Concat("cadre__name", Value("：谈心谈话"), output_field=CharField())
    return _open_triggers(confidential=True).annotate(**_trigger_columns("confidential_talk_trigger", title))


@register("regular_talk", label=gettext_noop("经常性谈心谈话"), resource="regular-talks")
def regular_talks_due(*, today: dt.date) -> QuerySet:
    """Every serving township cadre's next regular talk, owned by their routed
    talker (None when the post is vacant: the county organization department)."""
    return regular_talk_due_items(due_by=dt.date.max).annotate(**due_columns(
        kind="regular_talk", cadre_id="id", unit_id="unit_id", unit_path="unit__path",
        due_date="next_regular_talk_due", title=Concat("name", Value("：经常性谈心谈话"), output_field=CharField()),
        url=api_url("regular-talks"), owner_id="regular_talker_id", owner_unit_id="regular_county_id",
    ))


@register("talk_follow_up", label=gettext_noop("谈话跟进事项"), resource="talks")
def talk_follow_ups_due(*, today: dt.date) -> QuerySet:
    """Open follow-up actions agreed in talks, owned by their owner."""
    return TalkFollowUp.objects.filter(status=FollowUpStatus.OPEN).annotate(**due_columns(
        kind="talk_follow_up", cadre_id="talk__talkee_id", unit_id="talk__talkee__unit_id",
        unit_path="talk__talkee__unit__path", due_date="due_date",
        title=Concat("talk__talkee__name", Value("：谈话跟进事项"), output_field=CharField()),
        url=api_url("talks", "talk_id"), owner_id="owner_id", owner_unit_id=F("talk__talkee__unit__parent_id"),
    ))


@register("interview", label=gettext_noop("定期约谈"), resource="interview-rounds")
def interviews_due(*, today: dt.date) -> QuerySet:
    """Cadres not yet interviewed in a round, due at its end, owned by whoever
    planned the round in the county organization department."""
    return InterviewItem.objects.filter(status=InterviewItemStatus.OPEN).annotate(**due_columns(
        kind="interview", cadre_id="cadre_id", unit_id="cadre__unit_id", unit_path="cadre__unit__path",
        due_date="round__end_date", title=Concat("cadre__name", Value("：定期约谈"), output_field=CharField()),
        url=api_url("interview-rounds", "round_id"), owner_id="round__created_by_id",
        owner_unit_id="round__unit__parent_id",
    ))
