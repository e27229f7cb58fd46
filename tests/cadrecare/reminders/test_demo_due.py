"""The demo data is what a year of kept records looks like to the reminders:
most check-ups and regular talks done within their interval, a few percent
overdue, and the demo logins' township with overdue items that have reached
the county and the city."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from cadrecare.core import clock
from cadrecare.org.models import Cadre, OrgUnit, User
from cadrecare.org.scoping import own_cadre_id
from cadrecare.reminders.choices import Stage
from cadrecare.reminders.models import Notice
from cadrecare.reminders.services import reminders_scan
from cadrecare.reminders.sources import DueItem, due_items

pytestmark = pytest.mark.django_db(transaction=True)  # seed_demo ends with VACUUM


@pytest.fixture
def demo() -> None:
    call_command("seed_demo", townships=15, stdout=open("/dev/null", "w"))  # noqa: SIM115


def _overdue_share(kind: str, today: dt.date) -> float:
    items = [DueItem.from_row(row) for row in due_items(today=today, kinds=[kind])]
    return sum(item.due_date < today for item in items) / len(items)


def test_a_few_percent_of_checkups_and_regular_talks_are_overdue(demo: None) -> None:
    today = clock.today()

    assert 0.01 <= _overdue_share("checkup", today) <= 0.08
    assert 0.01 <= _overdue_share("regular_talk", today) <= 0.08
    assert _overdue_share("checkup_recheck", today) <= 0.5  # of the few rechecks still open


def test_the_demo_logins_see_overdue_items_and_their_escalations(demo: None) -> None:
    # when the day's scan runs
    reminders_scan()

    def heard(username: str) -> set[tuple[str, str]]:
        return set(Notice.objects.filter(recipient=User.objects.get(username=username)).values_list("kind", "stage"))

    # then the HR officer is reminded of overdue check-ups, the secretary of overdue regular talks,
    # and the county and city organization departments hear of both
    assert ("checkup", Stage.OVERDUE) in heard("hr")
    assert ("regular_talk", Stage.OVERDUE) in heard("secretary")
    for kind in ("checkup", "regular_talk"):
        assert (kind, Stage.COUNTY) in heard("county_staff")
        assert (kind, Stage.CITY) in heard("city_admin")
    township = Cadre.objects.get(user__username="secretary").unit_id
    assert Notice.objects.filter(recipient__username="county_staff", unit_id=township).exists()


def _all_pages(client: APIClient, url: str, params: dict) -> list[dict]:
    rows, page = [], 1
    while True:
        body = client.get(url, {**params, "page": page, "page_size": 100}).json()
        rows += body["results"]
        if not body["next"]:
            return rows
        page += 1


@pytest.mark.parametrize("username", ["secretary", "county_staff", "hr"])
def test_each_demo_login_sees_exactly_its_own_due_items_and_notices(demo: None, username: str) -> None:
    # given the day's scan over the demo data
    reminders_scan()
    user = User.objects.get(username=username)
    client = APIClient()
    client.force_authenticate(user)

    # when the user lists their notifications, their own due items and every due item in their scope
    notices = _all_pages(client, "/api/v1/notifications/", {})
    mine = _all_pages(client, "/api/v1/due-items/", {"mine": "1"})
    in_scope = _all_pages(client, "/api/v1/due-items/", {})

    # then the notifications are exactly the ones addressed to them
    assert notices and {row["id"] for row in notices} == set(
        Notice.objects.filter(recipient=user).values_list("id", flat=True)
    )
    # their own items are theirs, or vacant posts their organization department answers for
    own = own_cadre_id(user)  # the owner is shown as their cadre record
    assert mine and all(row["owner"] == own or (row["vacant"] and username == "county_staff") for row in mine)
    # and every item in scope is about a unit under one of their grants, or about a cadre working there (a
    # secondment's term is read in its host unit too, though its decision item names the home unit)
    roots = [grant.unit.path for grant in user.grants.select_related("unit")]
    paths = dict(OrgUnit.objects.values_list("pk", "path"))
    works_in = dict(Cadre.objects.values_list("pk", "unit_id"))

    def under(unit_id: int) -> bool:
        return any(paths[unit_id].startswith(root) for root in roots)

    assert in_scope and all(under(row["unit"]) or under(works_in[row["cadre"]]) for row in in_scope)
    assert {row["id"] for row in mine} <= {row["id"] for row in in_scope}
