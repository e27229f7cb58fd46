"""心里话: a confidential message to my township's party secretary or to the
county organization department, read only by me and the addressed role's
holders (not by the units above), answered in the service, chased as a due
item when not answered within the care policy's days; every read and change
audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rest_framework.test import APIClient

from cadrecare.audit.models import AuditEntry
from cadrecare.care.models import CarePolicy
from cadrecare.core import clock
from cadrecare.org.choices import Role
from cadrecare.reminders.models import Notice
from cadrecare.reminders.sources import due_items
from tests.factories import RoleGrantFactory, UserFactory

URL = "/api/v1/messages/"


def _write(client: Any, addressee: str = "secretary", body: str = "最近压力很大，想和您聊聊。") -> Any:
    return client.post(URL, {"addressee": addressee, "body": body}, format="json")


def test_a_message_to_the_secretary_is_read_by_them_and_the_sender_only(cast: Any, client_for: Any) -> None:
    # when cadre A1 writes to their party secretary
    written = _write(client_for("cadre_a1_user"))
    assert written.status_code == 201, written.content.decode()
    message = written.json()
    assert (message["addressee_unit"], message["status"]) == (cast.town_a1.pk, "open")

    # then the secretary reads it (audited), and is told without its words
    read = client_for("secretary_a1").get(f"{URL}{message['id']}/")
    assert read.json()["body"] == "最近压力很大，想和您聊聊。"
    assert AuditEntry.objects.filter(
        resource="messages", object_id=str(message["id"]), action="read", actor=cast.secretary_a1
    ).exists()
    notice = Notice.objects.get(kind="heart_message", recipient=cast.secretary_a1)
    assert "压力" not in notice.title + notice.body

    # and nobody else does: not HR of the township, not the county or the city above
    assert client_for("hr_a1").get(f"{URL}{message['id']}/").status_code == 403
    for reader in ("county_a_admin", "county_a_staff", "city_admin", "secretary_b1"):
        assert client_for(reader).get(f"{URL}{message['id']}/").status_code == 404, reader
        assert client_for(reader).get(URL).json()["results"] == [], reader


def test_a_message_to_the_county_organization_department_reaches_its_people(cast: Any, client_for: Any) -> None:
    message = _write(client_for("cadre_a1_user"), addressee="org_department").json()
    assert message["addressee_unit"] == cast.county_a.pk

    told = set(Notice.objects.filter(kind="heart_message").values_list("recipient", flat=True))
    assert told == {cast.county_a_admin.pk, cast.county_a_staff.pk}
    assert client_for("county_a_staff").get(f"{URL}{message['id']}/").status_code == 200
    assert client_for("secretary_a1").get(f"{URL}{message['id']}/").status_code == 404
    assert client_for("city_admin").get(f"{URL}{message['id']}/").status_code == 404


def test_the_addressee_answers_once_and_the_sender_reads_the_answer(cast: Any, client_for: Any) -> None:
    message = _write(client_for("cadre_a1_user")).json()
    secretary = client_for("secretary_a1")

    assert secretary.post(f"{URL}{message['id']}/answer/", {"answer": ""}, format="json").status_code == 400
    answered = secretary.post(f"{URL}{message['id']}/answer/", {"answer": "明天上午来我办公室。"}, format="json")
    assert answered.status_code == 200
    again = secretary.post(f"{URL}{message['id']}/answer/", {"answer": "再说一次"}, format="json")
    assert again.status_code == 400
    assert again.json()["errors"][0]["field"] == "answer"

    mine = client_for("cadre_a1_user").get(f"{URL}{message['id']}/").json()
    assert (mine["status"], mine["answer"]) == ("answered", "明天上午来我办公室。")
    assert Notice.objects.filter(kind="heart_message_answered", recipient=cast.cadre_a1_user).exists()
    assert AuditEntry.objects.filter(resource="messages", action="update", actor=cast.secretary_a1).exists()
    # the sender cannot answer their own message
    assert client_for("cadre_a1_user").post(f"{URL}{message['id']}/answer/", {"answer": "x"}).status_code == 403


def test_an_unanswered_message_is_chased_after_the_policys_days(cast: Any, client_for: Any) -> None:
    # given the county answers 心里话 within 5 days
    CarePolicy.objects.create(unit=cast.county_a, message_answer_days=5)
    message = _write(client_for("cadre_a1_user")).json()
    assert message["answer_due"] == (clock.today() + dt.timedelta(days=5)).isoformat()

    # then the secretary owns an item due then, titled without the sender or the words
    items = list(due_items(today=clock.today(), user=cast.secretary_a1, mine=True, kinds=["heart_message"]))
    assert len(items) == 1
    item = items[0]
    assert item[1] == message["id"] and item[2] is None  # no cadre named
    assert "木晓梅" not in item[8] and "压力" not in item[8]
    # and nobody above lists it
    assert not list(due_items(today=clock.today(), user=cast.city_admin, kinds=["heart_message"]))

    # answered, it is no longer due
    client_for("secretary_a1").post(f"{URL}{message['id']}/answer/", {"answer": "好的"}, format="json")
    assert not list(due_items(today=clock.today(), user=cast.secretary_a1, mine=True, kinds=["heart_message"]))


def test_a_message_to_the_department_is_the_departments_item(cast: Any, client_for: Any) -> None:
    _write(client_for("cadre_a1_user"), addressee="org_department")
    for user in (cast.county_a_admin, cast.county_a_staff):
        assert len(list(due_items(today=clock.today(), user=user, mine=True, kinds=["heart_message"]))) == 1


def test_a_message_nobody_would_receive_is_refused_naming_the_addressee(cast: Any, client_for: Any) -> None:
    # given a cadre of township A2, which has no secretary in the system
    user = UserFactory(username="cadre_a2")
    RoleGrantFactory(user=user, role=Role.CADRE, unit=cast.town_a2)
    cast.cadre_a2.user = user
    cast.cadre_a2.save()
    client = APIClient()
    client.force_authenticate(user)
    refused = _write(client)
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "addressee"
    assert "县委组织部" in refused.json()["errors"][0]["message"]
    assert _write(client, addressee="org_department").status_code == 201
