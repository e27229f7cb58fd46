"""Users and role grants: administrators hand out roles only at or below their
own, inside their own scope; a new login comes with its first grant."""

from __future__ import annotations

from typing import Any

from cadrecare.org.models import RoleGrant, User
from tests.factories import UserFactory


def test_a_county_admin_creates_a_user_with_a_grant_in_one_step(cast: Any, client_for: Any) -> None:
    response = client_for("county_a_admin").post("/api/v1/users/", {
        "username": "hr_a2", "password": "Tz-9!qWx-77", "role": "hr", "unit": cast.town_a2.pk}, format="json")

    assert response.status_code == 201, response.json()
    user = User.objects.get(username="hr_a2")
    assert list(user.grants.values_list("role", "unit")) == [("hr", cast.town_a2.pk)]
    assert "password" not in response.json()


def test_a_weak_password_is_refused_in_chinese(cast: Any, client_for: Any) -> None:
    response = client_for("county_a_admin").post("/api/v1/users/", {
        "username": "weak", "password": "123", "role": "hr", "unit": cast.town_a2.pk}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "password"
    assert not User.objects.filter(username="weak").exists()


def test_a_password_like_the_username_is_refused(cast: Any, client_for: Any) -> None:
    response = client_for("county_a_admin").post("/api/v1/users/", {
        "username": "hr_zhangxiaoming", "password": "hr_zhangxiaoming9", "role": "hr", "unit": cast.town_a2.pk,
        "first_name": "小明"}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0] == {"field": "password", "message": "密码跟 用户名 太相似了。"}
    assert not User.objects.filter(username="hr_zhangxiaoming").exists()


def test_granting_on_a_unit_outside_scope_is_refused(cast: Any, client_for: Any) -> None:
    user = UserFactory()

    response = client_for("county_a_admin").post("/api/v1/role-grants/", {
        "user": user.pk, "role": "hr", "unit": cast.town_b1.pk}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "unit"
    assert not RoleGrant.objects.filter(user=user).exists()


def test_granting_a_role_above_ones_own_is_forbidden(cast: Any, client_for: Any) -> None:
    from cadrecare.org.access import ACCESS, Rule

    user = UserFactory()
    ACCESS["role-grants"]["org_staff"] = Rule(frozenset({"view", "add"}))
    try:
        response = client_for("county_a_staff").post("/api/v1/role-grants/", {
            "user": user.pk, "role": "org_admin", "unit": cast.town_a1.pk}, format="json")
    finally:
        del ACCESS["role-grants"]["org_staff"]

    assert response.status_code == 403
    assert "不能授予高于本人的角色" in response.json()["message"]


def test_an_admin_cannot_revoke_their_own_grant(cast: Any, client_for: Any) -> None:
    own = cast.county_a_admin.grants.get()

    response = client_for("county_a_admin").delete(f"/api/v1/role-grants/{own.pk}/")

    assert response.status_code == 400


def test_me_tells_grants_own_cadre_and_allowed_actions(cast: Any, client_for: Any) -> None:
    data = client_for("cadre_a1_user").get("/api/v1/me/").json()

    assert data["cadre"] == cast.cadre_a1.pk
    assert [grant["role"] for grant in data["grants"]] == ["cadre"]
    assert data["permissions"]["cadres"] == ["view"]
    assert "users" not in data["permissions"]
