"""The reminders endpoints: due items (scoped per kind, or what one owns),
the in-app inbox, job runs and schedules."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cadrecare.core import clock
from cadrecare.reminders.models import Notice
from cadrecare.reminders.services import reminders_scan
from tests.cadrecare.reminders.support import KIND, make_due
from tests.factories import CadreFactory

pytestmark = pytest.mark.usefixtures("review_source_alone")


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.content.decode()[:300]
    return [row["id"] for row in response.json()["results"]]


def key(cadre: Any) -> str:
    return f"{KIND}:{cadre.pk}"


@pytest.fixture
def items(cast: Any) -> Any:
    """Items: A1 overdue by 9 days, A2 due today (vacant: no secretary), B1 upcoming in 5 days."""
    today = clock.today()
    make_due(cast.cadre_a1, today - dt.timedelta(days=9))
    make_due(cast.cadre_a2, today)
    make_due(cast.cadre_b1, today + dt.timedelta(days=5))
    return cast


# -- due items -----------------------------------------------------------------


def test_each_person_sees_the_due_items_of_their_scope(items: Any, client_for: Any) -> None:
    # when each lists the due items
    seen = {
        name: set(ids(client_for(name).get("/api/v1/due-items/")))
        for name in ("secretary_a1", "county_a_staff", "hr_a1", "secretary_b1", "city_admin", "cadre_a1_user")
    }

    # then each sees exactly the items of their own unit's subtree (the cadre: the one about them)
    assert seen["secretary_a1"] == seen["hr_a1"] == {key(items.cadre_a1)}
    assert seen["county_a_staff"] == {key(items.cadre_a1), key(items.cadre_a2)}
    assert seen["secretary_b1"] == {key(items.cadre_b1)}
    assert seen["city_admin"] == {key(items.cadre_a1), key(items.cadre_a2), key(items.cadre_b1)}
    assert seen["cadre_a1_user"] == {key(items.cadre_a1)}


def test_mine_lists_what_the_user_owns_including_vacant_posts_of_their_organization_department(
    items: Any, client_for: Any
) -> None:
    # when the secretary and the county officer list their own items
    secretary = ids(client_for("secretary_a1").get("/api/v1/due-items/", {"mine": "1"}))
    officer = ids(client_for("county_a_staff").get("/api/v1/due-items/", {"mine": "true"}))
    hr = ids(client_for("hr_a1").get("/api/v1/due-items/", {"mine": "1"}))

    # then the secretary owns A1's, the county department A2's vacant one, HR none
    assert secretary == [key(items.cadre_a1)]
    assert officer == [key(items.cadre_a2)]
    assert hr == []


def test_a_due_item_says_its_state_owner_and_delay(items: Any, client_for: Any) -> None:
    # when the city administrator lists everything by due date
    rows = client_for("city_admin").get("/api/v1/due-items/").json()["results"]

    # then each row carries its state and the names a reader needs
    overdue, today, upcoming = rows
    assert overdue["state"] == "overdue" and overdue["days_overdue"] == 9 and overdue["state_label"] == "已逾期"
    assert overdue["owner_name"] == "和书记" and overdue["unit_name"] == "石头乡" and overdue["cadre_name"] == "木晓梅"
    assert overdue["title"] == "木晓梅：到岗复核" and overdue["kind_label"] == "到岗复核（测试）"
    assert overdue["url"] == f"/api/v1/cadres/{items.cadre_a1.pk}/"
    assert today["state"] == "due" and today["vacant"] is True and today["owner_unit_name"] == "玉龙县"
    assert upcoming["state"] == "upcoming" and upcoming["days_left"] == 5 and upcoming["days_overdue"] == 0


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"state": "overdue"}, ["cadre_a1"]),
        ({"state": "due,upcoming"}, ["cadre_a2", "cadre_b1"]),
        ({"unit": "county_b"}, ["cadre_b1"]),
        ({"owner": "secretary_a1_cadre"}, ["cadre_a1"]),  # the owner named by their cadre record
        ({"cadre": "cadre_a2"}, ["cadre_a2"]),
        ({"kind": KIND, "ordering": "-due_date"}, ["cadre_b1", "cadre_a2", "cadre_a1"]),
        ({"ordering": "unit"}, ["cadre_a1", "cadre_a2", "cadre_b1"]),
        ({"due_from": "today", "due_to": "today"}, ["cadre_a2"]),
        ({"urgent": "true"}, []),
    ],
)
def test_due_items_filter_and_sort(items: Any, client_for: Any, params: dict, expected: list[str]) -> None:
    # given the filters, with names resolved against the cast
    query = {}
    for name, value in params.items():
        if value == "today":
            value = clock.today().isoformat()
        elif hasattr(items, value):
            value = str(getattr(items, value).pk)
        query[name] = value

    # when the city administrator filters
    found = ids(client_for("city_admin").get("/api/v1/due-items/", query))

    # then
    assert found == [key(getattr(items, name)) for name in expected]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"state": "late"}, "state"),
        ({"kind": "no_such_kind"}, "kind"),
        ({"unit": "abc"}, "unit"),
        ({"unit": "999999"}, "unit"),
        ({"ordering": "title"}, "ordering"),
        ({"due_from": "2026-05-02", "due_to": "2026-05-01"}, "due_to"),
        ({"owner": "1\x00"}, "owner"),
        ({"mine": "perhaps"}, "mine"),
    ],
)
def test_bad_due_item_filters_are_refused_in_chinese(cast: Any, client_for: Any, params: dict, field: str) -> None:
    # when a filter is malformed
    response = client_for("county_a_staff").get("/api/v1/due-items/", params)

    # then 400 names the field, in Chinese
    assert response.status_code == 400
    body = response.json()
    assert body["errors"][0]["field"].startswith(field)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"])


def test_due_item_list_costs_the_same_queries_for_2_or_10_items(cast: Any, client_for: Any, count_queries: Any) -> None:
    # given two items, then ten, with different owners and units
    client = client_for("city_admin")
    today = clock.today()
    for _ in range(2):
        make_due(CadreFactory(unit=cast.town_a1), today)
    two = count_queries(lambda: client.get("/api/v1/due-items/"))
    for unit in (
        cast.town_a2,
        cast.town_b1,
        cast.town_a1,
        cast.town_b1,
        cast.town_a2,
        cast.town_a1,
        cast.town_a1,
        cast.town_b1,
    ):
        make_due(CadreFactory(unit=unit), today)

    # when listed again
    ten = count_queries(lambda: client.get("/api/v1/due-items/"))

    # then the number of queries did not grow
    assert client.get("/api/v1/due-items/").json()["count"] == 10
    assert ten == two


# -- notifications ---------------------------------------------------------------


@pytest.fixture
def noticed(items: Any) -> Any:
    """Today's scan: A1's item 9 days late (secretary + county), A2's due (county, vacant)."""
    reminders_scan()
    return items


def test_each_person_sees_only_their_own_notices(noticed: Any, client_for: Any) -> None:
    # when each lists their notifications
    def stages(name: str) -> list[tuple[str, str]]:
        response = client_for(name).get("/api/v1/notifications/", {"ordering": "due_date"})
        assert response.status_code == 200
        return [(row["stage"], row["cadre_name"]) for row in response.json()["results"]]

    # then the secretary has the overdue reminder, the county officer the escalation and the vacant post's
    assert stages("secretary_a1") == [("overdue", "木晓梅")]
    assert sorted(stages("county_a_staff")) == [("county", "木晓梅"), ("due", "杨建华")]
    assert stages("hr_a1") == []
    assert stages("secretary_b1") == []


def test_another_persons_notice_is_not_found(noticed: Any, client_for: Any) -> None:
    # given the secretary's notice
    notice = Notice.objects.get(recipient=noticed.secretary_a1)

    # when the county officer (who covers the township) asks for it or marks it read
    client = client_for("county_a_staff")
    got = client.get(f"/api/v1/notifications/{notice.pk}/")
    marked = client.post(f"/api/v1/notifications/{notice.pk}/read/")

    # then it does not exist for them, and stays unread
    assert got.status_code == marked.status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_unread_count_mark_read_and_mark_all_read(noticed: Any, client_for: Any) -> None:
    client = client_for("county_a_staff")
    # given two unread notices
    assert client.get("/api/v1/notifications/unread-count/").json() == {"unread": 2}
    first = client.get("/api/v1/notifications/").json()["results"][0]

    # when one is marked read (twice), then all
    once = client.post(f"/api/v1/notifications/{first['id']}/read/")
    twice = client.post(f"/api/v1/notifications/{first['id']}/read/")
    after_one = client.get("/api/v1/notifications/unread-count/").json()
    unread = ids(client.get("/api/v1/notifications/", {"unread": "true"}))
    all_read = client.post("/api/v1/notifications/read-all/").json()

    # then
    assert once.status_code == 200 and once.json()["read"] is True
    assert twice.json()["read_at"] == once.json()["read_at"]
    assert after_one == {"unread": 1} and len(unread) == 1 and first["id"] not in unread
    assert all_read == {"marked": 1}
    assert client.get("/api/v1/notifications/unread-count/").json() == {"unread": 0}


def test_notification_list_costs_the_same_queries_for_2_or_10_notices(
    cast: Any, client_for: Any, count_queries: Any
) -> None:
    # given 2 items of township A1 overdue by 8 days, then 10 (each an escalation to the county officer)
    client = client_for("county_a_staff")
    overdue = clock.today() - dt.timedelta(days=8)
    for _ in range(2):
        make_due(CadreFactory(unit=cast.town_a1), overdue)
    reminders_scan()
    two = count_queries(lambda: client.get("/api/v1/notifications/"))
    Notice.objects.all().delete()
    for _ in range(8):
        make_due(CadreFactory(unit=cast.town_a1), overdue)
    reminders_scan()

    # when listed again
    ten = count_queries(lambda: client.get("/api/v1/notifications/"))

    # then
    assert client.get("/api/v1/notifications/").json()["count"] == 10
    assert ten == two


# -- job runs and schedules -------------------------------------------------------


def test_administrators_see_every_job_run_with_its_counts(noticed: Any, client_for: Any) -> None:
    # when the city administrator lists job runs; HR tries to
    response = client_for("city_admin").get("/api/v1/job-runs/", {"name": "reminders_scan"})
    refused = client_for("hr_a1").get("/api/v1/job-runs/")

    # then the scan is there with what it scanned and made
    run = response.json()["results"][0]
    assert run["status"] == "succeeded" and run["status_label"] == "成功"
    assert run["scanned"] == 2 and run["finished_at"]
    assert run["created"] == 1 + 2 + 2  # A1: secretary, county admin and staff; A2 (vacant): county admin and staff
    assert refused.status_code == 403


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"lead_days": -1}, "lead_days"),
        ({"county_after_days": 0}, "county_after_days"),
        ({"city_after_days": "soon"}, "city_after_days"),
    ],
)
def test_schedule_values_are_checked(cast: Any, client_for: Any, payload: dict, field: str) -> None:
    # when an administrator sets a bad value for a unit
    response = client_for("county_a_admin").post(
        "/api/v1/reminder-schedules/", {"unit": cast.town_a1.pk, **payload}, format="json"
    )

    # then 400 names it
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field


def test_a_unit_has_one_schedule(cast: Any, client_for: Any) -> None:
    client = client_for("county_a_admin")
    # given a schedule on township A1
    assert client.post("/api/v1/reminder-schedules/", {"unit": cast.town_a1.pk}, format="json").status_code == 201

    # when a second one is made for it
    response = client.post("/api/v1/reminder-schedules/", {"unit": cast.town_a1.pk, "lead_days": 9}, format="json")

    # then it is refused: edit the first instead
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "unit"
