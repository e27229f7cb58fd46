"""The must-talks' due items, for the reminders (the source contract
in cadrecare.reminders.sources): open triggers (owner: the holder of the
talker's post on the day, or the talker named by hand; the county
organization department when the post is vacant), regular talks,
follow-up actions and scheduled-interview items, each one SQL query.

Titles say only "谈心谈话": a due-items list must not reveal a warning sign or
a petition. Confidential triggers are a kind of their own whose list scope is
the organization department (``confidential-talk-triggers`` in the access
table); their owner sees them too, as the owner of any item does.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, CharField, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import Combinable
from django.db.models.functions import Concat
from django.utils.translation import gettext_noop

from cadrecare.org import posts
from cadrecare.org.choices import CadreStatus, UnitKind
from cadrecare.org.models import OrgUnit, User
from cadrecare.reminders.sources import (
    api_url,
    due_columns,
    org_department_unit_ids,
    post_items_owned_within,
    register,
)
from cadrecare.talks.choices import FollowUpStatus, InterviewItemStatus, TriggerKind, TriggerStatus
from cadrecare.talks.models import InterviewItem, TalkFollowUp, TalkRoute, TalkTrigger
from cadrecare.talks.selectors import regular_talk_due_items

# Titles are stored in notices: in Chinese, whatever language the request that built the query asked for.
KIND_LABEL = Case(
    *(When(kind=value, then=Value(label)) for value, label in TriggerKind.choices), output_field=CharField()
)


def _open_triggers(*, confidential: bool) -> QuerySet[TalkTrigger]:
    return TalkTrigger.objects.filter(status=TriggerStatus.OPEN, confidential=confidential)


def _trigger_columns(kind: str, title: Combinable | str, today: dt.date) -> dict:
    """A trigger given to a post is owned by its holder on ``today``, and while
    the post is vacant by the organization department of the talkee's county
    (a township's parent); one assigned by hand by its talker, or by the
    organization department of the unit it was routed to."""
    return due_columns(
        kind=kind,
        cadre_id="cadre_id",
        unit_id="cadre__unit_id",
        unit_path="cadre__unit__path",
        due_date="due_date",
        title=title,
        url=api_url("talk-triggers"),
        owner_id=posts.owner_id("talker", today),
        owner_unit_id=Case(
            When(posts.BY_POST, then=F("cadre__unit__parent_id")),
            default=F("routed_to_unit_id"),
            output_field=IntegerField(),
        ),
    )


_triggers_owned_within = post_items_owned_within("talker_id", "routed_to_unit_id", "cadre__unit__parent_id")


@register("talk_trigger", label=gettext_noop("必谈事项"), resource="talk-triggers", owned_within=_triggers_owned_within)
def talk_triggers_due(*, today: dt.date) -> QuerySet:
    """Open must-talks that are not confidential, titled with their kind."""
    title = Concat("cadre__name", Value("：谈心谈话（"), KIND_LABEL, Value("）"), output_field=CharField())
    return _open_triggers(confidential=False).annotate(**_trigger_columns("talk_trigger", title, today))


@register(
    "confidential_talk_trigger",
    label=gettext_noop("必谈事项（保密）"),
    resource="confidential-talk-triggers",
    owned_within=_triggers_owned_within,
)
def confidential_talk_triggers_due(*, today: dt.date) -> QuerySet:
    """Open warning-signs and petition must-talks, titled without their kind."""
    title = Concat("cadre__name", Value("：谈心谈话"), output_field=CharField())
    return _open_triggers(confidential=True).annotate(**_trigger_columns("confidential_talk_trigger", title, today))


def _regular_talks_owned_within(user: User) -> Q | None:
    """Where the regular talks a user owns lie. The talker holds a leader post
    in the unit their route names (``with_regular_talker``): the talkee's own
    township, the talkee's county, the county's organization department (an
    agency under the county) or the unit a county's TalkRoute configures. So
    the talkee's unit is one of the user's own post units, or its county is,
    or is the county above the user's agency, or routes to the user's unit; a
    vacant post falls to the county's organization department. An acting
    holder's units count as their own (cadrecare.org.posts). The units
    are read first (one small query) and given as a list: so PostgreSQL
    reads only those townships' cadres, by index, before any owner's
    subquery runs (as a subquery, it ran them for every cadre first)."""
    acting = [unit for unit, _post in posts.posts_held(user, None)]
    own = list(
        OrgUnit.objects.filter(Q(cadres__user=user, cadres__status=CadreStatus.SERVING) | Q(pk__in=acting))
        .distinct()
        .values_list("id", "kind", "parent_id")
    )
    units = [unit for unit, _kind, _parent in own]
    agency_counties = [parent for _unit, kind, parent in own if kind == UnitKind.COUNTY_AGENCY]
    routed = TalkRoute.objects.filter(talker_unit_id__in=units).values("county_id")
    counties = Q(parent_id__in=units) | Q(parent_id__in=agency_counties) | Q(parent_id__in=routed)
    org_units = org_department_unit_ids(user)
    if not units and not org_units:
        return None
    townships = OrgUnit.objects.filter(Q(pk__in=units) | counties | Q(parent_id__in=org_units))
    return Q(unit_id__in=list(townships.values_list("id", flat=True)))


@register(
    "regular_talk",
    label=gettext_noop("经常性谈心谈话"),
    resource="regular-talks",
    owned_within=_regular_talks_owned_within,
)
def regular_talks_due(*, today: dt.date) -> QuerySet:
    """Every serving township cadre's next regular talk, owned by their routed
    talker (None when the post is vacant: the county organization department)."""
    return regular_talk_due_items(due_by=dt.date.max).annotate(
        **due_columns(
            kind="regular_talk",
            cadre_id="id",
            unit_id="unit_id",
            unit_path="unit__path",
            due_date="next_regular_talk_due",
            title=Concat("name", Value("：经常性谈心谈话"), output_field=CharField()),
            url=api_url("regular-talks"),
            owner_id="regular_talker_id",
            owner_unit_id="regular_county_id",
        )
    )


@register("talk_follow_up", label=gettext_noop("谈话跟进事项"), resource="talks")
def talk_follow_ups_due(*, today: dt.date) -> QuerySet:
    """Open follow-up actions agreed in talks, owned by their owner."""
    return TalkFollowUp.objects.filter(status=FollowUpStatus.OPEN).annotate(
        **due_columns(
            kind="talk_follow_up",
            cadre_id="talk__talkee_id",
            unit_id="talk__talkee__unit_id",
            unit_path="talk__talkee__unit__path",
            due_date="due_date",
            title=Concat("talk__talkee__name", Value("：谈话跟进事项"), output_field=CharField()),
            url=api_url("talks", "talk_id"),
            owner_id="owner_id",
            owner_unit_id=F("talk__talkee__unit__parent_id"),
        )
    )


@register("interview", label=gettext_noop("定期约谈"), resource="interview-rounds")
def interviews_due(*, today: dt.date) -> QuerySet:
    """Cadres not yet interviewed in a round, due at its end, owned by whoever
    planned the round in the county organization department."""
    return InterviewItem.objects.filter(status=InterviewItemStatus.OPEN).annotate(
        **due_columns(
            kind="interview",
            cadre_id="cadre_id",
            unit_id="cadre__unit_id",
            unit_path="cadre__unit__path",
            due_date="round__end_date",
            title=Concat("cadre__name", Value("：定期约谈"), output_field=CharField()),
            url=api_url("interview-rounds", "round_id"),
            owner_id="round__created_by_id",
            owner_unit_id="round__unit__parent_id",
        )
    )
