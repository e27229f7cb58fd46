"""Self-service's resources: a cadre's own reports, family changes and 心里话."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cadrecare.core import clock
from cadrecare.org.choices import Role
from cadrecare.org.models import Cadre, RoleGrant
from cadrecare.selfservice.choices import ReportKind
from cadrecare.selfservice.models import FamilyMemberChange, HeartMessage, SelfReport
from tests.factories import UserFactory
from tests.resources.common import Factory, ResourceCase


def _self_report_of(cadre_attr: str) -> Factory:
    def make(cast: Any) -> SelfReport:
        return SelfReport.objects.create(
            cadre=getattr(cast, cadre_attr),
            kind=ReportKind.FAMILY_EVENT,
            event_kind="grave_illness",
            date=clock.today() - dt.timedelta(days=2),
            description="父亲住院",
            confirm_by=clock.today(),
        )

    return make


def _family_change_of(cadre_attr: str) -> Factory:
    def make(cast: Any) -> FamilyMemberChange:
        return FamilyMemberChange.objects.create(
            cadre=getattr(cast, cadre_attr),
            action="create",
            proposed={"relation": "sibling", "name": "木晓兰"},
            confirm_by=clock.today(),
        )

    return make


def _message_to(cast: Any, actor: Any) -> HeartMessage:
    """A 心里话 the acting user reads: theirs if a cadre, else one addressed to the role they hold on their unit."""
    role, unit = RoleGrant.objects.filter(user=actor).values_list("role", "unit").first()
    if role == Role.CADRE:
        cadre = Cadre.objects.get(user=actor)
        return HeartMessage.objects.create(
            sender=actor,
            sender_cadre=cadre,
            addressee="secretary",
            addressee_unit=cadre.unit,
            body="想聊聊",
            answer_due=clock.today(),
        )
    addressee = "secretary" if role == Role.SECRETARY else "org_department"
    return HeartMessage.objects.create(
        sender=cast.cadre_a1_user,
        sender_cadre=cast.cadre_a1,
        addressee=addressee,
        addressee_unit_id=unit,
        body="想聊聊",
        answer_due=clock.today(),
    )


def _message_elsewhere(cast: Any, actor: Any) -> HeartMessage:
    """A 心里话 to township A2's secretary, whom nobody of the cast is."""
    return HeartMessage.objects.create(
        sender=UserFactory(),
        sender_cadre=cast.cadre_a2,
        addressee="secretary",
        addressee_unit=cast.town_a2,
        body="想聊聊",
        answer_due=clock.today(),
    )


CASES: list[ResourceCase] = [
    ResourceCase(
        "self-reports",
        make_in=_self_report_of("cadre_a1"),
        make_out=_self_report_of("cadre_b1"),
        payload=lambda c: {
            "kind": "family_event",
            "event_kind": "grave_illness",
            "date": (clock.today() - dt.timedelta(days=1)).isoformat(),
            "description": "母亲住院手术",
        },
        methods=frozenset({"list", "retrieve", "create"}),
    ),
    ResourceCase(
        "family-member-changes",
        make_in=_family_change_of("cadre_a1"),
        make_out=_family_change_of("cadre_b1"),
        payload=lambda c: {"action": "create", "proposed": {"relation": "sibling", "name": "木晓兰"}},
        methods=frozenset({"list", "retrieve", "create"}),
    ),
    ResourceCase(
        "messages",
        make_in=_message_to,
        make_out=_message_elsewhere,
        payload=lambda c: {"addressee": "secretary", "body": "最近家里有些困难，想和书记聊聊。"},
        methods=frozenset({"list", "retrieve", "create"}),
        inbox=True,
    ),
]
