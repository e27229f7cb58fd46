"""月末休息更正 in the workbench: a cadre's correction of their month reaches
the township's party secretary as a notice and an item linking to its page,
which shows the month as the compliance report counts it and takes the
answer through the service the API's resolve calls."""

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
from cadrecare.rotation.models import RestConfirmation, Roster
from cadrecare.rotation.services import generation_item_run, generation_request, roster_publish
from cadrecare.web.actions import action_for

pytestmark = pytest.mark.usefixtures("demo_for_module", "db")


@pytest.fixture
def corrected(settings: object, monkeypatch: pytest.MonkeyPatch) -> RestConfirmation:
    """The demo cadre's correction of next month's published roster, made on its last day."""
    settings.ROTATION_SOLVE_SECONDS = 3  # type: ignore[attr-defined]
    cadre = User.objects.get(username="cadre")
    month = (clock.today().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    run = generation_request(actor=None, unit=cadre.cadre.unit, month=month)
    generation_item_run(item_id=run.items.get().pk)
    roster = roster_publish(
        actor=None, roster_obj=Roster.objects.get(unit=cadre.cadre.unit, month=month), confirm_provisional=True
    )
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
