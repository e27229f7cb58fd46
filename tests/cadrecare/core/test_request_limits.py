"""Resources and server errors: bodies refused by their declared size before
a byte is read, JSON that cannot be a request refused with 400, the iCalendar
feed dying with its owner's account, and deleting a user the audit log names."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from cadrecare.audit.models import AuditEntry
from cadrecare.org.models import RoleGrant, User
from tests.conftest import Cast

MB = 1024 * 1024


class CountingBody:
    """A request body of ``size`` bytes that are made only when read, counting them."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        size = self.size - self.read_bytes if size < 0 else min(size, self.size - self.read_bytes)
        self.read_bytes += size
        return b"x" * size

    def readline(self, size: int = -1) -> bytes:
        return self.read(size)


def _post_body(client: Any, url: str, size: int, content_type: str) -> tuple[Any, CountingBody]:
    body = CountingBody(size)
    response = client.generic(
        "POST",
        url,
        b"",
        content_type=content_type,
        **{"CONTENT_LENGTH": str(size), "CONTENT_TYPE": content_type, "wsgi.input": body},
    )
    return response, body


MULTIPART = "multipart/form-data; boundary=----cadrecare"


def _signed_in(username: str) -> APIClient:
    """A client presenting a real token, as uploads come."""
    client = APIClient()
    access = client.post("/api/v1/auth/token/", {"username": username, "password": "pass-word-123"}).json()["access"]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def test_an_upload_of_200_mb_is_refused_before_a_byte_is_read(cast: Cast) -> None:
    response, body = _post_body(_signed_in("hr_a1"), "/api/v1/cadres/import/", 200 * MB, MULTIPART)

    assert response.status_code == 413
    assert response.json()["code"] == "too_large" and "11 MB" in response.json()["message"]
    assert body.read_bytes == 0


@pytest.mark.parametrize("url", ["/api/v1/auth/token/", "/login/", "/admin/login/", "/api/auth/login/"])
def test_an_anonymous_multipart_post_beyond_1_mb_is_refused_unread(db: None, url: str) -> None:
    response, body = _post_body(Client(), url, 2 * MB, MULTIPART)

    assert response.status_code == 413
    assert body.read_bytes == 0


def test_a_json_body_beyond_1_mb_is_refused_unread(cast: Cast, client_for: Any) -> None:
    response, body = _post_body(client_for("hr_a1"), "/api/v1/absences/", 2 * MB, "application/json")

    assert response.status_code == 413
    assert body.read_bytes == 0


def test_an_upload_within_the_limit_reaches_its_view(cast: Cast) -> None:
    # a 10 MB report is allowed: the view, not the size gate, judges it
    response, _ = _post_body(_signed_in("hr_a1"), "/api/v1/cadres/import/", 10 * MB, MULTIPART)

    assert response.status_code == 400


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("[" * 5000 + "]" * 5000, "嵌套过深"),
        ('{"cadre": ' + "[" * 30 + "]" * 30 + "}", "嵌套过深"),
        ('{"cadre": 1e400, "kind": "leave", "start": "2030-01-01", "end": "2030-01-02"}', "1e400"),
        ('{"cadre": NaN, "kind": "leave", "start": "2030-01-01", "end": "2030-01-02"}', "NaN"),
    ],
    ids=["5000-deep", "31-deep", "1e400", "NaN"],
)
def test_json_no_request_of_ours_could_be_is_refused_with_400(
    cast: Cast, client_for: Any, body: str, says: str
) -> None:
    client = client_for("hr_a1")
    client.raise_request_exception = False

    response = client.generic("POST", "/api/v1/absences/", body, content_type="application/json")

    assert response.status_code == 400
    assert says in response.json()["message"]


def test_an_id_of_1e400_in_the_path_is_not_found(cast: Cast, client_for: Any) -> None:
    assert client_for("hr_a1").get("/api/v1/cadres/1e400/").status_code == 404


def test_deleting_a_user_the_audit_log_names_keeps_the_entries(cast: Cast, client_for: Any) -> None:
    # given the HR officer's read of a cadre in the log
    client_for("hr_a1").get(f"/api/v1/cadres/{cast.cadre_a1.pk}/")
    entries = list(AuditEntry.objects.filter(actor=cast.hr_a1).values("id", "actor_id", "actor_name"))
    assert entries

    # when the admin is asked to delete that login (it refuses: a login leaving is deactivated), and the
    # database's operator deletes it anyway
    admin = Client()
    admin.force_login(User.objects.create_superuser("root", password="root-pass-123"))
    refused = admin.post(f"/admin/org/user/{cast.hr_a1.pk}/delete/", {"post": "yes"})
    User.objects.filter(pk=cast.hr_a1.pk).delete()

    # then the user is gone and the entries are as they were
    assert refused.status_code == 403
    assert not User.objects.filter(pk=cast.hr_a1.pk).exists()
    assert list(AuditEntry.objects.filter(actor_id=cast.hr_a1.pk).values("id", "actor_id", "actor_name")) == entries
    assert admin.get("/admin/audit/auditentry/").status_code == 200


def _feed_path(client: Any) -> str:
    return client.get("/api/v1/roster-days/feed-url/").json()["path"]


def test_the_calendar_feed_dies_when_its_owners_login_is_deactivated(cast: Cast, client_for: Any) -> None:
    path = _feed_path(client_for("cadre_a1_user"))
    assert APIClient().get(path).status_code == 200

    User.objects.filter(pk=cast.cadre_a1_user.pk).update(is_active=False)

    assert APIClient().get(path).status_code == 404


def test_the_calendar_feed_dies_when_its_owners_grants_are_removed(cast: Cast, client_for: Any) -> None:
    path = _feed_path(client_for("cadre_a1_user"))

    RoleGrant.objects.filter(user=cast.cadre_a1_user).delete()

    assert APIClient().get(path).status_code == 404
