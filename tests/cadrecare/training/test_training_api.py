"""Training, study tours and exchanges (seed 三(一) "组织调训优先安排、参观考察
优先安排、工作交流优先安排"): the organization department plans a programme,
takes the ranked proposal (grassroots cadres first, then the longest without
one), confirms the nominations and records attendance, which puts a 培训
absence on the cadre's roster and takes it off again when it changes."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from openpyxl import load_workbook

from cadrecare.audit.models import AuditEntry
from cadrecare.core import clock
from cadrecare.org.choices import CadreStatus, UnitKind
from cadrecare.rotation.choices import AbsenceKind
from cadrecare.rotation.models import Absence
from cadrecare.training.choices import Attendance
from cadrecare.training.models import Nomination, TrainingProgramme
from cadrecare.training.services import attendance_record, nominations_confirm, programme_create
from tests.factories import CadreFactory

BASE = "/api/v1/training-programmes/"


def _programme(cast: Any, *, unit: Any = None, start: dt.date | None = None, days: int = 4, **values: Any) -> Any:
    start = start or clock.today() - dt.timedelta(days=10)
    data = {
        "unit": unit or cast.county_a,
        "kind": "training",
        "name": "乡镇干部能力提升培训班",
        "date_from": start,
        "date_to": start + dt.timedelta(days=days - 1),
        "location": "县委党校",
        "places": 10,
    }
    data.update(values)
    return programme_create(actor=None, data=data)


def _trained(cadre: Any, cast: Any, years_ago: float, kind: str = "training") -> None:
    """``cadre`` attended a programme of ``kind`` that ended ``years_ago`` years ago."""
    start = clock.today() - dt.timedelta(days=int(years_ago * 365.25) + 3)
    programme = _programme(cast, start=start, kind=kind, name=f"往期{kind}")
    [row] = nominations_confirm(actor=None, programme=programme, cadres=[cadre])
    attendance_record(actor=None, programme=programme, rows=[{"nomination": row, "attendance": "attended"}])


def _error(response: Any) -> tuple[str, str]:
    body = response.json()
    return body["errors"][0]["field"], body["message"]


# -- programmes ----------------------------------------------------------------------------------


def test_the_county_organization_department_plans_a_programme_and_it_is_audited(cast: Any, client_for: Any) -> None:
    # when the county's staff plan a study tour for the county
    response = client_for("county_a_staff").post(
        BASE,
        {
            "unit": cast.county_a.pk,
            "kind": "study_tour",
            "name": "赴先进乡镇参观考察",
            "date_from": "2026-06-01",
            "date_to": "2026-06-03",
            "location": "大理州",
            "places": 8,
        },
        format="json",
    )

    # then it is planned, labelled in Chinese, and the audit log has the write
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind_label"], body["unit_name"], body["nominated"]) == ("参观考察", "玉龙县", 0)
    assert AuditEntry.objects.filter(
        action="create", resource="training-programmes", object_id=str(body["id"])
    ).exists()


def test_bad_programme_input_is_refused_in_chinese_with_the_field(cast: Any, client_for: Any) -> None:
    client = client_for("county_a_staff")
    base = {
        "unit": cast.county_a.pk,
        "kind": "training",
        "name": "培训班",
        "date_from": "2026-06-05",
        "date_to": "2026-06-01",
        "location": "县委党校",
        "places": 5,
    }
    # dates the wrong way round
    response = client.post(BASE, base, format="json")
    assert response.status_code == 400
    assert _error(response) == ("date_to", "结束日期不能早于开始日期。")
    # no places
    response = client.post(BASE, {**base, "date_to": "2026-06-06", "places": 0}, format="json")
    assert response.status_code == 400 and _error(response)[0] == "places"
    # another county as organiser: not a unit they may name
    response = client.post(BASE, {**base, "date_to": "2026-06-06", "unit": cast.county_b.pk}, format="json")
    assert response.status_code == 400 and _error(response)[0] == "unit"
    # a township secretary may not plan one at all
    assert client_for("secretary_a1").post(BASE, {**base, "date_to": "2026-06-06"}, format="json").status_code == 403
    assert not TrainingProgramme.objects.exists()


def test_a_programme_is_never_deleted(cast: Any, client_for: Any) -> None:
    # given a planned programme
    programme = _programme(cast)
    before = AuditEntry.objects.exclude(action="read").count()

    # when the county's organization department tries to delete it
    response = client_for("county_a_staff").delete(f"{BASE}{programme.pk}/")

    # then the API offers no delete: the programme stays, and nothing is logged as done
    assert response.status_code == 405
    assert TrainingProgramme.objects.filter(pk=programme.pk).exists()
    assert AuditEntry.objects.exclude(action="read").count() == before


# -- the priority rule ------------------------------------------------------------------------


def test_candidates_come_grassroots_first_then_longest_without_training(cast: Any, client_for: Any) -> None:
    # given, in county A: township cadres trained 1 and 4 years ago, one never trained
    # (cadre A1), a county-agency cadre never trained, one who only went on a study tour
    # long ago, and a retired one
    recent, long_ago = CadreFactory(name="近训", unit=cast.town_a2), CadreFactory(name="久训", unit=cast.town_a1)
    _trained(recent, cast, 1)
    _trained(long_ago, cast, 4)
    CadreFactory(name="机关干部", unit=cast.agency_a)
    assert cast.agency_a.kind == UnitKind.COUNTY_AGENCY
    toured = CadreFactory(name="考察过", unit=cast.town_a2)
    _trained(toured, cast, 6, kind="study_tour")
    CadreFactory(name="已退休", unit=cast.town_a1, status=CadreStatus.RETIRED)
    programme = _programme(cast, start=clock.today() + dt.timedelta(days=30))

    # when the county asks for the proposal
    response = client_for("county_a_staff").get(f"{BASE}{programme.pk}/candidates/")

    # then township cadres never trained come first, then the longest since, the agency last
    assert response.status_code == 200, response.content
    names = [row["cadre_name"] for row in response.json()]
    never = {"和书记", "木晓梅", "杨建华", "考察过"}  # a study tour is not a training class
    assert set(names[:4]) == never
    assert names[4:] == ["久训", "近训", "机关干部"]
    first = response.json()[0]
    assert first["grassroots"] is True and first["years_without"] is None and "从未参加" in first["reason"]
    assert response.json()[4]["years_without"] >= 4

    # and a township narrows it to its own cadres
    only_a1 = client_for("county_a_staff").get(f"{BASE}{programme.pk}/candidates/", {"township": cast.town_a1.pk})
    assert {row["cadre_name"] for row in only_a1.json()} == {"和书记", "木晓梅", "久训"}


def test_confirming_nominations_keeps_the_proposed_reason_and_the_places(cast: Any, client_for: Any) -> None:
    programme = _programme(cast, places=2, start=clock.today() + dt.timedelta(days=30))
    client = client_for("county_a_staff")

    # when the county confirms two of the proposal
    response = client.post(
        f"{BASE}{programme.pk}/nominate/", {"cadres": [cast.cadre_a1.pk, cast.cadre_a2.pk]}, format="json"
    )
    assert response.status_code == 201, response.content
    assert [row["cadre_name"] for row in response.json()] == ["木晓梅", "杨建华"]
    assert "基层一线干部" in response.json()[0]["priority"]
    assert AuditEntry.objects.filter(
        action="create", resource="training-programmes", cadre_id=cast.cadre_a1.pk
    ).exists()

    # then a third does not fit, and the same cadre cannot be named twice
    response = client.post(f"{BASE}{programme.pk}/nominate/", {"cadres": [cast.secretary_a1_cadre.pk]}, format="json")
    assert response.status_code == 400
    assert _error(response) == ("cadres", "名额不足：本期共 2 个名额，已提名 2 人，还可提名 0 人。")
    # and a cadre of another county is not one they may name
    response = client.post(f"{BASE}{programme.pk}/nominate/", {"cadres": [cast.cadre_b1.pk]}, format="json")
    assert response.status_code == 400 and _error(response)[0] == "cadres"
    # and the places cannot drop below the nominated
    response = client.patch(f"{BASE}{programme.pk}/", {"places": 1}, format="json")
    assert response.status_code == 400
    assert _error(response) == ("places", "已提名 2 人，名额不能少于已提名人数。")


# -- scope ----------------------------------------------------------------------------------------


def test_a_township_sees_the_county_programme_with_its_own_cadres_only(cast: Any, client_for: Any) -> None:
    # given a county programme with cadres of townships A1 and A2 nominated
    programme = _programme(cast)
    nominations_confirm(actor=None, programme=programme, cadres=[cast.cadre_a1, cast.cadre_a2])

    # then township A1's secretary sees the programme and only A1's nomination
    secretary = client_for("secretary_a1")
    assert [p["id"] for p in secretary.get(BASE).json()["results"]] == [programme.pk]
    rows = secretary.get(f"{BASE}{programme.pk}/nominations/").json()
    assert [row["cadre_name"] for row in rows] == ["木晓梅"]
    # but may not nominate or record attendance (403), nor change the programme
    assert secretary.get(f"{BASE}{programme.pk}/candidates/").status_code == 403
    assert secretary.patch(f"{BASE}{programme.pk}/", {"note": "x"}, format="json").status_code == 403
    # the cadre sees their own nomination
    own = client_for("cadre_a1_user").get(f"{BASE}{programme.pk}/nominations/").json()
    assert [row["cadre_name"] for row in own] == ["木晓梅"]
    # township B1, with nobody on it, finds nothing (404)
    other = client_for("secretary_b1")
    assert other.get(f"{BASE}{programme.pk}/").status_code == 404
    assert other.get(BASE).json()["results"] == []
    # the county sees both
    county = client_for("county_a_staff").get(f"{BASE}{programme.pk}/nominations/").json()
    assert [row["cadre_name"] for row in county] == ["木晓梅", "杨建华"]


# -- attendance and the roster ----------------------------------------------------------------


def test_attendance_puts_a_training_absence_on_the_roster_and_takes_it_off_again(cast: Any, client_for: Any) -> None:
    # given a programme that began ten days ago with cadre A1 nominated
    programme = _programme(cast)
    [nomination] = nominations_confirm(actor=None, programme=programme, cadres=[cast.cadre_a1])
    client = client_for("county_a_staff")
    url = f"{BASE}{programme.pk}/attendance/"

    # when the county records them as attended
    response = client.post(url, {"rows": [{"nomination": nomination.pk, "attendance": "attended"}]}, format="json")

    # then the roster has them away on training for the programme's dates
    assert response.status_code == 200, response.content
    absence = Absence.objects.get(cadre=cast.cadre_a1)
    assert (absence.kind, absence.start, absence.end) == (AbsenceKind.TRAINING, programme.date_from, programme.date_to)
    assert absence.note == "培训班：乡镇干部能力提升培训班"
    assert AuditEntry.objects.filter(action="create", resource="absences", object_id=str(absence.pk)).exists()

    # when the dates of the programme move, the absence moves with them
    new_start = programme.date_from - dt.timedelta(days=1)
    response = client.patch(f"{BASE}{programme.pk}/", {"date_from": new_start.isoformat()}, format="json")
    assert response.status_code == 200, response.content
    assert Absence.objects.get(cadre=cast.cadre_a1).start == new_start

    # an excuse without a reason is refused in Chinese, and nothing changes
    response = client.post(url, {"rows": [{"nomination": nomination.pk, "attendance": "excused"}]}, format="json")
    assert response.status_code == 400
    assert _error(response) == ("excuse", "请填写木晓梅的请假原因。")
    assert Absence.objects.filter(cadre=cast.cadre_a1).count() == 1

    # when it is corrected to excused with a reason, the absence is gone
    response = client.post(
        url, {"rows": [{"nomination": nomination.pk, "attendance": "excused", "excuse": "家中有事"}]}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()[0]["attendance_label"] == "请假"
    assert not Absence.objects.filter(cadre=cast.cadre_a1).exists()
    assert AuditEntry.objects.filter(action="delete", resource="absences", object_id=str(absence.pk)).exists()
    assert Nomination.objects.get(pk=nomination.pk).excuse == "家中有事"
    # and the township secretary sees the row, the reason masked
    row = client_for("secretary_a1").get(f"{BASE}{programme.pk}/nominations/").json()[0]
    assert row["attendance"] == Attendance.EXCUSED and row["excuse"] != "家中有事"


def test_attendance_is_refused_before_the_programme_begins_and_over_a_clashing_leave(
    cast: Any, client_for: Any
) -> None:
    client = client_for("county_a_staff")
    future = _programme(cast, start=clock.today() + dt.timedelta(days=3))
    [nomination] = nominations_confirm(actor=None, programme=future, cadres=[cast.cadre_a1])
    response = client.post(
        f"{BASE}{future.pk}/attendance/",
        {"rows": [{"nomination": nomination.pk, "attendance": "attended"}]},
        format="json",
    )
    assert response.status_code == 400 and _error(response)[0] == "attendance"

    # given cadre A2 already on leave over a past programme's dates
    past = _programme(cast)
    Absence.objects.create(cadre=cast.cadre_a2, kind=AbsenceKind.SICK_LEAVE, start=past.date_from, end=past.date_to)
    [row] = nominations_confirm(actor=None, programme=past, cadres=[cast.cadre_a2])
    response = client.post(
        f"{BASE}{past.pk}/attendance/", {"rows": [{"nomination": row.pk, "attendance": "attended"}]}, format="json"
    )
    assert response.status_code == 400
    field, message = _error(response)
    assert field == "attendance" and message.startswith("无法登记杨建华参加：")


def test_a_nomination_is_withdrawn_only_before_attendance(cast: Any, client_for: Any) -> None:
    programme = _programme(cast)
    first, second = nominations_confirm(actor=None, programme=programme, cadres=[cast.cadre_a1, cast.cadre_a2])
    attendance_record(actor=None, programme=programme, rows=[{"nomination": first, "attendance": "attended"}])
    client = client_for("county_a_staff")

    assert client.delete(f"{BASE}{programme.pk}/nominations/{second.pk}/").status_code == 204
    response = client.delete(f"{BASE}{programme.pk}/nominations/{first.pk}/")
    assert response.status_code == 400
    assert _error(response)[0] == "nomination"
    assert list(Nomination.objects.values_list("cadre_id", flat=True)) == [cast.cadre_a1.pk]


# -- history and the report ------------------------------------------------------------------


def test_a_cadres_history_lists_their_programmes_latest_first(cast: Any, client_for: Any) -> None:
    _trained(cast.cadre_a1, cast, 4)
    _trained(cast.cadre_a1, cast, 1, kind="exchange")
    response = client_for("hr_a1").get(f"{BASE}history/", {"cadre": cast.cadre_a1.pk})
    assert response.status_code == 200, response.content
    assert [row["kind_label"] for row in response.json()["results"]] == ["工作交流", "培训班"]
    assert client_for("secretary_b1").get(f"{BASE}history/", {"cadre": cast.cadre_a1.pk}).status_code == 404
    response = client_for("hr_a1").get(f"{BASE}history/")
    assert response.status_code == 400 and _error(response)[0] == "cadre"


def test_the_report_lists_cadres_not_trained_in_three_years_per_unit_and_exports(cast: Any, client_for: Any) -> None:
    # given in county A: cadre A1 trained a year ago, cadre A2 five years ago, the secretary never
    _trained(cast.cadre_a1, cast, 1)
    _trained(cast.cadre_a2, cast, 5)
    client = client_for("county_a_staff")

    response = client.get(f"{BASE}not-trained/", {"unit": cast.county_a.pk})
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert [(row["unit_name"], row["name"]) for row in rows] == [("石头乡", "和书记"), ("鲁甸乡", "杨建华")]
    assert rows[0]["years_without"] is None and rows[1]["years_without"] >= 5

    units = client.get(f"{BASE}not-trained/units/", {"unit": cast.county_a.pk}).json()
    assert [(u["unit_name"], u["in_post"], u["untrained"]) for u in units] == [("石头乡", 2, 1), ("鲁甸乡", 1, 1)]
    # six years: cadre A2 counts as trained
    six = client.get(f"{BASE}not-trained/", {"unit": cast.county_a.pk, "years": 6}).json()["results"]
    assert [row["name"] for row in six] == ["和书记"]

    export = client.get(f"{BASE}not-trained/export/", {"unit": cast.county_a.pk})
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert [c.value for c in sheet[1]][:2] == ["单位", "姓名"] and sheet.max_row == 3

    # bad input is a Chinese 400; a unit outside scope a 404
    response = client.get(f"{BASE}not-trained/", {"unit": cast.county_a.pk, "years": "abc"})
    assert response.status_code == 400 and _error(response) == ("years", "年限应为1到30之间的整数。")
    assert client.get(f"{BASE}not-trained/", {"unit": cast.county_b.pk}).status_code == 404
    # a township secretary reads their own township's
    own = client_for("secretary_a1").get(f"{BASE}not-trained/", {"unit": cast.town_a1.pk}).json()["results"]
    assert [row["name"] for row in own] == ["和书记"]


def test_the_list_filters_by_year_and_refuses_a_year_outside_the_calendar(cast: Any, client_for: Any) -> None:
    programme = _programme(cast, start=dt.date(2025, 5, 6))
    client = client_for("county_a_staff")
    assert [p["id"] for p in client.get(BASE, {"year": 2025}).json()["results"]] == [programme.pk]
    assert client.get(BASE, {"year": 2024}).json()["results"] == []
    for bad in ("0", "0.0", "2025.5"):
        response = client.get(BASE, {"year": bad})
        assert response.status_code == 400 and _error(response)[0] == "year"
    assert client.post(f"{BASE}{programme.pk}/attendance/?year=0", {"rows": []}, format="json").status_code == 400
