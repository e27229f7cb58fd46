"""The outbox: deliveries of urgent notices and of digests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import connection
from django.db.models import DateTimeField, F, QuerySet, Value

from cadrecare.core import clock
from cadrecare.org.models import Cadre, User
from cadrecare.reminders.choices import Channel, DeliveryStatus
from cadrecare.reminders.models import ChannelPreference, Delivery, Notice
from cadrecare.reminders.services.jobs import _setting


def _addresses(user_ids: Iterable[int], channel: str) -> dict[int, str]:
    """Each person's address on ``channel``, for those who have one there and
    have not switched the channel off (我的通知方式)."""
    ids = set(user_ids)
    off = ChannelPreference.objects.filter(user_id__in=ids, **{f"{channel}_on": False}).values("user_id")
    if channel == Channel.EMAIL:
        return dict(
            User.objects.filter(pk__in=ids, is_active=True)
            .exclude(email="")
            .exclude(pk__in=off)
            .values_list("pk", "email")
        )
    if channel == Channel.SMS:
        return dict(
            Cadre.objects.filter(user_id__in=ids, user__is_active=True)
            .exclude(phone="")
            .exclude(user_id__in=off)
            .values_list("user_id", "phone")
        )
    if channel in (Channel.WECOM, Channel.DINGTALK):
        return dict(
            ChannelPreference.objects.filter(user_id__in=ids, user__is_active=True, **{f"{channel}_on": True})
            .exclude(**{f"{channel}_userid": ""})
            .values_list("user_id", f"{channel}_userid")
        )
    return {}


# Where each channel's address of a notice's recipient is found.
_ADDRESS_OF = {
    Channel.EMAIL: "recipient__email",
    Channel.SMS: "recipient__cadre__phone",
    Channel.WECOM: "recipient__channel_preference__wecom_userid",
    Channel.DINGTALK: "recipient__channel_preference__dingtalk_userid",
}


def _deliveries_for(notices: QuerySet[Notice], *, channel: str, now: dt.datetime) -> int:
    """One INSERT ... SELECT ... ON CONFLICT DO NOTHING making ``channel``'s
    deliveries of ``notices`` for recipients who have an address there."""
    address = _ADDRESS_OF[Channel(channel)]
    select = (
        notices.filter(recipient__is_active=True)
        .exclude(**{address: ""})
        .exclude(**{address: None})
        .exclude(**{f"recipient__channel_preference__{channel}_on": False})
        .order_by()
        .annotate(
            d_notice=F("id"),
            d_channel=Value(channel),
            d_recipient=F("recipient_id"),
            d_address=F(address),
            d_status=Value(DeliveryStatus.PENDING.value),
            d_attempts=Value(0),
            d_next=Value(now, output_field=DateTimeField()),
            d_error=Value(""),
            d_created=Value(now, output_field=DateTimeField()),
        )
        .values_list(
            "d_notice",
            "d_channel",
            "d_recipient",
            "d_address",
            "d_status",
            "d_attempts",
            "d_next",
            "d_error",
            "d_created",
        )
    )
    sql, params = select.query.sql_with_params()
    columns = "notice_id, channel, recipient_id, address, status, attempts, next_attempt_at, last_error, created_at"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(Delivery._meta.db_table)} ({columns}) {sql} "
            "ON CONFLICT DO NOTHING",
            params,
        )
        return max(cursor.rowcount, 0)


def notices_deliver_now(notices: QuerySet[Notice], *, now: dt.datetime | None = None) -> int:
    """Hand ``notices`` (marked urgent and outboxed by their writer) to the
    outbox at once: a delivery per urgent channel for each recipient with an
    address there, instead of waiting for the day's digest. Idempotent: a
    delivery already made is not made again."""
    now = now or clock.now()
    channels = list(_setting("REMINDERS_URGENT_CHANNELS", [Channel.EMAIL, Channel.SMS]))
    return sum(_deliveries_for(notices, channel=channel, now=now) for channel in channels)
