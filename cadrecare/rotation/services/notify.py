"""Notices of the rest rotation in the reminders inbox, and who hears them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from cadrecare.core import clock
from cadrecare.org.access import ACCESS
from cadrecare.org.models import OrgUnit, RoleGrant, ancestor_paths
from cadrecare.reminders.choices import Stage
from cadrecare.reminders.models import Notice
from cadrecare.reminders.services import notices_deliver_now


def notices_send(
    *,
    kind: str,
    object_id: int,
    unit_id: int,
    period: dt.date,
    due_date: dt.date,
    url: str,
    messages: Iterable[tuple[int, int | None, str, str]],
    urgent: bool = False,
) -> int:
    """In-app notices of the rest rotation in the reminders inbox, one per
    (recipient user, cadre concerned, title, body). Unique per kind, item,
    recipient and period (the reminders' key), so a retry writes none twice.
    They go out by email or SMS in the recipient's daily digest or, when
    ``urgent``, at once (their deliveries written with them)."""
    now = clock.now()
    notices = [
        Notice(
            kind=kind,
            object_id=object_id,
            recipient_id=user_id,
            stage=Stage.DUE,
            period=period,
            unit_id=unit_id,
            cadre_id=cadre_id,
            due_date=due_date,
            title=title[:200],
            body=body,
            url=url,
            created_at=now,
            urgent=urgent,
            outboxed=urgent,
        )
        for user_id, cadre_id, title, body in messages
    ]
    made = len(Notice.objects.bulk_create(notices, ignore_conflicts=True))
    if urgent and notices:
        notices_deliver_now(
            Notice.objects.filter(
                kind=kind,
                object_id=object_id,
                stage=Stage.DUE,
                period=period,
                recipient_id__in=[n.recipient_id for n in notices],
            ),
            now=now,
        )
    return made


def _holders_of(resource: str, action: str, unit: OrgUnit) -> list[tuple[int, None]]:
    """Who may do ``action`` on ``resource`` in ``unit``: holders of a role the
    access table lets do it, granted on the unit or above it."""
    roles = [role for role, rule in ACCESS[resource].items() if action in rule.actions]
    users = (
        RoleGrant.objects.filter(role__in=roles, unit__path__in=ancestor_paths(unit.path), unit__active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    return [(user_id, None) for user_id in users]
