"""No input to a self-service endpoint gives a server error: odd bodies and
query strings are 400s (or 403/404), each 400 naming a field in Chinese; and
the 心里话 list costs the same queries for many messages as for one."""

from __future__ import annotations

from typing import Any

import pytest

from cadrecare.core import clock
from cadrecare.selfservice.models import HeartMessage
from tests.resources.selfservice import _family_change_of, _self_report_of

ODD = [
    {},
    {"kind": None, "date": "not a date"},
    {"kind": ["family_event"], "event_kind": {"a": 1}, "date": "2026-02-30", "description": 12},
    {"kind": "hardship", "hardship_category": "x" * 500, "date": "1900-01-01", "description": "x" * 5000},
    {"action": "update", "member": "abc", "proposed": "not an object"},
    {"action": "create", "proposed": {"relation": "spouse", "name": "", "birth_date": "tomorrow", "phone": 5}},
    {"action": "delete", "member": 99999999},
    {"addressee": "mayor", "body": ""},
    {"addressee": "secretary", "body": None},
    {"reason": ["list"], "answer": {"x": 1}},
]
WRITES = [
    ("cadre_a1_user", "/api/v1/self-reports/"),
    ("cadre_a1_user", "/api/v1/family-member-changes/"),
    ("cadre_a1_user", "/api/v1/messages/"),
    ("hr_a1", "/api/v1/self-reports/{report}/reject/"),
    ("hr_a1", "/api/v1/family-member-changes/{change}/reject/"),
    ("secretary_a1", "/api/v1/messages/{message}/answer/"),
]


def _records(cast: Any) -> dict[str, int]:
    message = HeartMessage.objects.create(
        sender=cast.cadre_a1_user,
        sender_cadre=cast.cadre_a1,
        addressee="secretary",
        addressee_unit=cast.town_a1,
        body="想聊聊",
        answer_due=clock.today(),
    )
    return {
        "report": _self_report_of("cadre_a1")(cast).pk,
        "change": _family_change_of("cadre_a1")(cast).pk,
        "message": message.pk,
    }


@pytest.mark.parametrize(("user", "url"), WRITES)
def test_odd_bodies_never_cause_a_server_error(cast: Any, client_for: Any, user: str, url: str) -> None:
    url = url.format(**_records(cast))
    client = client_for(user)
    for body in ODD:
        response = client.post(url, body, format="json")
        assert response.status_code in (201, 400, 403, 404), (body, response.content.decode()[:300])
        if response.status_code == 400:
            assert all(error.get("field") and error.get("message") for error in response.json()["errors"]), body


@pytest.mark.parametrize(
    "query",
    [
        {"status": "nonsense"},
        {"kind": ["a", "b"]},
        {"unit": "x"},
        {"box": "elsewhere"},
        {"ordering": "-description"},
        {"page": "-1"},
    ],
)
def test_odd_filters_never_cause_a_server_error(cast: Any, client_for: Any, query: dict) -> None:
    _records(cast)
    for resource in ("self-reports", "family-member-changes", "messages"):
        response = client_for("county_a_admin").get(f"/api/v1/{resource}/", query)
        assert response.status_code in (200, 400, 404), (resource, query, response.content.decode()[:300])


def test_the_message_list_costs_the_same_queries_for_many(cast: Any, client_for: Any, count_queries: Any) -> None:
    client = client_for("secretary_a1")
    _records(cast)
    client.get("/api/v1/messages/")
    few = count_queries(lambda: client.get("/api/v1/messages/"))
    for _ in range(8):
        _records(cast)
    assert count_queries(lambda: client.get("/api/v1/messages/")) == few
