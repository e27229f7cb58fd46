"""The commendation register (评优选先/表彰): level, title, date, status and
issuing body. An award given raises the "outstanding achievement" must-talk
once; a recommendation to a higher body raises it when the award comes; a
posthumous award (追授) is only for a cadre who has died and raises none.
The register's yearly figures count people per unit of the reader's scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cadrecare.audit.models import AuditEntry
from cadrecare.core import clock
from cadrecare.org.choices import CadreStatus
from cadrecare.org.services import cadre_status_change
from cadrecare.talks.choices import TriggerKind
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


def test_the_years_figures_count_people_per_unit_in_the_readers_scope(cast: Any, client_for: Any) -> None:
    # given in A1 two people awarded (one of them twice) and one recommended, in A2 one awarded, in B1 one
    a1_colleague = CadreFactory(unit=cast.town_a1, name="和丽")
    hr_admin = client_for("city_admin")
    for cadre, title, status in [
        (cast.cadre_a1, "优秀共产党员", "awarded"),
        (cast.cadre_a1, "先进工作者", "awarded"),
        (a1_colleague, "优秀党务工作者", "awarded"),
        (a1_colleague, "劳动模范", "recommended"),
        (cast.cadre_a2, "优秀共产党员", "awarded"),
        (cast.cadre_b1, "优秀共产党员", "awarded"),
    ]:
        assert _record(hr_admin, cadre, title=title, status=status).status_code == 201
    last_year = clock.today().replace(year=clock.today().year - 1)
    assert _record(hr_admin, cast.cadre_a2, title="旧表彰", date=str(last_year)).status_code == 201

    # when county A's staff read this year's figures
    response = client_for("county_a_staff").get("/api/v1/commendations/statistics/")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["year"] == clock.today().year
    rows = {row["unit_name"]: (row["awarded"], row["posthumous"], row["recommended"]) for row in body["units"]}
    assert rows == {"石头乡": (2, 0, 1), "鲁甸乡": (1, 0, 0)}  # 期纳镇 is county B's
    assert (body["total"]["awarded"], body["total"]["recommended"]) == (3, 1)
    # and last year's are last year's
    older = client_for("county_a_staff").get("/api/v1/commendations/statistics/", {"year": last_year.year}).json()
    assert [(row["unit_name"], row["awarded"]) for row in older["units"]] == [("鲁甸乡", 1)]


def test_a_malformed_year_is_named(cast: Any, client_for: Any) -> None:
    response = client_for("county_a_staff").get("/api/v1/commendations/statistics/", {"year": "去年"})

    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "year", "message": "年度应为四位数字，如 2026。"}]
