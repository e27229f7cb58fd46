"""Users and role grants: administrators hand out roles only at or below their
own, inside their own scope; a new login comes with its first grant."""

from __future__ import annotations

from typing import Any

from cadrecare.org.models import RoleGrant, User
from tests.factories import UserFactory


def test_a_county_admin_creates_a_user_with_a_grant_in_one_step(cast: Any, client_for: Any) -> None:
    response = client_for("county_a_admin").post(
        "/api/v1/users/",
        {"username": "hr_a2", "password": "Tz-9!qWx-77", "role": "hr", "unit": cast.town_a2.pk},
        format="json",
    )

    assert response.status_code == 201, response.json()
    user = User.objects.get(username="hr_a2")
    assert list(user.grants.values_list("role", "unit")) == [("hr", cast.town_a2.pk)]
    assert "password" not in response.json()


def test_a_weak_password_is_refused_in_chinese(cast: Any, client_for: Any) -> None:
    response = client_for("county_a_admin").post(
        "/api/v1/users/", {"username": "weak", "password": "123", "role": "hr", "unit": cast.town_a2.pk}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "password"
    assert not User.objects.filter(username="weak").exists()


def test_a_password_like_the_username_is_refused(cast: Any, client_for: Any) -> None:
    response = client_for("county_a_admin").post(
        "/api/v1/users/",
        {
            "username": "hr_zhangxiaoming",
            "password": "hr_zhangxiaoming9",
            "role": "hr",
            "unit": cast.town_a2.pk,
            "first_name": "小明",
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"][0] == {"field": "password", "message": "密码跟 用户名 太相似了。"}
    assert not User.objects.filter(username="hr_zhangxiaoming").exists()


def test_granting_on_a_unit_outside_scope_is_refused(cast: Any, client_for: Any) -> None:
    user = UserFactory()

    response = client_for("county_a_admin").post(
        "/api/v1/role-grants/", {"user": user.pk, "role": "hr", "unit": cast.town_b1.pk}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "unit"
    assert not RoleGrant.objects.filter(user=user).exists()


def test_granting_a_role_above_ones_own_is_forbidden(cast: Any, client_for: Any) -> None:
    from cadrecare.org.access import ACCESS, Rule

    user = UserFactory()
    ACCESS["role-grants"]["org_staff"] = Rule(frozenset({"view", "add"}))
    try:
        response = client_for("county_a_staff").post(
            "/api/v1/role-grants/", {"user": user.pk, "role": "org_admin", "unit": cast.town_a1.pk}, format="json"
        )
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


def test_a_county_admin_cannot_grant_a_role_to_someone_above_their_scope(cast: Any, client_for: Any) -> None:
    # (a harmless grant in the county would bring the city's admin into the county's reach)
    response = client_for("county_a_admin").post(
        "/api/v1/role-grants/", {"user": cast.city_admin.pk, "role": "cadre", "unit": cast.town_a1.pk}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "user"
    assert list(cast.city_admin.grants.values_list("role", flat=True)) == ["org_admin"]


def test_a_user_with_a_grant_beyond_the_admins_scope_is_not_theirs_to_change(cast: Any, client_for: Any) -> None:
    # given an HR officer of the county who also holds a grant in the other county
    RoleGrant.objects.create(user=cast.hr_a1, role="hr", unit=cast.town_b1)
    admin = client_for("county_a_admin")

    # when the county's admin renames, deactivates or unlocks them, or hands them another role
    rename = admin.patch(f"/api/v1/users/{cast.hr_a1.pk}/", {"first_name": "改", "is_active": False}, format="json")
    unlock = admin.post(f"/api/v1/users/{cast.hr_a1.pk}/unlock/")
    grant = admin.post(
        "/api/v1/role-grants/", {"user": cast.hr_a1.pk, "role": "cadre", "unit": cast.town_a1.pk}, format="json"
    )

    # then each is refused and nothing changed
    assert (rename.status_code, unlock.status_code, grant.status_code) == (403, 403, 400)
    cast.hr_a1.refresh_from_db()
    assert cast.hr_a1.is_active and cast.hr_a1.first_name != "改"
    assert cast.hr_a1.grants.count() == 2
    # and the city's admin, whose scope covers both, may
    assert (
        client_for("city_admin")
        .patch(f"/api/v1/users/{cast.hr_a1.pk}/", {"is_active": False}, format="json")
        .status_code
        == 200
    )


def test_a_superuser_with_a_grant_in_scope_is_out_of_an_admins_reach(cast: Any, client_for: Any) -> None:
    root = UserFactory(is_superuser=True, is_staff=True)
    RoleGrant.objects.create(user=root, role="hr", unit=cast.town_a1)

    response = client_for("county_a_admin").patch(f"/api/v1/users/{root.pk}/", {"is_active": False}, format="json")

    assert response.status_code == 403
    root.refresh_from_db()
    assert root.is_active


def test_an_admin_revokes_no_grant_above_their_own_role(cast: Any, client_for: Any) -> None:
    from cadrecare.org.access import ACCESS, Rule

    ACCESS["role-grants"]["org_staff"] = Rule(frozenset({"view", "delete"}))
    try:
        grant = RoleGrant.objects.get(user=cast.county_a_admin)
        response = client_for("county_a_staff").delete(f"/api/v1/role-grants/{grant.pk}/")
    finally:
        del ACCESS["role-grants"]["org_staff"]

    assert response.status_code == 403
    assert RoleGrant.objects.filter(pk=grant.pk).exists()
