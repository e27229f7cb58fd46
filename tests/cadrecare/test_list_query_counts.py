"""No list endpoint runs a query per row: for every resource of the matrix,
listing many records costs the same queries as listing a few."""

from __future__ import annotations

from typing import Any

import pytest

from tests.resources import CASES, ResourceCase

LISTER = "city_admin"  # the widest scope: sees every record the cases make


@pytest.mark.parametrize("case", [pytest.param(c, id=c.resource) for c in CASES if "list" in c.methods])
def test_list_queries_do_not_grow_with_rows(cast: Any, client_for: Any, count_queries: Any,
                                            case: ResourceCase) -> None:
    client = client_for(LISTER)
    url = f"/api/v1/{case.resource}/"
    first = case.make_in(cast)
    client.get(url)  # warm caches (content types, permissions) out of the count
    few = count_queries(lambda: client.get(url))

    extra = {case.make_in(cast).pk for _ in range(6)} | {case.make_out(cast).pk for _ in range(6)}
    if extra <= {first.pk}:
        pytest.skip("this case names fixed records of the cast; its list grows through other tests")
    many = count_queries(lambda: client.get(url))

    assert many == few
