"""干部档案: search in scope, a cadre's page (details masked and audited as the
API shows them, each history only where the reader's roles reach it), the
export through the API, and the import: a dry run naming each bad row in
Chinese with nothing saved, then the apply of the checked file."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cadrecare.audit.models import AuditEntry
from cadrecare.org.models import Cadre
from tests.cadrecare.web.conftest import DEMO_ROLES, demo_township, demo_township_cadre, roster_csv, roster_row

pytestmark = pytest.mark.usefixtures("demo_for_module", "db")


def _roster_file(*rows: list[str]) -> SimpleUploadedFile:
    return SimpleUploadedFile("名册.csv", roster_csv(*rows), content_type="text/csv")


# -- search and the cadre's page -------------------------------------------------------------------
@pytest.mark.parametrize("username", DEMO_ROLES)
def test_the_search_lists_only_cadres_in_scope(username: str, signed_in: Callable[[str], Client]) -> None:
    response = signed_in(username).get(reverse("web:cadres"))

    assert response.status_code == 200
    shown = [cadre.pk for cadre in response.context["page"].object_list]
    if username in ("hr", "secretary"):
        assert set(Cadre.objects.filter(pk__in=shown).values_list("unit_id", flat=True)) == {demo_township().pk}
    if username == "cadre":
        assert shown == [Cadre.objects.get(user__username="cadre").pk]


@pytest.mark.parametrize(
    ("username", "status", "unmasked"),
    [
        ("hr", 200, True),
        ("city_admin", 200, True),
        ("county_staff", 200, True),
        ("secretary", 200, False),
        ("cadre", 404, False),
    ],
)
def test_the_cadre_page_masks_and_audits_as_the_api(
    username: str, status: int, unmasked: bool, signed_in: Callable[[str], Client]
) -> None:
    cadre = demo_township_cadre()

    response = signed_in(username).get(reverse("web:cadre", kwargs={"pk": cadre.pk}))

    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert (cadre.id_number in page) == unmasked
        reads = AuditEntry.objects.filter(
            action="read", resource="cadres", object_id=cadre.pk, actor__username=username
        )
        assert reads.exists() == unmasked
        # HR reaches check-ups and family but not talks; the secretary the other way round
        assert (response.context["talks"] is not None) == (username != "hr")
        assert response.context["family_count"] is not None


def test_a_cadre_of_another_township_is_404_for_hr(signed_in: Callable[[str], Client]) -> None:
    township = demo_township()
    other = Cadre.objects.filter(unit__parent=township.parent).exclude(unit=township).first()

    assert signed_in("hr").get(reverse("web:cadre", kwargs={"pk": other.pk})).status_code == 404


def test_the_export_link_is_the_apis_audited_export_of_the_same_search(signed_in: Callable[[str], Client]) -> None:
    client = signed_in("hr")
    name = demo_township_cadre().name

    page = client.get(reverse("web:cadres"), {"q": name})
    response = client.get(page.context["export_url"])

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="cadres-')
    assert AuditEntry.objects.filter(action="export", actor__username="hr").exists()
    assert signed_in("secretary").get(reverse("web:cadres")).context["export_url"] is None


# -- import ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("username", "status"),
    [("hr", 200), ("city_admin", 200), ("county_staff", 403), ("secretary", 403), ("cadre", 403)],
)
def test_the_import_page_opens_to_those_who_may_import(
    username: str, status: int, signed_in: Callable[[str], Client]
) -> None:
    assert signed_in(username).get(reverse("web:cadre-import")).status_code == status


def test_the_dry_run_names_each_bad_row_in_chinese_and_saves_nothing(signed_in: Callable[[str], Client]) -> None:
    before = Cadre.objects.count()
    upload = _roster_file(
        roster_row("张新一"), roster_row("李新二", id_number="123"), roster_row("王新三", unit="NO-SUCH", sequence=19)
    )

    response = signed_in("hr").post(reverse("web:cadre-import"), {"file": upload})

    assert response.status_code == 400
    page = response.content.decode()
    assert "导入失败：2 行有错误，所有行均未导入。" in page
    assert "第 3 行「身份证号」：" in page and "第 4 行「工作单位代码」：找不到代码为“NO-SUCH”的单位。" in page
    assert Cadre.objects.count() == before


def test_hr_checks_a_file_then_applies_it(signed_in: Callable[[str], Client]) -> None:
    client = signed_in("hr")
    upload = _roster_file(roster_row("张新一"), roster_row("李新二", sequence=23))

    checked = client.post(reverse("web:cadre-import"), {"file": upload})

    assert checked.status_code == 200
    assert checked.context["count"] == 2 and [row["cells"][0][1] for row in checked.context["preview"]] == [
        "张新一",
        "李新二",
    ]
    assert not Cadre.objects.filter(name__in=["张新一", "李新二"]).exists()

    applied = client.post(reverse("web:cadre-import"), {"token": checked.context["token"]})

    assert applied.status_code == 303 and applied["Location"] == reverse("web:cadres")
    created = Cadre.objects.filter(name__in=["张新一", "李新二"], unit=demo_township())
    assert created.count() == 2
    assert AuditEntry.objects.filter(action="import", cadre_id__in=[cadre.pk for cadre in created]).count() == 2
    # the token is spent: a second apply finds nothing to import
    again = client.post(reverse("web:cadre-import"), {"token": checked.context["token"]})
    assert again.status_code == 400 and "预览已过期" in again.content.decode()


def test_a_file_of_another_kind_is_refused_beside_the_file_field(signed_in: Callable[[str], Client]) -> None:
    upload = SimpleUploadedFile("名册.pdf", b"%PDF-1.4", content_type="application/pdf")

    response = signed_in("hr").post(reverse("web:cadre-import"), {"file": upload})

    assert response.status_code == 400
    assert 'id="id_file_error"' in response.content.decode()
    assert "只能导入 .xlsx 或 .csv 文件。" in response.content.decode()
