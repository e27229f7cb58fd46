"""Grassroots experience from the post history: per cadre, and per
leadership team as the seed counts it ("有基层一线工作经历的31名，占89%；有3年以上
乡镇基层领导工作经历的8名…担任过乡镇党委书记的6名")."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from openpyxl import load_workbook

from cadrecare.core import clock
from cadrecare.org.choices import LeaderPost, PostChangeKind, Rank
from cadrecare.org.models import PostChange
from tests.factories import CadreFactory

URL = "/api/v1/experience/"


def _history(cadre: Any, *stays: tuple[int, Any, str]) -> None:
    """Post changes ``years_ago`` into ``unit`` with ``leader_post``, oldest first."""
    previous = None
    for years_ago, unit, post in stays:
        PostChange.objects.create(
            cadre=cadre,
            kind=PostChangeKind.APPOINTMENT,
            date=clock.today() - dt.timedelta(days=round(365.25 * years_ago)),
            from_unit=previous,
            to_unit=unit,
            to_rank=Rank.SECTION_CHIEF,
            to_leader_post=post,
        )
        previous = unit


def test_a_county_teams_experience_is_counted_from_its_members_post_histories(cast: Any, client_for: Any) -> None:
    # given county A's team: a head who was a township secretary for 4 years, a deputy with
    # a year as a township's deputy, and a member who never served in a township
    head = CadreFactory(unit=cast.county_a, leader_post=LeaderPost.HEAD, name="县长")
    _history(
        head,
        (12, cast.town_a1, LeaderPost.NONE),
        (8, cast.town_a1, LeaderPost.PARTY_SECRETARY),
        (4, cast.county_a, LeaderPost.HEAD),
    )
    deputy = CadreFactory(unit=cast.county_a, leader_post=LeaderPost.DEPUTY, name="副县长")
    _history(deputy, (3, cast.town_a2, LeaderPost.DEPUTY), (2, cast.county_a, LeaderPost.DEPUTY))
    member = CadreFactory(unit=cast.county_a, leader_post=LeaderPost.MEMBER, name="常委")
    _history(member, (6, cast.agency_a, LeaderPost.NONE), (1, cast.county_a, LeaderPost.MEMBER))
    CadreFactory(unit=cast.county_b, leader_post=LeaderPost.HEAD)  # county B: outside county A's scope

    # when county A's organization department reads its teams
    response = client_for("county_a_staff").get(f"{URL}teams/")

    # then one team (county A's) and the total, with the seed's three figures
    assert response.status_code == 200, response.content
    county, total = response.json()
    assert (county["unit_name"], county["members"]) == ("玉龙县", 3)
    assert (county["grassroots"], county["long_leadership"], county["former_secretaries"]) == (2, 1, 1)
    assert county["grassroots_percent"] == 67
    assert county["sentence"].startswith(
        "玉龙县班子成员3名，有基层一线工作经历的2名，占67%；有3年以上乡镇基层领导工作经历的1名"
    )
    assert total["members"] == 3

    # and per cadre: years in townships and in their leadership
    rows = {row["name"]: row for row in client_for("county_a_staff").get(URL, {"leaders": "true"}).json()["results"]}
    assert (rows["县长"]["township_years"], rows["县长"]["township_leader_years"]) == (8.0, 4.0)
    assert rows["县长"]["was_township_secretary"] and rows["县长"]["long_leadership"]
    assert (rows["副县长"]["township_years"], rows["副县长"]["was_township_secretary"]) == (1.0, False)
    assert rows["常委"]["grassroots"] is False


def test_the_city_sees_every_county_and_exports_the_report(cast: Any, client_for: Any) -> None:
    CadreFactory(unit=cast.county_a, leader_post=LeaderPost.HEAD, township_service_start=dt.date(2010, 1, 1))
    CadreFactory(unit=cast.county_b, leader_post=LeaderPost.HEAD)

    teams = client_for("city_admin").get(f"{URL}teams/", {"unit": cast.city.pk}).json()
    export = client_for("city_admin").get(f"{URL}teams/export/", {"unit": cast.city.pk})

    assert [row["unit_name"] for row in teams] == ["玉龙县", "永胜县", "丽江市"]
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert [cell.value for cell in sheet[1]][:2] == ["单位", "班子成员（名）"]
    assert sheet.max_row == 4


def test_bad_report_parameters_are_refused_and_other_roles_are_not_let_in(cast: Any, client_for: Any) -> None:
    bad_kind = client_for("city_admin").get(f"{URL}teams/", {"kind": "planet"})
    out_of_scope = client_for("county_a_staff").get(f"{URL}teams/", {"unit": cast.county_b.pk})
    secretary = client_for("secretary_a1").get(f"{URL}teams/")

    assert bad_kind.status_code == 400 and bad_kind.json()["errors"][0]["field"] == "kind"
    assert out_of_scope.status_code == 404
    assert secretary.status_code == 403
