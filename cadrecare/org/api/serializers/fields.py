"""Reference fields the organisation's shapes (and other apps') share: a scoped reference, and a
person named by their cadre record."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.relations import PKOnlyObject

from cadrecare.org.models import Cadre, User, person_name
from cadrecare.org.scoping import nameable


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A reference that accepts only objects the requesting user can see, so
    an id outside scope is 'not found' (400), like every other lookup."""

    def __init__(self, resource: str, **kwargs: Any) -> None:
        self.resource = resource
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        queryset = super().get_queryset()
        assert queryset is not None  # a writable related field has one (DRF's RelatedField checks it)
        return nameable(queryset, getattr(request, "user", None), self.resource)


@extend_schema_field(OpenApiTypes.INT)
class PersonField(serializers.RelatedField):
    """A person named in a record (talker, visitor, owner, interviewer): given
    and shown as the id of their cadre record, stored as the login behind it,
    so one person has one number everywhere. A cadre outside the reader's scope
    for the record's resource reads as 'does not exist'; one without an active
    login is refused by name (the login is opened under 干部 → 开通账号). The
    queryset of the record should select ``<field>__cadre`` (one query a page)."""

    default_error_messages = {
        "required": gettext_lazy("请选择人员。"),
        "does_not_exist": gettext_lazy("干部编号 {pk_value} 不存在或不在您的管理范围内。"),
        "incorrect_type": gettext_lazy("人员请填写干部编号（整数）。"),
        "no_login": gettext_lazy("该干部尚未开通账号：{name}"),
        "inactive": gettext_lazy("该干部的账号已停用：{name}"),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Cadre.objects.select_related("user"))
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        queryset = super().get_queryset()
        assert queryset is not None  # given in __init__, and DRF's RelatedField checks it
        return nameable(queryset, getattr(request, "user", None), self.context.get("resource", ""))

    def to_internal_value(self, data: Any) -> User:
        if isinstance(data, bool) or not isinstance(data, int | str) or not str(data).isdigit():
            self.fail("incorrect_type")
        cadre = self.get_queryset().filter(pk=int(data)).first()
        if cadre is None:
            self.fail("does_not_exist", pk_value=data)
        if cadre.user is None:
            self.fail("no_login", name=cadre.name)
        if not cadre.user.is_active:
            self.fail("inactive", name=cadre.name)
        return cadre.user

    def to_representation(self, value: User | PKOnlyObject) -> int | None:
        cadre = getattr(value, "cadre", None)
        return cadre.pk if cadre is not None else None

    def get_choices(self, cutoff: int | None = None) -> dict[int, str]:
        queryset = self.get_queryset().filter(user__is_active=True)  # the ones that may be chosen
        if cutoff is not None:
            queryset = queryset[:cutoff]
        return {cadre.pk: cadre.name for cadre in queryset}


@extend_schema_field(OpenApiTypes.STR)
class PersonNameField(serializers.ReadOnlyField):
    """The name of the person a ``PersonField`` names: their cadre record's."""

    def to_representation(self, value: User) -> str:
        return person_name(value)


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class PersonNamesField(serializers.ReadOnlyField):
    """The names of the people a to-many ``PersonField`` names."""

    def to_representation(self, value: Any) -> list[str]:
        return [person_name(user) for user in value.all()]
