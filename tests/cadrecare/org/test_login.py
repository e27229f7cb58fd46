"""Signing in, by every door, through the one login throttle: per account
and per client address (X-Forwarded-For believed only from trusted proxies),
waits that grow instead of lock-outs anyone could cause, an unlock path; and
tokens: refresh tokens good once, revoked on reuse, dead after a password
change or a deactivation; refreshing is no login attempt."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client, override_settings
from rest_framework.test import APIClient

from cadrecare.audit.models import AuditEntry
from cadrecare.org.models import User
from tests.conftest import Cast

PASSWORD = "pass-word-123"  # tests.factories.UserFactory
TOKEN_URL = "/api/v1/auth/token/"
REFRESH_URL = "/api/v1/auth/token/refresh/"
OFFICE = "198.51.100.7"  # the cast's usual address
ELSEWHERE = "203.0.113.99"

Door = Callable[..., Any]


def _token(username: str, password: str, **environ: str) -> Any:
    return APIClient().post(TOKEN_URL, {"username": username, "password": password}, format="json", **environ)


def _form(url: str) -> Door:
    def sign_in(username: str, password: str, **environ: str) -> Any:
        return Client().post(url, {"username": username, "password": password}, **environ)

    return sign_in


DOORS: dict[str, Door] = {
    "token": _token,
    "api-login": _form("/api/auth/login/"),
    "admin-login": _form("/admin/login/?next=/admin/"),
    "web-login": _form("/login/"),
}


def _refused_for_waiting(response: Any) -> bool:
    body = response.content.decode()
    return response.status_code in (200, 429) and ("登录失败次数过多" in body or "登录尝试过于频繁" in body)


@pytest.mark.parametrize("door", DOORS)
def test_failures_at_any_door_make_every_door_wait(cast: Cast, door: str) -> None:
    # given five wrong passwords for one account, tried at the four doors in turn
    for name in [*DOORS, "token"]:
        DOORS[name]("hr_a1", "wrong", REMOTE_ADDR=OFFICE)

    # when the right password comes at this door
    response = DOORS[door]("hr_a1", PASSWORD, REMOTE_ADDR=OFFICE)

    # then it is refused before the password is checked, saying how long to wait
    assert _refused_for_waiting(response), response.content.decode()[:300]
    if door == "token":
        assert response.status_code == 429 and response.json()["code"] == "throttled"
        assert 1 <= int(response["Retry-After"]) <= 15


def test_a_forged_x_forwarded_for_does_not_escape_the_address_throttle(cast: Cast) -> None:
    # given ten wrong guesses at ten accounts, each claiming another address
    for i in range(10):
        assert _token(f"nobody{i}", "x", HTTP_X_FORWARDED_FOR=f"10.9.{i}.1").status_code == 401

    # when the eleventh claims yet another
    response = _token("nobody", "x", HTTP_X_FORWARDED_FOR="10.9.99.1")

    # then the header was not believed: the address waits
    assert response.status_code == 429
    assert "登录尝试过于频繁" in response.json()["message"]


@override_settings(TRUSTED_PROXIES=["10.0.0.0/24"])
def test_behind_a_trusted_proxy_each_client_address_counts_on_its_own(cast: Cast) -> None:
    def via_proxy(client: str, username: str, password: str) -> Any:
        # the client may prepend anything; our proxies append what they saw
        return _token(username, password, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"192.0.2.1, {client}, 10.0.0.3")

    # given ten wrong guesses from one client behind the proxy
    for i in range(10):
        assert via_proxy(ELSEWHERE, f"nobody{i}", "x").status_code == 401

    # then that client waits, whatever it put in front, and a colleague behind the same proxy does not
    assert via_proxy(ELSEWHERE, "hr_a1", PASSWORD).status_code == 429
    assert via_proxy(OFFICE, "hr_a1", PASSWORD).status_code == 200


def test_someone_guessing_elsewhere_never_slows_the_owner_at_their_usual_address(cast: Cast) -> None:
    # given the HR officer signed in once from the office
    assert _token("hr_a1", PASSWORD, REMOTE_ADDR=OFFICE).status_code == 200

    # when someone guesses ten times from each of three other addresses
    codes = {_token("hr_a1", f"guess{i}", REMOTE_ADDR=f"203.0.113.{i % 3}").status_code for i in range(30)}

    # then they were slowed, and the owner signs in from the office at once
    assert codes == {401, 429}
    assert _token("hr_a1", PASSWORD, REMOTE_ADDR=OFFICE).status_code == 200
    # while from an address the account never used, the account's wait still holds
    assert _token("hr_a1", PASSWORD, REMOTE_ADDR="192.0.2.44").status_code == 429


@override_settings(
    LOGIN_THROTTLE={
        "account_failures": 5,
        "address_failures": 10,
        "elsewhere_failures": 10,
        "first_delay": 1,
        "max_delay": 900,
    }
)
def test_the_wait_passes_and_doubles_with_each_further_failure(cast: Cast) -> None:
    for _ in range(5):
        assert _token("hr_a1", "wrong", REMOTE_ADDR=OFFICE).status_code == 401

    refused = _token("hr_a1", PASSWORD, REMOTE_ADDR=OFFICE)
    assert refused.status_code == 429 and refused["Retry-After"] == "1"

    time.sleep(1.2)
    assert _token("hr_a1", "wrong again", REMOTE_ADDR=OFFICE).status_code == 401  # the one turn of this wait
    assert _token("hr_a1", PASSWORD, REMOTE_ADDR=OFFICE)["Retry-After"] == "2"

    time.sleep(2.2)
    assert _token("hr_a1", PASSWORD, REMOTE_ADDR=OFFICE).status_code == 200
    # and a success forgives the account's failures here
    assert _token("hr_a1", "typo", REMOTE_ADDR=OFFICE).status_code == 401


def test_an_org_admin_lifts_the_wait_at_once_and_it_is_audited(cast: Cast, client_for: Any) -> None:
    # given the HR officer made to wait by failures
    for _ in range(5):
        _token("hr_a1", "wrong", REMOTE_ADDR=ELSEWHERE)
    assert _token("hr_a1", PASSWORD, REMOTE_ADDR=ELSEWHERE).status_code == 429

    # when the county's org admin unlocks the account
    response = client_for("county_a_admin").post(f"/api/v1/users/{cast.hr_a1.pk}/unlock/")

    # then the officer signs in at once, and the log says who lifted it
    assert response.status_code == 200
    assert _token("hr_a1", PASSWORD, REMOTE_ADDR=ELSEWHERE).status_code == 200
    assert (
        AuditEntry.objects.filter(
            actor=cast.county_a_admin, resource="users", object_id=str(cast.hr_a1.pk), fields=["login_wait"]
        ).count()
        == 1
    )


def test_only_those_who_change_users_may_unlock(cast: Cast, client_for: Any) -> None:
    assert client_for("secretary_a1").post(f"/api/v1/users/{cast.hr_a1.pk}/unlock/").status_code == 403
    assert client_for("county_a_admin").post(f"/api/v1/users/{cast.secretary_b1.pk}/unlock/").status_code == 404


# -- tokens ---------------------------------------------------------------------------------------------
def _tokens(username: str = "hr_a1") -> dict[str, str]:
    return _token(username, PASSWORD).json()


def _refresh(refresh: str) -> Any:
    return APIClient().post(REFRESH_URL, {"refresh": refresh}, format="json")


def _me(access: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client.get("/api/v1/me/").status_code


def test_a_refresh_token_is_good_once_and_its_reuse_revokes_the_account_tokens(cast: Cast) -> None:
    # given a login and one refresh
    first = _tokens()
    rotated = _refresh(first["refresh"])
    assert rotated.status_code == 200
    second = rotated.json()
    assert second["refresh"] != first["refresh"] and _me(second["access"]) == 200

    # when the first refresh token is presented again (a copy in someone else's hands)
    reused = _refresh(first["refresh"])

    # then it is refused, and so is the rotated one: the account signs in again
    assert reused.status_code == 401
    assert _refresh(second["refresh"]).status_code == 401


def test_a_password_change_ends_every_token_at_once(cast: Cast) -> None:
    tokens = _tokens()

    cast.hr_a1.set_password("another-pass-456")
    cast.hr_a1.save()

    assert _me(tokens["access"]) == 401
    assert _refresh(tokens["refresh"]).status_code == 401


def test_a_deactivated_account_keeps_no_token(cast: Cast) -> None:
    tokens = _tokens()

    User.objects.filter(pk=cast.hr_a1.pk).update(is_active=False)

    assert _me(tokens["access"]) == 401
    assert _refresh(tokens["refresh"]).status_code == 401


def test_a_deleted_accounts_refresh_token_is_refused_not_a_server_error(cast: Cast) -> None:
    tokens = _tokens()

    User.objects.filter(pk=cast.hr_a1.pk).delete()

    assert _refresh(tokens["refresh"]).status_code == 401


def test_refreshing_is_no_login_attempt(cast: Cast) -> None:
    # given a county office behind one address refreshing its tokens all morning
    refresh = _tokens()["refresh"]
    for _ in range(30):
        response = _refresh(refresh)
        assert response.status_code == 200
        refresh = response.json()["refresh"]

    # then its logins still go through
    assert _token("secretary_a1", PASSWORD).status_code == 200
