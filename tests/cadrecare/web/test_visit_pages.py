"""走访: the must-visits I own (my due items of that kind), each linking to
记录走访; open to whoever may add visits in the access table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from cadrecare.care import services
from cadrecare.core import clock
from cadrecare.org.models import Cadre, User
from tests.cadrecare.web.conftest import DEMO_ROLES

pytestmark = pytest.mark.usefixtures("demo_for_module", "db")
PAGE_STATUS = {"city_admin": 200, "county_staff": 403, "secretary": 200, "hr": 200, "cadre": 403}


@pytest.mark.parametrize("username", DEMO_ROLES)
def test_the_visits_page_follows_the_access_table_for_adding_visits(
    username: str, signed_in: Callable[[str], Client]
) -> None:
    assert signed_in(username).get(reverse("web:visits")).status_code == PAGE_STATUS[username]


def test_the_visits_page_lists_my_must_visits_with_a_link_to_record_each(signed_in: Callable[[str], Client]) -> None:
    # given a must-visit in the secretary's township, routed by the care policy
    secretary = User.objects.get(username="secretary")
    cadre = Cadre.objects.filter(unit=secretary.cadre.unit, status="serving").order_by("pk")[2]
    obligation = services.visit_obligation_create(
        actor=None, cadre=cadre, reason="父亲病故", event_date=clock.today() - dt.timedelta(days=1)
    )

    # when its owner opens 走访 on everything due
    owner = obligation.owner.username
    response = signed_in(owner).get(reverse("web:visits"), {"within": "all"})

    # then only must-visits are listed and this one links to 记录走访
    assert response.status_code == 200
    rows = response.context["rows"]
    assert {row["kind"] for row in rows} == {"visit_obligation"}
    assert reverse("web:visit-record", kwargs={"pk": obligation.pk}) in response.content.decode()


def test_visitors_are_found_by_name_only_among_those_the_api_lets_the_user_name(
    signed_in: Callable[[str], Client],
) -> None:
    # given a must-visit in HR's township and its form
    cadre = Cadre.objects.filter(unit=User.objects.get(username="hr").grants.get().unit, status="serving")[2]
    obligation = services.visit_obligation_create(
        actor=None, cadre=cadre, reason="父亲病故", event_date=clock.today() - dt.timedelta(days=1)
    )
    client = signed_in("hr")
    url = reverse("web:visit-record", kwargs={"pk": obligation.pk})
    county = User.objects.get(username="county_staff")

    # when HR searches a colleague and the county's officer by name
    here = client.get(url, {"pick": "visitors", "visitors_q": "党委书记"}, headers={"HX-Request": "true"})
    there = client.get(url, {"pick": "visitors", "visitors_q": "县委组织部"}, headers={"HX-Request": "true"})

    # then only the colleague is offered, and naming the other anyway is refused beside the field
    assert f'value="{User.objects.get(username="secretary").pk}"' in here.content.decode()
    assert f'value="{county.pk}"' not in there.content.decode()
    refused = client.post(
        url, {"date": clock.today().isoformat(), "kind": "condolence", "visitors": [county.pk], "money_amount": "0"}
    )
    assert refused.status_code == 400
    assert "走访人：所选人员不在可选范围内。" in refused.content.decode()
