"""schemathesis against our own OpenAPI schema, in process, with a fixed seed
and a bounded number of cases per operation: no input may produce a server
error, and no response may break the schema."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from rest_framework_simplejwt.tokens import RefreshToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from config.wsgi import application

CASES_PER_OPERATION = 3


@pytest.fixture(autouse=True)
def _keep_the_test_connection_open() -> Iterator[None]:
    # Requests go straight to the WSGI handler, which would close the test's
    # database connection at the end of each request (Django's test client
    # avoids that the same way).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_the_schema_is_valid_openapi(db: None, tmp_path: Any) -> None:
    call_command("spectacular", "--validate", "--file", str(tmp_path / "schema.yml"))


# The schema is built without touching the database, so it loads at collection.
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@schema.parametrize()
@settings(
    max_examples=CASES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],  # a failure is reported as found, unshrunk: bounded time
    suppress_health_check=list(HealthCheck),
)
def test_no_input_breaks_the_api(case: Any, cast: Any) -> None:
    token = RefreshToken.for_user(cast.city_admin).access_token
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"}, checks=[not_a_server_error, response_schema_conformance]
    )
