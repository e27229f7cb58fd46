"""A person named in a record (talker, visitor, owner, interviewer) is given
and shown as their cadre record (id and name); the login behind it is what is
stored, and a cadre without an active login is refused by name."""

from __future__ import annotations

from typing import Any

from cadrecare.care.models import Visit
from cadrecare.org.models import User
from tests.factories import CadreFactory, cadre_of


def _talk(cast: Any, talkers: list[Any]) -> dict[str, Any]:
    return {"talkee": cast.cadre_a1.pk, "talkers": talkers, "date": "2025-06-12", "form": "phone"}


def test_a_talker_is_named_by_their_cadre_id_and_shown_with_their_name(cast: Any, client_for: Any) -> None:
    response = client_for("secretary_a1").post(
        "/api/v1/talks/", _talk(cast, [cast.secretary_a1_cadre.pk]), format="json"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["talkers"] == [cast.secretary_a1_cadre.pk]
    assert response.json()["talker_names"] == ["和书记"]


def test_a_cadre_without_a_login_is_refused_by_name(cast: Any, client_for: Any) -> None:
    no_login = CadreFactory(name="张三", unit=cast.town_a1)

    response = client_for("secretary_a1").post(
        "/api/v1/talks/", _talk(cast, [cast.secretary_a1_cadre.pk, no_login.pk]), format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "talkers", "message": "该干部尚未开通账号：张三"}]


def test_a_cadre_whose_login_is_closed_is_refused_by_name(cast: Any, client_for: Any) -> None:
    User.objects.filter(pk=cast.cadre_a1_user.pk).update(is_active=False)

    response = client_for("secretary_a1").post(
        "/api/v1/visits/",
        {"cadre": cast.cadre_a1.pk, "date": "2025-06-12", "kind": "holiday", "visitors": [cast.cadre_a1.pk]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"][0] == {"field": "visitors", "message": "该干部的账号已停用：木晓梅"}


def test_a_login_id_or_a_cadre_outside_scope_is_not_a_person(cast: Any, client_for: Any) -> None:
    other_township = cadre_of(cast.secretary_b1, cast.town_b1)

    for value, message in [
        (other_township.pk, f"干部编号 {other_township.pk} 不存在或不在您的管理范围内。"),
        ("abc", "人员请填写干部编号（整数）。"),
    ]:
        response = client_for("secretary_a1").post("/api/v1/talks/", _talk(cast, [value]), format="json")

        assert response.status_code == 400
        assert response.json()["errors"] == [{"field": "talkers", "message": message}]


def test_visitors_are_stored_as_the_logins_behind_the_cadres(cast: Any, client_for: Any) -> None:
    response = client_for("secretary_a1").post(
        "/api/v1/visits/",
        {"cadre": cast.cadre_a1.pk, "date": "2025-06-12", "kind": "holiday", "visitors": [cast.secretary_a1_cadre.pk]},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert list(Visit.objects.get().visitors.all()) == [cast.secretary_a1]
    assert response.json()["visitor_names"] == ["和书记"]
