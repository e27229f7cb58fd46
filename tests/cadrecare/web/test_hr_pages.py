"""HR officer's pages: the check-up due list (the API's checkup-due selector,
in scope, overdue first) and 登记体检 / 登记复查 through the check-up service
(placement, file checks, the create audit row as the API writes it)."""

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
from cadrecare.health.models import Checkup
from cadrecare.org.models import Cadre, User
from tests.cadrecare.web.conftest import DEMO_ROLES

pytestmark = pytest.mark.usefixtures("demo_for_module", "db")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _api(username: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(User.objects.get(username=username))
    return client


def _township() -> object:
    return Cadre.objects.get(user__username="secretary").unit


def _cadre_here() -> Cadre:
    return Cadre.objects.filter(unit=_township(), status="serving").order_by("pk").first()


def _cadre_elsewhere() -> Cadre:
    township = _township()
    return Cadre.objects.filter(unit__parent=township.parent).exclude(unit=township).order_by("pk").first()


def _good_post(**overrides: object) -> dict[str, object]:
    data = {
        "date": (clock.today() - dt.timedelta(days=3)).isoformat(),
        "kind": "annual",
        "institution": "县人民医院",
        "conclusion": "recheck",
        "findings": "血压偏高",
        "follow_up_needed": "on",
        "follow_up_by": (clock.today() + dt.timedelta(days=60)).isoformat(),
        "cost": "350.00",
    }
    data.update(overrides)
    return data


# -- the due list ----------------------------------------------------------------------------------
@pytest.mark.parametrize("username", DEMO_ROLES)
def test_the_due_list_is_the_apis_checkup_due_list_overdue_first(
    username: str, signed_in: Callable[[str], Client]
) -> None:
    # given the cadres the API lists as overdue for this user
    api = _api(username).get("/api/v1/checkup-due/", {"page_size": 30, "state": "overdue"}).json()

    # when the user opens the page on overdue ones
    response = signed_in(username).get(reverse("web:checkups"), {"state": "overdue"})

    # then it lists the same cadres in the same order, and audits nothing (names and dates only)
    assert response.status_code == 200
    assert [row["cadre"].pk for row in response.context["rows"]] == [item["id"] for item in api["results"]]
    assert not AuditEntry.objects.filter(action="read").exists()


def test_hr_sees_overdue_first_and_only_their_township(signed_in: Callable[[str], Client]) -> None:
    response = signed_in("hr").get(reverse("web:checkups"))

    rows = response.context["rows"]
    assert rows
    assert {row["cadre"].unit_id for row in rows} == {_township().pk}
    order = {"overdue": 0, "due": 1, "upcoming": 2}
    assert [order[row["state"]] for row in rows] == sorted(order[row["state"]] for row in rows)
    page = response.content.decode()
    assert _cadre_elsewhere().name not in page
    # each row links to 登记体检 for HR
    assert reverse("web:checkup-record", kwargs={"pk": rows[0]["cadre"].pk}) in page
    assert "登记体检" in page


def test_a_secretary_reads_the_due_list_without_record_links(signed_in: Callable[[str], Client]) -> None:
    response = signed_in("secretary").get(reverse("web:checkups"), {"state": "all"})

    assert response.status_code == 200
    assert all(row["action"] is None for row in response.context["rows"])


# -- recording a check-up --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("username", "status"),
    [("hr", 200), ("city_admin", 200), ("county_staff", 403), ("secretary", 403), ("cadre", 403)],
)
def test_the_record_page_opens_to_those_who_may_add_checkups(
    username: str, status: int, signed_in: Callable[[str], Client]
) -> None:
    response = signed_in(username).get(reverse("web:checkup-record", kwargs={"pk": _cadre_here().pk}))

    assert response.status_code == status


def test_a_cadre_of_another_township_is_404_for_hr(signed_in: Callable[[str], Client]) -> None:
    client = signed_in("hr")
    other = _cadre_elsewhere()

    assert client.get(reverse("web:checkup-record", kwargs={"pk": other.pk})).status_code == 404
    response = client.post(reverse("web:checkup-record", kwargs={"pk": other.pk}), _good_post())
    assert response.status_code == 404
    assert not Checkup.objects.filter(cadre=other, institution="县人民医院").exists()


def test_hr_records_a_checkup_with_its_report_and_the_api_audit_row(signed_in: Callable[[str], Client]) -> None:
    cadre = _cadre_here()
    report = SimpleUploadedFile("体检报告.pdf", PDF, content_type="application/pdf")

    response = signed_in("hr").post(
        reverse("web:checkup-record", kwargs={"pk": cadre.pk}), {**_good_post(), "attachment": report}
    )

    assert response.status_code == 303
    assert response["Location"] == reverse("web:checkups")
    checkup = Checkup.objects.get(cadre=cadre, institution="县人民医院")
    assert checkup.attachment_name == "体检报告.pdf"
    assert checkup.recorded_by.username == "hr"
    assert checkup.paying_unit_id is not None  # the policy's payer, as through the API
    entry = AuditEntry.objects.get(action="create", resource="health-checkups", object_id=checkup.pk)
    assert entry.cadre_id == cadre.pk
    assert {"cadre", "date", "conclusion", "findings", "attachment"} <= set(entry.fields)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"date": ""}, "date", "体检日期：该字段是必填项。"),
        ({"date": "2999-01-01"}, "date", "不能晚于今天"),
        ({"follow_up_by": "2000-01-01"}, "follow_up_by", "复查期限"),
    ],
)
def test_a_bad_checkup_is_refused_beside_its_field_and_nothing_is_saved(
    changes: dict[str, str], field: str, message: str, signed_in: Callable[[str], Client]
) -> None:
    cadre = _cadre_here()
    before = Checkup.objects.count()

    response = signed_in("hr").post(reverse("web:checkup-record", kwargs={"pk": cadre.pk}), _good_post(**changes))

    assert response.status_code == 400
    assert response.context["form"].errors[field]
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page
    assert message in page
    assert Checkup.objects.count() == before
    assert not AuditEntry.objects.filter(action="create", resource="health-checkups").exists()


def test_a_report_that_is_not_a_pdf_or_image_is_refused_beside_the_file_field(
    signed_in: Callable[[str], Client],
) -> None:
    cadre = _cadre_here()
    fake = SimpleUploadedFile("report.pdf", b"MZ not a pdf", content_type="application/pdf")

    response = signed_in("hr").post(
        reverse("web:checkup-record", kwargs={"pk": cadre.pk}), {**_good_post(), "attachment": fake}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["attachment"]
    assert not Checkup.objects.filter(cadre=cadre, institution="县人民医院").exists()


def test_the_recheck_page_records_a_follow_up_for_the_checkups_cadre(signed_in: Callable[[str], Client]) -> None:
    cadre = _cadre_here()
    first = Checkup.objects.create(
        cadre=cadre,
        date=clock.today() - dt.timedelta(days=40),
        institution="乡卫生院",
        conclusion="recheck",
        follow_up_needed=True,
        follow_up_by=clock.today() + dt.timedelta(days=5),
    )
    url = reverse("web:checkup-recheck", kwargs={"pk": first.pk})
    client = signed_in("hr")

    form = client.get(url).context["form"]
    assert form.initial["kind"] == "follow_up"
    response = client.post(
        url,
        _good_post(
            kind="follow_up", conclusion="normal", follow_up_needed="", follow_up_by="", date=clock.today().isoformat()
        ),
    )

    assert response.status_code == 303
    assert Checkup.objects.filter(cadre=cadre, kind="follow_up", date=clock.today()).exists()
    assert signed_in("county_staff").get(url).status_code == 403


def test_a_checkup_of_another_township_cannot_be_rechecked_by_hr(signed_in: Callable[[str], Client]) -> None:
    other = Checkup.objects.create(
        cadre=_cadre_elsewhere(),
        date=clock.today() - dt.timedelta(days=40),
        institution="乡卫生院",
        conclusion="recheck",
    )

    assert signed_in("hr").get(reverse("web:checkup-recheck", kwargs={"pk": other.pk})).status_code == 404
