"""A due-item source for tests that need one independent of the care apps:
a 'review' of a cadre due on their township_service_start date, owned by the
township's party secretary (vacant when the township has none), open while
the cadre serves. Registered only inside ``review_source()``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models import OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Concat

from cadrecare.org.choices import CadreStatus, Role
from cadrecare.org.models import Cadre, RoleGrant
from cadrecare.reminders.sources import SOURCES, api_url, due_columns, register

KIND = "test_review"
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """``hour:minute`` of ``day`` in Shanghai, the service's time."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def review_items(*, today: dt.date) -> QuerySet:
    secretary = (
        RoleGrant.objects.filter(unit=OuterRef("unit_id"), role=Role.SECRETARY).order_by("id").values("user_id")[:1]
    )
    return Cadre.objects.filter(status=CadreStatus.SERVING, township_service_start__isnull=False).annotate(
        **due_columns(
            kind=KIND,
            cadre_id="id",
            unit_id="unit_id",
            unit_path="unit__path",
            due_date="township_service_start",
            title=Concat("name", Value("：到岗复核")),
            url=api_url("cadres"),
            owner_id=Subquery(secretary),
            owner_unit_id="unit__parent_id",
        )
    )


@contextmanager
def review_source(*, alone: bool = True) -> Iterator[None]:
    """The review kind registered for the block; ``alone`` (the default): the
    only kind, so the apps' own kinds (check-ups, talks...) do not mix into
    what is counted."""
    with only_kinds(*(() if alone else SOURCES)):
        register(KIND, label="到岗复核（测试）", resource="cadres")(review_items)
        yield


@contextmanager
def only_kinds(*kinds: str) -> Iterator[None]:
    """Only these kinds of due item registered for the block (the others back
    after it), so the kinds of other apps do not mix into what is counted."""
    saved = dict(SOURCES)
    SOURCES.clear()
    SOURCES.update({kind: saved[kind] for kind in kinds})
    try:
        yield
    finally:
        SOURCES.clear()
        SOURCES.update(saved)


def make_due(cadre: Cadre, due: dt.date) -> Cadre:
    """Give ``cadre`` an open review due on ``due``."""
    Cadre.objects.filter(pk=cadre.pk).update(township_service_start=due)
    cadre.refresh_from_db()
    return cadre


def close(cadre: Cadre) -> None:
    """The review is done: the item leaves its source."""
    Cadre.objects.filter(pk=cadre.pk).update(township_service_start=None)


class FileSmsBackend:
    """An SMS gateway for worker tests: appends each message's key to the file
    named by REMINDERS_SMS_LOG (one line per send, so a double send shows) and
    takes REMINDERS_SMS_SECONDS per message, like a real gateway's round trip."""

    def send(self, *, phone: str, text: str, key: str) -> None:
        import os
        import time

        with open(os.environ["REMINDERS_SMS_LOG"], "a", encoding="utf-8") as log:
            log.write(f"{key} {phone}\n")
        time.sleep(float(os.environ.get("REMINDERS_SMS_SECONDS", "0")))
