"""轮休排班 in the workbench: each roster page for each role, in scope and out
of it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cadrecare.core import clock
from cadrecare.org.choices import UnitKind
from cadrecare.org.models import OrgUnit, User
from cadrecare.rotation.choices import RosterStatus, RunStatus
from cadrecare.rotation.models import Roster
from cadrecare.rotation.services import generation_item_run, generation_request
from tests.cadrecare.web.conftest import DEMO_ROLES
from tests.cadrecare.web.roster_support import a_move, page_url, signed


def test_pages_refuse_other_townships_and_roles_without_the_right(cast: Any, draft: Any) -> None:
    roster, _ = draft
    cadre, start, _to = a_move(roster, breaks_a_rule=False)
    month, block = page_url(cast.town_a1), page_url(cast.town_a1, f"block/?cadre={cadre}&date={start}")
    expected = {
        # another township's secretary: not found, as the API answers out of scope
        "secretary_b1": {month: 404, block: 404, f"/roster/r/{roster.pk}/": 404, page_url(cast.town_a1, "print/"): 404},
        # HR reads the roster; editing is the secretary's
        "hr_a1": {month: 200, block: 403, page_url(cast.town_a1, "print/"): 200},
        # the county reads, the city may lock; neither edits
        "county_a_staff": {month: 200, block: 403, "/roster/swaps/": 403, "/roster/recalls/new/": 403},
        "city_admin": {month: 200, block: 403, "/roster/recalls/new/": 200},
        # a cadre has no roster page at all (their own rest days are another page)
        "cadre_a1_user": {month: 403, "/roster/": 403, "/roster/today/": 403, "/roster/swaps/": 403},
    }
    for name, pages in expected.items():
        client = signed(cast.user(name))
        for url, status in pages.items():
            assert client.get(url).status_code == status, (name, url)
    # a write out of scope is not found either, and changes nothing
    post = signed(cast.secretary_b1).post(page_url(cast.town_a1, "publish/"), {"confirm_provisional": "on"})
    assert post.status_code == 404 and Roster.objects.get(pk=roster.pk).status == RosterStatus.DRAFT


@pytest.mark.django_db(transaction=True)
def test_every_roster_page_for_every_demo_role(demo: None, signed_in: Any) -> None:
    # given the demo city, the secretary's township with a generated draft of next month
    secretary = User.objects.get(username="secretary")
    town = OrgUnit.objects.get(grants__user=secretary)
    other = OrgUnit.objects.filter(kind=UnitKind.TOWNSHIP).exclude(pk=town.pk).first()
    month = (clock.today().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    run = generation_request(actor=secretary, unit=town, month=month)
    assert generation_item_run(item_id=run.items.get().pk) == RunStatus.SOLVED
    roster = Roster.objects.get(unit=town, month=month)
    mine, theirs = f"/roster/{town.pk}/{month:%Y-%m}/", f"/roster/{other.pk}/{month:%Y-%m}/"
    cadre, start, _to = a_move(roster, breaks_a_rule=False)
    pages = {
        "/roster/": {"city_admin": 200, "county_staff": 200, "secretary": 302, "hr": 302, "cadre": 403},
        mine: {"city_admin": 200, "county_staff": 200, "secretary": 200, "hr": 200, "cadre": 403},
        theirs: {"city_admin": 200, "county_staff": 200, "secretary": 404, "hr": 404, "cadre": 403},
        f"{mine}block/?cadre={cadre}&date={start}": {
            "city_admin": 403,
            "county_staff": 403,
            "secretary": 200,
            "hr": 403,
            "cadre": 403,
        },
        f"{mine}print/": {"city_admin": 200, "county_staff": 200, "secretary": 200, "hr": 200, "cadre": 403},
        f"{mine}xlsx/": {"city_admin": 200, "county_staff": 200, "secretary": 200, "hr": 200, "cadre": 403},
        f"{theirs}print/": {"secretary": 404, "hr": 404},
        f"/roster/r/{roster.pk}/": {"city_admin": 302, "county_staff": 302, "secretary": 302, "hr": 302, "cadre": 403},
        "/roster/today/": {"city_admin": 200, "county_staff": 200, "secretary": 200, "hr": 200, "cadre": 403},
        "/roster/swaps/": {"city_admin": 403, "county_staff": 403, "secretary": 200, "hr": 403, "cadre": 403},
        "/roster/recalls/": {"city_admin": 200, "county_staff": 200, "secretary": 200, "hr": 200, "cadre": 200},
        "/roster/recalls/new/": {"city_admin": 200, "county_staff": 403, "secretary": 200, "hr": 403, "cadre": 403},
    }
    for role in DEMO_ROLES:
        client = signed_in(role)
        for url, statuses in pages.items():
            if role in statuses:
                assert client.get(url).status_code == statuses[role], (role, url)
        # the nav shows the rotation pages a role may open, and only those
        nav = client.get("/").content.decode()
        assert ("/roster/swaps/" in nav) == (pages["/roster/swaps/"][role] == 200), role
    # the secretary's due item for the draft links to its month page
    items = signed_in("secretary").get("/?kind=roster_publish&within=all").content.decode()
    assert f"/roster/r/{roster.pk}/" in items
