"""The establishment's services own their writes: a township's slots and a
borrowing (recorded, corrected, reviewed, returned) are placed in the actor's
scope and leave one audit row each, whether the API, the workbench or a direct
call made them; a refused one leaves none."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cadrecare.audit.models import AuditEntry
from cadrecare.core import clock
from cadrecare.core.errors import DomainError
from cadrecare.establishment import services
from cadrecare.establishment.models import Borrowing, EstablishmentSlot

pytestmark = pytest.mark.django_db

BORROWINGS = "establishment-borrowings"


def _writes() -> list[tuple[str, str, str, list[str]]]:
    return list(
        AuditEntry.objects.exclude(action="read")
        .order_by("pk")
        .values_list("action", "resource", "object_id", "fields")
    )


def _borrow(cast: Any, actor: Any) -> Borrowing:
    return services.borrowing_record(
        actor=actor,
        cadre=cast.cadre_a1,
        borrower=cast.agency_a,
        start=clock.today() - dt.timedelta(days=3),
        until=clock.today() + dt.timedelta(days=60),
        reason="抽调参加县委巡察组",
    )


def test_the_services_called_directly_audit_each_write_once(cast: Any) -> None:
    actor = cast.county_a_admin
    slot = services.slot_save(actor=actor, township=cast.town_a1, approved=5)
    services.slot_save(actor=actor, township=cast.town_a1, approved=6)
    borrowing = _borrow(cast, actor)
    services.borrowing_update(actor=actor, borrowing=borrowing, data={"reason": "抽调参加县委巡察组（第二轮）"})
    services.borrowing_review(actor=actor, borrowing=borrowing, note="同意")
    services.borrowing_return(actor=actor, borrowing=borrowing, returned_on=clock.today())

    slot_id, borrowing_id = str(slot.pk), str(borrowing.pk)
    assert _writes() == [
        ("create", "establishment", slot_id, ["approved", "approved_on", "note", "township"]),
        ("update", "establishment", slot_id, ["approved"]),
        ("create", BORROWINGS, borrowing_id, ["borrower", "cadre", "reason", "start", "until"]),
        ("update", BORROWINGS, borrowing_id, ["reason"]),
        ("update", BORROWINGS, borrowing_id, ["review_note", "reviewed_by", "reviewed_on"]),
        ("update", BORROWINGS, borrowing_id, ["returned_on"]),
    ]


def test_writes_outside_the_actors_scope_are_refused_unwritten(cast: Any) -> None:
    with pytest.raises(DomainError, match="所选单位不在您的管理范围内") as slot:
        services.slot_save(actor=cast.county_a_admin, township=cast.town_b1, approved=5)
    with pytest.raises(DomainError, match="所选单位不在您的管理范围内") as borrowing:
        _borrow(cast, cast.secretary_b1)

    assert (slot.value.field, borrowing.value.field) == ("township", "cadre")
    assert not EstablishmentSlot.objects.exists() and not Borrowing.objects.exists() and _writes() == []


def test_a_rule_refused_review_leaves_no_row(cast: Any) -> None:
    borrowing = _borrow(cast, None)
    before = _writes()

    with pytest.raises(DomainError, match="请填写审核意见"):
        services.borrowing_review(actor=cast.county_a_staff, borrowing=borrowing, note=" ")

    assert _writes() == before


def test_the_api_and_the_workbench_leave_one_row_per_write(cast: Any, client_for: Any) -> None:
    api = client_for("county_a_staff")
    page = Client()
    page.force_login(cast.county_a_admin)

    borrowing = api.post(
        "/api/v1/establishment-borrowings/",
        {
            "cadre": cast.cadre_a1.pk,
            "borrower": cast.agency_a.pk,
            "start": clock.today().isoformat(),
            "until": (clock.today() + dt.timedelta(days=30)).isoformat(),
            "reason": "借用协助编制县志",
        },
        format="json",
    )
    pk = borrowing.json()["id"]
    reviewed = api.post(f"/api/v1/establishment-borrowings/{pk}/review/", {"note": "同意"}, format="json")
    returned = api.post(
        f"/api/v1/establishment-borrowings/{pk}/return/", {"returned_on": clock.today().isoformat()}, format="json"
    )
    slot = page.post(reverse("web:establishment-slot"), {"township": cast.town_a1.pk, "approved": 4})

    assert (borrowing.status_code, reviewed.status_code, returned.status_code, slot.status_code) == (201, 200, 200, 303)
    assert [(action, resource) for action, resource, *_ in _writes()] == [
        ("create", BORROWINGS),
        ("update", BORROWINGS),
        ("update", BORROWINGS),
        ("create", "establishment"),
    ]


def test_the_workbench_borrowing_pages_leave_one_row_per_write(cast: Any) -> None:
    page = Client()
    page.force_login(cast.county_a_staff)

    added = page.post(
        reverse("web:borrowing-add"),
        {
            "cadre": cast.cadre_a1.pk,
            "borrower": cast.agency_a.pk,
            "start": clock.today().isoformat(),
            "until": (clock.today() + dt.timedelta(days=30)).isoformat(),
            "reason": "借用协助编制县志",
        },
    )
    pk = Borrowing.objects.get().pk
    reviewed = page.post(reverse("web:borrowing", kwargs={"pk": pk}), {"note": "同意"})
    returned = page.post(reverse("web:borrowing-return", kwargs={"pk": pk}), {"returned_on": clock.today()})

    assert (added.status_code, reviewed.status_code, returned.status_code) == (303, 303, 303)
    assert _writes() == [
        ("create", BORROWINGS, str(pk), ["borrower", "cadre", "reason", "start", "until"]),
        ("update", BORROWINGS, str(pk), ["review_note", "reviewed_by", "reviewed_on"]),
        ("update", BORROWINGS, str(pk), ["returned_on"]),
    ]
