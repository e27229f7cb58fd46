"""Shared by the care services: date and amount checks, exactly-once
recording, and opening a visit obligation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cadrecare.care.models import (
    CadreCondition,
    FamilyEvent,
    VisitObligation,
)
from cadrecare.care.selectors import care_policy_effective, visit_owner_for
from cadrecare.core.errors import ConflictError, DomainError
from cadrecare.org.models import Cadre, User

Recorded = TypeVar("Recorded", FamilyEvent, CadreCondition)


def not_future(day: dt.date | None, today: dt.date, field: str, what: str = gettext_noop("日期")) -> None:
    if day is not None and day > today:
        raise DomainError(_("%(what)s不能晚于今天。") % {"what": _(what)}, field=field)


def not_negative(amount: Decimal | None, field: str) -> None:
    if amount is not None and amount < 0:
        raise DomainError(_("金额不能为负数。"), field=field)


# ---------------------------------------------------------------------------
# Exactly-once recording (Idempotency-Key)
# ---------------------------------------------------------------------------


def replayed(model: type[Recorded], actor: User | None, request_key: str, **same: Any) -> Recorded | None:
    """The record ``actor`` already made with ``request_key``, if any. A key
    reused for a different record is a client bug: 409, not a silent mix-up."""
    if not request_key or actor is None:
        return None
    existing = model.objects.filter(recorded_by=actor, request_key=request_key).first()
    if existing is None:
        return None
    if any(getattr(existing, name) != value for name, value in same.items()):
        raise ConflictError(
            _("该请求编号（Idempotency-Key）已用于另一条登记，请换一个编号后重试。"), field="request_key"
        )
    return existing


def insert_once(
    model: type[Recorded], record: Recorded, actor: User | None, request_key: str, **same: Any
) -> Recorded | None:
    """Insert ``record`` unless a concurrent request with the same key won the
    race (the unique constraint decides); returns the winner's record then."""
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        winner = replayed(model, actor, request_key, **same)
        if winner is None:
            raise
        return winner
    return None


def deadline_after(event_date: dt.date, days: int, today: dt.date) -> dt.date:
    """``days`` after the event, but never already past when recorded: an event
    recorded late is due today at the latest."""
    return max(event_date + dt.timedelta(days=days), today)


def open_obligation(
    *,
    cadre: Cadre,
    source: str,
    reason: str,
    event_date: dt.date,
    deadline: dt.date,
    family_event: FamilyEvent | None = None,
    condition: CadreCondition | None = None,
) -> VisitObligation:
    owner = visit_owner_for(cadre, care_policy_effective(cadre.unit))
    return VisitObligation.objects.create(
        cadre=cadre,
        source=source,
        reason=reason,
        event_date=event_date,
        deadline=deadline,
        owner=owner.owner,
        owner_note=owner.note,
        owner_post=owner.post,
        owner_post_unit=owner.post_unit,
        family_event=family_event,
        condition=condition,
    )
