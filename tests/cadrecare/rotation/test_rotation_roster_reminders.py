"""Rosters and reminders: publishing notifies each cadre of their rest days; a
draft is due before its month, and its secretary is reminded until it is
published."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cadrecare.org.choices import Role
from cadrecare.org.models import Cadre
from cadrecare.reminders.models import Notice
from cadrecare.reminders.services import reminders_scan
from cadrecare.reminders.sources import DueItem, due_items
from cadrecare.rotation.choices import DayKind, Mode
from cadrecare.rotation.models import Roster, RosterDay, RotationPolicy
from cadrecare.rotation.services import roster_publish
from tests.cadrecare.reminders.support import only_kinds
from tests.cadrecare.rotation.conftest import build_township
from tests.cadrecare.rotation.generation_support import TODAY, in_township_a1, run_generation
from tests.factories import RoleGrantFactory


def test_publishing_notifies_each_cadre_with_a_login_of_their_rest_days(cast: Any, township: list[Cadre]) -> None:
    roster = in_township_a1(cast, township, Mode.WEEKLY)

    roster_publish(actor=cast.secretary_a1, roster_obj=roster, confirm_provisional=True)

    notices = Notice.objects.filter(kind="roster_published", object_id=roster.pk)
    assert set(notices.values_list("recipient_id", flat=True)) == {cast.cadre_a1_user.pk, cast.secretary_a1.pk}
    mine = notices.get(recipient=cast.cadre_a1_user)
    rest = RosterDay.objects.filter(version=roster.current, cadre=cast.cadre_a1, kind=DayKind.REST)
    assert all(f"3月{day.day}日" in mine.body for day in rest.values_list("date", flat=True))
    assert mine.body.count("、") == rest.count() - 1 and "石头乡" in mine.title


def test_a_draft_is_due_before_its_month_and_urgent_when_infeasible(cast: Any) -> None:
    # given township B1's infeasible March (monthly mode, no 8-day run without blackout)
    build_township(cast.town_b1, 6)
    RotationPolicy.objects.create(
        unit=cast.town_b1,
        effective_from=dt.date(2026, 1, 1),
        mode=Mode.MONTHLY,
        blackout=[{"from": "2027-03-07", "to": "2027-03-31", "reason": "集中整治"}],
    )
    run_generation(cast.town_b1)
    roster = Roster.objects.get(unit=cast.town_b1)

    items = [DueItem.from_row(row) for row in due_items(today=TODAY, kinds=["roster_publish"])]

    assert len(items) == 1
    item = items[0]
    assert (item.object_id, item.due_date, item.urgent) == (roster.pk, dt.date(2027, 2, 28), True)
    assert item.owner_id == cast.secretary_b1.pk and item.owner_unit_id == cast.county_b.pk
    assert "无可行方案" in item.title


def test_an_unpublished_draft_reminds_its_secretary_escalates_when_late_and_publishing_ends_it(
    cast: Any, township: list[Cadre]
) -> None:
    # given township A2's feasible March draft and a party secretary there with a login
    secretary = RoleGrantFactory(role=Role.SECRETARY, unit=cast.town_a2).user
    run_generation(cast.town_a2)
    roster = Roster.objects.get(unit=cast.town_a2)
    with only_kinds("roster_publish"):
        # when the scan runs daily from 24 February to 7 March, then the roster is published
        for day in range(24, 24 + 12):
            reminders_scan(today=dt.date(2027, 2, 1) + dt.timedelta(days=day - 1))
        roster_publish(actor=secretary, roster_obj=roster, confirm_provisional=True)
        reminders_scan(today=dt.date(2027, 3, 8))

    # then the secretary was reminded 3 days before the month, on its eve and daily after (not urgent),
    # the county heard at 7 days late, and nothing came after publishing
    mine = Notice.objects.filter(kind="roster_publish", recipient=secretary)
    assert sorted(mine.values_list("stage", flat=True)) == sorted(["upcoming", "due"] + ["overdue"] * 7)
    assert not mine.filter(urgent=True).exists() and "待发布" in mine.first().title
    assert Notice.objects.filter(kind="roster_publish", stage="county", recipient=cast.county_a_staff).count() == 1
    assert not Notice.objects.filter(kind="roster_publish", period=dt.date(2027, 3, 8)).exists()
