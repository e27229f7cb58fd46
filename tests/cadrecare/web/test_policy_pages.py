"""体检政策 on a form: the unit's own check-up policy through the service the
API's CheckupPolicyViewSet calls, with the create audit row; errors beside
their field in Chinese and nothing saved; only those who may change policies."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from cadrecare.audit.models import AuditEntry
from cadrecare.health.models import CheckupPolicy
from cadrecare.org.models import Cadre, OrgUnit
from tests.cadrecare.web.conftest import DEMO_ROLES

pytestmark = pytest.mark.usefixtures("demo_for_module", "db")


def _township() -> OrgUnit:
    return Cadre.objects.get(user__username="secretary").unit


@pytest.mark.parametrize("username", DEMO_ROLES)
def test_the_policy_form_opens_to_those_who_may_change_policies(
    username: str, signed_in: Callable[[str], Client]
) -> None:
    response = signed_in(username).get(reverse("web:checkup-policy"))

    assert response.status_code == (200 if username == "city_admin" else 403)


def test_a_township_gets_its_own_policy_with_the_create_audit_row(signed_in: Callable[[str], Client]) -> None:
    township = _township()
    client = signed_in("city_admin")
    form = client.get(reverse("web:checkup-policy"), {"unit": township.pk})
    assert form.context["form"].initial["interval_months"] >= 1  # the inherited policy, as a start

    response = client.post(
        reverse("web:checkup-policy") + f"?unit={township.pk}",
        {
            "unit_id": township.pk,
            "interval_months": 24,
            "reminder_days": "30，90",
            "payer": "unit",
            "note": "偏远乡镇两年一检",
        },
    )

    assert response.status_code == 303
    policy = CheckupPolicy.objects.get(unit=township)
    assert (policy.interval_months, policy.reminder_days) == (24, [90, 30])
    assert AuditEntry.objects.filter(action="create", resource="checkup-policies", object_id=str(policy.pk)).exists()


def test_bad_lead_times_are_refused_beside_their_field(signed_in: Callable[[str], Client]) -> None:
    township = _township()

    response = signed_in("city_admin").post(
        reverse("web:checkup-policy") + f"?unit={township.pk}",
        {"unit_id": township.pk, "interval_months": 12, "reminder_days": "三十", "payer": "unit"},
    )

    assert response.status_code == 400
    assert "提前提醒天数：" in response.content.decode()
    assert not CheckupPolicy.objects.filter(unit=township).exists()


def test_a_unit_out_of_scope_is_404(signed_in: Callable[[str], Client]) -> None:
    assert signed_in("city_admin").get(reverse("web:checkup-policy"), {"unit": 10**9}).status_code == 404
