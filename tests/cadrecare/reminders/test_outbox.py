"""The outbox (docs/reliability.md): deliveries claimed under a row
lock, each sent by one conditional claim, retried with backoff, failed after
the last attempt without holding up the others; one digest a day per person."""

from __future__ import annotations

import datetime as dt
import socket
from typing import Any

import pytest
from django.core import mail
from django.test import override_settings

from cadrecare.reminders.choices import DeliveryStatus, Stage
from cadrecare.reminders.models import Delivery, Digest, JobRun, Notice
from cadrecare.reminders.services import deliveries_dispatch, delivery_send, digest_build, reminders_scan
from cadrecare.rotation.services import PUBLISHED_NOTICE_KIND, notices_send
from config.celery import app
from scheduler.tasks.reminders import delivery_send_task
from tests.cadrecare.reminders.support import at, close, make_due
from tests.factories import CadreFactory

DUE = dt.date(2026, 3, 16)


pytestmark = pytest.mark.usefixtures("review_source_alone")


@pytest.fixture
def emails(cast: Any) -> Any:
    for user, address in (
        (cast.secretary_a1, "shuji@shitou.gov.cn"),
        (cast.county_a_staff, "staff@yulong.gov.cn"),
        (cast.county_a_admin, "admin@yulong.gov.cn"),
        (cast.city_admin, "admin@lijiang.gov.cn"),
    ):
        user.email = address
        user.save()
    return cast


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def dispatch_and_send(now: dt.datetime) -> list[str]:
    """What beat + the worker do each minute: claim, then send each claimed row."""
    return [delivery_send(delivery_id=pk, now=now) for pk in deliveries_dispatch(now=now)]


def test_an_escalation_is_emailed_at_once_in_chinese(emails: Any, django_capture_on_commit_callbacks: Any) -> None:
    # given an item 7 days late scanned at 01:05
    make_due(emails.cadre_a1, DUE)
    now = at(DUE + dt.timedelta(days=7), 1, 5)
    reminders_scan(now=now)

    # when the dispatcher runs a minute later
    with django_capture_on_commit_callbacks(execute=False) as enqueued:
        claimed = deliveries_dispatch(now=now + dt.timedelta(minutes=1))
    results = [delivery_send(delivery_id=pk, now=now) for pk in claimed]

    # then one send task per claimed row was enqueued after commit, and both county officers got the email
    assert len(enqueued) == 1 and results == ["sent", "sent"]
    assert sorted(m.to[0] for m in mail.outbox) == ["admin@yulong.gov.cn", "staff@yulong.gov.cn"]
    assert "县委组织部督办" in mail.outbox[0].body and "已逾期7天" in mail.outbox[0].body
    assert mail.outbox[0].subject.startswith("【干部关爱提醒】逾期督办")
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_a_delivery_is_never_sent_twice_once_marked_sent(emails: Any) -> None:
    # given an escalation sent
    make_due(emails.cadre_a1, DUE)
    now = at(DUE + dt.timedelta(days=7), 1)
    reminders_scan(now=now)
    delivery = Delivery.objects.filter(recipient=emails.county_a_staff).get()
    assert delivery_send(delivery_id=delivery.pk, now=now) == "sent"

    # when the same task is delivered again (redelivery, a second worker) and the dispatcher runs
    again = delivery_send(delivery_id=delivery.pk, now=now)
    dispatch_and_send(now + dt.timedelta(hours=1))

    # then nothing more went out to that person
    assert again == "skipped"
    assert [m.to[0] for m in mail.outbox].count("staff@yulong.gov.cn") == 1


def test_a_failing_channel_is_retried_with_backoff_then_marked_failed_without_holding_up_others(
    emails: Any, settings: Any
) -> None:
    # given escalation emails and SMS queued, and an SMTP server that refuses connections
    emails.cadre_a2.user = emails.county_a_staff
    emails.cadre_a2.save()
    make_due(emails.cadre_a1, DUE)
    now = at(DUE + dt.timedelta(days=7), 1)
    reminders_scan(now=now)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _closed_port(), 2
    settings.REMINDERS_MAX_ATTEMPTS = 3

    # when the dispatcher runs every minute for three hours
    results = []
    for minute in range(0, 180):
        results += dispatch_and_send(now + dt.timedelta(minutes=minute))

    # then the SMS went out at once, and each email was tried 3 times, 1 then 2 minutes apart, then failed
    sms = Delivery.objects.get(channel="sms")
    assert sms.status == DeliveryStatus.SENT and sms.attempts == 1
    failed = Delivery.objects.filter(channel="email")
    assert failed.count() == 2
    for delivery in failed:
        assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 3
        assert "ConnectionRefusedError" in delivery.last_error
    assert results.count("retry") == 4 and results.count("failed") == 2 and results.count("sent") == 1


def test_a_claimed_delivery_whose_task_was_lost_is_claimed_again_after_its_lease(emails: Any) -> None:
    # given an escalation claimed by a dispatcher whose send tasks never ran (broker lost them)
    make_due(emails.cadre_a1, DUE)
    now = at(DUE + dt.timedelta(days=7), 1)
    reminders_scan(now=now)
    first = deliveries_dispatch(now=now)

    # when the dispatcher runs within the lease (a minute), then after it
    within = deliveries_dispatch(now=now + dt.timedelta(seconds=50))
    after = dispatch_and_send(now + dt.timedelta(seconds=70))

    # then the rows are not claimed twice at once, but are sent after the lease ran out
    assert len(first) == 2 and within == []
    assert after == ["sent", "sent"]


def test_a_delivery_left_sending_by_a_killed_worker_is_sent_again_after_its_lease(emails: Any) -> None:
    # given a worker that claimed a delivery for sending and died before marking it
    make_due(emails.cadre_a1, DUE)
    now = at(DUE + dt.timedelta(days=7), 1)
    reminders_scan(now=now)
    delivery = Delivery.objects.filter(recipient=emails.county_a_staff).get()
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENDING, claimed_until=now + dt.timedelta(minutes=12), attempts=1
    )

    # when the dispatcher runs before and after that lease
    before = dispatch_and_send(now + dt.timedelta(minutes=1))
    after = dispatch_and_send(now + dt.timedelta(minutes=13))

    # then the row is recovered and sent once (at least once: the dead worker may have sent it too)
    delivery.refresh_from_db()
    assert "sent" in before and after == ["sent"]
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 2
    assert JobRun.objects.filter(name="reminders_dispatch", detail__recovered=1).count() == 1


def test_a_duplicate_send_message_waits_for_the_backoff(emails: Any) -> None:
    # given an escalation whose first send failed and waits 1 minute before the next try
    make_due(emails.cadre_a1, DUE)
    now = at(DUE + dt.timedelta(days=7), 1)
    reminders_scan(now=now)
    delivery = Delivery.objects.filter(recipient=emails.county_a_staff).get()
    Delivery.objects.filter(pk=delivery.pk).update(attempts=1, next_attempt_at=now + dt.timedelta(minutes=1))

    # when a copy of its send message arrives at once (a redelivery, a second dispatcher's), then after the backoff
    early = delivery_send(delivery_id=delivery.pk, now=now + dt.timedelta(seconds=10))
    later = delivery_send(delivery_id=delivery.pk, now=now + dt.timedelta(minutes=1))

    # then the early copy does nothing, and the send goes out when it is due
    delivery.refresh_from_db()
    assert (early, later) == ("skipped", "sent")
    assert delivery.attempts == 2 and len(mail.outbox) == 1


def test_a_sender_killed_on_the_last_attempt_leaves_the_delivery_failed_with_the_reason(
    emails: Any, settings: Any
) -> None:
    # given a delivery whose sender died mid-send on its last attempt
    settings.REMINDERS_MAX_ATTEMPTS = 3
    make_due(emails.cadre_a1, DUE)
    now = at(DUE + dt.timedelta(days=7), 1)
    reminders_scan(now=now)
    delivery = Delivery.objects.filter(recipient=emails.county_a_staff).get()
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENDING, attempts=3, claimed_until=now + dt.timedelta(minutes=1)
    )

    # when the dispatcher runs after the send lease
    dispatch_and_send(now + dt.timedelta(minutes=2))

    # then it is failed with the reason, not sent again, and the dispatch run counts it
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 3
    assert "发送进程中断" in delivery.last_error
    assert JobRun.objects.filter(name="reminders_dispatch", detail__failed=1).count() == 1
    assert [m.to[0] for m in mail.outbox].count("staff@yulong.gov.cn") == 0


def test_a_lease_run_out_behind_a_send_backlog_is_not_claimed_again(emails: Any) -> None:
    # given escalations claimed, and their messages still waiting in the sends queue behind others
    make_due(emails.cadre_a1, DUE)
    now = at(DUE + dt.timedelta(days=7), 1)
    reminders_scan(now=now)
    app.control.purge()
    assert len(deliveries_dispatch(now=now)) == 2
    delivery_send_task.apply_async((0,))
    try:
        # when the dispatcher runs after the claim lease
        behind = deliveries_dispatch(now=now + dt.timedelta(minutes=2))
    finally:
        app.control.purge()
    # and again once the queue has drained (the messages were lost after all)
    drained = deliveries_dispatch(now=now + dt.timedelta(minutes=2))

    # then nothing is claimed twice while the queue holds messages, and everything once it is empty
    assert behind == [] and len(drained) == 2


def test_non_urgent_notices_go_out_as_one_digest_a_day_from_the_digest_time(emails: Any) -> None:
    # given three of township A1's items overdue, scanned at 01:05
    for cadre in (emails.cadre_a1, CadreFactory(unit=emails.town_a1), CadreFactory(unit=emails.town_a1)):
        make_due(cadre, DUE)
    today = DUE + dt.timedelta(days=2)
    reminders_scan(now=at(today, 1, 5))

    # when the digest job runs before 08:00, at 08:00 and again at 09:00, and the outbox is drained
    early = digest_build(now=at(today, 7))
    digest_build(now=at(today, 8))
    digest_build(now=at(today, 9))
    dispatch_and_send(at(today, 9, 1))

    # then nothing happened early; the secretary got one email listing the three items
    assert early is None
    assert Digest.objects.count() == 1
    assert [m.to for m in mail.outbox] == [["shuji@shitou.gov.cn"]]
    assert "共3项" in mail.outbox[0].subject and mail.outbox[0].body.count("已逾期2天") == 3
    assert Notice.objects.filter(digest__isnull=True).count() == 0


def test_a_notice_made_after_the_days_digest_waits_for_the_next_one(emails: Any) -> None:
    # given the secretary's digest went out at 08:00
    make_due(emails.cadre_a1, DUE)
    reminders_scan(now=at(DUE, 1))
    digest_build(now=at(DUE, 8))

    # when a new item falls due that day (scanned at 10:00), and the digest job runs at 11:00 and next morning
    make_due(emails.cadre_a2, DUE)
    emails.cadre_a2.unit = emails.town_a1
    emails.cadre_a2.save()
    reminders_scan(now=at(DUE, 10))
    digest_build(now=at(DUE, 11))
    waiting_at_11 = Notice.objects.filter(digest__isnull=True).count()
    next_day = DUE + dt.timedelta(days=1)
    reminders_scan(now=at(next_day, 1))
    digest_build(now=at(next_day, 8))

    # then the day had one digest, and the late notice went out the next morning with that day's
    assert waiting_at_11 == 1
    assert list(Digest.objects.order_by("day").values_list("day", flat=True)) == [DUE, next_day]
    assert Digest.objects.get(day=next_day).notices.count() == 1 + 2


@override_settings(REMINDERS_URGENT_CHANNELS=[])
def test_in_app_notices_need_no_channel(emails: Any) -> None:
    # given no outside channel configured for urgent notices
    make_due(emails.cadre_a1, DUE)

    # when an escalation is made
    reminders_scan(today=DUE + dt.timedelta(days=7))

    # then the notice is there in the app and nothing is queued
    assert Notice.objects.filter(stage=Stage.COUNTY).count() == 2
    assert not Delivery.objects.exists()


def test_an_announcement_goes_out_in_the_digest_with_the_due_items(emails: Any) -> None:
    # given an overdue item of township A1 scanned at 01:00, and an in-app announcement to its secretary
    # (a notice of a kind no due-item source registers: here a roster published)
    make_due(emails.cadre_a1, DUE)
    today = DUE + dt.timedelta(days=1)
    reminders_scan(now=at(today, 1))
    notices_send(
        kind=PUBLISHED_NOTICE_KIND,
        object_id=1,
        unit_id=emails.town_a1.pk,
        period=today,
        due_date=today,
        url="/api/v1/rosters/1/",
        messages=[(emails.secretary_a1.pk, None, "石头乡4月轮休排班已发布", "…")],
    )

    # when the digest goes at 08:00
    run = digest_build(now=at(today, 8))
    dispatch_and_send(at(today, 8, 1))

    # then the one email lists both
    assert "共2项" in mail.outbox[0].subject
    assert "[通知] 石头乡4月轮休排班已发布：…" in mail.outbox[0].body.splitlines()[2]
    assert run.detail["done_since_scan"] == 0


def test_an_item_done_between_the_scan_and_the_digest_is_left_out_of_it(emails: Any) -> None:
    # given two of township A1's items overdue, scanned at 01:00
    other = CadreFactory(unit=emails.town_a1)
    for cadre in (emails.cadre_a1, other):
        make_due(cadre, DUE)
    today = DUE + dt.timedelta(days=1)
    reminders_scan(now=at(today, 1))

    # when one is done at 07:00 and the digest goes at 08:00
    close(other)
    run = digest_build(now=at(today, 8))
    dispatch_and_send(at(today, 8, 1))

    # then the digest lists only the open one; the other's notice stays in the inbox
    assert "共1项" in mail.outbox[0].subject and "木晓梅" in mail.outbox[0].body
    assert run.detail["done_since_scan"] == 1
    assert Notice.objects.filter(cadre=other).exists()
