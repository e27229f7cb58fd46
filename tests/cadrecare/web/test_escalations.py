"""督办事项: items the reminders escalated to the organization department and
still open, with 改派 and 免办 where the role allows, through the talk and
visit services and the API's audit rows; nothing saved on a bad form."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from cadrecare.audit.models import AuditEntry
from cadrecare.care.models import VisitObligation
from cadrecare.reminders.choices import ESCALATIONS
from cadrecare.reminders.models import Notice
from cadrecare.talks.choices import TriggerStatus
from cadrecare.talks.models import TalkTrigger
from tests.cadrecare.web.conftest import DEMO_ROLES

pytestmark = pytest.mark.usefixtures("demo_for_module", "db")


def _escalated(kind: str, username: str = "county_staff", **where: object) -> int:
    notice = (
        Notice.objects.filter(recipient__username=username, stage__in=ESCALATIONS, kind=kind, **where)
        .order_by("due_date", "object_id")
        .first()
    )
    assert notice is not None, f"the demo escalates a {kind} to {username}"
    return notice.object_id


def _url(operation: str, kind: str, pk: int) -> str:
    return reverse(f"web:escalation-{operation}", kwargs={"kind": kind, "pk": pk})


@pytest.mark.parametrize("username", DEMO_ROLES)
def test_the_list_opens_to_the_organization_department_only(username: str, signed_in: Callable[[str], Client]) -> None:
    response = signed_in(username).get(reverse("web:escalations"))

    assert response.status_code == (200 if username in ("city_admin", "county_staff") else 403)


def test_the_county_sees_its_open_escalated_items_soonest_first(signed_in: Callable[[str], Client]) -> None:
    rows = signed_in("county_staff").get(reverse("web:escalations")).context["rows"]

    assert rows
    assert all(
        row["notice"].stage in ESCALATIONS and row["notice"].recipient.username == "county_staff" for row in rows
    )
    dates = [row["notice"].due_date for row in rows]
    assert dates == sorted(dates)
    # one row per item
    assert len({(row["notice"].kind, row["notice"].object_id) for row in rows}) == len(rows)


def test_county_staff_may_reassign_and_waive_talks_and_visits_but_not_checkups(
    signed_in: Callable[[str], Client],
) -> None:
    client = signed_in("county_staff")
    rows = client.get(reverse("web:escalations")).context["rows"]

    acted_on = [row for row in rows if row["notice"].kind in ("talk_trigger", "visit_obligation")]
    assert acted_on and all(set(row["links"]) == {"reassign", "waive"} for row in acted_on)
    assert all(not row["links"] for row in rows if row["notice"].kind == "checkup")
    visit = VisitObligation.objects.filter(status="open").order_by("pk").first()
    assert client.get(_url("waive", "checkup", visit.cadre_id)).status_code == 403


def test_county_staff_waive_a_visit_with_the_reason_and_its_audit_row(signed_in: Callable[[str], Client]) -> None:
    pk = VisitObligation.objects.filter(status="open").order_by("pk").values_list("pk", flat=True).first()
    client = signed_in("county_staff")

    refused = client.post(_url("waive", "visit_obligation", pk), {"reason": ""})
    assert refused.status_code == 400 and "免办理由：" in refused.content.decode()
    done = client.post(_url("waive", "visit_obligation", pk), {"reason": "家属婉拒走访"})

    assert done.status_code == 303
    visit = VisitObligation.objects.get(pk=pk)
    assert (visit.status, visit.waived_by.username) == ("waived", "county_staff")
    entry = AuditEntry.objects.get(action="update", resource="visit-obligations", object_id=str(pk))
    assert entry.actor_name == "county_staff"


def test_reassigning_a_talk_names_the_new_talker_and_writes_the_audit_row(signed_in: Callable[[str], Client]) -> None:
    # (one about a cadre of the demo township, whose secretary may take it)
    pk = _escalated("talk_trigger", cadre__unit__cadres__user__username="secretary")
    client = signed_in("county_staff")
    form = client.get(_url("reassign", "talk_trigger", pk)).context["form"]
    choices = {user.username: user for user in form.fields["to"].queryset}
    assert "secretary" in choices and "cadre" not in choices

    response = client.post(_url("reassign", "talk_trigger", pk), {"to": choices["secretary"].pk})

    assert response.status_code == 303
    assert response["Location"] == reverse("web:escalations")
    assert TalkTrigger.objects.get(pk=pk).talker == choices["secretary"]
    entry = AuditEntry.objects.get(action="update", resource="talk-triggers", object_id=str(pk))
    assert (entry.actor_name, entry.fields) == ("county_staff", ["talker"])


def test_waiving_needs_a_reason_beside_its_field_and_saves_nothing_without(signed_in: Callable[[str], Client]) -> None:
    pk = _escalated("talk_trigger")
    client = signed_in("county_staff")

    refused = client.post(_url("waive", "talk_trigger", pk), {"reason": "   "})

    assert refused.status_code == 400
    assert "免办理由：" in refused.content.decode()
    assert TalkTrigger.objects.get(pk=pk).status == TriggerStatus.OPEN
    assert not AuditEntry.objects.filter(action="update", resource="talk-triggers", object_id=str(pk)).exists()

    done = client.post(_url("waive", "talk_trigger", pk), {"reason": "已调离，由新单位谈话"})

    assert done.status_code == 303
    trigger = TalkTrigger.objects.get(pk=pk)
    assert (trigger.status, trigger.waive_reason) == (TriggerStatus.WAIVED, "已调离，由新单位谈话")
    entry = AuditEntry.objects.get(action="update", resource="talk-triggers", object_id=str(pk))  # one row
    assert (entry.actor_name, entry.fields) == ("county_staff", ["status", "waive_reason"])
    assert pk not in {
        row["notice"].object_id
        for row in client.get(reverse("web:escalations")).context["rows"]
        if row["notice"].kind == "talk_trigger"
    }


def test_the_city_admin_waives_a_visit_obligation(signed_in: Callable[[str], Client]) -> None:
    visit = VisitObligation.objects.filter(status="open").order_by("pk").first()

    response = signed_in("city_admin").post(_url("waive", "visit_obligation", visit.pk), {"reason": "家属婉拒走访"})

    assert response.status_code == 303
    visit.refresh_from_db()
    assert (visit.status, visit.waived_by.username) == ("waived", "city_admin")


def test_an_item_out_of_scope_or_unknown_is_404(signed_in: Callable[[str], Client]) -> None:
    assert signed_in("county_staff").get(_url("waive", "talk_trigger", 10**9)).status_code == 404
