"""Every write of the API goes through a service: a resource that takes a
create, an update or a delete names the service that makes it (its
``create_object`` / ``update_object`` / ``destroy_object``, or a ``create`` of
its own that calls one), and that service owns the transaction, the
placement, the rules and the audit row. The base has no write of its own to
fall back on. And the API offers DELETE exactly where the access table lets
some role delete: a record no grant deletes has no door a superuser could
delete it through."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework import mixins

from cadrecare.core.actions import DELETE
from cadrecare.core.api import ScopedCreateMixin, ScopedDestroyMixin, ScopedUpdateMixin
from cadrecare.org.access import ACCESS
from config.api_router import router

HOOKS = {
    "create": (mixins.CreateModelMixin, ScopedCreateMixin, "create_object", "post"),
    "update": (mixins.UpdateModelMixin, ScopedUpdateMixin, "update_object", "patch"),
    "destroy": (mixins.DestroyModelMixin, ScopedDestroyMixin, "destroy_object", "delete"),
}


def offers(viewset: Any, verb: str) -> bool:
    """Whether the resource answers the verb's HTTP method with a write."""
    return hasattr(viewset, verb) and HOOKS[verb][3] in viewset.http_method_names


WRITES = [(prefix, viewset, verb) for prefix, viewset, _ in router.registry for verb in HOOKS if offers(viewset, verb)]


@pytest.mark.parametrize(("prefix", "viewset", "verb"), WRITES, ids=[f"{p}-{v}" for p, _, v in WRITES])
def test_each_write_of_the_api_names_its_service(prefix: str, viewset: Any, verb: str) -> None:
    drf, scoped, hook, _method = HOOKS[verb]
    if getattr(viewset, verb) is not getattr(drf, verb):
        return  # the resource's own handler, which calls its service (the refused-writes specs hold it to that)
    # else the write goes through the scoped base, and the resource names the service that makes it
    assert issubclass(viewset, scoped), f"/api/v1/{prefix}/ takes a {verb} outside the scoped write path"
    assert getattr(viewset, hook) is not getattr(scoped, hook), f"/api/v1/{prefix}/ names no service for {verb}"


@pytest.mark.parametrize(
    ("prefix", "viewset"), [(p, v) for p, v, _ in router.registry], ids=[p for p, _, _ in router.registry]
)
def test_delete_is_offered_exactly_where_a_role_may_delete(prefix: str, viewset: Any) -> None:
    granted = any(DELETE in rule.actions for rule in ACCESS[prefix].values())
    assert offers(viewset, "destroy") == granted


def test_the_api_has_writes_to_check() -> None:
    # the list above is read from the router: an empty one would prove nothing
    assert len(WRITES) > 60
