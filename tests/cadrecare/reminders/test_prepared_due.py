"""The due items' union is kept compiled between requests
(``sources.due_items_sql``, cadrecare.core.prepared); whatever its build
reads, a change to it is seen by the very next request in the same process,
and no user is ever served another's items."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from cadrecare.core import clock
from cadrecare.org.choices import LeaderPost, Role
from cadrecare.org.models import Cadre, User
from cadrecare.reminders.sources import PREPARED, due_items, due_items_sql
from cadrecare.talks.choices import TalkeeGroup, TalkerPost
from cadrecare.talks.models import TalkRoute
from tests.conftest import Cast
from tests.factories import CadreFactory, CheckupPolicyFactory, RoleGrantFactory, UserFactory

pytestmark = pytest.mark.django_db

Row = tuple[Any, ...]


def _request_user(username: str) -> User:
    """The user as the next request loads it (grants are cached on the object for one request)."""
    return User.objects.get(username=username)


def _kept(username: str, *, mine: bool = True) -> set[Row]:
    sql, params = due_items_sql(today=clock.today(), user=_request_user(username), mine=mine)
    if sql is None:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {tuple(row) for row in cursor.fetchall()}


def _built(username: str, *, mine: bool = True) -> set[Row]:
    """The same items built and compiled anew, as before anything was kept."""
    return {tuple(row) for row in due_items(today=clock.today(), user=_request_user(username), mine=mine)}


def _same_as_built(username: str, *, mine: bool = True) -> set[Row]:
    kept = _kept(username, mine=mine)
    assert kept == _built(username, mine=mine), username
    return kept


def _kinds_and_objects(rows: set[Row]) -> set[tuple[str, int]]:
    return {(row[0], row[1]) for row in rows}


@pytest.fixture(autouse=True)
def _nothing_kept() -> None:
    PREPARED.clear()


def test_asking_again_with_nothing_changed_builds_nothing(cast: Cast) -> None:
    # given hr_a1's items prepared once
    first = _same_as_built("hr_a1")
    builds = PREPARED.builds

    # when asked again and again
    again = [_kept("hr_a1") for _ in range(3)]

    # then nothing was built again, and the items are the same
    assert PREPARED.builds == builds
    assert again == [first] * 3
    assert ("checkup", cast.cadre_a1.pk) in _kinds_and_objects(first)


def test_a_new_grant_is_seen_by_the_next_request(cast: Cast) -> None:
    # given hr_a1's items prepared: their township's check-ups, not 鲁甸乡's
    before = _same_as_built("hr_a1")
    assert ("checkup", cast.cadre_a2.pk) not in _kinds_and_objects(before)

    # when they are made HR officer of 鲁甸乡 as well
    RoleGrantFactory(user=cast.hr_a1, role=Role.HR, unit=cast.town_a2)

    # then the next request owns 鲁甸乡's check-ups too
    after = _same_as_built("hr_a1")
    assert ("checkup", cast.cadre_a2.pk) in _kinds_and_objects(after)


def test_an_acting_grant_ending_at_midnight_in_shanghai_is_seen_the_next_day(cast: Cast) -> None:
    # given another HR officer acting in 石头乡 until the last day of March
    acting = UserFactory(username="acting_hr")
    RoleGrantFactory(
        user=acting,
        role=Role.HR,
        unit=cast.town_a1,
        acting_from=dt.date(2026, 3, 1),
        acting_until=dt.date(2026, 3, 31),
    )
    shanghai = ZoneInfo("Asia/Shanghai")

    def at(moment: dt.datetime) -> tuple[set[Row], set[Row]]:
        with mock.patch("django.utils.timezone.now", return_value=moment.astimezone(dt.UTC)):
            return _same_as_built("acting_hr"), _same_as_built("hr_a1")

    # when their items are read a minute before midnight and at midnight, Shanghai time
    acting_before, hr_before = at(dt.datetime(2026, 3, 31, 23, 59, tzinfo=shanghai))
    acting_after, hr_after = at(dt.datetime(2026, 4, 1, 0, 0, tzinfo=shanghai))

    # then the township's check-ups were the acting officer's until midnight, and hr_a1's from then on
    assert ("checkup", cast.cadre_a1.pk) in _kinds_and_objects(acting_before)
    assert ("checkup", cast.cadre_a1.pk) not in _kinds_and_objects(hr_before)
    assert ("checkup", cast.cadre_a1.pk) not in _kinds_and_objects(acting_after)
    assert ("checkup", cast.cadre_a1.pk) in _kinds_and_objects(hr_after)


def test_a_post_change_is_seen_by_the_next_request(cast: Cast) -> None:
    # given the secretary of 石头乡 owns their cadres' regular talks
    before = _same_as_built("secretary_a1")
    assert ("regular_talk", cast.cadre_a1.pk) in _kinds_and_objects(before)

    # when their cadre record leaves the post (another cadre becomes the party secretary)
    Cadre.objects.filter(pk=cast.secretary_a1_cadre.pk).update(leader_post=LeaderPost.NONE)
    CadreFactory(name="新书记", unit=cast.town_a1, leader_post=LeaderPost.PARTY_SECRETARY)

    # then the next request no longer owns them
    after = _same_as_built("secretary_a1")
    assert ("regular_talk", cast.cadre_a1.pk) not in _kinds_and_objects(after)


def test_a_checkup_policy_change_is_seen_by_the_next_request(cast: Cast) -> None:
    # given hr_a1's check-ups prepared under the default policy
    policy = CheckupPolicyFactory(unit=cast.town_a1, interval_months=12, reminder_days=[60, 30])
    before = {row[1]: row for row in _same_as_built("hr_a1") if row[0] == "checkup"}

    # when the township's reminder lead times change
    policy.reminder_days = [90, 10]
    policy.save()

    # then the next request's check-ups are reminded at the new lead times
    after = {row[1]: row for row in _same_as_built("hr_a1") if row[0] == "checkup"}
    assert after.keys() == before.keys()
    assert {row[11] for row in after.values()} == {"90,10"} != {row[11] for row in before.values()}


def test_a_talk_route_is_seen_by_the_next_request(cast: Cast) -> None:
    # given a township leader in 期纳镇, whose regular talks are not the secretary of 石头乡's
    leader = CadreFactory(name="期纳副镇长", unit=cast.town_b1, leader_post=LeaderPost.DEPUTY)
    before = _same_as_built("secretary_a1")
    assert ("regular_talk", leader.pk) not in _kinds_and_objects(before)

    # when 永胜县 routes its township leaders' talks to the secretary of 石头乡
    TalkRoute.objects.create(
        county=cast.county_b,
        talkee_group=TalkeeGroup.TOWNSHIP_LEADER,
        talker_post=TalkerPost.TOWNSHIP_PARTY_SECRETARY,
        talker_unit=cast.town_a1,
        talker_leader_post=LeaderPost.PARTY_SECRETARY,
    )

    # then the next request owns that leader's regular talk
    after = _same_as_built("secretary_a1")
    assert ("regular_talk", leader.pk) in _kinds_and_objects(after)


def test_two_users_of_the_same_shape_each_get_their_own_items(cast: Cast) -> None:
    # given two township secretaries and two county officers, each the same roles over other units
    for username in ("secretary_a1", "secretary_b1", "hr_a1", "county_a_staff", "city_admin"):
        for mine in (True, False):
            # then each one's kept list, asked twice, is what is built for them alone
            assert _kept(username, mine=mine) == _built(username, mine=mine)
            assert _kept(username, mine=mine) == _built(username, mine=mine)
    a1 = _kinds_and_objects(_kept("secretary_a1", mine=False))
    b1 = _kinds_and_objects(_kept("secretary_b1", mine=False))
    assert a1 and b1 and not a1 & b1


def test_the_api_serves_each_secretary_their_own_items(cast: Cast) -> None:
    def api_items(user: User) -> set[tuple[str, int]]:
        client = APIClient()
        client.force_authenticate(user)
        response = client.get("/api/v1/due-items/", {"page_size": 100})
        assert response.status_code == 200
        return {(item["kind"], item["object_id"]) for item in response.json()["results"]}

    # when both secretaries read their lists, twice, in one process
    first = [api_items(_request_user(name)) for name in ("secretary_a1", "secretary_b1")]
    second = [api_items(_request_user(name)) for name in ("secretary_a1", "secretary_b1")]

    # then each list is the secretary's own, and the same the second time
    assert first == second
    assert first[0] == _kinds_and_objects(_built("secretary_a1", mine=False))
    assert first[1] == _kinds_and_objects(_built("secretary_b1", mine=False))


def test_each_page_of_the_api_reads_its_rows_and_the_count_in_one_pass_over_the_union(cast: Cast) -> None:
    # given city_admin's every open item, as one page of the API lists them
    client = APIClient()
    client.force_authenticate(_request_user("city_admin"))
    expected = [item["id"] for item in client.get("/api/v1/due-items/", {"page_size": 200}).json()["results"]]
    size = 2
    pages = -(-len(expected) // size)
    assert pages >= 3, "the cast gives the city more than a few items"

    # when they walk the pages two items at a time
    seen, unions = [], []
    for number in range(1, pages + 1):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/due-items/", {"page_size": size, "page": number})
        unions.append(sum('"di_kind"' in query["sql"] for query in queries.captured_queries))
        assert response.json()["count"] == len(expected)
        seen += [item["id"] for item in response.json()["results"]]

    # then the pages hold the list in its order, and each read the union once
    assert seen == expected
    assert unions == [1] * pages


def test_the_union_is_planned_once_a_connection_and_run_as_a_prepared_statement(cast: Cast) -> None:
    def prepared_unions() -> list[tuple[int, int]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE %s",
                ['%"di_kind"%'],
            )
            return cursor.fetchall()

    client = APIClient()
    client.force_authenticate(_request_user("hr_a1"))
    # when hr_a1 reads their items four times
    first = client.get("/api/v1/due-items/", {"mine": 1}).json()
    again = [client.get("/api/v1/due-items/", {"mine": 1}).json() for _ in range(3)]

    # then their union is one prepared statement, which PostgreSQL planned once and ran four times
    assert prepared_unions() == [(4, 0)]
    assert again == [first] * 3
    assert first["count"] > 0
