"""The secretary's side of rest that did not happen as published, in the
workbench: a cadre's correction of their month (月末休息更正) reaches the
township's party secretary as a notice and an item linking to its page, which
shows the month as the compliance report counts it and takes the answer
through the service the API's resolve calls; rest days an absence fell on
(外出未休) open from their notice and are marked taken through the API's service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from cadrecare.core import clock
from cadrecare.org.models import User
from cadrecare.reminders.models import Notice
from cadrecare.rotation.models import MissedRest, RestConfirmation, Roster
from cadrecare.rotation.services import absence_save, generation_item_run, generation_request, roster_publish
from cadrecare.web.actions import action_for

pytestmark = pytest.mark.usefixtures("demo_for_module", "db")


@pytest.fixture
def published(settings: object) -> Roster:
    """Next month's roster of the demo cadre's township, solved and published."""
    settings.ROTATION_SOLVE_SECONDS = 3  # type: ignore[attr-defined]
    cadre = User.objects.get(username="cadre")
    month = (clock.today().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    run = generation_request(actor=None, unit=cadre.cadre.unit, month=month)
    generation_item_run(item_id=run.items.get().pk)
    return roster_publish(
        actor=None, roster_obj=Roster.objects.get(unit=cadre.cadre.unit, month=month), confirm_provisional=True
    )


@pytest.fixture
def corrected(published: Roster, monkeypatch: pytest.MonkeyPatch) -> RestConfirmation:
    """The demo cadre's correction of that month, made on its last day."""
    roster, month, cadre = published, published.month, User.objects.get(username="cadre")
    monkeypatch.setattr(clock, "today", lambda: (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1))
    api = APIClient()
    api.force_authenticate(cadre)
    response = api.post(
        "/api/v1/rest-confirmations/",
        {"roster": roster.pk, "confirm": False, "days_rested": 6, "note": "20日被叫回抗旱"},
    )
    assert response.status_code == 201, response.json()
    return RestConfirmation.objects.get(pk=response.json()["id"])


def test_the_secretary_answers_a_correction_from_its_notice(
    corrected: RestConfirmation, signed_in: Callable[[str], Client]
) -> None:
    secretary = User.objects.get(username="secretary")
    notice = Notice.objects.get(kind="rest_corrected", recipient=secretary)
    page = reverse("web:rest-correction", kwargs={"pk": corrected.pk})
    assert action_for(secretary, notice.kind, notice.object_id)["url"] == page  # type: ignore[index]
    assert signed_in("cadre").get(page).status_code == 403

    shown = signed_in("secretary").get(page)
    assert shown.status_code == 200 and "20日被叫回抗旱" in shown.content.decode()
    assert shown.context["row"].planned >= 1

    refused = signed_in("secretary").post(page, {"resolution": ""})
    assert refused.status_code == 400 and "resolution" in refused.context["form"].errors
    answered = signed_in("secretary").post(page, {"resolution": "已补登召回 1 天"})
    assert answered.status_code == 303
    corrected.refresh_from_db()
    assert (corrected.status, corrected.resolution, corrected.resolved_by) == ("resolved", "已补登召回 1 天", secretary)


def test_the_secretary_marks_rest_days_spent_away_as_taken_from_their_notice(
    published: Roster, signed_in: Callable[[str], Client]
) -> None:
    cadre = User.objects.get(username="cadre").cadre
    rest = sorted(published.current.days.filter(cadre=cadre, kind="rest").values_list("date", flat=True))  # type: ignore[union-attr]
    absence_save(actor=None, data={"cadre": cadre, "kind": "sick_leave", "start": rest[0], "end": rest[1]})
    missed = MissedRest.objects.get()
    secretary = User.objects.get(username="secretary")
    notice = Notice.objects.get(kind="rest_missed", recipient=secretary)
    page = reverse("web:missed-rest", kwargs={"pk": missed.pk})
    assert action_for(secretary, notice.kind, notice.object_id)["url"] == page  # type: ignore[index]
    assert action_for(cadre.user, "rest_missed", missed.pk) is None  # the cadre is told, not asked

    shown = signed_in("secretary").get(page)
    assert shown.status_code == 200 and "病假" in shown.content.decode()
    marked = signed_in("secretary").post(page, {"note": "登记有误，当天在休息"})
    assert marked.status_code == 303
    missed.refresh_from_db()
    assert (missed.status, missed.note, missed.decided_by) == ("taken", "登记有误，当天在休息", secretary)
