"""The daily scan: each due item reminds its owner before, on and
after the due date, then escalates to the county and city organization
departments; every notice is made once, whatever the number of runs."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection

from cadrecare.org.choices import Role, UnitKind
from cadrecare.org.models import RoleGrant, person_name
from cadrecare.reminders.choices import DeliveryStatus, JobStatus, Stage
from cadrecare.reminders.models import Delivery, JobRun, Notice, ReminderSchedule
from cadrecare.reminders.services import ScheduleRule, UnitBook, reminders_scan, stages_of
from cadrecare.reminders.sources import ORG_DEPARTMENT_ROLES, DueItem
from tests.cadrecare.reminders.support import KIND, close, make_due
from tests.factories import CadreFactory, OrgUnitFactory, RoleGrantFactory

DUE = dt.date(2026, 3, 16)


pytestmark = pytest.mark.usefixtures("review_source_alone")


def day(offset: int) -> dt.date:
    return DUE + dt.timedelta(days=offset)


def notices_of(user: Any) -> list[tuple[str, dt.date]]:
    return sorted(Notice.objects.filter(recipient=user).values_list("stage", "period"))


def test_owner_is_reminded_before_on_and_after_the_due_date_then_county_and_city_hear(cast: Any) -> None:
    # given cadre A1's review due on 16 March, owned by A1's party secretary
    make_due(cast.cadre_a1, DUE)
    org_a = {cast.county_a_admin, cast.county_a_staff}

    # when the scan runs every day from 10 March to 8 April
    for offset in range(-6, 24):
        reminders_scan(today=day(offset))

    # then the secretary heard 3 days before, on the day and every day after
    expected = [(Stage.UPCOMING, DUE), (Stage.DUE, DUE)] + [(Stage.OVERDUE, day(n)) for n in range(1, 24)]
    assert notices_of(cast.secretary_a1) == sorted(expected)
    # and the county organization department once, at 7 days late; the city's at 7 + 14
    for officer in org_a:
        assert notices_of(officer) == [(Stage.COUNTY, DUE)]
    assert notices_of(cast.city_admin) == [(Stage.CITY, DUE)]
    assert set(Notice.objects.filter(stage=Stage.COUNTY).values_list("days_overdue", flat=True)) == {7}
    assert set(Notice.objects.filter(stage=Stage.CITY).values_list("days_overdue", flat=True)) == {21}
    # and nobody else heard anything
    assert not Notice.objects.exclude(recipient__in=[cast.secretary_a1, *org_a, cast.city_admin]).exists()


def test_escalation_says_who_owns_the_item_and_how_late_it_is(cast: Any) -> None:
    # given an item 7 days late
    make_due(cast.cadre_a1, DUE)

    # when the scan runs
    reminders_scan(today=day(7))

    # then the county's notice names the owner and the delay, and is urgent
    notice = Notice.objects.get(recipient=cast.county_a_staff, stage=Stage.COUNTY)
    assert "和书记" in notice.body and "已逾期7天" in notice.body and "县委组织部督办" in notice.body
    assert notice.urgent and notice.days_overdue == 7
    assert notice.owner == cast.secretary_a1


def test_a_done_item_gets_no_more_notices(cast: Any) -> None:
    # given an overdue item that the owner has been reminded of
    make_due(cast.cadre_a1, DUE)
    reminders_scan(today=day(1))
    before = Notice.objects.count()

    # when it is done and the scan keeps running
    close(cast.cadre_a1)
    for offset in range(2, 30):
        reminders_scan(today=day(offset))

    # then no notice is added
    assert Notice.objects.count() == before


def test_running_the_scan_twice_makes_each_notice_once(cast: Any) -> None:
    # given an item 21 days late (every stage is due)
    make_due(cast.cadre_a1, DUE)

    # when the scan runs twice the same day
    first = reminders_scan(today=day(21))
    second = reminders_scan(today=day(21))

    # then the second run created nothing, and both are recorded
    assert first.created == Notice.objects.count() == 1 + 2 + 1
    assert second.created == 0 and second.status == JobStatus.SUCCEEDED
    assert JobRun.objects.filter(name="reminders_scan").count() == 2


def test_an_item_that_fell_due_while_no_scan_ran_is_noticed_on_the_next_run(cast: Any) -> None:
    # given an item due on the 16th and no scan between the 10th and the 25th (worker down)
    make_due(cast.cadre_a1, DUE)
    reminders_scan(today=day(-6))
    assert Notice.objects.count() == 0

    # when the scan runs again 9 days after the due date
    reminders_scan(today=day(9))

    # then the owner is told it is overdue and the county's escalation goes out
    assert notices_of(cast.secretary_a1) == [(Stage.OVERDUE, day(9))]
    assert notices_of(cast.county_a_staff) == [(Stage.COUNTY, DUE)]


def test_a_moved_due_date_is_reminded_again(cast: Any) -> None:
    # given an item reminded on its day, then postponed by a month
    make_due(cast.cadre_a1, DUE)
    reminders_scan(today=DUE)
    make_due(cast.cadre_a1, DUE + dt.timedelta(days=30))

    # when the new due date comes
    reminders_scan(today=DUE + dt.timedelta(days=30))

    # then the owner hears again about the new date
    assert notices_of(cast.secretary_a1) == [(Stage.DUE, DUE), (Stage.DUE, DUE + dt.timedelta(days=30))]


def test_schedule_of_a_unit_is_inherited_and_overridden_below(cast: Any) -> None:
    # given county A reminds 5 days ahead and escalates after 2 days; township A2 overrides the lead to 1
    ReminderSchedule.objects.create(unit=cast.county_a, lead_days=5, county_after_days=2, city_after_days=3)
    ReminderSchedule.objects.create(unit=cast.town_a2, lead_days=1, county_after_days=2, city_after_days=3)
    make_due(cast.cadre_a1, DUE)
    make_due(cast.cadre_a2, DUE)

    # when the scan runs 5 days before and 2 days after
    reminders_scan(today=day(-5))
    reminders_scan(today=day(2))

    # then A1 (inherits the county's rule) was reminded 5 days ahead; A2 (its own rule) was not yet
    assert Notice.objects.filter(cadre=cast.cadre_a1, stage=Stage.UPCOMING).exists()
    assert not Notice.objects.filter(cadre=cast.cadre_a2, stage=Stage.UPCOMING).exists()
    # and both escalated to the county after 2 days
    assert Notice.objects.filter(stage=Stage.COUNTY, recipient=cast.county_a_staff).count() == 2


def test_vacant_owner_post_sends_the_owner_reminders_to_the_county_organization_department(cast: Any) -> None:
    # given township A2 has no party secretary, and an item there is due today
    make_due(cast.cadre_a2, DUE)

    # when the scan runs on the day and 7 days later
    reminders_scan(today=DUE)
    reminders_scan(today=day(7))

    # then county A's organization department gets the owner's reminders and says the post is vacant
    assert notices_of(cast.county_a_staff) == [(Stage.COUNTY, DUE), (Stage.DUE, DUE), (Stage.OVERDUE, day(7))]
    escalation = Notice.objects.get(recipient=cast.county_a_staff, stage=Stage.COUNTY)
    assert "岗位空缺" in escalation.body and escalation.owner is None
    # and its own reminders tell it why they are its to do
    reminder = Notice.objects.get(recipient=cast.county_a_staff, stage=Stage.DUE)
    assert reminder.body.endswith("（岗位空缺，由玉龙县组织部门代办。）")


def test_urgent_notices_enter_the_outbox_at_once_and_the_rest_wait_for_the_digest(cast: Any) -> None:
    # given officers with email and an item 7 days late
    cast.county_a_staff.email = "staff@yulong.gov.cn"
    cast.county_a_staff.save()
    cast.secretary_a1.email = "shuji@shitou.gov.cn"
    cast.secretary_a1.save()
    make_due(cast.cadre_a1, DUE)

    # when the scan runs
    reminders_scan(today=day(7))

    # then the escalation has its email queued, the secretary's overdue reminder waits for the digest
    escalation = Notice.objects.get(recipient=cast.county_a_staff)
    assert list(escalation.deliveries.values_list("channel", "address", "status")) == [
        ("email", "staff@yulong.gov.cn", DeliveryStatus.PENDING)
    ]
    reminder = Notice.objects.get(recipient=cast.secretary_a1)
    assert not reminder.urgent and not reminder.outboxed and not reminder.deliveries.exists()


def test_sms_goes_to_the_phone_of_the_recipients_own_cadre_record(cast: Any) -> None:
    # given the county staff member has no cadre record, county A's admin is the cadre A2 (phone on file)
    cast.cadre_a2.user = cast.county_a_admin
    cast.cadre_a2.save()
    make_due(cast.cadre_a1, DUE)

    # when the escalation is made
    reminders_scan(today=day(7))

    # then only the admin gets an SMS, to that phone
    assert list(Delivery.objects.filter(channel="sms").values_list("recipient", "address")) == [
        (cast.county_a_admin.pk, cast.cadre_a2.phone)
    ]


def test_stages_follow_the_calendar_alone() -> None:
    # given the default rule: 3 days ahead, county at 7, city at 7 + 14
    book = UnitBook.__new__(UnitBook)
    book.escalation_units, book._level_cache = {"00000001.": ("city", 1), "00000001.00000002.": ("county", 2)}, {}
    item = DueItem(KIND, 1, 1, 3, "00000001.00000002.00000003.", 9, None, DUE, "t", "", False)

    def stages(offset: int) -> list[str]:
        return [p.stage for p in stages_of(item, today=day(offset), rule=ScheduleRule(), book=book)]

    # then
    assert stages(-4) == []
    assert stages(-3) == stages(-1) == [Stage.UPCOMING]
    assert stages(0) == [Stage.DUE]
    assert stages(6) == [Stage.OVERDUE]
    assert stages(7) == stages(20) == [Stage.OVERDUE, Stage.COUNTY]
    assert stages(21) == [Stage.OVERDUE, Stage.COUNTY, Stage.CITY]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lock", [True, False], ids=["with-advisory-lock", "unique-keys-alone"])
def test_concurrent_scans_make_each_notice_once(cast: Any, lock: bool) -> None:
    # given 30 cadres of township A1 with items 21 days late
    from tests.factories import CadreFactory

    for _ in range(30):
        make_due(CadreFactory(unit=cast.town_a1), DUE)
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def scan() -> None:
        try:
            barrier.wait()
            reminders_scan(today=day(21), lock=lock)
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    # when four scans run at once
    threads = [threading.Thread(target=scan) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then each (item, recipient, stage, period) has one notice, and the runs' counts add up
    assert errors == []
    recipients_per_item = 1 + 2 + 1  # secretary, county admin + staff, city admin
    assert Notice.objects.count() == 30 * recipients_per_item
    assert sum(JobRun.objects.filter(name="reminders_scan").values_list("created", flat=True)) == Notice.objects.count()
    assert Delivery.objects.values("notice", "channel").distinct().count() == Delivery.objects.count()


def test_an_inactive_owner_is_not_notified(cast: Any) -> None:
    # given the secretary's account is disabled
    cast.secretary_a1.is_active = False
    cast.secretary_a1.save()
    make_due(cast.cadre_a1, DUE)

    # when the scan runs on the day
    reminders_scan(today=DUE)

    # then the disabled account gets nothing; the county's organization department hears instead,
    # told that the post is held but its holder's login is off (not that the post is vacant)
    assert notices_of(cast.secretary_a1) == []
    assert notices_of(cast.county_a_staff) == [(Stage.DUE, DUE)]
    body = Notice.objects.get(recipient=cast.county_a_staff).body
    assert body.endswith(f"（{person_name(cast.secretary_a1)}的账号已停用，由玉龙县组织部门代办。）")


def test_a_broken_source_is_recorded_and_the_other_kinds_still_go_out(cast: Any) -> None:
    # given a second kind whose query fails
    from cadrecare.reminders.sources import register, unregister

    def broken(*, today: dt.date) -> Any:
        return Notice.objects.filter(no_such_field=1)

    register("broken", label="坏", resource="cadres")(broken)
    make_due(cast.cadre_a1, DUE)
    try:
        # when the scan runs
        run = reminders_scan(today=DUE)
    finally:
        unregister("broken")

    # then the review reminder went out and the run is partial, saying which kind failed
    assert notices_of(cast.secretary_a1) == [(Stage.DUE, DUE)]
    assert run.status == JobStatus.PARTIAL and run.errors[0].startswith("broken: FieldError")
    assert run.detail["failed_kinds"] == ["broken"]


def test_a_second_run_makes_only_what_is_missing_person_by_person(cast: Any) -> None:
    # given an item 8 days late whose escalation reached county A's two officers
    make_due(cast.cadre_a1, DUE)
    reminders_scan(today=day(8))
    first = set(Notice.objects.values_list("id", "recipient_id", "stage"))

    # when a third officer joins county A's organization department and the scan runs again that day
    newcomer = RoleGrantFactory(role=Role.ORG_STAFF, unit=cast.county_a).user
    again = reminders_scan(today=day(8))

    # then only the newcomer's escalation is made; everyone else's notices are the same rows
    assert again.created == 1
    assert set(Notice.objects.exclude(recipient=newcomer).values_list("id", "recipient_id", "stage")) == first
    assert list(Notice.objects.filter(recipient=newcomer).values_list("stage", "period")) == [(Stage.COUNTY, DUE)]


def test_a_department_with_nobody_in_it_passes_its_stages_up_and_the_run_counts_them(cast: Any) -> None:
    # given cadre A1's review 7 days late, and nobody left in county A's organization department
    make_due(cast.cadre_a1, DUE)
    RoleGrant.objects.filter(unit=cast.county_a, role__in=ORG_DEPARTMENT_ROLES).delete()

    # when the scan runs
    run = reminders_scan(today=day(7))

    # then the county's escalation goes to the city's organization department, and the run says so
    assert notices_of(cast.city_admin) == [(Stage.COUNTY, DUE)]
    assert run.detail["rerouted_stages"] == 1 and run.detail["unroutable_stages"] == 0

    # and with nobody in the city's department either, the stage is counted as heard by nobody
    RoleGrant.objects.filter(role__in=ORG_DEPARTMENT_ROLES).delete()
    make_due(cast.cadre_a1, day(1))
    run = reminders_scan(today=day(8))
    assert run.detail["unroutable_stages"] == 1
    assert not Notice.objects.filter(stage=Stage.COUNTY, period=day(1)).exists()


def test_a_vacant_post_whose_department_passed_up_names_the_department_that_stands_in(cast: Any) -> None:
    # given township A2 has no party secretary, and nobody is left in county A's organization department
    make_due(cast.cadre_a2, DUE)
    RoleGrant.objects.filter(unit=cast.county_a, role__in=ORG_DEPARTMENT_ROLES).delete()

    # when the scan runs on the day
    reminders_scan(today=DUE)

    # then the city's organization department hears the owner's reminder, told that it is the one standing in
    reminder = Notice.objects.get(recipient=cast.city_admin, stage=Stage.DUE)
    assert reminder.body.endswith("（岗位空缺，由丽江市组织部门代办。）")


def _unheard_owner(unit: Any, owner: str) -> tuple[Any, Any]:
    """A cadre of ``unit`` whose review is due on DUE and whose owner cannot
    hear it: the unit has no party secretary ("vacant"), or its secretary's
    login is disabled ("disabled"); returns the cadre and that secretary (None
    when vacant)."""
    secretary = None
    if owner == "disabled":
        secretary = RoleGrantFactory(role=Role.SECRETARY, unit=unit).user
        secretary.is_active = False
        secretary.save()
    return make_due(CadreFactory(name="和丽江", unit=unit), DUE), secretary


@pytest.mark.parametrize("owner", ["vacant", "disabled"])
def test_an_owner_nobody_can_reach_with_no_county_above_is_stood_in_for_by_the_city(cast: Any, owner: str) -> None:
    # given a review of a city-level cadre due today: no owner unit above the city and no county either,
    # and the owner's post vacant or their login disabled; and A1's review due today in the same batch
    cadre, secretary = _unheard_owner(cast.city, owner)
    make_due(cast.cadre_a1, DUE)

    # when the scan runs
    run = reminders_scan(today=DUE)

    # then the city's organization department, and only it, gets the owner's reminder
    assert list(Notice.objects.filter(cadre=cadre).values_list("recipient", "stage")) == [
        (cast.city_admin.pk, Stage.DUE)
    ]
    # and A1's secretary still hears; the run is whole, with nothing unroutable
    assert notices_of(cast.secretary_a1) == [(Stage.DUE, DUE)]
    assert run.status == JobStatus.SUCCEEDED and run.errors == []
    assert run.detail["unroutable_stages"] == 0


@pytest.mark.parametrize("owner", ["vacant", "disabled"])
def test_an_owner_nobody_can_reach_with_no_department_up_the_tree_is_counted_unroutable(
    cast: Any, client_for: Any, owner: str
) -> None:
    # given a unit outside the tree (no county, no city above), a review there due today whose owner cannot
    # hear, and A1's review due today in the same batch
    alone = OrgUnitFactory(name="飞地乡", kind=UnitKind.TOWNSHIP)
    cadre, secretary = _unheard_owner(alone, owner)
    make_due(cast.cadre_a1, DUE)

    # when the scan runs
    run = reminders_scan(today=DUE)

    # then no notice is made for it, not even to a disabled owner, and the run counts its stage as heard by nobody
    assert not Notice.objects.filter(cadre=cadre).exists()
    assert secretary is None or not Notice.objects.filter(recipient=secretary).exists()
    assert run.status == JobStatus.SUCCEEDED and run.errors == []
    assert run.detail["unroutable_stages"] == 1
    # and the rest of the batch went out
    assert notices_of(cast.secretary_a1) == [(Stage.DUE, DUE)]
    # and the administrators see the count on the run
    listed = client_for("city_admin").get("/api/v1/job-runs/", {"name": "reminders_scan"}).json()["results"][0]
    assert listed["id"] == run.pk and listed["detail"]["unroutable_stages"] == 1
