"""A county's visit cadence is set in the admin alone, through
``field_visit_policy_save`` and ``field_visit_policy_delete``: the county must
be a county in the actor's scope, and a write that happened leaves exactly one
audit row (a save that changed nothing, none)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cadrecare.audit.models import AuditEntry
from cadrecare.core.errors import DomainError
from cadrecare.oversight import services
from cadrecare.oversight.choices import VisitCadence
from cadrecare.oversight.models import FieldVisitPolicy

pytestmark = pytest.mark.django_db

ADMIN = "/admin/oversight/fieldvisitpolicy/"


def _rows() -> list[tuple[str, str, list[str]]]:
    return list(
        AuditEntry.objects.filter(resource="field-visits")
        .exclude(action="read")
        .order_by("pk")
        .values_list("action", "object_id", "fields")
    )


@pytest.fixture
def policy(cast: Any) -> FieldVisitPolicy:
    return FieldVisitPolicy.objects.create(county=cast.county_a, cadence_months=VisitCadence.YEARLY)


@pytest.fixture
def admin_client(cast: Any, client: Client) -> Client:
    client.force_login(cast.county_a_admin)
    return client


def test_the_service_audits_a_new_cadence_and_a_changed_one_once_each(cast: Any) -> None:
    created = services.field_visit_policy_save(
        actor=cast.county_a_admin, county=cast.county_a, cadence_months=VisitCadence.QUARTERLY
    )
    services.field_visit_policy_save(
        actor=cast.county_a_admin, county=cast.county_a, cadence_months=VisitCadence.HALF_YEARLY, policy=created
    )
    services.field_visit_policy_save(  # the same again: nothing written
        actor=cast.county_a_admin, county=cast.county_a, cadence_months=VisitCadence.HALF_YEARLY, policy=created
    )

    assert _rows() == [
        ("create", str(created.pk), ["cadence_months", "county"]),
        ("update", str(created.pk), ["cadence_months"]),
    ]
    assert FieldVisitPolicy.objects.get().cadence_months == VisitCadence.HALF_YEARLY


@pytest.mark.parametrize(
    ("where", "says"),
    [("town_a1", "请选择县（区）。"), ("county_b", "所选单位不在您的管理范围内。")],
    ids=["a township", "a county outside scope"],
)
def test_the_service_refuses_a_cadence_for_a_township_or_outside_scope(cast: Any, where: str, says: str) -> None:
    with pytest.raises(DomainError) as refused:
        services.field_visit_policy_save(
            actor=cast.county_a_admin, county=getattr(cast, where), cadence_months=VisitCadence.QUARTERLY
        )

    assert (str(refused.value.message), refused.value.field) == (says, "county")
    assert (FieldVisitPolicy.objects.count(), _rows()) == (0, [])


def test_the_service_refuses_to_move_another_countys_cadence_into_ones_own(cast: Any) -> None:
    theirs = FieldVisitPolicy.objects.create(county=cast.county_b, cadence_months=VisitCadence.YEARLY)

    with pytest.raises(DomainError, match="所选单位不在您的管理范围内"):
        services.field_visit_policy_save(
            actor=cast.county_a_admin, county=cast.county_a, cadence_months=VisitCadence.YEARLY, policy=theirs
        )

    assert FieldVisitPolicy.objects.get().county == cast.county_b
    assert _rows() == []


def test_a_cadence_changed_in_the_admin_is_audited_once(admin_client: Client, policy: FieldVisitPolicy) -> None:
    response = admin_client.post(
        f"{ADMIN}{policy.pk}/change/", {"county": policy.county_id, "cadence_months": VisitCadence.QUARTERLY}
    )

    assert response.status_code == 302, response.content.decode()[-2000:]
    assert FieldVisitPolicy.objects.get().cadence_months == VisitCadence.QUARTERLY
    assert _rows() == [("update", str(policy.pk), ["cadence_months"])]


def test_a_cadence_deleted_in_the_admin_goes_through_the_service_audited_once(
    admin_client: Client, policy: FieldVisitPolicy
) -> None:
    response = admin_client.post(f"{ADMIN}{policy.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not FieldVisitPolicy.objects.exists()
    assert _rows() == [("delete", str(policy.pk), [])]


def test_another_countys_cadence_is_not_changed_in_the_admin(cast: Any, admin_client: Client) -> None:
    theirs = FieldVisitPolicy.objects.create(county=cast.county_b, cadence_months=VisitCadence.YEARLY)

    admin_client.post(f"{ADMIN}{theirs.pk}/change/", {"county": cast.county_b.pk, "cadence_months": 3})
    admin_client.post(f"{ADMIN}{theirs.pk}/delete/", {"post": "yes"})

    assert FieldVisitPolicy.objects.get().cadence_months == VisitCadence.YEARLY
    assert _rows() == []
