"""Ranks (职级): besides the leadership levels the rank list holds the
non-leadership ranks of the 2019 公务员职务与职级并行规定, and the 主任科员
ranks (the seed's 主任科员、副主任科员 posts) count as section-level cadres."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cadrecare.org.choices import SECTION_LEVEL_RANKS, Rank
from cadrecare.talks.services import interview_round_plan
from tests.factories import CadreFactory

URL = "/api/v1/post-changes/"


def _promotion(cast: Any, to_rank: str) -> dict[str, Any]:
    return {
        "cadre": cast.cadre_a1.pk,
        "kind": "promotion",
        "date": "2025-03-01",
        "to_unit": cast.town_a1.pk,
        "to_rank": to_rank,
        "to_leader_post": "none",
    }


def test_a_cadre_is_given_a_non_leadership_rank_named_in_either_language(cast: Any, client_for: Any) -> None:
    response = client_for("hr_a1").post(URL, _promotion(cast, "principal_staff_2"), format="json")

    assert response.status_code == 201, response.json()
    cast.cadre_a1.refresh_from_db()
    assert cast.cadre_a1.rank == Rank.PRINCIPAL_STAFF_2
    chinese = client_for("hr_a1").get(f"/api/v1/cadres/{cast.cadre_a1.pk}/").json()
    english = client_for("hr_a1").get(f"/api/v1/cadres/{cast.cadre_a1.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert chinese["rank_label"] == "二级主任科员"
    assert english["rank_label"] == "Principal staff member, grade 2"


def test_a_rank_outside_the_list_is_refused_in_chinese(cast: Any, client_for: Any) -> None:
    response = client_for("hr_a1").post(URL, _promotion(cast, "主任科员"), format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "to_rank"


def test_the_rank_list_runs_from_the_most_senior_with_each_rank_beside_its_level() -> None:
    labels = [str(label) for label in Rank.labels]

    assert labels[:6] == ["正处", "一级调研员", "二级调研员", "副处", "三级调研员", "四级调研员"]
    assert labels.index("一级主任科员") == labels.index("正科") + 1
    assert labels.index("三级主任科员") == labels.index("副科") + 1
    assert labels[-3:] == ["二级科员", "办事员", "其他"]


def test_the_principal_staff_ranks_are_section_level_and_join_the_townships_interviews(cast: Any) -> None:
    # given a township with a 三级主任科员 (a former 副主任科员) and a 一级科员
    principal = CadreFactory(unit=cast.town_a2, rank=Rank.PRINCIPAL_STAFF_3)
    CadreFactory(unit=cast.town_a2, rank=Rank.STAFF_1)

    # when the county plans its yearly interviews with the township's section-level cadres
    round_ = interview_round_plan(
        actor=None,
        unit=cast.town_a2,
        title="年度约谈",
        start_date=dt.date(2026, 3, 1),
        end_date=dt.date(2026, 3, 31),
        interviewers=[cast.county_a_staff],
    )

    # then the principal staff member is interviewed, the staff member is not
    assert Rank.PRINCIPAL_STAFF_3 in SECTION_LEVEL_RANKS
    assert list(round_.items.values_list("cadre_id", flat=True)) == [principal.pk]
