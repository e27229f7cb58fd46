"""The authorisation matrix: every role of the cast against every resource,
in and out of scope, read and write, expected exactly as the access table says.
Out of scope is 404 (no existence leak), a role without the action is 403, a
record placed outside one's scope is 400."""

from __future__ import annotations

from typing import Any

import pytest

from cadrecare.org.access import ACCESS, ADD, CHANGE, DELETE, VIEW
from cadrecare.org.choices import Role
from config.api_router import router
from tests.conftest import ROLE_USERS
from tests.resources import CASES, ResourceCase

ROLE_OF = {
    "city_admin": Role.ORG_ADMIN,
    "county_a_admin": Role.ORG_ADMIN,
    "county_a_staff": Role.ORG_STAFF,
    "secretary_a1": Role.SECRETARY,
    "hr_a1": Role.HR,
    "cadre_a1_user": Role.CADRE,
    "secretary_b1": Role.SECRETARY,
    "county_a_leader": Role.COUNTY_LEADER,
}
# The county leader covers neither: they reach only what is routed to them, and no record here is.
COVERS_A1 = {"city_admin", "county_a_admin", "county_a_staff", "secretary_a1", "hr_a1"}
COVERS_B1 = {"city_admin", "secretary_b1"}
CITY_WIDE = {"city_admin"}  # who may change national data (the holiday calendar)
OP_ACTION = {"list": VIEW, "retrieve_in": VIEW, "retrieve_out": VIEW, "create": ADD, "update": CHANGE, "delete": DELETE}
OP_METHOD = {
    "list": "list",
    "retrieve_in": "retrieve",
    "retrieve_out": "retrieve",
    "create": "create",
    "update": "update",
    "delete": "delete",
}
OK = {"list": 200, "retrieve_in": 200, "retrieve_out": 200, "create": 201, "update": 200, "delete": 204}


def expected_status(user: str, case: ResourceCase, op: str) -> int:
    rule = ACCESS[case.resource].get(ROLE_OF[user])
    action = OP_ACTION[op]
    if rule is None or action not in rule.actions:
        return 403
    if op == "list":
        return 200
    if case.national:
        return OK[op] if action == VIEW or user in CITY_WIDE else 403
    if case.inbox:
        return 404 if op == "retrieve_out" else OK[op]
    if op == "retrieve_out":
        return 200 if not rule.self_only and user in COVERS_B1 else 404
    reaches_a1 = case.self_visible if rule.self_only else user in COVERS_A1
    if op == "create":
        return 201 if reaches_a1 else 400
    if VIEW not in rule.actions or not reaches_a1:
        return 404
    return OK[op]


MATRIX = [
    pytest.param(user, case, op, id=f"{case.resource}-{op}-{user}")
    for case in CASES
    for op in OP_ACTION
    if OP_METHOD[op] in case.methods
    for user in ROLE_USERS
]


@pytest.mark.parametrize(("user", "case", "op"), MATRIX)
def test_access_follows_the_table(cast: Any, client_for: Any, user: str, case: ResourceCase, op: str) -> None:
    with case.context():
        check_case(cast, client_for, user, case, op)


def check_case(cast: Any, client_for: Any, user: str, case: ResourceCase, op: str) -> None:
    # given a record in township A1 and one in township B1 (for an inbox: one to the user, one to another)
    if case.inbox:
        inside, outside = case.make_in(cast, cast.user(user)), case.make_out(cast, cast.user(user))
    else:
        inside, outside = case.make_in(cast), case.make_out(cast)
    base = f"/api/v1/{case.resource}/"
    client = client_for(user)

    # when the user acts on them
    if op == "list":
        response = client.get(base, {"page_size": 200})
    elif op == "retrieve_in":
        response = client.get(f"{base}{inside.pk}/")
    elif op == "retrieve_out":
        response = client.get(f"{base}{outside.pk}/")
    elif op == "create":
        response = client.post(base, case.payload(cast), format="json")
    elif op == "update":
        response = client.patch(f"{base}{inside.pk}/", case.update(cast), format="json")
    else:
        response = client.delete(f"{base}{inside.pk}/")

    # then the answer is the table's
    expected = expected_status(user, case, op)
    assert response.status_code == expected, response.content.decode()[:500]
    if op == "list" and expected == 200:
        ids = {row["id"] for row in response.json()["results"]}
        rule = ACCESS[case.resource][ROLE_OF[user]]
        sees_inside = case.national or (case.self_visible if rule.self_only else user in COVERS_A1)
        sees_outside = case.national or (not rule.self_only and user in COVERS_B1)
        if case.inbox:
            sees_inside, sees_outside = True, False
        assert (inside.pk in ids) == sees_inside
        assert (outside.pk in ids) == sees_outside


def test_every_routed_resource_is_in_the_matrix() -> None:
    routed = {prefix for prefix, _, _ in router.registry}
    assert routed == {case.resource for case in CASES}
    assert routed <= set(ACCESS)
