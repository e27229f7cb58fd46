"""An API client names why it reads personal information in X-Access-Purpose,
from a closed list: the audit log records the code; anything else is refused."""

from __future__ import annotations

from typing import Any

from cadrecare.audit.models import AuditEntry
from tests.conftest import Cast


def test_a_named_purpose_is_logged_with_the_read(cast: Cast, client_for: Any) -> None:
    response = client_for("hr_a1").get(f"/api/v1/cadres/{cast.cadre_a1.pk}/", HTTP_X_ACCESS_PURPOSE="talk")

    assert response.status_code == 200
    assert AuditEntry.objects.get(actor=cast.hr_a1).purpose == "talk"


def test_free_text_as_purpose_is_refused_and_nothing_is_read(cast: Cast, client_for: Any) -> None:
    response = client_for("hr_a1").get(
        f"/api/v1/cadres/{cast.cadre_a1.pk}/", HTTP_X_ACCESS_PURPOSE="<script>看看而已</script>"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "X-Access-Purpose"
    assert "talk（谈心谈话）" in response.json()["message"]
    assert not AuditEntry.objects.exists()


def test_the_audit_log_shows_the_purpose_by_its_label(cast: Cast, client_for: Any) -> None:
    client_for("hr_a1").get(f"/api/v1/cadres/{cast.cadre_a1.pk}/", HTTP_X_ACCESS_PURPOSE="checkup")

    rows = client_for("city_admin").get("/api/v1/audit-log/").json()["results"]

    assert [(row["purpose"], row["purpose_label"]) for row in rows] == [("checkup", "体检安排")]
