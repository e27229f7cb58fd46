"""One identity: opening logins for a unit's cadres (org admin or HR in
scope), the one-time initial password changed first at every door, the login
closed when the cadre leaves, signing in by mobile number, and a login linked
to at most one cadre and a cadre to at most one login."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from rest_framework.test import APIClient

from cadrecare.audit.models import AuditEntry
from cadrecare.core import clock
from cadrecare.org.choices import CadreStatus, Role
from cadrecare.org.models import Cadre, RoleGrant, User
from tests.conftest import Cast
from tests.factories import CadreFactory

LOGINS = "/api/v1/cadres/logins/"


@pytest.fixture
def township(cast: Cast) -> list[Cadre]:
    """石头乡's cadres without a login: two with mobile numbers, one who has left."""
    return [
        CadreFactory(name="张三", unit=cast.town_a1, phone="13900000001"),
        CadreFactory(name="李四", unit=cast.town_a1, phone="13900000002"),
        CadreFactory(name="王五", unit=cast.town_a1, phone="13900000003", status=CadreStatus.RETIRED),
    ]


def _open(client: APIClient, **body: Any) -> Any:
    return client.post(LOGINS, {"username_rule": "mobile", "delivery": "slip", **body}, format="json")


def test_hr_opens_logins_for_their_townships_cadres_shown_once_on_the_slip(
    cast: Cast, client_for: Any, township: list[Cadre]
) -> None:
    response = _open(client_for("hr_a1"), unit=cast.town_a1.pk)

    assert response.status_code == 201, response.json()
    assert response["Cache-Control"] == "no-store"
    issued = response.json()["issued"]
    assert [(row["cadre_name"], row["username"], row["delivery"]) for row in issued] == [
        ("张三", "13900000001", "slip"),
        ("李四", "13900000002", "slip"),
    ]  # not 王五, retired; not 木晓梅 nor 和书记, who have logins
    zhang = User.objects.get(username="13900000001")
    assert zhang.check_password(issued[0]["password"]) and zhang.must_change_password
    assert Cadre.objects.get(name="张三").user == zhang
    assert list(RoleGrant.objects.filter(user=zhang).values_list("role", "unit")) == [(Role.CADRE, cast.town_a1.pk)]
    assert AuditEntry.objects.filter(resource="users", action="create").count() == 2
    # the password is kept nowhere but its hash: running it again opens nothing and shows none
    again = _open(client_for("hr_a1"), unit=cast.town_a1.pk)
    assert again.status_code == 201 and again.json()["issued"] == []
    named = _open(client_for("hr_a1"), cadres=[township[0].pk, township[2].pk])
    assert named.json()["issued"] == []
    assert named.json()["skipped"] == [
        {"cadre": township[0].pk, "cadre_name": "张三", "reason": "已有账号：13900000001"},
        {"cadre": township[2].pk, "cadre_name": "王五", "reason": "状态为“离退休”"},
    ]


def test_usernames_by_code_and_problems_refuse_the_whole_batch_by_name(
    cast: Cast, client_for: Any, township: list[Cadre]
) -> None:
    no_phone = CadreFactory(name="赵六", unit=cast.town_a1, phone="")
    client = client_for("county_a_admin")

    refused = _open(client, cadres=[township[0].pk, no_phone.pk])
    assert refused.status_code == 400
    assert refused.json()["errors"] == [{"field": "cadres", "message": "赵六没有登记手机号，不能以手机号作用户名。"}]
    assert not User.objects.filter(username="13900000001").exists()  # all or nothing

    User.objects.create_user(username="13900000002", password="x-pass-word-1")
    taken = _open(client, cadres=[township[1].pk])
    assert taken.json()["errors"][0]["message"] == "李四的用户名 13900000002 已被其他账号使用。"

    by_code = _open(client, cadres=[no_phone.pk], username_rule="code")
    assert by_code.status_code == 201
    assert by_code.json()["issued"][0]["username"] == f"530721101-{no_phone.pk}"


def test_logins_stay_inside_the_openers_scope_and_role(cast: Cast, client_for: Any, township: list[Cadre]) -> None:
    other = CadreFactory(name="外乡", unit=cast.town_b1, phone="13900000009")

    assert _open(client_for("secretary_a1"), unit=cast.town_a1.pk).status_code == 403
    outside = _open(client_for("hr_a1"), cadres=[other.pk])
    assert outside.status_code == 400
    assert outside.json()["errors"][0]["message"] == f"干部编号 {other.pk} 不存在或不在您的管理范围内。"
    assert _open(client_for("hr_a1"), unit=cast.town_b1.pk).status_code == 400
    assert not User.objects.filter(username="13900000009").exists()


def test_the_sms_carries_the_password_and_a_failed_one_falls_back_to_the_slip(
    cast: Cast, client_for: Any, township: list[Cadre]
) -> None:
    sent: list[dict[str, str]] = []

    def gateway(**message: str) -> None:
        if message["address"] == "13900000002":
            raise OSError("gateway down")
        sent.append(message)

    with mock.patch("cadrecare.reminders.channels.channel_send", side_effect=gateway):
        response = _open(client_for("hr_a1"), unit=cast.town_a1.pk, delivery="sms")

    issued = {row["cadre_name"]: row for row in response.json()["issued"]}
    assert issued["张三"]["delivery"] == "sms" and issued["张三"]["password"] is None
    assert [message["address"] for message in sent] == ["13900000001"] and "初始密码" in sent[0]["body"]
    assert issued["李四"]["delivery"] == "slip" and issued["李四"]["password"]
    assert issued["李四"]["sms_error"] == "短信发送失败，请打印开通单交本人。"


def _opened(client_for: Any, cast: Cast) -> tuple[str, str]:
    row = _open(client_for("hr_a1"), unit=cast.town_a1.pk).json()["issued"][0]
    return row["username"], row["password"]


def test_the_initial_password_must_be_changed_before_anything_else(
    cast: Cast, client_for: Any, township: list[Cadre]
) -> None:
    username, password = _opened(client_for, cast)
    token = APIClient().post("/api/v1/auth/token/", {"username": username, "password": password}, format="json")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.json()['access']}")

    refused = client.get("/api/v1/cadres/")
    assert refused.status_code == 403
    assert refused.json()["code"] == "password_change_required"
    assert refused.json()["message"] == "请先修改初始密码（POST /api/v1/me/password/），再使用其他功能。"
    assert client.get("/api/v1/me/").json()["must_change_password"] is True
    same = client.post("/api/v1/me/password/", {"old_password": password, "new_password": password}, format="json")
    assert same.status_code == 400 and same.json()["errors"][0]["field"] == "new_password"
    changed = client.post(
        "/api/v1/me/password/", {"old_password": password, "new_password": "zhang-own-2025"}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["must_change_password"] is False
    fresh = APIClient().post("/api/v1/auth/token/", {"username": username, "password": "zhang-own-2025"}, format="json")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {fresh.json()['access']}")
    assert client.get("/api/v1/cadres/").status_code == 200


def test_the_workbench_sends_the_holder_of_an_initial_password_to_change_it(
    cast: Cast, client_for: Any, township: list[Cadre]
) -> None:
    username, password = _opened(client_for, cast)
    browser = Client()

    signed_in = browser.post("/login/", {"username": username, "password": password}, follow=True)

    assert signed_in.redirect_chain[-1][0] == "/password/"
    assert browser.get("/").url == "/password/"
    assert browser.get("/password/").status_code == 200


def test_signing_in_by_the_mobile_number_of_ones_cadre_record(cast: Cast) -> None:
    Cadre.objects.filter(pk=cast.cadre_a1.pk).update(phone="13812345678")

    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "13812345678", "password": "pass-word-123"}, format="json"
    )

    assert response.status_code == 200 and "access" in response.json()


def test_a_cadre_who_leaves_loses_their_login_in_the_same_change(cast: Cast, client_for: Any) -> None:
    response = client_for("hr_a1").post(
        f"/api/v1/cadres/{cast.cadre_a1.pk}/status/",
        {"status": CadreStatus.TRANSFERRED_OUT, "date": (clock.today() - dt.timedelta(days=1)).isoformat()},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert not User.objects.get(pk=cast.cadre_a1_user.pk).is_active
    assert AuditEntry.objects.filter(resource="users", object_id=str(cast.cadre_a1_user.pk), action="update").exists()
    refused = APIClient().post("/api/v1/auth/token/", {"username": "cadre_a1", "password": "pass-word-123"})
    assert refused.status_code == 401


def test_a_login_and_a_cadre_are_linked_once_each(cast: Cast, client_for: Any) -> None:
    admin = client_for("county_a_admin")
    newcomer = CadreFactory(name="新人", unit=cast.town_a1)

    # a login that already belongs to a cadre is not given a second one
    twice = admin.patch(f"/api/v1/users/{cast.cadre_a1_user.pk}/", {"cadre": newcomer.pk}, format="json")
    assert twice.status_code == 400
    assert twice.json()["errors"] == [{"field": "cadre", "message": "账号 cadre_a1 已属于干部木晓梅。"}]
    # nor is a cadre who has a login given another
    taken = admin.patch(f"/api/v1/users/{cast.hr_a1.pk}/", {"cadre": cast.cadre_a1.pk}, format="json")
    assert taken.json()["errors"] == [{"field": "cadre", "message": "干部木晓梅已有登录账号：cadre_a1。"}]
    # an HR clerk who is a cadre is linked to their record, and named by it
    linked = admin.patch(f"/api/v1/users/{cast.hr_a1.pk}/", {"cadre": newcomer.pk}, format="json")
    assert linked.status_code == 200, linked.json()
    assert (linked.json()["cadre"], linked.json()["cadre_name"]) == (newcomer.pk, "新人")
    assert Cadre.objects.get(pk=newcomer.pk).user == cast.hr_a1
