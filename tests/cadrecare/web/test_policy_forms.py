"""关爱政策, 提醒规则, 谈话分工 and 谈话期限 on forms: each through the one
service the API (where it has the resource) calls too, with its audit row;
an error shown beside its field in Chinese with nothing saved; open to those
who may change the policy (the organisation department's administrator), 403
to other roles, 404 for a unit out of scope."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from cadrecare.audit.models import AuditEntry
from cadrecare.care.models import CarePolicy
from cadrecare.org.models import Cadre, OrgUnit, User
from tests.cadrecare.web.conftest import DEMO_ROLES

pytestmark = pytest.mark.usefixtures("demo_for_module", "db")

PAGES = ["web:care-policy"]


def _township() -> OrgUnit:
    return Cadre.objects.get(user__username="secretary").unit


def _audited(action: str, resource: str, record: object) -> bool:
    return AuditEntry.objects.filter(action=action, resource=resource, object_id=str(record.pk)).exists()


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("username", DEMO_ROLES)
def test_policy_forms_open_to_those_who_may_change_policies(
    page: str, username: str, signed_in: Callable[[str], Client]
) -> None:
    response = signed_in(username).get(reverse(page))

    assert response.status_code == (200 if username == "city_admin" else 403)


@pytest.mark.parametrize("page", PAGES)
def test_a_unit_out_of_scope_is_404(page: str, signed_in: Callable[[str], Client]) -> None:
    assert signed_in("city_admin").get(reverse(page), {"unit": 10**9}).status_code == 404


# -- 关爱政策 -------------------------------------------------------------------------------------------
def test_a_township_sets_its_own_visit_deadlines_and_owner_by_name(signed_in: Callable[[str], Client]) -> None:
    township = _township()
    owner = User.objects.get(username="secretary")
    client = signed_in("city_admin")

    # the owner is found by name among the people the administrator may name
    found = client.get(reverse("web:care-policy"), {"pick": "visit_owner", "visit_owner_q": owner.cadre.name})
    assert f'value="{owner.pk}"' in found.content.decode()

    response = client.post(
        reverse("web:care-policy") + f"?unit={township.pk}",
        {"unit_id": township.pk, "family_event_days": 5, "death_days": "", "visit_owner": [owner.pk]},
    )

    assert response.status_code == 303
    policy = CarePolicy.objects.get(unit=township)
    assert (policy.family_event_days, policy.death_days, policy.visit_owner) == (5, None, owner)
    assert _audited("create", "care-policies", policy)
    page = client.get(reverse("web:care-policy"), {"unit": township.pk}).content.decode()
    assert "5 天" in page and owner.cadre.name in page  # in force now, and chosen in the form


@pytest.mark.parametrize(
    ("data", "field_label"),
    [
        ({"family_event_days": 61}, "家庭变故必访期限（天）"),
        ({"hardship_review_months": "三"}, "困难帮扶回访周期（月）"),
        ({"visit_owner": [10**9]}, "指定走访责任人"),
    ],
)
def test_bad_care_settings_are_refused_beside_their_field(
    data: dict, field_label: str, signed_in: Callable[[str], Client]
) -> None:
    township = _township()

    response = signed_in("city_admin").post(
        reverse("web:care-policy") + f"?unit={township.pk}", {"unit_id": township.pk, **data}
    )

    assert response.status_code == 400
    assert f"{field_label}：" in response.content.decode()
    assert not CarePolicy.objects.filter(unit=township).exists()


def test_two_visit_owners_are_refused(signed_in: Callable[[str], Client]) -> None:
    township = _township()
    two = list(User.objects.filter(username__in=["secretary", "hr"]).values_list("pk", flat=True))

    response = signed_in("city_admin").post(
        reverse("web:care-policy") + f"?unit={township.pk}", {"unit_id": township.pk, "visit_owner": two}
    )

    assert response.status_code == 400
    assert "只能选择一人。" in response.content.decode()
    assert not CarePolicy.objects.filter(unit=township).exists()
