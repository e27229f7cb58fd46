"""A refused write leaves no trace: the audit row of a write is written in the
write's own transaction, so a write the service refuses (400) or the access
table refuses (403) never appears in the append-only audit log as done."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cadrecare.audit.models import AuditEntry
from cadrecare.rotation.choices import Mode
from cadrecare.rotation.models import RotationPolicy
from config.api_router import router

pytestmark = pytest.mark.django_db


def test_deleting_a_policy_version_used_by_past_months_is_refused_and_not_logged(cast: Any, client_for: Any) -> None:
    # given a county's policy version in force since January 2026, which past rosters were planned under
    policy = RotationPolicy.objects.create(unit=cast.county_a, effective_from=dt.date(2026, 1, 1), mode=Mode.WEEKLY)

    # when the city's org admin deletes it through the API
    response = client_for("city_admin").delete(f"/api/v1/rotation-policies/{policy.pk}/")

    # then it is refused with the reason, the version stays, and the audit log says nothing was deleted
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "effective_from", "message": "该版本已经用于过去的月份，不能删除。"}]
    assert RotationPolicy.objects.filter(pk=policy.pk).exists()
    assert not AuditEntry.objects.filter(resource="rotation-policies", action="delete").exists()


def test_a_future_version_is_deleted_and_logged(cast: Any, client_for: Any) -> None:
    policy = RotationPolicy.objects.create(unit=cast.county_a, effective_from=dt.date(2099, 1, 1), mode=Mode.WEEKLY)

    response = client_for("city_admin").delete(f"/api/v1/rotation-policies/{policy.pk}/")

    assert response.status_code == 204
    assert AuditEntry.objects.filter(resource="rotation-policies", action="delete", object_id=str(policy.pk)).exists()


CREATABLE = sorted(prefix for prefix, viewset, _ in router.registry if hasattr(viewset, "create"))


@pytest.mark.parametrize("resource", CREATABLE)
@pytest.mark.parametrize("role", ["city_admin", "county_a_staff", "secretary_a1", "hr_a1", "cadre_a1_user"])
def test_an_empty_or_forbidden_create_of_any_resource_writes_no_audit_row(
    cast: Any, client_for: Any, resource: str, role: str
) -> None:
    before = AuditEntry.objects.exclude(action="read").count()

    response = client_for(role).post(f"/api/v1/{resource}/", {}, format="json")

    assert response.status_code in (400, 403, 404, 405), (response.status_code, response.content[:300])
    assert AuditEntry.objects.exclude(action="read").count() == before
