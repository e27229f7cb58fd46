"""Units and offices are written by their services (``org_unit_create``,
``org_unit_update``, ``office_save``, ``office_delete``), which check the
placement and write the one audit row of the write, whichever door calls them."""

from __future__ import annotations

from typing import Any

import pytest

from cadrecare.audit.models import AuditEntry
from cadrecare.core.errors import DomainError
from cadrecare.org.choices import UnitKind
from cadrecare.org.models import Office
from cadrecare.org.services import office_delete, office_save, org_unit_create, org_unit_update
from tests.factories import OfficeFactory

pytestmark = pytest.mark.django_db


def _writes() -> list[tuple[str, str, str, list[str]]]:
    return list(
        AuditEntry.objects.exclude(action="read")
        .order_by("pk")
        .values_list("action", "resource", "object_id", "fields")
    )


def test_the_unit_services_called_directly_audit_each_write_once(cast: Any) -> None:
    village = org_unit_create(
        actor=cast.county_a_admin, code="530721101201", name="石头村", kind=UnitKind.VILLAGE, parent=cast.town_a1
    )
    org_unit_update(actor=cast.county_a_admin, unit=village, name="石头村委会", parent=cast.town_a2)

    assert village.path.startswith(cast.town_a2.path)
    assert _writes() == [
        ("create", "org-units", str(village.pk), ["code", "kind", "name", "parent"]),
        ("update", "org-units", str(village.pk), ["name", "parent"]),
    ]


def test_a_unit_moved_under_its_own_subtree_is_refused_unwritten(cast: Any) -> None:
    with pytest.raises(DomainError, match="不能把单位移到"):
        org_unit_update(actor=cast.city_admin, unit=cast.county_a, parent=cast.town_a1, name="改名")

    cast.county_a.refresh_from_db()
    assert cast.county_a.name != "改名" and _writes() == []


def test_the_office_services_called_directly_audit_each_write_once(cast: Any) -> None:
    office = office_save(actor=cast.county_a_admin, unit=cast.town_a1, name="综治中心")
    office_save(actor=cast.county_a_admin, office=office, name="综治中心", active=False)
    office_id = str(office.pk)
    office_delete(actor=cast.county_a_admin, office=office)

    assert _writes() == [
        ("create", "offices", office_id, ["name", "unit"]),
        ("update", "offices", office_id, ["active"]),
        ("delete", "offices", office_id, []),
    ]


def test_an_office_outside_the_actors_scope_is_refused_unwritten(cast: Any) -> None:
    office = OfficeFactory(unit=cast.town_a1, name="综治中心")

    with pytest.raises(DomainError, match="所选单位不在您的管理范围内") as refused:
        office_save(actor=cast.county_a_admin, office=office, unit=cast.town_b1)
    with pytest.raises(DomainError):
        office_delete(actor=cast.secretary_b1, office=office)

    assert refused.value.field == "unit"
    assert Office.objects.get(pk=office.pk).unit == cast.town_a1 and _writes() == []


def test_a_unit_and_an_office_written_through_the_api_are_audited_once(cast: Any, client_for: Any) -> None:
    client = client_for("county_a_admin")

    unit = client.patch(f"/api/v1/org-units/{cast.town_a1.pk}/", {"distance_km": 130}, format="json")
    office = client.post("/api/v1/offices/", {"unit": cast.town_a1.pk, "name": "综治中心"}, format="json")
    gone = client.delete(f"/api/v1/offices/{office.json()['id']}/")

    assert (unit.status_code, office.status_code, gone.status_code) == (200, 201, 204)
    office_id = str(office.json()["id"])
    assert _writes() == [
        ("update", "org-units", str(cast.town_a1.pk), ["distance_km"]),
        ("create", "offices", office_id, ["name", "unit"]),
        ("delete", "offices", office_id, []),
    ]
