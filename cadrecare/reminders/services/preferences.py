"""How each person is reached (我的通知方式): channels, quiet hours, and what
the gateways report back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from cadrecare.audit.models import AuditAction
from cadrecare.audit.services import Access, audit_log
from cadrecare.core.errors import DomainError
from cadrecare.org.models import User
from cadrecare.reminders.choices import Channel, ReceiptStatus
from cadrecare.reminders.models import ChannelPreference, Delivery
from cadrecare.reminders.services.jobs import _setting


def _clock_time(text: str) -> dt.time:
    hour, minute = text.strip().split(":")
    return dt.time(int(hour), int(minute))


def quiet_hours_default() -> tuple[dt.time, dt.time] | None:
    """The service's quiet hours (``REMINDERS_QUIET_HOURS``, "18:00-08:00":
    outside working hours), or None when it has none."""
    value = str(_setting("REMINDERS_QUIET_HOURS", "18:00-08:00")).strip()
    if not value:
        return None
    start, end = value.split("-")
    return _clock_time(start), _clock_time(end)


def in_quiet_hours(moment: dt.time, start: dt.time, end: dt.time) -> bool:
    """Whether ``moment`` falls in [start, end), a window that may cross midnight."""
    if start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def recipients_resting(user_ids: Iterable[int], *, at: dt.time) -> set[int]:
    """Which of these people are in their quiet hours at ``at`` (Asia/Shanghai):
    their own, else the service's."""
    ids = set(user_ids)
    own = {
        user_id: (start, end)
        for user_id, start, end in ChannelPreference.objects.filter(
            user_id__in=ids, quiet_start__isnull=False
        ).values_list("user_id", "quiet_start", "quiet_end")
        if start is not None and end is not None  # both or neither (channel_preference_quiet_both_or_neither)
    }
    default = quiet_hours_default()
    resting = set()
    for user_id in ids:
        window = own.get(user_id, default)
        if window is not None and in_quiet_hours(at, *window):
            resting.add(user_id)
    return resting


#: The fields a person sets for themselves; their WeCom / DingTalk user ids are
#: set by administrators (from the organization's directory).
PREFERENCE_FIELDS = ("email_on", "sms_on", "wecom_on", "dingtalk_on", "quiet_start", "quiet_end")


def channels_enabled() -> list[str]:
    """The channels the service has switched on, for urgent notices or digests."""
    urgent = _setting("REMINDERS_URGENT_CHANNELS", [Channel.EMAIL, Channel.SMS])
    digest = _setting("REMINDERS_DIGEST_CHANNELS", [Channel.EMAIL])
    return list(dict.fromkeys([*urgent, *digest]))


def channel_preference_update(
    *, actor: User, data: dict[str, object], request: HttpRequest | None = None
) -> ChannelPreference:
    """Set the actor's own channels and quiet hours (only the fields given).
    Quiet hours are both times or neither, and not the same time twice."""
    changed = [name for name in PREFERENCE_FIELDS if name in data]
    with transaction.atomic():
        preference, _created = ChannelPreference.objects.select_for_update().get_or_create(user=actor)
        for name in changed:
            setattr(preference, name, data[name])
        if preference.quiet_start is None and preference.quiet_end is not None:
            raise DomainError(_("请填写免打扰开始时间（或把结束时间也清空）。"), field="quiet_start")
        if preference.quiet_end is None and preference.quiet_start is not None:
            raise DomainError(_("请填写免打扰结束时间（或把开始时间也清空）。"), field="quiet_end")
        if preference.quiet_start is not None and preference.quiet_start == preference.quiet_end:
            raise DomainError(_("免打扰结束时间不能与开始时间相同。"), field="quiet_end")
        preference.save()
        if changed:
            audit_log(
                actor=actor,
                action=AuditAction.UPDATE,
                accesses=[Access("me-channels", preference.pk, None, changed)],
                request=request,
            )
    return preference


@dataclass(frozen=True)
class Receipt:
    """One delivery receipt from an SMS gateway, in the vendor-neutral shape."""

    external_id: str
    delivered: bool
    at: dt.datetime
    error: str = ""


def delivery_receipts_record(receipts: Iterable[Receipt]) -> int:
    """Record SMS delivery receipts on the deliveries they are about (found
    by the gateway's message id); returns how many rows changed. A receipt
    for no known message is ignored (another system's, or a row deleted):
    the gateway pushes it again only on an error answer, so it is accepted."""
    changed = 0
    with transaction.atomic():
        for receipt in receipts:
            changed += Delivery.objects.filter(channel=Channel.SMS, external_id=receipt.external_id).update(
                receipt_status=ReceiptStatus.DELIVERED if receipt.delivered else ReceiptStatus.UNDELIVERED,
                receipt_at=receipt.at,
                receipt_error="" if receipt.delivered else receipt.error[:200],
            )
    return changed
