"""挂职借调 pages: the county registers a 借调 on the form (a bad end refused
beside its field in Chinese, nothing saved), the term shows on the cadre's
page, a secretary reads it without the decision form, and the experience
report is the organization department's only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client

from cadrecare.audit.models import AuditEntry
from cadrecare.core import clock
from cadrecare.org.models import Cadre, OrgUnit
from cadrecare.secondments.models import Secondment
from tests.cadrecare.web.conftest import demo_township_cadre

pytestmark = pytest.mark.usefixtures("demo_for_module", "db")


def test_the_county_registers_a_loan_on_the_form(signed_in: Callable[[str], Client]) -> None:
    client = signed_in("county_staff")
    cadre = demo_township_cadre()
    host = OrgUnit.objects.filter(parent=cadre.unit.parent, kind="county_agency").order_by("path").last()
    form = {
        "cadre": cadre.pk,
        "kind": "loan",
        "host_unit": host.pk,
        "host_leader_post": "none",
        "start": (clock.today() - dt.timedelta(days=2)).isoformat(),
        "planned_end": (clock.today() - dt.timedelta(days=5)).isoformat(),
        "notice_days": 60,
    }
    assert client.get("/secondments/new/").status_code == 200

    refused = client.post("/secondments/new/", form)
    assert refused.status_code == 400
    assert "计划结束日期应晚于开始日期。" in refused.content.decode()
    assert not Secondment.objects.filter(cadre=cadre).exists()

    form["planned_end"] = (clock.today() + dt.timedelta(days=200)).isoformat()
    done = client.post("/secondments/new/", form)
    term = Secondment.objects.get(cadre=cadre)
    assert done.status_code == 303 and done["Location"] == f"/secondments/{term.pk}/"
    assert Cadre.objects.get(pk=cadre.pk).unit_id == host.pk
    assert AuditEntry.objects.filter(resource="secondments", object_id=str(term.pk), action="create").exists()
    assert "挂职借调" in client.get(f"/cadres/{cadre.pk}/").content.decode()


def test_a_secretary_reads_a_term_but_neither_decides_nor_reads_the_report(
    signed_in: Callable[[str], Client],
) -> None:
    secretary = signed_in("secretary")
    township = Cadre.objects.get(user__username="secretary").unit
    term = Secondment.objects.filter(host_unit=township).first()

    page = secretary.get(f"/secondments/{term.pk}/")

    assert page.status_code == 200 and "登记决定" not in page.content.decode()
    assert secretary.get("/experience/").status_code == 403
    assert signed_in("county_staff").get("/experience/").status_code == 200
