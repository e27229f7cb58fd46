"""The nearest setting up the tree (cadrecare.org.inheritance): its three
forms (a queryset for one unit, Python over many, SQL per row) give every
unit of the cast the same answer, the nearest unit's setting, else the default."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import IntegerField, Value

from cadrecare.org.inheritance import nearest, nearest_case, nearest_first
from cadrecare.org.models import OrgUnit
from cadrecare.reminders.models import ReminderSchedule

pytestmark = pytest.mark.django_db


def test_every_unit_follows_its_own_setting_else_the_nearest_above_in_all_three_forms(cast: Any) -> None:
    # Given: the city sets 10 days, county A 20, township A1 30.
    for unit, days in ((cast.city, 10), (cast.county_a, 20), (cast.town_a1, 30)):
        ReminderSchedule.objects.create(unit=unit, lead_days=days, county_after_days=7, city_after_days=7)
    by_path = dict(ReminderSchedule.objects.values_list("unit__path", "lead_days"))
    expected = {
        cast.city: 10,
        cast.county_a: 20,
        cast.town_a1: 30,
        cast.town_a2: 20,
        cast.agency_a: 20,
        cast.county_b: 10,
        cast.town_b1: 10,
    }

    # When: each form is asked for each unit.
    one_query = {
        unit: nearest_first(ReminderSchedule.objects.all(), unit.path).values_list("lead_days", flat=True).first()
        for unit in expected
    }
    in_python = {unit: nearest(unit.path, by_path, 0) for unit in expected}
    in_sql = dict(
        OrgUnit.objects.filter(pk__in=[unit.pk for unit in expected])
        .annotate(days=nearest_case("path", {p: Value(d) for p, d in by_path.items()}, Value(0), IntegerField()))
        .values_list("pk", "days")
    )

    # Then: they agree, and say the nearest unit's.
    assert one_query == in_python == expected
    assert in_sql == {unit.pk: days for unit, days in expected.items()}


def test_a_unit_with_no_setting_above_it_takes_the_default(cast: Any) -> None:
    assert nearest(cast.town_b1.path, {}, "default") == "default"
    assert not nearest_first(ReminderSchedule.objects.all(), cast.town_b1.path).exists()
