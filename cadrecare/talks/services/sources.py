"""Source events recorded here: commendations, petitions, team flags."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext

from cadrecare.audit.services import changed_fields, written
from cadrecare.core.errors import DomainError
from cadrecare.core.i18n import choice_label
from cadrecare.org.choices import CadreStatus, LeaderPost
from cadrecare.org.models import Cadre, OrgUnit, User
from cadrecare.talks.choices import CommendationKind, CommendationStatus, TriggerKind, TriggerSource
from cadrecare.talks.models import Commendation, Petition, TeamFlag
from cadrecare.talks.services.triggers import _not_future, talk_trigger_raise

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
    request: HttpRequest | None = None,
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
    given = {
        "cadre": cadre,
        "level": level,
        "title": title,
        "date": date,
        "status": status,
        "kind": kind,
        "issuing_body": issuing_body,
        "citation": citation,
    }
    written(actor, request, "create", "commendations", commendation, _named(given))
    return commendation


def _named(given: Mapping[str, Any]) -> list[str]:
    """The fields a record's create was given a value for: what its audit row names."""
    return sorted(name for name, value in given.items() if value not in (None, "", [], ()))


@transaction.atomic
def commendation_update(
    *,
    actor: User | None,
    commendation: Commendation,
    data: Mapping[str, Any],
    request: HttpRequest | None = None,
) -> Commendation:
    """Correct the level, kind, issuing body or citation, or move a
    recommendation on (the award given raises its talk then, once; the record
    stays counted as recommended)."""
    commendation = Commendation.objects.select_for_update().select_related("cadre").get(pk=commendation.pk)
    before = {name: getattr(commendation, name) for name in COMMENDATION_CORRECTABLE if name in data}
    for name in COMMENDATION_CORRECTABLE:
        if name in data:
            setattr(commendation, name, data[name].strip() if name in ("issuing_body", "citation") else data[name])
    _posthumous_only_after_death(commendation.cadre, commendation.status)
    commendation.recommended = commendation.recommended or commendation.status == CommendationStatus.RECOMMENDED
    commendation.save(update_fields=[*COMMENDATION_CORRECTABLE, "recommended"])
    _commendation_trigger(commendation, actor)
    written(actor, request, "update", "commendations", commendation, changed_fields(commendation, before))
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
    request: HttpRequest | None = None,
) -> Petition:
    """有重要信访反映: a petition marked important obliges a talk."""
    _not_future(date, "date", today)
    if not summary.strip():
        raise DomainError(gettext("请填写信访内容摘要。"), field="summary")
    petition = Petition.objects.create(
        cadre=cadre, date=date, summary=summary.strip(), seriousness=seriousness, important=important, recorded_by=actor
    )
    _petition_trigger(petition, actor)
    given = {"cadre": cadre, "date": date, "summary": summary, "seriousness": seriousness, "important": important}
    written(actor, request, "create", "petitions", petition, _named(given))
    return petition


@transaction.atomic
def petition_update(
    *,
    actor: User | None,
    petition: Petition,
    data: Mapping[str, Any],
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Petition:
    """Edit a petition; marking it important later raises its must-talk then
    (once: unmarking and marking again finds the same trigger)."""
    petition = Petition.objects.select_for_update().select_related("cadre__unit").get(pk=petition.pk)
    if "date" in data:
        _not_future(data["date"], "date", today)
    before = {name: getattr(petition, name) for name in data}
    for name, value in data.items():
        setattr(petition, name, value)
    petition.save()
    _petition_trigger(petition, actor)
    written(actor, request, "update", "petitions", petition, changed_fields(petition, before))
    return petition


@transaction.atomic
def team_flag_record(
    *,
    actor: User | None,
    unit: OrgUnit,
    date: dt.date,
    note: str,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
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
    written(actor, request, "create", "team-flags", flag, _named({"unit": unit, "date": date, "note": note}))
    return flag


@transaction.atomic
def team_flag_update(*, actor: User | None, flag: TeamFlag, note: str, request: HttpRequest | None = None) -> TeamFlag:
    """Complete or correct the account of a flag; the unit and day it names stay."""
    if not note.strip():
        raise DomainError(gettext("请填写班子不协调的情况说明。"), field="note")
    flag = TeamFlag.objects.select_for_update().get(pk=flag.pk)
    before = {"note": flag.note}
    flag.note = note.strip()
    flag.save(update_fields=["note"])
    written(actor, request, "update", "team-flags", flag, changed_fields(flag, before))
    return flag
