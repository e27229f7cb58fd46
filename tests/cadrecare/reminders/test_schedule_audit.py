"""A reminder schedule's service owns its write's audit row: one row for each
create, change and delete, whoever calls it (the API, the 提醒规则 page); a
schedule outside the actor's scope or against the limits is refused, unaudited."""

from __future__ import annotations

from typing import Any

import pytest

from cadrecare.audit.models import AuditEntry
from cadrecare.core.errors import DomainError
from cadrecare.reminders import services
from cadrecare.reminders.models import ReminderSchedule

pytestmark = pytest.mark.django_db


def _rows() -> list[tuple[str, str, str, list[str]]]:
    return list(
        AuditEntry.objects.exclude(action="read")
        .order_by("pk")
        .values_list("action", "resource", "object_id", "fields")
    )


def test_each_write_of_a_schedule_is_audited_once_with_its_fields(cast: Any) -> None:
    # when the county's administrator sets a township's schedule, changes it, changes nothing, then removes it
    schedule = services.reminder_schedule_save(actor=cast.county_a_admin, unit=cast.town_a1, lead_days=5)
    services.reminder_schedule_save(actor=cast.county_a_admin, unit=cast.town_a1, schedule=schedule, lead_days=7)
    pk = schedule.pk
    services.reminder_schedule_delete(actor=cast.county_a_admin, schedule=schedule)

    # then one row each, naming what was given, then what changed
    assert _rows() == [
        ("create", "reminder-schedules", str(pk), ["lead_days", "unit"]),
        ("update", "reminder-schedules", str(pk), ["lead_days"]),
        ("delete", "reminder-schedules", str(pk), []),
    ]


def test_a_schedule_outside_the_actors_scope_is_refused_and_leaves_no_row(cast: Any) -> None:
    with pytest.raises(DomainError) as refused:
        services.reminder_schedule_save(actor=cast.county_a_admin, unit=cast.town_b1, lead_days=5)

    assert (refused.value.field, str(refused.value.message)) == ("unit", "所选单位不在您的管理范围内。")
    assert not ReminderSchedule.objects.exists()
    assert _rows() == []


def test_a_schedule_the_limits_refuse_through_the_api_leaves_no_row(cast: Any, client_for: Any) -> None:
    schedule = ReminderSchedule.objects.create(unit=cast.town_a1, lead_days=4)

    response = client_for("county_a_admin").patch(
        f"/api/v1/reminder-schedules/{schedule.pk}/", {"lead_days": 91}, format="json"
    )

    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "lead_days"
    assert ReminderSchedule.objects.get(pk=schedule.pk).lead_days == 4
    assert _rows() == []
