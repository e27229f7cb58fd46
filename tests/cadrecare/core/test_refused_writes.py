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
from tests.resources import CASES, ResourceCase

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


@pytest.mark.parametrize("method", ["patch", "delete"])
@pytest.mark.parametrize("case", [case for case in CASES if not case.inbox], ids=lambda case: case.resource)
def test_a_refused_change_or_delete_of_any_resource_writes_no_audit_row(
    cast: Any, client_for: Any, case: ResourceCase, method: str
) -> None:
    with case.context():
        # given a record of township A1 about cadre A1, whose own login the access table lets change or
        # delete almost nothing, and a record of township B1, outside township A1's secretary's scope
        own, elsewhere = case.make_in(cast), case.make_out(cast)

        # when the cadre changes or deletes their record, and the secretary the other township's
        outcomes = [
            _audited_write(client_for("cadre_a1_user"), method, f"/api/v1/{case.resource}/{own.pk}/"),
            _audited_write(client_for("secretary_a1"), method, f"/api/v1/{case.resource}/{elsewhere.pk}/"),
        ]

    # then the write out of scope is refused (a resource not scoped by unit aside), and no refusal
    # (by role, scope, method or rule) leaves a row in the append-only audit log
    assert case.national or outcomes[1][0] >= 400, outcomes
    assert all(rows == 0 for status, rows in outcomes if status >= 400), outcomes


def _audited_write(client: Any, method: str, url: str) -> tuple[int, int]:
    """The write's status and how many audit rows other than reads it added."""
    before = AuditEntry.objects.exclude(action="read").count()
    response = client.patch(url, {}, format="json") if method == "patch" else client.delete(url)
    return response.status_code, AuditEntry.objects.exclude(action="read").count() - before
