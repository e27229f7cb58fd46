"""The commendation register (评优选先/表彰): level, title, date, status and
issuing body. An award given raises the "outstanding achievement" must-talk
once; a recommendation to a higher body raises it when the award comes; a
posthumous award (追授) is only for a cadre who has died and raises none.
The register's yearly figures count people per unit of the reader's scope."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from cadrecare.audit.models import AuditEntry
from cadrecare.core import clock
from cadrecare.org.choices import CadreStatus
from cadrecare.org.services import cadre_status_change
from cadrecare.talks.choices import TriggerKind
from cadrecare.talks.demo_commendations import populate_history
from cadrecare.talks.models import Commendation, TalkTrigger
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db


def _record(client: Any, cadre: Any, **fields: Any) -> Any:
    body = {
        "cadre": cadre.pk,
        "level": "county",
        "title": "优秀共产党员",
        "date": str(clock.today()),
        "issuing_body": "中共玉龙县委",
        **fields,
    }
    return client.post("/api/v1/commendations/", body, format="json")


def _achievement_talks(cadre: Any) -> int:
    return TalkTrigger.objects.filter(cadre=cadre, kind=TriggerKind.ACHIEVEMENT).count()


def test_an_award_is_registered_with_its_issuing_body_and_obliges_one_talk(cast: Any, client_for: Any) -> None:
    hr = client_for("hr_a1")

    first = _record(hr, cast.cadre_a1)
    again = _record(hr, cast.cadre_a1)  # the same award sent twice

    assert first.status_code == 201, first.json()
    body = first.json()
    assert (body["status"], body["status_label"], body["issuing_body"]) == ("awarded", "已表彰", "中共玉龙县委")
    assert again.status_code == 400, again.json()  # the register refuses a second copy, naming it
    assert again.json()["message"]
    assert _achievement_talks(cast.cadre_a1) == 1


def test_a_recommendation_obliges_the_talk_only_when_the_award_comes(cast: Any, client_for: Any) -> None:
    hr = client_for("hr_a1")
    recommended = _record(hr, cast.cadre_a1, status="recommended", level="provincial", issuing_body="")
    assert recommended.status_code == 201, recommended.json()
    assert _achievement_talks(cast.cadre_a1) == 0

    # when the province gives the award
    url = f"/api/v1/commendations/{recommended.json()['id']}/"
    awarded = hr.patch(url, {"status": "awarded", "issuing_body": "中共云南省委"}, format="json")
    hr.patch(url, {"status": "awarded"}, format="json")  # said twice

    assert awarded.status_code == 200, awarded.json()
    assert awarded.json()["status_label"] == "已表彰"
    assert _achievement_talks(cast.cadre_a1) == 1
    changed = AuditEntry.objects.filter(resource="commendations", action="update").order_by("pk").first()
    assert changed is not None and set(changed.fields) == {"issuing_body", "status"}


def test_a_posthumous_award_is_only_for_a_cadre_who_has_died_and_obliges_no_talk(cast: Any, client_for: Any) -> None:
    hr = client_for("hr_a1")

    refused = _record(hr, cast.cadre_a1, status="posthumous")

    assert refused.status_code == 400
    assert refused.json()["errors"] == [
        {"field": "status", "message": "追授只适用于已去世的干部，木晓梅的状态是“在职”。"}
    ]
    assert not Commendation.objects.exists()

    # when the cadre has died, the posthumous award is registered, with no talk to hold
    cadre_status_change(
        actor=None, cadre=cast.cadre_a1, status=CadreStatus.DECEASED, date=clock.today() - dt.timedelta(days=30)
    )
    given = _record(hr, cast.cadre_a1, status="posthumous", title="追授优秀共产党员")

    assert given.status_code == 201, given.json()
    assert given.json()["status_label"] == "追授"
    assert _achievement_talks(cast.cadre_a1) == 0


def test_kind_and_citation_are_registered_and_correctable(cast: Any, client_for: Any) -> None:
    hr = client_for("hr_a1")

    created = _record(hr, cast.cadre_a1, kind="merit_third", citation="在抗洪抢险中带领群众转移 300 余人。")

    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["kind"], body["kind_label"], body["unit_name"]) == ("merit_third", "记三等功", "石头乡")
    assert body["citation"] == "在抗洪抢险中带领群众转移 300 余人。"
    corrected = hr.patch(f"/api/v1/commendations/{body['id']}/", {"kind": "merit_second"}, format="json")
    assert corrected.json()["kind_label"] == "记二等功"
    renamed = hr.patch(f"/api/v1/commendations/{body['id']}/", {"title": "改个名字"}, format="json")
    assert renamed.status_code == 400
    assert renamed.json()["errors"] == [{"field": "title", "message": "该字段登记后不能修改。"}]


def test_a_bad_kind_is_refused_in_chinese_beside_the_field(cast: Any, client_for: Any) -> None:
    response = _record(client_for("hr_a1"), cast.cadre_a1, kind="medal")

    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "kind", "message": "“medal” 不是合法选项。"}]


def test_a_recommendation_stays_counted_as_recommended_once_the_award_comes(cast: Any, client_for: Any) -> None:
    hr = client_for("hr_a1")
    recommended = _record(hr, cast.cadre_a1, status="recommended", level="provincial").json()
    assert recommended["recommended"] is True

    awarded = hr.patch(f"/api/v1/commendations/{recommended['id']}/", {"status": "awarded"}, format="json").json()

    assert (awarded["status"], awarded["recommended"]) == ("awarded", True)
    figures = client_for("county_a_staff").get("/api/v1/commendations/statistics/").json()
    assert (figures["total"]["awarded"], figures["total"]["recommended"]) == (1, 1)


@pytest.fixture
def three_years(cast: Any, client_for: Any) -> int:
    """Three years of the register, entered by the city (this year is Y):
    石头乡 (A1): 木晓梅 awarded in Y-2 and again in Y, 和丽 recommended in Y-1
    (the province awarded it later) and awarded in Y, 杨光 (died) given a
    posthumous award in Y-1; 鲁甸乡 (A2): 李四 awarded in Y, recommended in Y;
    期纳镇 (B1, county B): awarded in Y; and one in Y-3, outside the period."""
    year = clock.today().year
    city = client_for("city_admin")
    colleague = CadreFactory(unit=cast.town_a1, name="和丽")
    late = CadreFactory(unit=cast.town_a1, name="杨光")
    cadre_status_change(actor=None, cadre=late, status=CadreStatus.DECEASED, date=dt.date(year - 2, 12, 1))

    def on(cadre: Any, years_ago: int, title: str, **fields: Any) -> dict[str, Any]:
        response = _record(city, cadre, title=title, date=str(dt.date(year - years_ago, 1, 1)), **fields)
        assert response.status_code == 201, response.json()
        return response.json()

    on(cast.cadre_a1, 2, "优秀共产党员")
    on(cast.cadre_a1, 0, "先进工作者")
    promoted = on(colleague, 1, "省级先进个人", status="recommended", level="provincial")
    city.patch(f"/api/v1/commendations/{promoted['id']}/", {"status": "awarded"}, format="json")
    on(colleague, 0, "优秀党务工作者")
    on(late, 1, "市级优秀共产党员", status="posthumous", level="city")
    on(cast.cadre_a2, 0, "脱贫攻坚先进个人")
    on(cast.cadre_a2, 0, "劳动模范", status="recommended", level="provincial")
    on(cast.cadre_b1, 0, "优秀共产党员")
    on(cast.cadre_b1, 3, "旧表彰")
    return year


def test_the_figures_count_people_per_township_and_year_and_over_the_period(
    cast: Any, client_for: Any, three_years: int
) -> None:
    year = three_years

    response = client_for("county_a_staff").get(
        "/api/v1/commendations/statistics/", {"from_year": year - 2, "to_year": year}
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    by_year = [(r["unit_name"], r["year"], r["awarded"], r["posthumous"], r["recommended"]) for r in body["rows"]]
    assert by_year == [
        ("石头乡", year - 2, 1, 0, 0),
        ("石头乡", year - 1, 1, 1, 1),  # 和丽's recommendation, awarded since, and 杨光's posthumous award
        ("石头乡", year, 2, 0, 0),
        ("鲁甸乡", year, 1, 0, 1),
    ]  # 期纳镇 is county B's
    period = [(r["unit_name"], r["awarded"], r["posthumous"], r["recommended"]) for r in body["units"]]
    assert period == [("石头乡", 2, 1, 1), ("鲁甸乡", 1, 0, 1)]  # each person once over the three years
    assert (body["total"]["awarded"], body["total"]["posthumous"], body["total"]["recommended"]) == (3, 1, 2)
    assert body["summary"] == f"{year - 2}—{year}年，表彰奖励 3 名，追授 1 名，推荐 2 名"


def test_the_city_reads_every_county_and_one_year_by_default(cast: Any, client_for: Any, three_years: int) -> None:
    body = client_for("city_admin").get("/api/v1/commendations/statistics/").json()

    assert (body["from_year"], body["to_year"]) == (three_years, three_years)
    assert [(r["unit_name"], r["awarded"]) for r in body["units"]] == [("石头乡", 2), ("鲁甸乡", 1), ("期纳镇", 1)]


def test_the_figures_export_as_a_workbook(cast: Any, client_for: Any, three_years: int) -> None:
    year = three_years

    response = client_for("county_a_staff").get(
        "/api/v1/commendations/statistics/export/", {"from_year": year - 2, "to_year": year}
    )

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ("单位", "年度", "表彰奖励（人）", "追授（人）", "推荐上报（人）")
    assert rows[-1] == ("合计", f"{year - 2}—{year}", 3, 1, 2)
    assert ("石头乡", f"{year - 2}—{year}", 2, 1, 1) in rows


def test_the_register_exports_and_a_cadre_may_not(cast: Any, client_for: Any, three_years: int) -> None:
    response = client_for("hr_a1").get("/api/v1/commendations/export/")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("单位", "姓名", "表彰日期")
    assert {row[0] for row in rows[1:]} == {"石头乡"}
    assert client_for("cadre_a1_user").get("/api/v1/commendations/export/").status_code == 403
    assert client_for("secretary_a1").get("/api/v1/commendations/statistics/export/").status_code == 403


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"year": "去年"}, "year", "年度应为四位数字，如 2026。"),
        ({"from_year": "2026", "to_year": "2024"}, "from_year", "起始年度不能晚于截止年度。"),
        ({"from_year": "2000", "to_year": "2030"}, "from_year", "一次最多统计 20 个年度。"),
        ({"to_year": "明年"}, "to_year", "年度应为四位数字，如 2026。"),
    ],
)
def test_malformed_years_are_named(
    cast: Any, client_for: Any, params: dict[str, str], field: str, message: str
) -> None:
    response = client_for("county_a_staff").get("/api/v1/commendations/statistics/", params)

    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": field, "message": message}]


def test_the_demo_register_reads_as_the_seeds_three_years(cast: Any, client_for: Any) -> None:
    # given a city with enough township cadres and a few awards of this year already
    CadreFactory.create_batch(110, unit=cast.town_a1)
    _record(client_for("city_admin"), cast.cadre_a1, status="recommended", level="provincial")

    populate_history()

    year = clock.today().year
    body = (
        client_for("city_admin")
        .get("/api/v1/commendations/statistics/", {"from_year": year - 2, "to_year": year})
        .json()
    )
    assert body["summary"] == f"{year - 2}—{year}年，表彰奖励 88 名，追授 3 名，推荐 8 名"
    assert not TalkTrigger.objects.exists()  # the register taken over from paper obliges no talks
