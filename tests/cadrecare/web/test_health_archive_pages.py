"""健康档案: a cadre's check-ups as /api/v1/health-archives/<pk>/ shows them to
the reader: findings only for the organisation department, HR and the cadre
themself, every value shown audited, outside scope 404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from cadrecare.audit.models import AuditEntry
from cadrecare.core import clock
from cadrecare.health import services
from cadrecare.org.models import Cadre, User

pytestmark = pytest.mark.usefixtures("demo_for_module", "db")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _cadre() -> Cadre:
    """The demo cadre login, in the demo township, with a check-up on file."""
    return Cadre.objects.get(user__username="cadre")


def _with_checkup(cadre: Cadre) -> int:
    report = SimpleUploadedFile("体检报告.pdf", PDF, content_type="application/pdf")
    checkup = services.checkup_record(
        actor=User.objects.get(username="hr"),
        cadre=cadre,
        date=clock.today() - dt.timedelta(days=2),
        institution="县人民医院",
        conclusion="recheck",
        findings="血压偏高",
        follow_up_needed=True,
        follow_up_by=clock.today() + dt.timedelta(days=30),
        attachment=report,
    )
    return checkup.pk


@pytest.mark.parametrize(
    ("username", "status", "findings"),
    [
        ("hr", 200, True),
        ("city_admin", 200, True),
        ("county_staff", 200, True),
        ("secretary", 200, False),
        ("cadre", 200, True),
    ],
)
def test_the_archive_shows_what_the_api_shows_and_audits_the_findings(
    username: str, status: int, findings: bool, signed_in: Callable[[str], Client]
) -> None:
    cadre = _cadre()
    checkup_id = _with_checkup(cadre)
    api = APIClient()
    api.force_authenticate(User.objects.get(username=username))
    expected = api.get(f"/api/v1/health-archives/{cadre.pk}/").json()
    since = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0  # the log is append-only

    response = signed_in(username).get(reverse("web:health-archive", kwargs={"pk": cadre.pk}))

    assert response.status_code == status
    archive = response.context["archive"]
    row = next(c for c in archive["checkups"] if c["id"] == checkup_id)
    assert row["findings"] == next(c for c in expected["checkups"] if c["id"] == checkup_id)["findings"]
    page = response.content.decode()
    reads = AuditEntry.objects.filter(pk__gt=since, action="read", resource="health-checkups", object_id=checkup_id)
    report = reverse("health-checkup-attachment", kwargs={"pk": checkup_id})
    if findings:
        assert "血压偏高" in page and report in page
        assert reads.count() == 1 and "findings" in reads.get().fields
    else:
        assert "血压偏高" not in page and report not in page and not reads.exists()


def test_another_cadres_archive_is_404_for_a_cadre_and_out_of_scope_for_hr(signed_in: Callable[[str], Client]) -> None:
    own = _cadre()
    colleague = Cadre.objects.filter(unit=own.unit).exclude(pk=own.pk).first()
    elsewhere = Cadre.objects.filter(unit__parent=own.unit.parent).exclude(unit=own.unit).first()

    assert signed_in("cadre").get(reverse("web:health-archive", kwargs={"pk": colleague.pk})).status_code == 404
    assert signed_in("hr").get(reverse("web:health-archive", kwargs={"pk": elsewhere.pk})).status_code == 404
    assert not AuditEntry.objects.filter(action="read").exists()


def test_the_due_list_links_each_name_to_the_archive(signed_in: Callable[[str], Client]) -> None:
    response = signed_in("hr").get(reverse("web:checkups"))

    first = response.context["rows"][0]["cadre"]
    assert reverse("web:health-archive", kwargs={"pk": first.pk}) in response.content.decode()
