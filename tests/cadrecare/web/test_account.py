"""Signing in to the workbench (username or mobile number, the API's throttle
and lock-out), signing out, and changing one's password through its service."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cadrecare.audit.models import AuditEntry
from cadrecare.org.models import User
from tests.conftest import Cast

PASSWORD = "pass-word-123"  # tests.factories.UserFactory


def _sign_in(client: Client, username: str, password: str = PASSWORD) -> Any:
    return client.post("/login/", {"username": username, "password": password})


def _signed_in_as(client: Client) -> str | None:
    user = client.get("/").wsgi_request.user
    return user.username if user.is_authenticated else None


# -- signing in ---------------------------------------------------------------------------------------
def test_every_workbench_page_sends_a_stranger_to_the_login_page(db: None) -> None:
    response = Client().get("/inbox/")

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/inbox/"


def test_an_htmx_request_after_the_session_ended_sends_the_whole_window_to_login(db: None) -> None:
    response = Client().get("/", HTTP_HX_REQUEST="true")

    assert response["HX-Redirect"] == "/login/?next=/"


def test_the_login_page_is_chinese_and_labels_its_fields(db: None) -> None:
    page = Client().get("/login/").content.decode()

    assert '<label for="id_username">用户名或手机号' in page
    assert '<label for="id_password">密码' in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_a_secretary_signs_in_with_the_username(cast: Cast) -> None:
    client = Client()

    response = _sign_in(client, "secretary_a1")

    assert response.status_code == 302 and response["Location"] == "/"
    assert _signed_in_as(client) == "secretary_a1"


def test_a_cadre_signs_in_with_the_mobile_number_of_their_record(cast: Cast) -> None:
    client = Client()

    response = _sign_in(client, cast.cadre_a1.phone)

    assert response.status_code == 302
    assert _signed_in_as(client) == "cadre_a1"


def test_a_mobile_number_two_logins_share_signs_nobody_in(cast: Cast) -> None:
    # given the secretary's record carrying the cadre's number too
    type(cast.cadre_a1).objects.filter(pk=cast.secretary_a1_cadre.pk).update(phone=cast.cadre_a1.phone)

    response = _sign_in(Client(), cast.cadre_a1.phone)

    assert response.status_code == 400
    assert "用户名（或手机号）或密码不正确。" in response.content.decode()


def test_a_wrong_password_is_refused_in_chinese_on_the_form(cast: Cast) -> None:
    client = Client()

    response = _sign_in(client, "secretary_a1", "wrong")

    assert response.status_code == 400
    assert "用户名（或手机号）或密码不正确。" in response.content.decode()
    assert _signed_in_as(client) is None


def test_five_failures_make_the_account_wait_whichever_name_was_typed(cast: Cast) -> None:
    # given five wrong passwords, some by username and some by mobile number
    client = Client()
    for name in ["cadre_a1", cast.cadre_a1.phone, "cadre_a1", cast.cadre_a1.phone, "cadre_a1"]:
        assert _sign_in(client, name, "wrong").status_code == 400

    # when the right password comes, by either name
    by_name = _sign_in(client, "cadre_a1")
    by_phone = _sign_in(client, cast.cadre_a1.phone)

    # then the account waits, and the form says so
    for response in (by_name, by_phone):
        assert response.status_code == 429
        assert "该账号登录失败次数过多，请 15 秒后再试。" in response.content.decode()
    assert _signed_in_as(client) is None


def test_the_login_form_is_throttled_like_the_token_endpoint(cast: Cast) -> None:
    client = Client()
    codes = [_sign_in(client, f"nobody{i}", "x").status_code for i in range(11)]

    assert codes[:10] == [400] * 10
    assert codes[10] == 429
    assert "登录尝试过于频繁" in _sign_in(client, "secretary_a1").content.decode()


def test_the_login_form_needs_its_csrf_token(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)

    response = _sign_in(client, "secretary_a1")

    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


def test_signing_out_takes_a_post_and_ends_the_session(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.secretary_a1)

    assert client.get("/logout/").status_code == 405
    response = client.post("/logout/")

    assert response.status_code == 302 and response["Location"] == "/login/"
    assert _signed_in_as(client) is None


# -- the password ---------------------------------------------------------------------------------------
def _change(client: Client, old: str, new: str, again: str | None = None) -> Any:
    return client.post(
        "/password/", {"old_password": old, "new_password": new, "new_password_again": new if again is None else again}
    )


@pytest.fixture
def hr(cast: Cast) -> Client:
    client = Client()
    client.force_login(cast.hr_a1)
    return client


def test_a_person_changes_their_password_and_stays_signed_in(cast: Cast, hr: Client) -> None:
    response = _change(hr, PASSWORD, "Lijiang-2026-spring")

    assert response.status_code == 303 and response["Location"] == "/"
    assert User.objects.get(pk=cast.hr_a1.pk).check_password("Lijiang-2026-spring")
    assert "密码已修改。" in hr.get("/").content.decode()
    assert _signed_in_as(hr) == "hr_a1"
    entry = AuditEntry.objects.get(resource="users", object_id=str(cast.hr_a1.pk))
    assert (entry.action, entry.fields) == ("update", ["password"])


def test_a_wrong_old_password_is_shown_beside_its_field_and_nothing_changes(cast: Cast, hr: Client) -> None:
    response = _change(hr, "not-my-password", "Lijiang-2026-spring")

    page = response.content.decode()
    assert response.status_code == 400
    assert '<div class="field-error" id="id_old_password_error">' in page
    assert "原密码：原密码不正确。" in page
    assert 'aria-describedby="id_old_password_error"' in page
    assert User.objects.get(pk=cast.hr_a1.pk).check_password(PASSWORD)
    assert not AuditEntry.objects.filter(resource="users").exists()


def test_a_weak_new_password_is_refused_beside_the_new_password(cast: Cast, hr: Client) -> None:
    response = _change(hr, PASSWORD, "12345678")

    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_new_password_error"' in page
    assert "新密码：这个密码太常见了。" in page and "新密码：密码只包含数字。" in page
    assert User.objects.get(pk=cast.hr_a1.pk).check_password(PASSWORD)


def test_two_different_new_passwords_are_refused_before_the_service(cast: Cast, hr: Client) -> None:
    response = _change(hr, PASSWORD, "Lijiang-2026-spring", "Lijiang-2026-summer")

    assert response.status_code == 400
    assert "再次输入新密码：两次输入的新密码不一致。" in response.content.decode()
    assert User.objects.get(pk=cast.hr_a1.pk).check_password(PASSWORD)
