"""Writes on the six must-talks: raising triggers from their source events
exactly once, recording the source events, holding talks and interviews.

Every function is keyword-only, owns its transaction and takes ``today`` so
tests control the clock (default: cadrecare.core.clock.today()).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext

from cadrecare.core import clock
from cadrecare.core.errors import DomainError, ForbiddenError
from cadrecare.core.i18n import choice_label
from cadrecare.core.privacy import Level
from cadrecare.org import scoping
from cadrecare.org.choices import ENDED_STATUSES, SECTION_LEVEL_RANKS, CadreStatus, EndReason, LeaderPost, UnitKind
from cadrecare.org.models import Cadre, OrgUnit, PostChange, User
from cadrecare.org.services import ServiceEnded, open_items_cancel
from cadrecare.talks.choices import (
    CONFIDENTIAL_KINDS,
    CommendationKind,
    CommendationStatus,
    FollowUpStatus,
    InterviewItemStatus,
    TalkeeGroup,
    TalkerPost,
    TriggerKind,
    TriggerSource,
    TriggerStatus,
)
from cadrecare.talks.models import (
    Commendation,
    InterviewItem,
    InterviewRound,
    Petition,
    Talk,
    TalkFollowUp,
    TalkPolicy,
    TalkRoute,
    TalkTrigger,
    TeamFlag,
)
from cadrecare.talks.routing import talk_routing, trigger_due_date

if TYPE_CHECKING:
    from cadrecare.care.models import FamilyEvent

# ---------------------------------------------------------------------------
# Configuration: who talks with whom (谈话分工) and the due days (谈话期限)
# ---------------------------------------------------------------------------

MAX_DUE_DAYS = 90
MAX_CADENCE_MONTHS = 60


@transaction.atomic
def talk_route_save(
    *,
    actor: User | None,
    county: OrgUnit,
    talkee_group: str,
    talker_post: str,
    talker_leader_post: str,
    talker_unit: OrgUnit | None = None,
    cadence_months: int,
) -> tuple[TalkRoute, bool]:
    """Set who in ``county`` talks with one talkee group and how often at
    least (the county's own row replaces the seed's default for that group);
    returns the row and whether it is new. A talker unit, when named, must be
    the county or a unit in it."""
    if county.kind != UnitKind.COUNTY:
        raise DomainError(gettext("谈话分工按县（区）设置，请选择一个县（区）。"), field="county")
    if talkee_group not in TalkeeGroup.values:
        raise DomainError(gettext("请选择谈话对象。"), field="talkee_group")
    if talker_post not in TalkerPost.values:
        raise DomainError(gettext("请选择谈话人岗位。"), field="talker_post")
    if talker_leader_post not in LeaderPost.values or talker_leader_post == LeaderPost.NONE:
        raise DomainError(gettext("请选择谈话人的班子职务。"), field="talker_leader_post")
    if talker_unit is not None and not talker_unit.path.startswith(county.path):
        raise DomainError(
            gettext("谈话人所在单位应是%(name)s或其下属单位。") % {"name": county.name}, field="talker_unit"
        )
    if not 1 <= cadence_months <= MAX_CADENCE_MONTHS:
        raise DomainError(
            gettext("经常性谈话周期应在 1 到 %(MAX_CADENCE_MONTHS)s 个月之间。")
            % {"MAX_CADENCE_MONTHS": MAX_CADENCE_MONTHS},
            field="cadence_months",
        )
    route, created = TalkRoute.objects.select_for_update().update_or_create(
        county=county,
        talkee_group=talkee_group,
        defaults={
            "talker_post": talker_post,
            "talker_leader_post": talker_leader_post,
            "talker_unit": talker_unit,
            "cadence_months": cadence_months,
        },
    )
    return route, created


@transaction.atomic
def talk_due_days_set(
    *, actor: User | None, unit: OrgUnit, due_days: Mapping[str, int | None]
) -> list[tuple[str, TalkPolicy]]:
    """Set a unit's own due days per must-talk kind; None removes the unit's
    own setting, so the kind follows the unit above (or the default). Returns
    what changed as (create / update / delete, row) for the caller's audit."""
    for kind, days in due_days.items():
        if kind not in TriggerKind.values:
            raise DomainError(gettext("没有这种谈话情形。"), field=kind)
        if days is not None and not 1 <= days <= MAX_DUE_DAYS:
            raise DomainError(
                gettext("应谈期限应在 1 到 %(MAX_DUE_DAYS)s 天之间，留空则沿用上级设置。")
                % {"MAX_DUE_DAYS": MAX_DUE_DAYS},
                field=kind,
            )
    own = {policy.kind: policy for policy in TalkPolicy.objects.select_for_update().filter(unit=unit)}
    changes: list[tuple[str, TalkPolicy]] = []
    for kind, days in due_days.items():
        policy = own.get(kind)
        if days is None and policy is not None:
            TalkPolicy.objects.filter(pk=policy.pk).delete()  # the row keeps its id for the audit
            changes.append(("delete", policy))
        elif days is not None and policy is None:
            changes.append(("create", TalkPolicy.objects.create(unit=unit, kind=kind, due_days=days)))
        elif days is not None and policy is not None and policy.due_days != days:
            policy.due_days = days
            policy.save(update_fields=["due_days"])
            changes.append(("update", policy))
    return changes


# ---------------------------------------------------------------------------
# Triggers (六必谈)
# ---------------------------------------------------------------------------


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


def talk_trigger_create(
    *,
    actor: User | None,
    cadre: Cadre,
    kind: str,
    event_date: dt.date,
    note: str = "",
    source_key: str = "",
    today: dt.date | None = None,
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
    return trigger


@transaction.atomic
def talk_trigger_update(*, actor: User, trigger: TalkTrigger, data: Mapping[str, Any]) -> TalkTrigger:
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
    if "talker" in data and (data["talker"] != trigger.talker or trigger.owner_post):
        trigger.talker = data["talker"]
        trigger.talker_post = f"由{actor}指派" if data["talker"] is not None else ""
        trigger.routing_note = "" if data["talker"] is not None else "已撤回指派，由县委组织部安排谈话。"
        trigger.owner_post, trigger.owner_post_unit = "", None
    for name in ("due_date", "note"):
        if name in data:
            setattr(trigger, name, data[name])
    trigger.save()
    return trigger


@transaction.atomic
def talk_trigger_waive(*, actor: User, trigger: TalkTrigger, reason: str) -> TalkTrigger:
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
    return trigger


# ---------------------------------------------------------------------------
# What ends with a cadre's service, or with their leaving a unit
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Source events recorded here: commendations, petitions, team flags
# ---------------------------------------------------------------------------


#: What a registered commendation may still be corrected in (its cadre, title and date name it).
COMMENDATION_CORRECTABLE = ("level", "kind", "status", "issuing_body", "citation")


@transaction.atomic
def commendation_record(
    *,
    actor: User | None,
    cadre: Cadre,
    level: str,
    title: str,
    date: dt.date,
    status: str = CommendationStatus.AWARDED,
    kind: str = CommendationKind.COMMENDATION,
    issuing_body: str = "",
    citation: str = "",
    today: dt.date | None = None,
) -> Commendation:
    """The register's entry. 取得突出成绩: an award given obliges a talk; a
    recommendation waits for the award, a posthumous one obliges none. The
    same commendation sent twice (cadre, title, date) is one record and one trigger."""
    _not_future(date, "date", today)
    _posthumous_only_after_death(cadre, status)
    if not title.strip():
        raise DomainError(gettext("请填写表彰名称。"), field="title")
    commendation, _ = Commendation.objects.get_or_create(
        cadre=cadre,
        title=title.strip(),
        date=date,
        defaults={
            "level": level,
            "kind": kind,
            "status": status,
            "recommended": status == CommendationStatus.RECOMMENDED,
            "issuing_body": issuing_body.strip(),
            "citation": citation.strip(),
            "recorded_by": actor,
        },
    )
    _commendation_trigger(commendation, actor)
    return commendation


@transaction.atomic
def commendation_update(*, actor: User | None, commendation: Commendation, data: dict[str, Any]) -> Commendation:
    """Correct the level, kind, issuing body or citation, or move a
    recommendation on (the award given raises its talk then, once; the record
    stays counted as recommended)."""
    commendation = Commendation.objects.select_for_update().select_related("cadre").get(pk=commendation.pk)
    for name in COMMENDATION_CORRECTABLE:
        if name in data:
            setattr(commendation, name, data[name].strip() if name in ("issuing_body", "citation") else data[name])
    _posthumous_only_after_death(commendation.cadre, commendation.status)
    commendation.recommended = commendation.recommended or commendation.status == CommendationStatus.RECOMMENDED
    commendation.save(update_fields=[*COMMENDATION_CORRECTABLE, "recommended"])
    _commendation_trigger(commendation, actor)
    return commendation


def _posthumous_only_after_death(cadre: Cadre, status: str) -> None:
    if status == CommendationStatus.POSTHUMOUS and cadre.status != CadreStatus.DECEASED:
        raise DomainError(
            gettext("追授只适用于已去世的干部，%(name)s的状态是“%(label)s”。")
            % {"name": cadre.name, "label": choice_label(CadreStatus(cadre.status).label)},
            field="status",
        )


def _commendation_trigger(commendation: Commendation, actor: User | None) -> None:
    if commendation.status == CommendationStatus.AWARDED:
        talk_trigger_raise(
            cadre=commendation.cadre,
            kind=TriggerKind.ACHIEVEMENT,
            source=TriggerSource.COMMENDATION,
            source_key=str(commendation.pk),
            event_date=commendation.date,
            actor=actor,
            links={"commendation": commendation},
        )


def _petition_trigger(petition: Petition, actor: User | None) -> None:
    if petition.important:
        talk_trigger_raise(
            cadre=petition.cadre,
            kind=TriggerKind.PETITION,
            source=TriggerSource.PETITION,
            source_key=str(petition.pk),
            event_date=petition.date,
            actor=actor,
            links={"petition": petition},
        )


@transaction.atomic
def petition_record(
    *,
    actor: User | None,
    cadre: Cadre,
    date: dt.date,
    summary: str,
    seriousness: str,
    important: bool = False,
    today: dt.date | None = None,
) -> Petition:
    """有重要信访反映: a petition marked important obliges a talk."""
    _not_future(date, "date", today)
    if not summary.strip():
        raise DomainError(gettext("请填写信访内容摘要。"), field="summary")
    petition = Petition.objects.create(
        cadre=cadre, date=date, summary=summary.strip(), seriousness=seriousness, important=important, recorded_by=actor
    )
    _petition_trigger(petition, actor)
    return petition


@transaction.atomic
def petition_update(
    *, actor: User | None, petition: Petition, data: Mapping[str, Any], today: dt.date | None = None
) -> Petition:
    """Edit a petition; marking it important later raises its must-talk then
    (once: unmarking and marking again finds the same trigger)."""
    petition = Petition.objects.select_for_update().select_related("cadre__unit").get(pk=petition.pk)
    if "date" in data:
        _not_future(data["date"], "date", today)
    for name, value in data.items():
        setattr(petition, name, value)
    petition.save()
    _petition_trigger(petition, actor)
    return petition


@transaction.atomic
def team_flag_record(
    *, actor: User | None, unit: OrgUnit, date: dt.date, note: str, today: dt.date | None = None
) -> TeamFlag:
    """班子不协调: the organization department flags a unit's team; every
    serving leadership member of the unit gets a must-talk. The same unit
    flagged twice on one day is one flag."""
    _not_future(date, "date", today)
    if not note.strip():
        raise DomainError(gettext("请填写班子不协调的情况说明。"), field="note")
    leaders = list(
        Cadre.objects.filter(unit=unit, status=CadreStatus.SERVING)
        .exclude(leader_post=LeaderPost.NONE)
        .select_related("unit")
        .order_by("id")
    )
    if not leaders:
        raise DomainError(gettext("该单位没有在职的班子成员。"), field="unit")
    flag, _ = TeamFlag.objects.get_or_create(unit=unit, date=date, defaults={"note": note.strip(), "flagged_by": actor})
    for leader in leaders:
        talk_trigger_raise(
            cadre=leader,
            kind=TriggerKind.TEAM_DISCORD,
            source=TriggerSource.TEAM_FLAG,
            source_key=str(flag.pk),
            event_date=date,
            actor=actor,
            links={"team_flag": flag},
        )
    return flag


# ---------------------------------------------------------------------------
# Talks
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Scheduled interviews (定期约谈)
# ---------------------------------------------------------------------------


@transaction.atomic
def interview_round_plan(
    *,
    actor: User | None,
    unit: OrgUnit,
    title: str,
    start_date: dt.date,
    end_date: dt.date,
    interviewers: Sequence[User],
) -> InterviewRound:
    """Plan a round of interviews with a township's serving section-level
    cadres (正科/副科 and the 主任科员 ranks): one item per cadre, closed by their interview."""
    if unit.kind != UnitKind.TOWNSHIP:
        raise DomainError(gettext("定期约谈的对象单位须为乡镇（街道）。"), field="unit")
    if end_date < start_date:
        raise DomainError(gettext("结束日期不能早于开始日期。"), field="end_date")
    if not interviewers:
        raise DomainError(gettext("请至少选择一名约谈人。"), field="interviewers")
    cadre_ids = list(
        Cadre.objects.filter(unit=unit, status=CadreStatus.SERVING, rank__in=SECTION_LEVEL_RANKS)
        .order_by("id")
        .values_list("id", flat=True)
    )
    if not cadre_ids:
        raise DomainError(gettext("该乡镇没有在职的科级干部。"), field="unit")
    round_ = InterviewRound.objects.create(
        unit=unit, title=title.strip(), start_date=start_date, end_date=end_date, created_by=actor
    )
    round_.interviewers.set(interviewers)
    InterviewItem.objects.bulk_create(InterviewItem(round=round_, cadre_id=cadre_id) for cadre_id in cadre_ids)
    return round_
