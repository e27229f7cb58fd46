"""轮休政策 in the workbench: the township's party secretary sets their
township's own rest rotation on a form, within the bounds the county's policy
sets, through the API's services and audit rows; outside them the form says
why beside the field and nothing is saved."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse

from cadrecare.audit.models import AuditEntry
from cadrecare.core import clock
from cadrecare.rotation.choices import Mode
from cadrecare.rotation.models import RotationPolicy

PAGE = reverse("web:rotation-policy")


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _next_month() -> dt.date:
    return (clock.today().replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def _county_bounds(cast: Any) -> None:
    RotationPolicy.objects.create(
        unit=cast.county_a,
        effective_from=clock.today().replace(day=1),
        mode=Mode.WEEKLY,
        township_modes=[Mode.WEEKLY, Mode.HALF_MONTH],
        township_min_ratio="0.60",
        blackout=[{"from": "2040-07-01", "to": "2040-07-15", "reason": "防汛"}],
    )


def test_the_secretary_saves_their_townships_policy_within_the_county_bounds(cast: Any) -> None:
    _county_bounds(cast)
    client = _client(cast.secretary_a1)

    page = client.get(PAGE)
    form = page.context["form"]
    response = client.post(
        PAGE,
        {
            "unit_id": cast.town_a1.pk,
            "effective_from": f"{_next_month():%Y-%m}",
            "mode": Mode.HALF_MONTH,
            "min_on_duty_ratio": "0.65",
            "blackout": "2040-09-20 2040-09-30 换届选举",
        },
    )

    assert page.status_code == 200 and page.context["unit"] == cast.town_a1
    assert [value for value, _ in form.fields["mode"].choices] == [Mode.WEEKLY, Mode.HALF_MONTH]
    assert "防汛" in page.content.decode() and "玉龙县委组织部" in page.content.decode()
    assert response.status_code == 303
    policy = RotationPolicy.objects.get(unit=cast.town_a1)
    assert (policy.mode, str(policy.min_on_duty_ratio), policy.created_by) == (
        Mode.HALF_MONTH,
        "0.65",
        cast.secretary_a1,
    )
    assert [span["reason"] for span in policy.blackout] == ["防汛", "换届选举"]
    written = AuditEntry.objects.exclude(action="read").values_list("action", "resource", "object_id")
    assert list(written) == [("create", "rotation-policies", str(policy.pk))]  # the service's one row, no other


def test_below_the_county_least_share_the_form_says_why_and_saves_nothing(cast: Any) -> None:
    _county_bounds(cast)

    refused = _client(cast.secretary_a1).post(
        PAGE,
        {
            "unit_id": cast.town_a1.pk,
            "effective_from": f"{_next_month():%Y-%m}",
            "mode": Mode.WEEKLY,
            "min_on_duty_ratio": "0.50",
        },
    )

    assert refused.status_code == 400
    assert "玉龙县规定乡镇最低在岗比例不得低于 0.60" in refused.content.decode()
    assert not RotationPolicy.objects.filter(unit=cast.town_a1).exists()


def test_only_townships_in_the_users_scope_open(cast: Any) -> None:
    client = _client(cast.secretary_a1)

    assert client.get(PAGE, {"unit": cast.town_b1.pk}).status_code == 404
    assert client.get(PAGE, {"unit": cast.county_a.pk}).status_code == 404
    assert _client(cast.hr_a1).get(PAGE).status_code == 403
