"""Records that are kept are never deleted through the API: where no role's
grant deletes a resource's records, the API offers no DELETE at all (405),
so not even a superuser, whom grants do not bind, removes a visit, a
hardship case, a check-up or a campaign, an exchange review or an interview
plan with no service to refuse it and no audit row to tell. Such a resource
is a ``ScopedKeptViewSet``: it has no destroy to hide behind a method list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from cadrecare.care import services as care
from cadrecare.core import clock
from cadrecare.core.actions import DELETE
from cadrecare.health import services as health
from cadrecare.org.access import ACCESS
from cadrecare.oversight import services as oversight
from cadrecare.oversight.models import InterviewPlan
from config.api_router import router
from tests.factories import CheckupFactory, HardshipCaseFactory, UserFactory

pytestmark = pytest.mark.django_db

KEPT: list[tuple[str, Callable[[Any], Any]]] = [
    (
        "family-events",
        lambda cast: care.family_event_record(actor=None, cadre=cast.cadre_a1, kind="accident", date=clock.today())[0],
    ),
    (
        "visit-obligations",
        lambda cast: care.visit_obligation_create(
            actor=None, cadre=cast.cadre_a1, reason="春节前走访", event_date=clock.today()
        ),
    ),
    (
        "visits",
        lambda cast: care.visit_record(
            actor=None, cadre=cast.cadre_a1, date=clock.today(), kind="holiday", visitors=[cast.secretary_a1]
        ),
    ),
    ("hardship-cases", lambda cast: HardshipCaseFactory(cadre=cast.cadre_a1)),
    (
        "hardship-measures",
        lambda cast: care.hardship_measure_add(
            actor=None,
            case=HardshipCaseFactory(cadre=cast.cadre_a1),
            date=clock.today(),
            kind="goods",
            provided_by="乡党委",
        ),
    ),
    ("health-checkups", lambda cast: CheckupFactory(cadre=cast.cadre_a1)),
    (
        "checkup-campaigns",
        lambda cast: health.campaign_plan(
            actor=None,
            unit=cast.town_a1,
            name="年度体检",
            date_from=clock.today(),
            date_to=clock.today(),
            institution="县人民医院",
            cadres=[cast.cadre_a1],
        ),
    ),
    (
        "transfer-reviews",
        lambda cast: oversight.transfer_review_open(actor=None, county=cast.county_a, year=clock.today().year),
    ),
    (
        "interview-plans",
        lambda cast: InterviewPlan.objects.create(county=cast.county_a, year=clock.today().year),
    ),
]


@pytest.mark.parametrize(("resource", "make"), KEPT, ids=[resource for resource, _ in KEPT])
def test_a_superuser_cannot_delete_a_kept_record(cast: Any, resource: str, make: Callable[[Any], Any]) -> None:
    # given a record of the resource, and a superuser
    record = make(cast)
    client = APIClient()
    client.force_authenticate(UserFactory(is_superuser=True, is_staff=True))

    # when the superuser deletes it through the API
    response = client.delete(f"/api/v1/{resource}/{record.pk}/")

    # then the API offers no such method, and the record stays
    assert response.status_code == 405, response.content
    assert type(record).objects.filter(pk=record.pk).exists()


NOT_DELETED = [
    (prefix, viewset)
    for prefix, viewset, _ in router.registry
    if not any(DELETE in rule.actions for rule in ACCESS[prefix].values())
]


@pytest.mark.parametrize(("prefix", "viewset"), NOT_DELETED, ids=[prefix for prefix, _ in NOT_DELETED])
def test_a_resource_no_grant_deletes_has_no_destroy_at_all(prefix: str, viewset: Any) -> None:
    # a DELETE left out of http_method_names still leaves a destroy (and its service hook) to call by mistake
    assert not hasattr(viewset, "destroy"), f"/api/v1/{prefix}/ hides a destroy: make it a ScopedKeptViewSet"
