"""No input makes a care endpoint fail with a 500: odd dates, amounts,
strings, ids and types are all a 4xx in the one error shape."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ODD = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.sampled_from(["2026-02-30", "0001-01-01", "9999-12-31", "2026-13", "-1", "1e309", "NaN", "\u202e", "１２３"]),
    st.lists(st.integers(min_value=-5, max_value=10**12), max_size=3),
)
FIELDS = [
    "cadre",
    "family_member",
    "kind",
    "date",
    "description",
    "request_key",
    "visitors",
    "obligations",
    "money_amount",
    "relation",
    "birth_date",
    "phone",
    "month",
    "due_amount",
    "paid_on",
    "township",
    "item",
    "status",
    "as_of",
    "case",
    "amount",
    "deadline",
    "event_date",
    "category",
    "next_review",
]
RESOURCES = [
    "family-members",
    "family-events",
    "cadre-conditions",
    "visit-obligations",
    "visits",
    "hardship-cases",
    "hardship-measures",
    "facilities",
    "post-allowances",
    "care-policies",
]


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(resource=st.sampled_from(RESOURCES), body=st.dictionaries(st.sampled_from(FIELDS), ODD, max_size=6))
def test_odd_bodies_never_cause_a_server_error(cast: Any, client_for: Any, resource: str, body: dict) -> None:
    body = {key: (value.replace("\x00", "") if isinstance(value, str) else value) for key, value in body.items()}

    response = client_for("county_a_admin").post(f"/api/v1/{resource}/", body, format="json")

    assert response.status_code < 500, response.content[:300]
    if response.status_code >= 400:
        assert set(response.json()) == {"message", "code", "errors"}


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    resource=st.sampled_from(RESOURCES + ["transfer-candidates", "facility-gaps"]),
    params=st.dictionaries(
        st.sampled_from(
            [
                "unit",
                "cadre",
                "date_from",
                "overdue",
                "years",
                "remoteness",
                "problem",
                "status",
                "kind",
                "page",
                "county",
                "item",
            ]
        ),
        st.text(max_size=12).map(lambda text: text.replace("\x00", "")),
        max_size=3,
    ),
)
def test_odd_filters_never_cause_a_server_error(cast: Any, client_for: Any, resource: str, params: dict) -> None:
    response = client_for("county_a_admin").get(f"/api/v1/{resource}/", params)

    assert response.status_code < 500, response.content[:300]
