"""Correcting a year's holidays: a notice is
previewed before it is applied — what it changes, date by date, and which
rosters are planned on the changed dates — and nothing is written by the
preview; applied, it flags the draft and published rosters it reaches, tells
their secretaries, and clears the provisional mark of the year's rosters."""

from __future__ import annotations

import copy
import datetime as dt
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.forms.models import model_to_dict
from rest_framework.test import APIClient

from cadrecare.audit.models import AuditEntry
from cadrecare.org.choices import LeaderPost, UnitKind
from cadrecare.org.models import Cadre, OrgUnit
from cadrecare.reminders.models import Notice
from cadrecare.rotation.choices import CalendarStatus, DayKind, DayType, Mode, RequestKind, RosterStatus
from cadrecare.rotation.holiday_calendar import (
    holiday_csv_parse,
    holiday_days_replace,
    holiday_rows_checksum,
    month_calendar,
)
from cadrecare.rotation.holiday_corrections import (
    CALENDAR_NOTICE_KIND,
    holiday_year_load,
    holiday_year_preview,
)
from cadrecare.rotation.models import HolidayDay, HolidayYear, RestRequest, Roster, RosterDay, RotationPolicy
from cadrecare.rotation.services import generation_item_run, generation_request, roster_lock, roster_publish
from tests.cadrecare.rotation.conftest import build_township
from tests.cadrecare.rotation.test_rotation_holidays import NOTICE_2027
from tests.conftest import ROLE_USERS
from tests.factories import OrgUnitFactory, UserFactory
from tests.roster_judge import judge

FIRST_NOTICE = "国办发明电〔2026〕7号"
CORRECTION = "国办发明电〔2026〕9号"
# The arrangement as first published (or, in some tests, as provisionally assumed).
BASE_2027 = (
    NOTICE_2027
    + """2027-04-05,holiday,清明节
2027-05-01,holiday,劳动节
2027-05-02,holiday,劳动节
2027-05-03,holiday,劳动节
2027-05-04,holiday,劳动节
"""
)
# The correction: Spring Festival a day shorter and no makeup Saturday for it;
# Labour Day five days (Wednesday 5 May added), paid for by Sunday 25 April
# and Saturday 8 May; Qingming renamed. March is untouched.
CORRECTED_2027 = """date,kind,name
2027-01-01,holiday,元旦
2027-02-06,holiday,春节
2027-02-07,holiday,春节
2027-02-08,holiday,春节
2027-02-09,holiday,春节
2027-02-10,holiday,春节
2027-02-11,holiday,春节
2027-02-12,holiday,春节
2027-04-05,holiday,清明
2027-04-25,makeup_workday,劳动节调休上班
2027-05-01,holiday,劳动节
2027-05-02,holiday,劳动节
2027-05-03,holiday,劳动节
2027-05-04,holiday,劳动节
2027-05-05,holiday,劳动节
2027-05-08,makeup_workday,劳动节调休上班
"""
FEB, MAR, APR, MAY = (dt.date(2027, month, 1) for month in (2, 3, 4, 5))


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _base(status: str = CalendarStatus.OFFICIAL) -> HolidayYear:
    """2027 in the database as BASE_2027: loaded from the first notice, or provisional."""
    rows = holiday_csv_parse(BASE_2027)
    source = FIRST_NOTICE if status == CalendarStatus.OFFICIAL else "假定"
    return holiday_days_replace(
        2027, rows, status=status, source_ref=source, checksum=holiday_rows_checksum(rows, source), actor=None
    )


def _rows_json(text: str) -> list[dict[str, str]]:
    return [{"date": row.date.isoformat(), "kind": row.kind, "name": row.name} for row in holiday_csv_parse(text)]


def _roster(unit: OrgUnit, month: dt.date, status: str = RosterStatus.DRAFT) -> Roster:
    """The unit's month generated (a month ahead), then published and locked as asked."""
    run = generation_request(actor=None, unit=unit, month=month, today=month - relativedelta(months=1))
    assert generation_item_run(item_id=run.items.get().pk) == "solved"
    roster = Roster.objects.get(unit=unit, month=month)
    if status != RosterStatus.DRAFT:
        roster = roster_publish(actor=None, roster_obj=roster, confirm_provisional=True)
    if status == RosterStatus.LOCKED:
        roster = roster_lock(actor=None, roster_obj=roster, today=month + relativedelta(months=1))
    return Roster.objects.select_related("current").get(pk=roster.pk)


def _resting(roster: Roster, *days: str) -> int:
    return RosterDay.objects.filter(version=roster.current, kind=DayKind.REST, date__in=[_d(d) for d in days]).count()


@pytest.fixture
def towns(cast: Any, township: list[Cadre]) -> tuple[OrgUnit, OrgUnit]:
    """石头乡 (A1, its secretary secretary_a1) with the twelve cadres of the
    rotation fixtures, and 期纳镇 (B1, secretary_b1) with eight, both weekly."""
    Cadre.objects.filter(pk__in=[c.pk for c in township]).update(unit=cast.town_a1)
    RotationPolicy.objects.create(unit=cast.county_b, effective_from=dt.date(2026, 1, 1), mode=Mode.WEEKLY)
    build_township(cast.town_b1, 8)
    return cast.town_a1, cast.town_b1


# -- the diff -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_diff_of_a_correction_lists_every_change_with_its_name() -> None:
    # given 2027 loaded from the first notice
    _base()

    # when the correction is previewed
    preview = holiday_year_preview(actor=None, year=2027, rows=holiday_csv_parse(CORRECTED_2027), source_ref=CORRECTION)

    # then the diff names what is added and removed, by kind, and every date whose kind changes
    diff = preview.diff
    assert [(r.date, r.name) for r in diff.holidays_added] == [(_d("2027-05-05"), "劳动节")]
    assert [(r.date, r.name) for r in diff.holidays_removed] == [(_d("2027-02-13"), "春节")]
    assert [(r.date, r.name) for r in diff.makeup_workdays_added] == [
        (_d("2027-04-25"), "劳动节调休上班"),
        (_d("2027-05-08"), "劳动节调休上班"),
    ]
    assert [(r.date, r.name) for r in diff.makeup_workdays_removed] == [(_d("2027-02-20"), "春节调休上班")]
    assert [(r.date, r.name_before, r.name_after) for r in diff.renamed] == [(_d("2027-04-05"), "清明节", "清明")]
    assert [(c.date, c.before, c.after, c.desirable_before, c.desirable_after) for c in diff.changes] == [
        (_d("2027-02-13"), DayType.HOLIDAY, DayType.WEEKEND, True, True),  # a Saturday either way
        (_d("2027-02-20"), DayType.MAKEUP_WORKDAY, DayType.WEEKEND, False, True),
        (_d("2027-04-25"), DayType.WEEKEND, DayType.MAKEUP_WORKDAY, True, False),
        (_d("2027-05-05"), DayType.WORKDAY, DayType.HOLIDAY, False, True),
        (_d("2027-05-08"), DayType.WEEKEND, DayType.MAKEUP_WORKDAY, True, False),
    ]
    assert diff.changes[2].describe() == "4月25日（星期日）由周末改为调休上班日（劳动节调休上班）"
    assert (preview.status_before, preview.unchanged) == (CalendarStatus.OFFICIAL, False)


@pytest.mark.django_db
def test_the_notice_already_loaded_previews_as_unchanged() -> None:
    _base()
    preview = holiday_year_preview(actor=None, year=2027, rows=holiday_csv_parse(BASE_2027), source_ref=FIRST_NOTICE)
    assert preview.unchanged and not preview.diff.changes and not preview.rosters


# -- the rosters reached --------------------------------------------------------------


@pytest.mark.django_db
def test_rosters_planned_on_changed_dates_are_listed_with_their_rest_on_them(
    cast: Any, client_for: Any, towns: tuple[OrgUnit, OrgUnit]
) -> None:
    # given the first notice, and rosters: A1's February locked, March and April
    # published (a clerk asked to rest the weekend of 24-25 April); B1's May a draft
    _base()
    town_a1, town_b1 = towns
    clerk = Cadre.objects.filter(unit=town_a1, leader_post=LeaderPost.NONE).order_by("pk").first()
    RestRequest.objects.create(
        cadre=clerk, kind=RequestKind.PREFER, start=dt.date(2027, 4, 24), end=dt.date(2027, 4, 25), reason="家中有事"
    )
    feb = _roster(town_a1, FEB, RosterStatus.LOCKED)
    _roster(town_a1, MAR, RosterStatus.PUBLISHED)
    apr = _roster(town_a1, APR, RosterStatus.PUBLISHED)
    may = _roster(town_b1, MAY)

    # when the city's org admin previews the correction through the API
    response = client_for("city_admin").post(
        "/api/v1/holiday-years/preview/",
        {"year": 2027, "source_ref": CORRECTION, "rows": _rows_json(CORRECTED_2027)},
        format="json",
    )

    # then February (locked), April (published) and May (draft) are listed; March,
    # with no changed date, is not
    assert response.status_code == 200, response.json()
    body = response.json()
    listed = {(row["unit_name"], row["month"]): row for row in body["rosters"]}
    assert list(listed) == [("石头乡", "2027-02"), ("石头乡", "2027-04"), ("期纳镇", "2027-05")]
    assert [row["status_label"] for row in body["rosters"]] == ["已锁定", "已发布", "草稿"]
    assert body["rosters_outside_scope"] == 0 and body["status_before_label"] == "正式（国务院通知）"
    assert [c["after_label"] for c in body["diff"]["changes"]][2] == "调休上班日"

    # and each counts the rest planned on its changed dates, as the roster's days say
    row = listed[("石头乡", "2027-04")]
    assert row["roster"] == apr.pk and row["changed_dates"] == ["2027-04-25"]
    assert row["rest_days_on_changed_dates"] == row["rest_days_losing_desirable"] == _resting(apr, "2027-04-25") > 0
    assert row["rest_days_gaining_desirable"] == 0
    row = listed[("期纳镇", "2027-05")]
    assert row["changed_dates"] == ["2027-05-05", "2027-05-08"]
    assert row["rest_days_losing_desirable"] == _resting(may, "2027-05-08")
    assert row["rest_days_gaining_desirable"] == _resting(may, "2027-05-05")
    row = listed[("石头乡", "2027-02")]
    assert row["rest_days_on_changed_dates"] == _resting(feb, "2027-02-13", "2027-02-20")
    assert row["rest_days_gaining_desirable"] == _resting(feb, "2027-02-20")  # 13 Feb stays a good day

    # and the fairness of desirable days is the solver's as planned, and the
    # shared checker's on the corrected calendar
    for roster in (feb, apr, may):
        row = listed[(roster.unit.name, f"{roster.month:%Y-%m}")]
        assert row["fairness_spread_before"] == roster.current.metrics["fairness_spread"]
        corrected = copy.deepcopy(roster.current.problem)
        corrected["desirable"] = [d.isoformat() for d in _desirable_after(roster.month)]
        report = judge(corrected, roster.current.solution)
        assert row["fairness_spread_after"] == pytest.approx(float(report["metrics"]["fairness_spread"]))
        assert row["metrics_change"] == (row["fairness_spread_before"] != row["fairness_spread_after"])


def _desirable_after(month: dt.date) -> list[dt.date]:
    """The month's good days to rest under CORRECTED_2027, read plainly."""
    kinds = {row.date: row.kind for row in holiday_csv_parse(CORRECTED_2027)}
    days = [month + dt.timedelta(days=n) for n in range(31) if (month + dt.timedelta(days=n)).month == month.month]
    return [d for d in days if kinds.get(d) == "holiday" or (d.weekday() >= 5 and kinds.get(d) != "makeup_workday")]


@pytest.mark.django_db
def test_an_org_admin_sees_the_rosters_of_their_city_and_a_count_of_the_rest(cast: Any, client_for: Any) -> None:
    # given a May roster in the cast's city, and one in another city
    _base()
    other_city = OrgUnitFactory(kind=UnitKind.CITY, name="大理州")
    other_town = OrgUnitFactory(kind=UnitKind.TOWNSHIP, parent=OrgUnitFactory(kind=UnitKind.COUNTY, parent=other_city))
    Roster.objects.create(unit=cast.town_b1, month=MAY, status=RosterStatus.PUBLISHED)
    Roster.objects.create(unit=other_town, month=MAY, status=RosterStatus.PUBLISHED)

    # when the cast's city org admin previews the correction
    body = (
        client_for("city_admin")
        .post(
            "/api/v1/holiday-years/preview/",
            {"year": 2027, "source_ref": CORRECTION, "rows": _rows_json(CORRECTED_2027)},
            format="json",
        )
        .json()
    )

    # then only their city's roster is named (nothing is planned in it yet); the other is a count
    assert [
        (row["unit_name"], row["rest_days_on_changed_dates"], row["fairness_spread_before"]) for row in body["rosters"]
    ] == [("期纳镇", 0, None)]
    assert body["rosters_outside_scope"] == 1


# -- a preview writes nothing ---------------------------------------------------------


def _state() -> dict[str, Any]:
    return {
        "years": [model_to_dict(y) for y in HolidayYear.objects.order_by("year")],
        "days": list(HolidayDay.objects.order_by("date").values_list("date", "kind", "name")),
        "rosters": list(Roster.objects.order_by("pk").values()),
        "notices": Notice.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


@pytest.mark.django_db
def test_a_preview_by_api_or_command_writes_nothing(
    cast: Any, client_for: Any, towns: tuple[OrgUnit, OrgUnit], tmp_path: Path
) -> None:
    # given a provisional 2027 and a published April planned on it
    _base(CalendarStatus.PROVISIONAL)
    apr = _roster(towns[0], APR, RosterStatus.PUBLISHED)
    assert apr.provisional_calendar
    before = _state()

    # when the correction is previewed through the API and by the command's dry run
    response = client_for("city_admin").post(
        "/api/v1/holiday-years/preview/",
        {"year": 2027, "source_ref": CORRECTION, "rows": _rows_json(CORRECTED_2027)},
        format="json",
    )
    notice = tmp_path / "2027.csv"
    notice.write_text(CORRECTED_2027, encoding="utf-8")
    out = StringIO()
    call_command("load_holiday_year", "2027", str(notice), "--source-ref", CORRECTION, "--dry-run", stdout=out)

    # then both describe the change, and the database is as it was: no day, roster,
    # notice or audit entry written
    assert response.status_code == 200
    assert response.json()["provisional_rosters"] == 1 and response.json()["status_before"] == "provisional"
    printed = out.getvalue()
    assert "4月25日（星期日）由周末改为调休上班日" in printed and "石头乡 2027-04 已发布" in printed
    assert "试运行" in printed
    assert _state() == before
    assert not AuditEntry.objects.filter(resource="holiday-years").exists()


# -- applying a correction ------------------------------------------------------------


@pytest.mark.django_db
def test_applying_the_notice_flags_the_rosters_reached_and_tells_their_secretaries(
    cast: Any, towns: tuple[OrgUnit, OrgUnit]
) -> None:
    # given a provisional 2027 and rosters planned on it: A1's February locked, March
    # and April published, B1's May a draft
    _base(CalendarStatus.PROVISIONAL)
    town_a1, town_b1 = towns
    feb = _roster(town_a1, FEB, RosterStatus.LOCKED)
    mar = _roster(town_a1, MAR, RosterStatus.PUBLISHED)
    apr = _roster(town_a1, APR, RosterStatus.PUBLISHED)
    may = _roster(town_b1, MAY)
    resting_on_25_april = sorted(
        RosterDay.objects.filter(version=apr.current, kind=DayKind.REST, date=_d("2027-04-25")).values_list(
            "cadre__name", flat=True
        )
    )

    # when the State Council's notice is loaded
    _, changed = holiday_year_load(
        actor=cast.city_admin, year=2027, rows=holiday_csv_parse(CORRECTED_2027), source_ref=CORRECTION
    )

    # then the year is official and no roster of it says its calendar is provisional
    assert changed and HolidayYear.objects.get(year=2027).status == CalendarStatus.OFFICIAL
    assert not Roster.objects.filter(provisional_calendar=True).exists()
    # the published April and the draft May are flagged; the locked February and the untouched March are not
    flagged = set(Roster.objects.filter(calendar_changed_at__isnull=False).values_list("pk", flat=True))
    assert flagged == {apr.pk, may.pk}
    # each secretary has one notice in their inbox, naming the dates and who rests on them
    notices = Notice.objects.filter(kind=CALENDAR_NOTICE_KIND)
    assert sorted(notices.values_list("object_id", "recipient_id")) == sorted(
        [(apr.pk, cast.secretary_a1.pk), (may.pk, cast.secretary_b1.pk)]
    )
    april = notices.get(object_id=apr.pk)
    assert "石头乡2027年4月" in april.title and CORRECTION in april.body
    assert "4月25日（星期日）由周末改为调休上班日" in april.body
    assert "、".join(resting_on_25_april) in april.body and "不会自动改动" in april.body
    assert "重新生成" in notices.get(object_id=may.pk).body
    assert not notices.filter(object_id__in=[feb.pk, mar.pk]).exists()

    # and loading the same notice again changes nothing and tells nobody twice
    _, again = holiday_year_load(
        actor=cast.city_admin, year=2027, rows=holiday_csv_parse(CORRECTED_2027), source_ref=CORRECTION
    )
    assert not again and notices.count() == 2

    # and generating the May draft again plans it on the new calendar, which clears its flag
    regenerated = _roster(town_b1, MAY)
    assert regenerated.calendar_changed_at is None
    assert _d("2027-05-08") not in {_d(d) for d in regenerated.current.problem["desirable"]}
    assert _d("2027-05-05") in month_calendar(2027, 5).desirable


# -- validation and who may preview ---------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field", "fragment"),
    [
        (
            {
                "rows": [
                    {"date": "2027-02-08", "kind": "holiday", "name": "春节"},
                    {"date": "2027-02-17", "kind": "makeup_workday"},
                ]
            },
            "rows[1].kind",
            "星期三",
        ),
        ({"rows": [{"date": "2026-12-31", "kind": "holiday"}]}, "rows[0].date", "不在 2027 年内"),
        (
            {"rows": [{"date": "2027-01-01", "kind": "holiday"}, {"date": "2027-01-01", "kind": "holiday"}]},
            "rows[1].date",
            "重复",
        ),
        ({"rows": []}, "rows", "请提供日期行或上传 CSV 文件"),
        ({"rows": [{"date": "2027-01-01", "kind": "holiday"}], "source_ref": "  "}, "source_ref", "不能为空"),
        ({"rows": [{"date": "2027-01-01", "kind": "休假"}]}, "rows.0.kind", "休假"),
    ],
)
@pytest.mark.django_db
def test_a_bad_notice_is_refused_in_chinese_naming_the_field(
    client_for: Any, body: dict[str, Any], field: str, fragment: str
) -> None:
    payload = {"year": 2027, "source_ref": CORRECTION, **body}
    response = client_for("city_admin").post("/api/v1/holiday-years/preview/", payload, format="json")

    assert response.status_code == 400
    error = response.json()
    assert error["errors"][0]["field"].startswith(field)
    assert re.search(r"[\u4e00-\u9fff]", error["message"]) and fragment in error["message"]
    assert not HolidayYear.objects.exists()


@pytest.mark.parametrize("user", ROLE_USERS)
@pytest.mark.django_db
def test_who_may_preview_is_who_may_load(client_for: Any, user: str) -> None:
    payload = {"year": 2027, "source_ref": CORRECTION, "rows": _rows_json(CORRECTED_2027)}
    client = client_for(user)

    preview = client.post("/api/v1/holiday-years/preview/", payload, format="json")
    load = client.post("/api/v1/holiday-years/", payload, format="json")

    allowed = user == "city_admin"  # a county's org admin has the role but not the city
    assert (preview.status_code, load.status_code) == ((200, 201) if allowed else (403, 403))
    assert HolidayYear.objects.filter(year=2027).exists() == allowed


@pytest.mark.django_db
def test_a_superuser_may_preview_and_sees_every_roster(cast: Any, client_for: Any) -> None:
    _base()
    Roster.objects.create(unit=cast.town_b1, month=MAY, status=RosterStatus.DRAFT)
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client = APIClient()
    client.force_authenticate(root)
    body = client.post(
        "/api/v1/holiday-years/preview/",
        {"year": 2027, "source_ref": CORRECTION, "rows": _rows_json(CORRECTED_2027)},
        format="json",
    ).json()
    assert [row["unit_name"] for row in body["rosters"]] == ["期纳镇"]


# -- the admin screen -----------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_import_screen_previews_then_applies(cast: Any, client: Any) -> None:
    # given 2027 from the first notice and B1's published May
    _base()
    may = Roster.objects.create(unit=cast.town_b1, month=MAY, status=RosterStatus.PUBLISHED)
    type(cast.city_admin).objects.filter(pk__in=[cast.city_admin.pk, cast.county_a_admin.pk]).update(is_staff=True)
    cast.city_admin.user_permissions.add(Permission.objects.get(codename="view_holidayyear"))
    url = "/admin/rotation/holidayyear/import/"
    form = {"year": 2027, "source_ref": CORRECTION, "text": CORRECTED_2027}

    # a county's org admin may not even open it
    client.force_login(cast.county_a_admin)
    assert client.get(url).status_code == 403

    # when the city's org admin previews the correction
    client.force_login(cast.city_admin)
    assert "导入或更正" in client.get("/admin/rotation/holidayyear/").content.decode()
    before = _state()
    page = client.post(url, {**form, "preview": "1"}).content.decode()

    # then the screen shows the changes and the roster, and nothing is written
    assert "5月8日（星期六）由周末改为调休上班日（劳动节调休上班）" in page and "期纳镇" in page
    assert "确认导入" in page and "劳动节调休上班" in page
    assert _state() == before

    # and confirming applies it: the year is corrected and the roster flagged
    response = client.post(url, {**form, "apply": "1"})
    assert response.status_code == 302
    assert HolidayDay.objects.filter(date=_d("2027-05-08"), kind="makeup_workday").exists()
    may.refresh_from_db()
    assert may.calendar_changed_at is not None


@pytest.mark.django_db
def test_the_admin_import_screen_shows_a_bad_line(cast: Any, client: Any) -> None:
    type(cast.city_admin).objects.filter(pk=cast.city_admin.pk).update(is_staff=True)
    client.force_login(cast.city_admin)
    page = client.post(
        "/admin/rotation/holidayyear/import/",
        {
            "year": 2027,
            "source_ref": CORRECTION,
            "text": "2027-01-01,holiday,元旦\n2027-02-17,班,调休\n",
            "preview": "1",
        },
    ).content.decode()
    assert "星期三" in page and "rows[1].kind" in page
    assert not HolidayYear.objects.exists()


@pytest.mark.django_db
def test_the_preview_labels_follow_the_language_asked_for(client_for: Any) -> None:
    _base()
    body = (
        client_for("city_admin")
        .post(
            "/api/v1/holiday-years/preview/",
            {"year": 2027, "source_ref": CORRECTION, "rows": _rows_json(CORRECTED_2027)},
            format="json",
            HTTP_ACCEPT_LANGUAGE="en",
        )
        .json()
    )
    april = next(change for change in body["diff"]["changes"] if change["date"] == "2027-04-25")
    assert (april["before_label"], april["after_label"]) == ("Weekend", "Makeup workday")
