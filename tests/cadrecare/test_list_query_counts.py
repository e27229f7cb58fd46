"""No list endpoint runs a query per row: for every resource of the matrix,
listing many records costs the same queries as listing a few."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction

from cadrecare.core.errors import DomainError
from tests.resources import CASES, ResourceCase

LISTER = "city_admin"


def _try(make: Any, cast: Any) -> Any:
    """Another record from a case's factory, or None where the case can make only one."""
    try:
        with transaction.atomic():
            return make(cast).pk
    except (IntegrityError, DomainError, TypeError):
        return None  # the widest scope: sees every record the cases make


@pytest.mark.parametrize("case", [pytest.param(c, id=c.resource) for c in CASES if "list" in c.methods])
def test_list_queries_do_not_grow_with_rows(cast: Any, client_for: Any, count_queries: Any, case: ResourceCase) -> None:
    if getattr(case, "inbox", False):
        pytest.skip("an inbox lists the reader's own records; its own specs pin its queries")
    client = client_for(LISTER)
    url = f"/api/v1/{case.resource}/"
    first = case.make_in(cast)
    client.get(url)  # warm caches (content types, permissions) out of the count
    few = count_queries(lambda: client.get(url))

    made = {pk for make in [case.make_in] * 6 + [case.make_out] * 6 if (pk := _try(make, cast)) is not None}
    if made <= {first.pk}:
        pytest.skip("this case makes one fixed record; its own tests pin its list's queries")
    many = count_queries(lambda: client.get(url))

    assert many == few
