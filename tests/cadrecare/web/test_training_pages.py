"""培训与考察交流 in the workbench, on the demo city: the organization
department's list, a programme's proposal, nominations and attendance table,
the not-trained report with real numbers, and a cadre's training history;
a township reads the programmes its cadres go to, only its own rows."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from cadrecare.core import clock
from cadrecare.org.models import Cadre, RoleGrant
from cadrecare.rotation.models import Absence
from cadrecare.training.choices import Attendance
from cadrecare.training.models import Nomination, TrainingProgramme
from tests.cadrecare.web.conftest import DEMO_ROLES

pytestmark = pytest.mark.usefixtures("demo_for_module")


def _county() -> Any:
    return RoleGrant.objects.get(user__username="county_staff").unit


def test_the_demo_city_has_programmes_and_the_report_shows_real_numbers(db: None, signed_in: Any) -> None:
    county = _county()
    page = signed_in("county_staff").get("/training/not-trained/", {"unit": county.pk})
    assert page.status_code == 200
    untrained, in_post = (
        int(n) for n in re.search(r"未参加的在岗干部：(\d+) 人（共 (\d+) 人）", page.content.decode()).groups()
    )
    assert 0 < untrained < in_post
    # attended programmes became training absences, none clashing with another absence
    attended = Nomination.objects.filter(attendance=Attendance.ATTENDED)
    assert attended.exists() and not attended.filter(absence=None).exists()
    assert TrainingProgramme.objects.filter(date_from__gt=clock.today()).count() == 2


@pytest.mark.parametrize("role", DEMO_ROLES)
def test_every_demo_role_opens_the_list_and_a_programme(db: None, signed_in: Any, role: str) -> None:
    client = signed_in(role)
    listing = client.get("/training/")
    assert listing.status_code == 200
    ids = [int(pk) for pk in re.findall(r'href="/training/(\d+)/"', listing.content.decode())]
    assert ids, role  # every demo role has a programme: its own, its township's or the county's
    assert client.get(f"/training/{ids[0]}/").status_code == 200
    assert client.get("/training/not-trained/").status_code == 200


def test_a_township_secretary_sees_only_their_townships_nominees(db: None, signed_in: Any) -> None:
    township = Cadre.objects.get(user__username="secretary").unit
    programme = (
        TrainingProgramme.objects.filter(unit=_county(), nominations__cadre__unit=township)
        .filter(nominations__cadre__unit__in=_county().children.exclude(pk=township.pk))
        .distinct()
        .first()
    )
    body = signed_in("secretary").get(f"/training/{programme.pk}/").content.decode()
    rows = Nomination.objects.filter(programme=programme).select_related("cadre")
    assert all(f'href="/cadres/{row.cadre_id}/"' in body for row in rows if row.cadre.unit_id == township.pk)
    assert not any(f'href="/cadres/{row.cadre_id}/"' in body for row in rows if row.cadre.unit_id != township.pk)
    assert "推荐人选" not in body and "保存出勤" not in body


def test_the_county_nominates_from_the_proposal_and_records_attendance(db: None, signed_in: Any) -> None:
    client = signed_in("county_staff")
    coming = TrainingProgramme.objects.get(unit=_county(), date_from__gt=clock.today())
    page = client.get(f"/training/{coming.pk}/").content.decode()
    proposed = [int(pk) for pk in re.findall(r'name="cadre" value="(\d+)"', page)]
    assert len(proposed) > 2 and "基层一线干部" in page

    # when two proposed cadres are confirmed
    response = client.post(f"/training/{coming.pk}/", {"op": "nominate", "cadre": proposed[:2]})
    assert response.status_code == 303
    assert set(Nomination.objects.filter(programme=coming).values_list("cadre_id", flat=True)) >= set(proposed[:2])

    # and on a past programme a nominee is marked excused without a reason, then with one
    past = TrainingProgramme.objects.filter(unit=_county(), date_to__lt=clock.today() - dt.timedelta(days=30)).first()
    nomination = past.nominations.filter(attendance=Attendance.ATTENDED).first()
    response = client.post(f"/training/{past.pk}/", {"op": "attendance", f"attendance-{nomination.pk}": "excused"})
    assert response.status_code == 400 and "请假原因" in response.content.decode()
    assert Absence.objects.filter(pk=nomination.absence_id).exists()
    response = client.post(
        f"/training/{past.pk}/",
        {"op": "attendance", f"attendance-{nomination.pk}": "excused", f"excuse-{nomination.pk}": "防汛值班"},
    )
    assert response.status_code == 303
    nomination.refresh_from_db()
    assert nomination.attendance == Attendance.EXCUSED and nomination.absence is None


def test_a_cadres_page_lists_their_training(db: None, signed_in: Any) -> None:
    township = Cadre.objects.get(user__username="secretary").unit
    nomination = Nomination.objects.filter(cadre__unit=township).select_related("cadre", "programme").first()
    body = signed_in("hr").get(f"/cadres/{nomination.cadre_id}/").content.decode()
    assert "培训与考察交流" in body and nomination.programme.name in body
