"""A feasible draft reaches the secretary at once: when the month's first
valid draft is written, whoever may publish the township's roster gets an
in-app notice (sent on in their digest) saying it is ready to review and by
when it must be published; the workbench links it to the roster."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cadrecare.reminders.models import Notice
from cadrecare.rotation.choices import Mode, RunStatus
from cadrecare.rotation.models import GenerationItem, RotationPolicy
from cadrecare.rotation.services import generation_item_run, generation_request
from tests.cadrecare.rotation.conftest import MARCH_2027, solved_draft
from tests.factories import RoleGrantFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_first_valid_draft_tells_the_secretary_to_review_it_by_the_deadline(cast: Any, client_for: Any) -> None:
    # given a second login who may publish 石头乡's roster (a deputy secretary granted the role)
    deputy = UserFactory(username="deputy_a1")
    RoleGrantFactory(user=deputy, role="secretary", unit=cast.town_a1)

    # when the month's draft is solved
    roster, _ = solved_draft(cast, Mode.WEEKLY)

    # then each who may publish it is told, with the publish deadline, and nobody else
    notices = Notice.objects.filter(kind="roster_draft_ready", object_id=roster.pk)
    assert {n.recipient.username for n in notices} == {"secretary_a1", "deputy_a1"}
    notice = notices.get(recipient=cast.secretary_a1)
    assert notice.title == "石头乡2027年3月轮休排班草稿已生成"
    assert notice.body == "石头乡2027年3月的轮休排班草稿已生成，请审核，并于2月28日前发布。"
    assert notice.due_date == dt.date(2027, 2, 28) and not notice.urgent  # the digest carries it on
    # and the secretary's inbox shows it, with the way to the roster
    inbox = client_for("secretary_a1").get("/api/v1/notifications/").json()["results"]
    assert [n["title"] for n in inbox if n["kind"] == "roster_draft_ready"] == [notice.title]
    browser = Client()
    browser.force_login(cast.secretary_a1)
    page = browser.get(reverse("web:inbox"))
    assert page.status_code == 200
    assert reverse("web:roster-detail", kwargs={"pk": roster.pk}) in page.content.decode()


def test_a_regenerated_draft_tells_nobody_again(cast: Any) -> None:
    roster, _ = solved_draft(cast, Mode.WEEKLY)

    run = generation_request(actor=cast.secretary_a1, unit=cast.town_a1, month=MARCH_2027, today=dt.date(2027, 2, 10))
    assert generation_item_run(item_id=run.items.get().pk) == RunStatus.SOLVED

    assert Notice.objects.filter(kind="roster_draft_ready", object_id=roster.pk).count() == 1


def test_an_infeasible_month_tells_nobody_a_draft_is_ready(cast: Any) -> None:
    # given a policy no roster can meet (three quarters on duty is impossible with 8 rest days)
    roster, _ = solved_draft(cast, Mode.WEEKLY, month=dt.date(2027, 4, 1))
    RotationPolicy.objects.filter(unit=cast.town_a1).update(min_on_duty_ratio="0.74", mode=Mode.MONTHLY)

    run = generation_request(actor=None, unit=cast.town_a1, month=dt.date(2027, 5, 1), today=dt.date(2027, 4, 10))
    status = generation_item_run(item_id=run.items.get().pk)

    assert status == RunStatus.INFEASIBLE, GenerationItem.objects.get(run=run).reasons
    assert not Notice.objects.filter(kind="roster_draft_ready").exclude(object_id=roster.pk).exists()
