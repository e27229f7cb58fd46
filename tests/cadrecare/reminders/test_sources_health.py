"""The health kinds of due item (cadrecare/health/due.py): each cadre's next
check-up and each recheck, computed from the check-ups, chased until done."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from cadrecare.org.choices import CadreStatus, Role
from cadrecare.reminders.choices import Stage
from cadrecare.reminders.models import Notice, ReminderSchedule
from cadrecare.reminders.services import reminders_scan
from cadrecare.reminders.sources import DueItem, due_items
from tests.cadrecare.reminders.support import only_kinds
from tests.factories import CheckupFactory, CheckupPolicyFactory, RoleGrantFactory, UserFactory

TODAY = dt.date(2026, 6, 10)


@pytest.fixture(autouse=True)
def _health_only() -> Iterator[None]:
    with only_kinds("checkup", "checkup_recheck"):
        yield


def items(kind: str, today: dt.date = TODAY) -> dict[int, DueItem]:
    return {item.cadre_id: item for item in map(DueItem.from_row, due_items(today=today, kinds=[kind]))}


def test_next_checkup_is_due_a_policy_interval_after_the_last_annual_one(cast: Any) -> None:
    # given cadre A1 checked (annual) on 2025-03-31, and a special examination since
    CheckupFactory(cadre=cast.cadre_a1, date=dt.date(2025, 3, 31))
    CheckupFactory(cadre=cast.cadre_a1, date=dt.date(2025, 9, 1), kind="special")

    # then the next one is due 12 months after the annual one (the special one does not count)
    assert items("checkup")[cast.cadre_a1.pk].due_date == dt.date(2026, 3, 31)


def test_the_nearest_units_policy_sets_the_interval_and_months_end_is_kept(cast: Any) -> None:
    # given county A checks every 6 months, the city every 12; cadre A1 last checked on 31 August
    CheckupPolicyFactory(unit=cast.city, interval_months=12)
    CheckupPolicyFactory(unit=cast.county_a, interval_months=6)
    CheckupFactory(cadre=cast.cadre_a1, date=dt.date(2025, 8, 31))
    CheckupFactory(cadre=cast.cadre_b1, date=dt.date(2025, 8, 31))

    # then A1 (county A) is due 6 months later at February's end, B1 (city default) 12 months later
    found = items("checkup")
    assert found[cast.cadre_a1.pk].due_date == dt.date(2026, 2, 28)
    assert found[cast.cadre_b1.pk].due_date == dt.date(2026, 8, 31)


def test_a_cadre_never_checked_is_due_from_the_day_their_record_was_entered(cast: Any) -> None:
    # then cadre A2 (no check-up) is due on the day the record was made
    assert (
        items("checkup")[cast.cadre_a2.pk].due_date
        == cast.cadre_a2.created_at.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    )


def test_only_cadres_in_post_are_due(cast: Any) -> None:
    # given cadre B1 retired
    cast.cadre_b1.status = CadreStatus.RETIRED
    cast.cadre_b1.save()

    # then only cadres in post have a check-up due
    assert cast.cadre_b1.pk not in items("checkup")
    assert cast.cadre_a1.pk in items("checkup")


def test_the_units_hr_officer_owns_the_checkup_and_the_county_takes_a_unit_without_one(cast: Any) -> None:
    # given township A1 has an HR officer, township A2 none
    found = items("checkup")

    # then A1's cadre's check-up is the HR officer's; A2's is vacant, for county A's organization department
    assert found[cast.cadre_a1.pk].owner_id == cast.hr_a1.pk
    assert found[cast.cadre_a2.pk].owner_id is None and found[cast.cadre_a2.pk].owner_unit_id == cast.county_a.pk


def test_a_recheck_is_due_until_a_later_checkup_is_recorded(cast: Any) -> None:
    # given a check-up asking for a recheck by 1 June
    first = CheckupFactory(
        cadre=cast.cadre_a1,
        date=dt.date(2026, 3, 1),
        conclusion="recheck",
        follow_up_needed=True,
        follow_up_by=dt.date(2026, 6, 1),
    )
    before = items("checkup_recheck")

    # when the recheck is recorded
    CheckupFactory(cadre=cast.cadre_a1, date=dt.date(2026, 6, 5), kind="follow_up")

    # then the item was open with its deadline, and is gone
    assert before[cast.cadre_a1.pk].due_date == dt.date(2026, 6, 1)
    assert before[cast.cadre_a1.pk].object_id == first.pk and before[cast.cadre_a1.pk].title == "木晓梅：体检复查"
    assert items("checkup_recheck") == {}


def test_an_overdue_checkup_reminds_hr_and_escalates_and_a_checkup_stops_it(cast: Any) -> None:
    # given cadre A1 last checked 12 months and 7 days ago
    CheckupFactory(cadre=cast.cadre_a1, date=TODAY - dt.timedelta(days=365 + 7))
    due = items("checkup")[cast.cadre_a1.pk].due_date

    # when the scan runs, then a check-up is recorded and the scan runs next day
    reminders_scan(today=TODAY)
    CheckupFactory(cadre=cast.cadre_a1, date=TODAY)
    reminders_scan(today=TODAY + dt.timedelta(days=1))

    # then HR got the overdue reminder and the county its escalation, once, and nothing after the check-up
    about_a1 = Notice.objects.filter(cadre=cast.cadre_a1, kind="checkup")
    assert sorted(about_a1.values_list("recipient__username", "stage")) == [
        ("county_a_admin", Stage.COUNTY),
        ("county_a_staff", Stage.COUNTY),
        ("hr_a1", Stage.OVERDUE),
    ]
    assert about_a1.first().due_date == due


def test_township_secretary_county_officer_and_hr_each_see_their_own(cast: Any, client_for: Any) -> None:
    # given every cadre checked, A1's and A2's last ones over a year ago, and a second HR officer in B1
    hr_b1 = UserFactory(username="hr_b1")
    RoleGrantFactory(user=hr_b1, role=Role.HR, unit=cast.town_b1)
    for cadre in (cast.secretary_a1_cadre, cast.cadre_b1):
        CheckupFactory(cadre=cadre, date=dt.date.today() - dt.timedelta(days=30))
    for cadre in (cast.cadre_a1, cast.cadre_a2):
        CheckupFactory(cadre=cadre, date=dt.date.today() - dt.timedelta(days=400))
    reminders_scan()

    def mine(name: str) -> set[str]:
        rows = client_for(name).get("/api/v1/due-items/", {"mine": 1, "kind": "checkup"}).json()["results"]
        return {row["cadre_name"] for row in rows}

    def inbox(name: str) -> set[tuple[str, str]]:
        rows = client_for(name).get("/api/v1/notifications/").json()["results"]
        return {(row["cadre_name"], row["stage"]) for row in rows}

    # then HR of A1 owns A1's overdue check-up, the county officer A2's (no HR there), the secretary none
    assert mine("hr_a1") == {"木晓梅", "和书记"}
    assert mine("county_a_staff") == {"杨建华"}
    assert mine("secretary_a1") == set()
    # and each one's inbox holds exactly their own notices
    assert inbox("hr_a1") == {("木晓梅", "overdue")}
    assert inbox("county_a_staff") == {("杨建华", "overdue"), ("木晓梅", "county"), ("杨建华", "county")}
    assert inbox("secretary_a1") == set()


# -- lead times: the health policy's, not the unit schedule's -----------------------------------

DUE = dt.date(2026, 9, 30)


def _checked_a_year_before(cadre: Any, due: dt.date = DUE) -> None:
    CheckupFactory(cadre=cadre, date=due.replace(year=due.year - 1))


def _scan_daily(first: int, last: int) -> None:
    for offset in range(first, last + 1):
        reminders_scan(today=DUE + dt.timedelta(days=offset))


def _stages_heard(user: Any, cadre: Any) -> list[tuple[str, int]]:
    """(stage, days before the due date the notice was for) of ``user``'s check-up notices about ``cadre``."""
    rows = Notice.objects.filter(recipient=user, cadre=cadre, kind="checkup").values_list("stage", "period")
    return sorted((stage, (DUE - period).days) for stage, period in rows)


def test_a_checkup_is_reminded_at_the_policys_60_and_30_days_then_on_the_day(cast: Any) -> None:
    # given the city's default policy (reminders 60 and 30 days ahead), a unit schedule of 3 days,
    # and cadre A1's check-up due on 30 September
    CheckupPolicyFactory(unit=cast.city)
    ReminderSchedule.objects.create(unit=cast.city, lead_days=3)
    _checked_a_year_before(cast.cadre_a1)

    # when the scan runs every day from 70 days before to the day after
    _scan_daily(-70, 1)

    # then HR heard 60 and 30 days before (never 3 days before), on the day and the day after
    assert _stages_heard(cast.hr_a1, cast.cadre_a1) == sorted(
        [(Stage.UPCOMING, 60), (Stage.UPCOMING, 30), (Stage.DUE, 0), (Stage.OVERDUE, -1)]
    )
    sixty = Notice.objects.get(
        recipient=cast.hr_a1, cadre=cast.cadre_a1, stage=Stage.UPCOMING, period=DUE - dt.timedelta(days=60)
    )
    assert "还有60天" in sixty.body


def test_the_nearest_units_policy_sets_the_lead_times(cast: Any) -> None:
    # given county A reminds 90 and 30 days ahead, the city 60 and 30
    CheckupPolicyFactory(unit=cast.city)
    CheckupPolicyFactory(unit=cast.county_a, reminder_days=[90, 30])
    _checked_a_year_before(cast.cadre_a1)
    _checked_a_year_before(cast.cadre_b1)
    secretary_b1 = UserFactory()
    RoleGrantFactory(user=secretary_b1, role=Role.HR, unit=cast.town_b1)

    # when the scan runs every day from 100 days before the due date to the day before
    _scan_daily(-100, -1)

    # then A1 (county A) was reminded at 90 and 30 days, B1 (the city's default) at 60 and 30
    assert _stages_heard(cast.hr_a1, cast.cadre_a1) == [(Stage.UPCOMING, 30), (Stage.UPCOMING, 90)]
    assert _stages_heard(secretary_b1, cast.cadre_b1) == [(Stage.UPCOMING, 30), (Stage.UPCOMING, 60)]


def test_a_scan_after_an_outage_sends_only_the_latest_lead_reminder_missed(cast: Any) -> None:
    # given a check-up due on 30 September and no scan until 20 days before it
    _checked_a_year_before(cast.cadre_a1)

    # when the scan runs 20 days before, twice, and again the next day
    _scan_daily(-20, -20)
    _scan_daily(-20, -19)

    # then HR has one reminder: the 30-day one (the 60-day one is past, not sent late)
    assert _stages_heard(cast.hr_a1, cast.cadre_a1) == [(Stage.UPCOMING, 30)]


def test_other_kinds_keep_the_unit_schedules_lead(cast: Any) -> None:
    # given a unit schedule of 5 days and a recheck due on 30 September (a kind without lead times of its own)
    ReminderSchedule.objects.create(unit=cast.county_a, lead_days=5)
    CheckupFactory(
        cadre=cast.cadre_a1,
        date=DUE - dt.timedelta(days=90),
        conclusion="recheck",
        follow_up_needed=True,
        follow_up_by=DUE,
    )

    # when the scan runs every day from 40 days before to the day
    _scan_daily(-40, 0)

    # then the recheck was reminded 5 days before and on the day only
    rows = Notice.objects.filter(recipient=cast.hr_a1, kind="checkup_recheck").values_list("stage", "period")
    assert sorted(rows) == sorted([(Stage.UPCOMING, DUE), (Stage.DUE, DUE)])
    first = Notice.objects.get(recipient=cast.hr_a1, kind="checkup_recheck", stage=Stage.UPCOMING)
    assert "还有5天" in first.body
