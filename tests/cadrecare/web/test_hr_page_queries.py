"""The HR officer's lists cost the same queries however many rows they show
(the campaign table, a family, the hardship cases, the cadre search)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from cadrecare.care import services as care
from cadrecare.core import clock
from cadrecare.health import services as health
from cadrecare.org.models import Cadre, User
from tests.factories import FamilyMemberFactory

pytestmark = pytest.mark.usefixtures("demo_for_module", "db")


def _cadres(n: int) -> list[Cadre]:
    township = Cadre.objects.get(user__username="secretary").unit
    return list(Cadre.objects.filter(unit=township, status="serving").order_by("pk")[:n])


def _same(client: Client, count_queries: Callable[..., int], few: str, many: str) -> None:
    client.get(few)  # sessions and caches warm
    assert count_queries(lambda: client.get(few)) == count_queries(lambda: client.get(many))


def test_the_campaign_table(signed_in: Callable[[str], Client], count_queries: Callable[..., int]) -> None:
    hr, today = User.objects.get(username="hr"), clock.today()
    small, large = (
        health.campaign_plan(
            actor=hr,
            unit=_cadres(1)[0].unit,
            name=f"体检{n}",
            date_from=today,
            date_to=today + dt.timedelta(days=9),
            institution="县医院",
            cadres=_cadres(n),
        )
        for n in (2, 8)
    )

    _same(
        signed_in("hr"),
        count_queries,
        reverse("web:campaign", kwargs={"pk": small.pk}),
        reverse("web:campaign", kwargs={"pk": large.pk}),
    )


def test_a_family_page(signed_in: Callable[[str], Client], count_queries: Callable[..., int]) -> None:
    few, many = _cadres(2)
    for n in range(6):
        FamilyMemberFactory(cadre=many, relation="sibling", name=f"兄弟{n}")
        care.family_event_record(actor=None, cadre=many, kind="accident", date=clock.today() - dt.timedelta(days=n))

    _same(
        signed_in("hr"),
        count_queries,
        reverse("web:family-cadre", kwargs={"pk": few.pk}),
        reverse("web:family-cadre", kwargs={"pk": many.pk}),
    )


def test_the_hardship_list(signed_in: Callable[[str], Client], count_queries: Callable[..., int]) -> None:
    client = signed_in("hr")
    url = f"{reverse('web:hardship')}?state=all"
    care.hardship_case_create(actor=None, cadre=_cadres(1)[0], category="financial")
    client.get(url)
    before, shown = count_queries(lambda: client.get(url)), len(client.get(url).context["rows"])

    for cadre in _cadres(6)[1:]:
        case = care.hardship_case_create(actor=None, cadre=cadre, category="financial")
        care.hardship_measure_add(actor=None, case=case, date=clock.today(), kind="money", provided_by="乡党委")

    assert len(client.get(url).context["rows"]) == shown + 5
    assert count_queries(lambda: client.get(url)) == before


def test_the_cadre_search(signed_in: Callable[[str], Client], count_queries: Callable[..., int]) -> None:
    _same(signed_in("hr"), count_queries, f"{reverse('web:cadres')}?q={_cadres(1)[0].name}", reverse("web:cadres"))
