"""When a cadre's next check-up falls due: the last annual check-up plus the
interval their unit's policy sets (inherited down the tree), month ends and
leap years as the calendar has them; never checked means due today."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.models import Q

from cadrecare.health.choices import CheckupKind, DueState
from cadrecare.health.rules import CheckupPolicyInForce, checkup_next_due, due_state
from cadrecare.health.selectors import checkup_due_items, effective_policies, effective_policy
from cadrecare.org.choices import CadreStatus
from tests.factories import CadreFactory, CheckupFactory, CheckupPolicyFactory, OrgUnitFactory

TODAY = dt.date(2026, 6, 15)


@pytest.mark.parametrize(
    ("last", "months", "due"),
    [
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),  # leap day, next year has none
        (dt.date(2023, 2, 28), 12, dt.date(2024, 2, 28)),  # into a leap year: stays on the 28th
        (dt.date(2024, 2, 29), 48, dt.date(2028, 2, 29)),  # leap year to leap year
        (dt.date(2025, 8, 31), 6, dt.date(2026, 2, 28)),  # month end into a short month
        (dt.date(2023, 8, 31), 6, dt.date(2024, 2, 29)),  # ... of a leap year
        (dt.date(2025, 1, 31), 1, dt.date(2025, 2, 28)),
        (dt.date(2025, 3, 31), 1, dt.date(2025, 4, 30)),
        (dt.date(2025, 12, 15), 12, dt.date(2026, 12, 15)),
        (dt.date(2025, 11, 30), 3, dt.date(2026, 2, 28)),  # across a year end
    ],
)
def test_next_due_is_the_last_checkup_plus_the_interval_in_calendar_months(
    last: dt.date, months: int, due: dt.date
) -> None:
    assert checkup_next_due(last, months, TODAY) == due


def test_a_cadre_never_checked_is_due_today() -> None:
    assert checkup_next_due(None, 12, TODAY) == TODAY


@pytest.mark.parametrize(
    ("days_left", "state"),
    [
        (-1, DueState.OVERDUE),
        (0, DueState.DUE),
        (30, DueState.DUE),
        (31, DueState.UPCOMING),
        (60, DueState.UPCOMING),
        (61, DueState.NOT_DUE),
    ],
)
def test_the_state_follows_the_reminder_windows(days_left: int, state: DueState) -> None:
    # given reminders 60 and 30 days ahead
    assert due_state(TODAY + dt.timedelta(days=days_left), (60, 30), TODAY) == state


def test_without_reminders_a_checkup_is_due_only_on_its_day() -> None:
    assert due_state(TODAY, (), TODAY) == DueState.DUE
    assert due_state(TODAY + dt.timedelta(days=1), (), TODAY) == DueState.NOT_DUE


def test_a_unit_without_a_policy_follows_the_nearest_ancestor_with_one(cast: Any) -> None:
    # given the city checks every 12 months and county A every 24
    CheckupPolicyFactory(unit=cast.city, interval_months=12)
    CheckupPolicyFactory(unit=cast.county_a, interval_months=24, reminder_days=[30, 90])
    village = OrgUnitFactory(parent=cast.town_a1)

    # when the policies of units at every depth are resolved
    policies = effective_policies([cast.town_a1, village, cast.county_a, cast.town_b1, cast.city])

    # then township A1 and its village inherit county A's, township B1 the city's
    assert policies[cast.town_a1.pk].interval_months == 24
    assert policies[village.pk].interval_months == 24
    assert policies[village.pk].source_unit_id == cast.county_a.pk
    assert policies[village.pk].reminder_days == (90, 30)
    assert policies[cast.town_b1.pk].interval_months == 12
    assert policies[cast.town_b1.pk].source_unit_id == cast.city.pk


def test_a_units_own_policy_overrides_the_inherited_one(cast: Any) -> None:
    CheckupPolicyFactory(unit=cast.county_a, interval_months=24)
    CheckupPolicyFactory(unit=cast.town_a1, interval_months=6)

    assert effective_policy(cast.town_a1).interval_months == 6
    assert effective_policy(cast.town_a2).interval_months == 24


def test_with_no_policy_anywhere_the_default_is_yearly_reminded_at_60_and_30_days(cast: Any) -> None:
    assert effective_policy(cast.town_b1) == CheckupPolicyInForce(12, (60, 30), "unit", None)


def test_due_items_use_the_last_annual_checkup_and_the_policy_of_each_cadres_unit(cast: Any) -> None:
    # given county A checks every 24 months, the rest of the city every 12
    CheckupPolicyFactory(unit=cast.county_a, interval_months=24)
    CheckupFactory(cadre=cast.cadre_a1, date=dt.date(2024, 2, 29))
    CheckupFactory(cadre=cast.cadre_a1, date=dt.date(2025, 1, 10), kind=CheckupKind.FOLLOW_UP)
    CheckupFactory(cadre=cast.cadre_b1, date=dt.date(2023, 5, 2))
    CheckupFactory(cadre=cast.cadre_b1, date=dt.date(2025, 7, 1))

    # when the due items are computed for the whole city
    items = {cadre.pk: cadre for cadre in checkup_due_items(today=TODAY)}

    # then the follow-up does not restart cadre A1's cycle, and each unit's interval applies
    assert items[cast.cadre_a1.pk].last_checkup_date == dt.date(2024, 2, 29)
    assert items[cast.cadre_a1.pk].interval_months == 24
    assert items[cast.cadre_a1.pk].due_date == dt.date(2026, 2, 28)
    assert items[cast.cadre_a1.pk].due_state == DueState.OVERDUE
    assert items[cast.cadre_b1.pk].due_date == dt.date(2026, 7, 1)
    assert items[cast.cadre_b1.pk].due_state == DueState.DUE
    # and a cadre never checked is due today
    assert items[cast.cadre_a2.pk].due_date == TODAY
    assert items[cast.cadre_a2.pk].due_state == DueState.DUE


def test_due_items_leave_out_cadres_no_longer_in_post(cast: Any) -> None:
    retired = CadreFactory(unit=cast.town_a1, status=CadreStatus.RETIRED)

    ids = {cadre.pk for cadre in checkup_due_items(today=TODAY)}

    assert retired.pk not in ids
    assert cast.cadre_a1.pk in ids


def test_due_items_narrow_to_a_users_scope_or_a_set_of_units(cast: Any) -> None:
    by_user = {cadre.pk for cadre in checkup_due_items(user=cast.hr_a1, today=TODAY)}
    by_units = {cadre.pk for cadre in checkup_due_items(units_q=Q(path__startswith=cast.county_b.path), today=TODAY)}

    assert by_user == {cast.cadre_a1.pk, cast.secretary_a1_cadre.pk}
    assert by_units == {cast.cadre_b1.pk}


def test_due_items_cost_the_same_queries_for_few_or_many_cadres(cast: Any, count_queries: Any) -> None:
    # given policies at two levels and cadres in several units
    CheckupPolicyFactory(unit=cast.city)
    CheckupPolicyFactory(unit=cast.county_a, interval_months=24)
    few = count_queries(lambda: list(checkup_due_items(today=TODAY)))

    for unit in (cast.town_a1, cast.town_a2, cast.town_b1, cast.agency_a):
        for _ in range(5):
            CheckupFactory(cadre=CadreFactory(unit=unit), date=dt.date(2025, 3, 3))
    many = count_queries(lambda: list(checkup_due_items(today=TODAY)))

    assert many == few == 2


def test_the_sql_due_date_and_state_agree_with_the_rule_on_every_month_end(cast: Any) -> None:
    # given cadres checked on the last days of every month of 2023-2025 (and some ordinary days),
    # under policies of 1, 6, 11, 13 and 24 months and the default 12
    intervals = {cast.town_a1: 1, cast.town_a2: 6, cast.agency_a: 11, cast.county_b: 13, cast.town_b1: 24}
    for unit, months in intervals.items():
        CheckupPolicyFactory(unit=unit, interval_months=months, reminder_days=[45, 10])
    units = [*intervals, cast.city]
    days = [dt.date(2023, 1, 1) + dt.timedelta(days=n) for n in range(3 * 366)]
    checked = [day for day in days if (day + dt.timedelta(days=1)).day == 1 or day.day in (1, 15, 28, 29, 30)]
    for index, day in enumerate(checked):
        CheckupFactory(cadre=CadreFactory(unit=units[index % len(units)]), date=day)

    # when the database computes every due date and state
    rows = list(checkup_due_items(today=TODAY).exclude(last_checkup_date=None))

    # then each is what the plain rule says
    assert len(rows) == len(checked)
    policies = effective_policies({row.unit for row in rows})
    for row in rows:
        policy = policies[row.unit_id]
        expected = checkup_next_due(row.last_checkup_date, policy.interval_months, TODAY)
        assert (row.last_checkup_date, row.interval_months, row.due_date) == (
            row.last_checkup_date,
            policy.interval_months,
            expected,
        )
        assert row.due_state == due_state(expected, policy.reminder_days, TODAY)
