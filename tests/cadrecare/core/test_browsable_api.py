"""The browsable API (what a browser gets from /api/v1/): every page renders
for every role of the cast, with records in and out of the reader's scope,
and never answers a server error."""

from __future__ import annotations

from typing import Any

import pytest

from config.api_router import router
from tests.conftest import ROLE_USERS
from tests.resources import CASES

CASE_OF = {case.resource: case for case in CASES}


@pytest.mark.parametrize(("prefix", "viewset"), [(prefix, viewset) for prefix, viewset, _ in router.registry],
                         ids=[prefix for prefix, _, _ in router.registry])
def test_every_page_renders_in_the_browser_for_every_role(cast: Any, client_for: Any, prefix: str,
                                                          viewset: type) -> None:
    case = CASE_OF[prefix]
    failures = []
    with case.context():
        # given a record in township A1 (about cadre A1) and one in township B1
        if not case.inbox:
            inside, _ = case.make_in(cast), case.make_out(cast)
        for name in ROLE_USERS:
            if case.inbox:  # (a personal inbox: one notice to the reader, one to someone else)
                inside, _ = case.make_in(cast, cast.user(name)), case.make_out(cast, cast.user(name))
            client = client_for(name)
            client.raise_request_exception = False
            pages = [(f"/api/v1/{prefix}/{inside.pk}/", {}), (f"/api/v1/{prefix}/{inside.pk}/", {"format": "api"})]
            if hasattr(viewset, "list"):
                pages += [(f"/api/v1/{prefix}/", {}), (f"/api/v1/{prefix}/", {"format": "api"})]
            # when a browser asks for each page, list and record
            for url, query in pages:
                response = client.get(url, query, HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
                # then it gets a page or a refusal, never a server error
                if response.status_code >= 500:
                    failures.append(f"{name} {url} {query}: {response.status_code}")
                elif response.status_code == 200:
                    assert response["Content-Type"].startswith("text/html"), url
    assert not failures
