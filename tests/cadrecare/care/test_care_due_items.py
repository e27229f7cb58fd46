"""Open visit obligations reach the reminders module as due items."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cadrecare.care import services
from cadrecare.care.models import VisitObligation
from cadrecare.reminders.sources import due_items, iter_due_items

DAY = dt.date(2026, 6, 10)


def test_open_obligations_are_due_items_with_owner_deadline_and_a_discreet_title(cast: Any) -> None:
    event, _ = services.family_event_record(actor=None, cadre=cast.cadre_a1, kind="death", date=DAY, today=DAY)
    death, _ = services.cadre_condition_record(actor=None, cadre=cast.cadre_a2, kind="death", date=DAY, today=DAY)
    done = services.visit_obligation_create(actor=None, cadre=cast.cadre_b1, reason="x", event_date=DAY, today=DAY)
    VisitObligation.objects.filter(pk=done.pk).update(status="done")

    items = {item.object_id: item for item in iter_due_items(due_items(today=DAY, kinds=["visit_obligation"]))}

    assert set(items) == {event.obligation.pk, death.obligation.pk}
    family = items[event.obligation.pk]
    assert (family.owner_id, family.due_date, family.title) == (
        cast.secretary_a1.pk,
        dt.date(2026, 6, 17),
        "木晓梅：走访慰问",
    )
    assert family.url == f"/api/v1/visit-obligations/{event.obligation.pk}/" and not family.urgent
    vacant = items[death.obligation.pk]
    assert vacant.owner_id is None and vacant.owner_unit_id == cast.county_a.pk and vacant.urgent


def test_the_secretary_finds_their_visits_among_their_due_items(cast: Any, client_for: Any) -> None:
    event, _ = services.family_event_record(actor=None, cadre=cast.cadre_a1, kind="accident", date=DAY, today=DAY)

    rows = client_for("secretary_a1").get("/api/v1/due-items/", {"mine": "1", "kind": "visit_obligation"})

    assert rows.status_code == 200, rows.content
    assert [row["object_id"] for row in rows.json()["results"]] == [event.obligation.pk]
