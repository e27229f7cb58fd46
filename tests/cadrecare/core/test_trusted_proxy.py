"""X-Forwarded-For and X-Forwarded-Proto are believed from the proxies in
TRUSTED_PROXIES only (cadrecare.core.middleware.TrustedProxyMiddleware)."""

from __future__ import annotations

from typing import Any

from django.test import override_settings
from rest_framework.test import APIClient

from cadrecare.audit.models import AuditEntry
from tests.conftest import Cast

PROXY = "10.0.0.2"
BEHIND_TLS = {"SECURE_SSL_REDIRECT": True, "SECURE_HSTS_SECONDS": 3600, "TRUSTED_PROXIES": [PROXY]}


@override_settings(**BEHIND_TLS)
def test_a_client_cannot_claim_https_by_itself(db: None) -> None:
    response = APIClient().get("/api/v1/me/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="192.0.2.10")

    assert response.status_code == 301 and response["Location"].startswith("https://")
    assert "Strict-Transport-Security" not in response


@override_settings(**BEHIND_TLS)
def test_the_trusted_proxy_tells_https_and_the_answer_carries_hsts(db: None) -> None:
    response = APIClient().get("/api/v1/me/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR=PROXY)

    assert response.status_code == 401  # served, not redirected
    assert response["Strict-Transport-Security"] == "max-age=3600"


@override_settings(TRUSTED_PROXIES=[PROXY])
def test_the_audit_log_records_the_client_the_proxy_saw(cast: Cast, client_for: Any) -> None:
    client = client_for("hr_a1")

    client.get(f"/api/v1/cadres/{cast.cadre_a1.pk}/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.23")
    client.get(f"/api/v1/cadres/{cast.cadre_a1.pk}/", REMOTE_ADDR="198.51.100.40", HTTP_X_FORWARDED_FOR="1.1.1.1")

    assert list(AuditEntry.objects.order_by("id").values_list("ip", flat=True)) == ["198.51.100.23", "198.51.100.40"]
