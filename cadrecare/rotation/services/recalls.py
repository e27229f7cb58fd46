"""Recalls (召回) and the address of a cadre's iCalendar feed of rest days."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from cadrecare.audit.services import changed_fields, written
from cadrecare.core import clock
from cadrecare.core.errors import DomainError
from cadrecare.org.models import Cadre, User
from cadrecare.rotation.choices import DayKind
from cadrecare.rotation.holiday_calendar import month_days
from cadrecare.rotation.models import Recall, RestFeed
from cadrecare.rotation.selectors import published_roster_days
from cadrecare.rotation.services.edits import _block_at
from cadrecare.rotation.services.policies import MAX_REST_DAYS


@transaction.atomic
def recall_save(
    *,
    actor: User | None,
    data: Mapping[str, Any],
    recall: Recall | None = None,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Recall:
    """Record a cadre called back during rest (flood, forest fire, inspection):
    the days lost are owed and become ``carry_days`` of a later month's
    problem. It must have happened, on a day the published roster had them
    resting, and cannot lose more days than the rest block had left. Audited
    with the fields given (a new one) or changed."""
    today = today or clock.today()
    values = {name: data.get(name, getattr(recall, name, None)) for name in ("cadre", "date", "days_lost", "reason")}
    cadre: Cadre = values["cadre"]
    if values["date"] > today:
        raise DomainError(_("召回须是已经发生的事。"), field="date")
    if not str(values["reason"] or "").strip():
        raise DomainError(_("请写明召回事由（如防汛、森林火灾、督查）。"), field="reason")
    rest = list(
        published_roster_days()
        .filter(
            cadre=cadre,
            kind=DayKind.REST,
            date__range=(values["date"].replace(day=1), month_days(values["date"].replace(day=1))[-1]),
        )
        .values_list("date", flat=True)
    )
    if rest:
        block = [d for d in _block_at(rest, values["date"]) if d >= values["date"]]
        if not block:
            raise DomainError(
                _("按已发布的排班，%(name)s 在 %(date)s 不是休息日。") % {"name": cadre.name, "date": values["date"]},
                field="date",
            )
        if values["days_lost"] > len(block):
            raise DomainError(
                _("%(date)s 起 %(name)s 的这段休息只剩 %(count)s 天。")
                % {"date": values["date"], "name": cadre.name, "count": len(block)},
                field="days_lost",
            )
    if not 1 <= values["days_lost"] <= MAX_REST_DAYS:
        raise DomainError(
            _("损失天数须在 1 至 %(MAX_REST_DAYS)s 天之间。") % {"MAX_REST_DAYS": MAX_REST_DAYS}, field="days_lost"
        )
    if recall is None:
        recall = Recall.objects.create(recorded_by=actor, **values)
        written(actor, request, "create", "recalls", recall, sorted(data))
        return recall
    before = {name: getattr(recall, name) for name in data}
    for name, value in values.items():
        setattr(recall, name, value)
    recall.save()
    written(actor, request, "update", "recalls", recall, changed_fields(recall, before))
    return recall


@transaction.atomic
def recall_delete(*, actor: User | None, recall: Recall, request: HttpRequest | None = None) -> None:
    """Remove a recall recorded by mistake."""
    written(actor, request, "delete", "recalls", recall)  # first: the row names it while it exists
    recall.delete()


# ---------------------------------------------------------------------------
# iCalendar feed address
# ---------------------------------------------------------------------------


@transaction.atomic
def rest_feed_token(*, cadre: Cadre, renew: bool = False) -> str:
    """The cadre's secret feed token, made on first use; ``renew`` replaces it
    (a leaked address stops working at once)."""
    feed = RestFeed.objects.select_for_update().filter(cadre=cadre).first()
    if feed is None or renew:
        token = secrets.token_urlsafe(32)
        RestFeed.objects.update_or_create(cadre=cadre, defaults={"token": token})
        return token
    return feed.token
