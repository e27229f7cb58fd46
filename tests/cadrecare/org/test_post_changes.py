"""Post changes (职务变动): recorded through one service, they move the cadre's
current post in the same transaction and never rewrite the history."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cadrecare.core.errors import DomainError
from cadrecare.org.choices import CadreStatus, LeaderPost, PostChangeKind, Rank
from cadrecare.org.models import PostChange
from cadrecare.org.services import post_change_listeners, post_change_record

URL = "/api/v1/post-changes/"
APRIL = dt.date(2025, 4, 1)


def _record(
    cadre: Any,
    kind: str,
    to_unit: Any,
    to_rank: str = Rank.STAFF_MEMBER,
    *,
    date: dt.date = APRIL,
    actor: Any = None,
    **more: Any,
) -> PostChange:
    """A post change recorded through the service, by nobody (as an import does) unless ``actor`` is given."""
    return post_change_record(actor=actor, cadre=cadre, kind=kind, date=date, to_unit=to_unit, to_rank=to_rank, **more)


def test_a_promotion_moves_the_cadres_current_post(cast: Any, client_for: Any) -> None:
    response = client_for("hr_a1").post(
        URL,
        {
            "cadre": cast.cadre_a1.pk,
            "kind": "promotion",
            "date": "2025-03-01",
            "to_unit": cast.town_a1.pk,
            "to_rank": "section_deputy",
            "to_leader_post": "deputy",
            "to_post_title": "副乡长",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    cast.cadre_a1.refresh_from_db()
    assert (cast.cadre_a1.rank, cast.cadre_a1.leader_post, cast.cadre_a1.post_title) == (
        Rank.SECTION_DEPUTY,
        LeaderPost.DEPUTY,
        "副乡长",
    )
    assert response.json()["from_rank"] == Rank.STAFF_MEMBER


def test_a_secondment_keeps_the_establishment_unit(cast: Any) -> None:
    _record(cast.cadre_a1, PostChangeKind.SECONDMENT, cast.agency_a, actor=cast.county_a_admin)

    cast.cadre_a1.refresh_from_db()
    assert cast.cadre_a1.unit == cast.agency_a
    assert cast.cadre_a1.establishment_unit == cast.town_a1
    assert cast.cadre_a1.status == CadreStatus.SECONDED
    assert cast.cadre_a1.unit_joined == dt.date(2025, 4, 1)


def test_a_borrowed_township_cadre_shows_in_the_staffing_check(cast: Any, client_for: Any) -> None:
    _record(cast.cadre_a1, PostChangeKind.SECONDMENT, cast.agency_a)

    rows = client_for("county_a_staff").get("/api/v1/staffing-check/").json()["results"]

    assert [row["id"] for row in rows] == [cast.cadre_a1.pk]


def test_a_transfer_moves_unit_and_establishment(cast: Any) -> None:
    _record(cast.cadre_a1, PostChangeKind.EXCHANGE, cast.town_a2)

    cast.cadre_a1.refresh_from_db()
    assert cast.cadre_a1.unit == cast.town_a2 == cast.cadre_a1.establishment_unit
    assert cast.cadre_a1.office is None


def test_a_removal_clears_the_leader_post(cast: Any) -> None:
    _record(
        cast.secretary_a1_cadre,
        PostChangeKind.REMOVAL,
        cast.town_a1,
        Rank.SECTION_CHIEF,
        to_leader_post=LeaderPost.PARTY_SECRETARY,
    )

    cast.secretary_a1_cadre.refresh_from_db()
    assert cast.secretary_a1_cadre.leader_post == LeaderPost.NONE


def test_history_is_never_rewritten_by_a_backdated_change(cast: Any) -> None:
    _record(cast.cadre_a1, PostChangeKind.PROMOTION, cast.town_a1, Rank.SECTION_DEPUTY)

    with pytest.raises(DomainError) as error:
        _record(cast.cadre_a1, PostChangeKind.PROMOTION, cast.town_a1, Rank.SECTION_CHIEF, date=dt.date(2025, 1, 1))

    assert error.value.field == "date"
    assert "2025-04-01" in error.value.message


def test_post_changes_cannot_be_edited_or_deleted(cast: Any, client_for: Any) -> None:
    change = _record(cast.cadre_a1, PostChangeKind.PROMOTION, cast.town_a1, Rank.SECTION_DEPUTY)
    client = client_for("county_a_admin")

    assert client.patch(f"{URL}{change.pk}/", {"note": "x"}, format="json").status_code == 405
    assert client.delete(f"{URL}{change.pk}/").status_code == 405


def test_a_future_date_and_a_foreign_office_are_refused(cast: Any, client_for: Any) -> None:
    client = client_for("county_a_admin")
    base = {"cadre": cast.cadre_a1.pk, "kind": "transfer", "to_unit": cast.town_a2.pk, "to_rank": "staff_member"}

    future = client.post(URL, {**base, "date": "2999-01-01"}, format="json")
    foreign = client.post(URL, {**base, "date": "2025-01-01", "to_office": cast.cadre_a1.office.pk}, format="json")

    assert future.json()["errors"] == [{"field": "date", "message": "变动日期不能晚于今天。"}]
    assert foreign.json()["errors"] == [{"field": "to_office", "message": "所选科室站所不属于新单位。"}]


def test_moving_a_cadre_out_of_ones_scope_is_refused(cast: Any, client_for: Any) -> None:
    response = client_for("hr_a1").post(
        URL,
        {
            "cadre": cast.cadre_a1.pk,
            "kind": "transfer",
            "date": "2025-01-01",
            "to_unit": cast.town_b1.pk,
            "to_rank": "staff_member",
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "to_unit"
    cast.cadre_a1.refresh_from_db()
    assert cast.cadre_a1.unit == cast.town_a1


def test_listeners_run_inside_the_recording_transaction(cast: Any) -> None:
    seen: list[int] = []

    def listener(change: PostChange) -> None:
        seen.append(change.pk)
        raise RuntimeError("listener failed")

    post_change_listeners.append(listener)
    try:
        with pytest.raises(RuntimeError):
            _record(cast.cadre_a1, PostChangeKind.PROMOTION, cast.town_a1, Rank.SECTION_DEPUTY)
    finally:
        post_change_listeners.remove(listener)

    assert len(seen) == 1
    assert not PostChange.objects.filter(pk=seen[0]).exists()
    cast.cadre_a1.refresh_from_db()
    assert cast.cadre_a1.rank == Rank.STAFF_MEMBER


def test_remote_service_years_follow_the_post_history(cast: Any, client_for: Any) -> None:
    _record(cast.cadre_a2, PostChangeKind.EXCHANGE, cast.town_a1, date=dt.date(2016, 1, 1))
    _record(cast.cadre_a2, PostChangeKind.EXCHANGE, cast.town_a2, date=dt.date(2021, 1, 1))

    data = client_for("county_a_admin").get(f"/api/v1/cadres/{cast.cadre_a2.pk}/").json()

    assert data["remote_service_years"] == 5.0
