"""The holiday calendar (docs/rotation.md, holiday calendar, check 26): seeded years match both
packages, unknown years are provisional, a notice is validated, idempotent,
audit-logged and loadable only by a city's org admin."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

import chinese_calendar
import holidays
import pytest
from django.core.management import CommandError, call_command

from cadrecare.audit.models import AuditEntry
from cadrecare.core.errors import DomainError
from cadrecare.rotation.choices import CalendarStatus, HolidayKind
from cadrecare.rotation.holiday_calendar import (
    DayRow,
    holiday_rows_validate,
    holiday_year_seed,
    month_calendar,
    package_year,
)
from cadrecare.rotation.holiday_corrections import holiday_year_load
from cadrecare.rotation.models import HolidayDay, HolidayYear

NOTICE_2027 = """date,kind,name
2027-01-01,holiday,元旦
2027-02-06,holiday,春节
2027-02-07,holiday,春节
2027-02-08,holiday,春节
2027-02-09,holiday,春节
2027-02-10,holiday,春节
2027-02-11,holiday,春节
2027-02-12,holiday,春节
2027-02-13,holiday,春节
2027-02-20,makeup_workday,春节调休上班
"""


def _days_of(year: int) -> list[dt.date]:
    first = dt.date(year, 1, 1)
    return [first + dt.timedelta(days=n) for n in range((dt.date(year + 1, 1, 1) - first).days)]


@pytest.mark.django_db
def test_seeded_2026_equals_both_packages() -> None:
    # when 2026 is seeded
    year = holiday_year_seed(2026)

    # then it is official, and every day is off or on exactly as both packages say
    assert year.status == CalendarStatus.OFFICIAL
    rows = {d.date: d.kind for d in HolidayDay.objects.filter(year=year)}
    china = holidays.China(years=2026, language="zh_CN")
    for day in _days_of(2026):
        seeded_off = (day.weekday() >= 5 or rows.get(day) == HolidayKind.HOLIDAY) and rows.get(
            day
        ) != HolidayKind.MAKEUP_WORKDAY
        assert seeded_off == (not chinese_calendar.is_workday(day)), day
        assert seeded_off == (not china.is_working_day(day)), day
    makeup = sorted(day for day, kind in rows.items() if kind == HolidayKind.MAKEUP_WORKDAY)
    assert makeup == [
        dt.date(2026, 1, 4),
        dt.date(2026, 2, 14),
        dt.date(2026, 2, 28),
        dt.date(2026, 5, 9),
        dt.date(2026, 9, 20),
        dt.date(2026, 10, 10),
    ]
    assert HolidayDay.objects.get(date=dt.date(2026, 2, 17)).name == "春节"


@pytest.mark.django_db
def test_2027_is_provisional_because_no_package_knows_it() -> None:
    assert holiday_year_seed(2027).status == CalendarStatus.PROVISIONAL
    assert month_calendar(2027, 3).provisional is True


@pytest.mark.parametrize("year", range(2020, 2027))
def test_every_package_year_passes_the_notice_rules(year: int) -> None:
    # the validation must accept what the State Council really published
    rows, agree = package_year(year)
    assert agree
    holiday_rows_validate(year, rows)


@pytest.mark.django_db
def test_desirable_days_are_weekends_and_holidays_less_makeup_workdays() -> None:
    # given February 2026: Spring Festival 15-23 Feb, makeup Saturdays 14 and 28 Feb
    calendar = month_calendar(2026, 2)

    # then the 14th and 28th are not desirable, the weekday holidays are
    assert dt.date(2026, 2, 14) not in calendar.desirable
    assert dt.date(2026, 2, 28) not in calendar.desirable
    assert {dt.date(2026, 2, d) for d in (16, 17, 18, 19, 20, 23)} <= set(calendar.desirable)
    assert dt.date(2026, 2, 24) not in calendar.desirable  # an ordinary Tuesday
    assert calendar.provisional is False


@pytest.mark.django_db
def test_a_makeup_day_on_a_wednesday_is_rejected() -> None:
    rows = [
        DayRow(dt.date(2027, 2, 8), HolidayKind.HOLIDAY, "春节"),
        DayRow(dt.date(2027, 2, 17), HolidayKind.MAKEUP_WORKDAY, "调休"),
    ]

    with pytest.raises(DomainError) as refused:
        holiday_year_load(actor=None, year=2027, rows=rows, source_ref="国办发明电〔2026〕7号")

    assert "星期三" in refused.value.message
    assert refused.value.errors[0]["field"] == "rows[1].kind"
    assert not HolidayYear.objects.filter(year=2027).exists()


@pytest.mark.parametrize(
    ("rows", "fragment"),
    [
        ([DayRow(dt.date(2026, 12, 31), HolidayKind.HOLIDAY, "元旦")], "不在 2027 年内"),
        ([DayRow(dt.date(2027, 1, 1), HolidayKind.HOLIDAY), DayRow(dt.date(2027, 1, 1), HolidayKind.HOLIDAY)], "重复"),
        (
            [DayRow(dt.date(2027, 1, 1), HolidayKind.HOLIDAY), DayRow(dt.date(2027, 6, 5), HolidayKind.MAKEUP_WORKDAY)],
            "没有法定节假日",
        ),
        ([DayRow(dt.date(2027, 1, 9), HolidayKind.MAKEUP_WORKDAY)], "至少需要一个法定节假日"),
    ],
)
def test_a_notice_breaking_a_rule_is_refused_naming_it(rows: list[DayRow], fragment: str) -> None:
    with pytest.raises(DomainError) as refused:
        holiday_rows_validate(2027, rows)
    assert any(fragment in error["message"] for error in refused.value.errors)


@pytest.mark.django_db
def test_loading_the_2027_notice_makes_the_year_official_and_is_idempotent(tmp_path: Path) -> None:
    # given a provisional 2027
    holiday_year_seed(2027)
    notice = tmp_path / "2027.csv"
    notice.write_text(NOTICE_2027, encoding="utf-8")

    # when the notice is loaded twice by the management command
    out = StringIO()
    call_command("load_holiday_year", "2027", str(notice), "--source-ref", "国办发明电〔2026〕7号", stdout=out)
    first = HolidayYear.objects.get(year=2027)
    call_command("load_holiday_year", "2027", str(notice), "--source-ref", "国办发明电〔2026〕7号", stdout=out)

    # then the year is official, its days are the notice's, and the second load changed nothing
    again = HolidayYear.objects.get(year=2027)
    assert again.status == CalendarStatus.OFFICIAL
    assert again.checksum == first.checksum and again.loaded_at == first.loaded_at
    assert "未作改动" in out.getvalue()
    calendar = month_calendar(2027, 2)
    assert dt.date(2027, 2, 20) not in calendar.desirable  # a makeup Saturday
    assert dt.date(2027, 2, 10) in calendar.desirable  # a Wednesday of Spring Festival
    assert calendar.provisional is False
    assert AuditEntry.objects.filter(resource="holiday-years", action="import").count() == 1


@pytest.mark.django_db
def test_the_command_reports_a_bad_file_line_by_line(tmp_path: Path) -> None:
    notice = tmp_path / "bad.csv"
    notice.write_text("2027-01-01,holiday,元旦\n2027-13-01,holiday,乱写\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第 2 行"):
        call_command("load_holiday_year", "2027", str(notice), "--source-ref", "x")


# ---------------------------------------------------------------------------
# API
# ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_city_admin_loads_a_year_by_csv_upload(client_for: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("2027.csv", NOTICE_2027.encode(), content_type="text/csv")
    response = client_for("city_admin").post(
        "/api/v1/holiday-years/",
        {"year": 2027, "source_ref": "国办发明电〔2026〕7号", "file": upload},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "official" and len(body["days"]) == 10

    # the same notice again is a no-op (200)
    again = client_for("city_admin").post(
        "/api/v1/holiday-years/",
        {
            "year": 2027,
            "source_ref": "国办发明电〔2026〕7号",
            "rows": [
                {"date": r.split(",")[0], "kind": r.split(",")[1], "name": r.split(",")[2]}
                for r in NOTICE_2027.strip().splitlines()[1:]
            ],
        },
        format="json",
    )
    assert again.status_code == 200


@pytest.mark.django_db
def test_a_makeup_wednesday_through_the_api_is_a_400_naming_the_row(client_for: Any) -> None:
    response = client_for("city_admin").post(
        "/api/v1/holiday-years/",
        {
            "year": 2027,
            "source_ref": "通知",
            "rows": [
                {"date": "2027-02-08", "kind": "holiday", "name": "春节"},
                {"date": "2027-02-17", "kind": "makeup_workday"},
            ],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "rows[1].kind"
    assert "星期三" in response.json()["message"]


@pytest.mark.django_db
def test_a_county_org_admin_may_not_load_the_national_calendar(client_for: Any) -> None:
    response = client_for("county_a_admin").post(
        "/api/v1/holiday-years/",
        {"year": 2027, "source_ref": "通知", "rows": [{"date": "2027-01-01", "kind": "holiday"}]},
        format="json",
    )
    assert response.status_code == 403
    assert not HolidayYear.objects.filter(year=2027).exists()


@pytest.mark.django_db
def test_holiday_year_list_costs_the_same_for_2_or_10_years(client_for: Any, count_queries: Any) -> None:
    client = client_for("secretary_a1")
    for year in (2020, 2021):
        holiday_year_seed(year)
    two = count_queries(lambda: client.get("/api/v1/holiday-years/"))
    for year in range(2022, 2030):
        holiday_year_seed(year)
    ten = count_queries(lambda: client.get("/api/v1/holiday-years/"))
    assert two == ten
