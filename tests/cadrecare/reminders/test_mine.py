""" "Mine" (我的待办) is exactly the items a person owns: theirs by name, or a
vacant post's under their organization department. A source whose owner is
computed narrows its rows to the user's own units first (``owned_within``),
for speed; that narrowing must never lose an item, for anyone."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from cadrecare.core import clock
from cadrecare.org.choices import LeaderPost, UnitKind
from cadrecare.org.models import Cadre, OrgUnit, User
from cadrecare.reminders.sources import DueItem, due_items, org_department_unit_ids
from cadrecare.talks.choices import TalkeeGroup, TalkerPost
from cadrecare.talks.models import TalkRoute

pytestmark = pytest.mark.django_db(transaction=True)  # seed_demo ends with VACUUM


def _owned(user: User, everything: list[DueItem]) -> set[tuple[str, int]]:
    org_units = set(org_department_unit_ids(user))
    return {
        (item.kind, item.object_id)
        for item in everything
        if item.owner_id == user.pk or (item.owner_id is None and item.owner_unit_id in org_units)
    }


def test_mine_is_every_item_the_user_owns_for_every_user() -> None:
    # given a demo city of several counties, one of which routes its township
    # leaders' regular talks to the secretary of another township (a configured talker unit)
    call_command("seed_demo", townships=15, stdout=open("/dev/null", "w"))  # noqa: SIM115
    secretary = Cadre.objects.get(user__username="secretary")
    elsewhere = (
        OrgUnit.objects.filter(parent=secretary.unit.parent, kind=UnitKind.TOWNSHIP)
        .exclude(pk=secretary.unit_id)
        .first()
    )
    TalkRoute.objects.update_or_create(
        county=secretary.unit.parent,
        talkee_group=TalkeeGroup.TOWNSHIP_LEADER,
        defaults={
            "talker_post": TalkerPost.TOWNSHIP_PARTY_SECRETARY,
            "talker_unit": secretary.unit,
            "talker_leader_post": LeaderPost.PARTY_SECRETARY,
        },
    )
    today = clock.today()
    everything = [DueItem.from_row(row) for row in due_items(today=today)]

    # then each user's own list is exactly what they own in the whole list
    owners = 0
    for user in User.objects.filter(is_active=True):
        mine = {(row[0], row[1]) for row in due_items(today=today, user=user, mine=True)}
        assert mine == _owned(user, everything), user.username
        owners += bool(mine)
    assert owners >= 3  # the demo logins who own items: secretary, HR, county and city staff
    # and the secretary owns leaders' talks of the other township through the route
    assert any(
        item.unit_id == elsewhere.pk and item.kind == "regular_talk" and item.owner_id == secretary.user_id
        for item in everything
    )
