"""The authorisation matrix of names: for every writable field of every API
serializer that names a login, a unit or a cadre (found in the serializers, not
listed by hand), every writer who may create or change the resource tries a
value outside their scope, and is refused; nothing is written with it.

The writers are those the access matrix lets create (or change) the case's
record in township A1 (tests/cadrecare/test_access_matrix.py proves their
unaltered payload succeeds); the value outside is township B1's (a login there,
the township, its cadre), or township A1's for B1's secretary."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from rest_framework import serializers

from cadrecare.org.models import Cadre, OrgUnit, User
from config.api_router import router
from tests.cadrecare.test_access_matrix import expected_status
from tests.conftest import ROLE_USERS
from tests.resources import CASES, ResourceCase

NAMED = (User, OrgUnit, Cadre)
# A value the writer may not name, by the model the field names: (for writers of A1, for the secretary of B1).
OUTSIDE = {
    User: ("secretary_b1", "secretary_a1"),
    OrgUnit: ("town_b1", "town_a1"),
    Cadre: ("cadre_b1", "cadre_a1"),
}


def _serializer_for(viewset: type, action: str) -> serializers.Serializer:
    view = viewset(action=action, request=None, kwargs={}, format_kwarg=None)
    try:
        return view.get_serializer_class()()
    except (AttributeError, AssertionError):  # a serializer chosen from the request
        return viewset.serializer_class()


def naming_fields(serializer: serializers.Serializer, prefix: str = "") -> Iterator[tuple[str, type, bool]]:
    """(dotted path, named model, many) of each writable field naming a login, unit or cadre, nested ones too."""
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        path = f"{prefix}{name}"
        if isinstance(field, serializers.ListSerializer) and isinstance(field.child, serializers.Serializer):
            yield from naming_fields(field.child, f"{path}.")
            continue
        if isinstance(field, serializers.Serializer):
            yield from naming_fields(field, f"{path}.")
            continue
        many = isinstance(field, serializers.ManyRelatedField)
        relation = field.child_relation if many else field
        queryset = getattr(relation, "queryset", None)
        if (
            isinstance(relation, serializers.RelatedField)
            and queryset is not None
            and issubclass(queryset.model, NAMED)
        ):
            yield path, next(model for model in NAMED if issubclass(queryset.model, model)), many


VIEWSETS = {prefix: viewset for prefix, viewset, _ in router.registry}


def _cases() -> Iterator[Any]:
    for case in CASES:
        for op, action, payload in (("create", "create", case.payload), ("update", "partial_update", case.update)):
            if payload is None or op not in case.methods:
                continue
            for path, model, many in naming_fields(_serializer_for(VIEWSETS[case.resource], action)):
                for user in ROLE_USERS:
                    if user != "city_admin" and expected_status(user, case, op) in (200, 201):
                        yield pytest.param(case, op, path, model, many, user, id=f"{case.resource}-{op}-{path}-{user}")


def _put(payload: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """``payload`` with ``value`` at ``path`` (a nested list gets it in each item, or in one new item)."""
    head, _, rest = path.partition(".")
    if not rest:
        return {**payload, head: value}
    nested = payload.get(head)
    if isinstance(nested, list):
        return {**payload, head: [_put(item, rest, value) for item in nested or [{}]]}
    return {**payload, head: _put(nested or {}, rest, value)}


@pytest.mark.parametrize(("case", "op", "path", "model", "many", "user"), list(_cases()))
def test_no_writer_names_anyone_or_anything_outside_their_scope(
    cast: Any, client_for: Any, case: ResourceCase, op: str, path: str, model: type, many: bool, user: str
) -> None:
    with case.context():
        inside = case.make_in(cast, cast.user(user)) if case.inbox else case.make_in(cast)
        # given a value outside the writer's scope for a field naming a login, a unit or a cadre
        outside = getattr(cast, OUTSIDE[model][user == "secretary_b1"])
        value = [outside.pk] if many else outside.pk
        base = f"/api/v1/{case.resource}/"
        resource_model = type(inside)
        before = set(resource_model._default_manager.values_list("pk", flat=True))

        # when the writer creates or changes a record with it
        client = client_for(user)
        if op == "create":
            response = client.post(base, _put(case.payload(cast), path, value), format="json")
        else:
            response = client.patch(f"{base}{inside.pk}/", _put(case.update(cast), path, value), format="json")

        # then it is refused (or, where the field does not change after creation, ignored): nothing names it
        after = set(resource_model._default_manager.values_list("pk", flat=True))
        if op == "create":
            assert response.status_code in (400, 403, 404), response.content.decode()[:400]
            assert after == before
        else:
            assert response.status_code in (200, 400, 403, 404), response.content.decode()[:400]
            if response.status_code == 200 and path in {f.name for f in resource_model._meta.get_fields()}:
                stored = resource_model._default_manager.filter(pk=inside.pk, **{f"{path}__pk": outside.pk}).exists()
                assert not stored, f"{path} now names {outside}"
