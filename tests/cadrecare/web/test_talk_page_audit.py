"""The talks pages write through the services the API calls, and add nothing
to them: each successful write leaves exactly the one audit row its service
writes, naming the record and the fields written (the API's doors:
tests/cadrecare/talks/test_talk_write_doors.py and test_talk_write_refusals.py;
the services themselves: test_talk_service_audit.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from cadrecare.audit.models import AuditEntry
from cadrecare.org.models import Cadre, OrgUnit
from cadrecare.talks.models import TalkPolicy, TalkRoute
from cadrecare.talks.routing import county_of

pytestmark = pytest.mark.usefixtures("demo_for_module", "db")


def _township() -> OrgUnit:
    return Cadre.objects.get(user__username="secretary").unit


def _written(since: int) -> list[tuple[str, str, str, list[str]]]:
    """The audit rows of writes after row ``since``."""
    rows = AuditEntry.objects.exclude(action="read").filter(pk__gt=since).order_by("pk")
    return list(rows.values_list("action", "resource", "object_id", "fields"))


def _last_row() -> int:
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


# -- 谈话分工 and 谈话期限 --------------------------------------------------------------------------------
def test_saving_a_route_on_its_page_leaves_one_row(signed_in: Callable[[str], Client]) -> None:
    county = county_of(_township())
    TalkRoute.objects.filter(county=county).delete()
    since = _last_row()

    response = signed_in("city_admin").post(
        reverse("web:talk-routes") + f"?unit={county.pk}&group=township_cadre",
        {
            "unit_id": county.pk,
            "group": "township_cadre",
            "talker_post": "township_party_secretary",
            "talker_leader_post": "head",
            "talker_unit": "",
            "cadence_months": 6,
        },
    )

    assert response.status_code == 303
    route = TalkRoute.objects.get(county=county, talkee_group="township_cadre")
    fields = ["cadence_months", "county", "talkee_group", "talker_leader_post", "talker_post"]
    assert _written(since) == [("create", "talk-routes", str(route.pk), fields)]


def test_setting_and_clearing_due_days_on_the_page_leaves_one_row_each(signed_in: Callable[[str], Client]) -> None:
    township = _township()
    TalkPolicy.objects.filter(unit=township).delete()
    client = signed_in("city_admin")
    url = reverse("web:talk-due-days") + f"?unit={township.pk}"
    since = _last_row()

    assert client.post(url, {"unit_id": township.pk, "team_discord": 10}).status_code == 303
    policy = TalkPolicy.objects.get(unit=township)
    assert client.post(url, {"unit_id": township.pk, "team_discord": ""}).status_code == 303

    assert _written(since) == [
        ("create", "talk-policies", str(policy.pk), ["due_days", "kind", "unit"]),
        ("delete", "talk-policies", str(policy.pk), []),
    ]
