"""Filters the FilterSets share, and the filter and ordering backends of
every list: they offer only in-scope records as choices, and filter or order
only by fields the reader sees."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import django_filters as filters
from django import forms
from django.db.models import QuerySet
from django.forms import ModelChoiceField
from django.template import loader
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request

from cadrecare.core.privacy import Level, filter_level
from cadrecare.core.providers import scoping


class YearField(forms.IntegerField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1900, max_value=2200, **kwargs)

    def clean(self, value: Any) -> int | None:
        try:
            return super().clean(value)
        except forms.ValidationError:
            raise forms.ValidationError(_("请填写 1900 至 2200 之间的整年，如 2026。"), code="invalid") from None


class YearFilter(filters.NumberFilter):
    """``?year=`` on a date field: a whole calendar year the database can hold;
    any other number (0, 2026.5, 99999) is a 400 naming the field, not a crash."""

    field_class = YearField

    def __init__(self, *, field_name: str, **kwargs: Any) -> None:
        kwargs.setdefault("label", gettext_lazy("年度"))
        super().__init__(field_name=field_name, lookup_expr="year", **kwargs)


class ChoicesFilter(filters.MultipleChoiceFilter):
    """One or more values of a choice column of the listed model (``?status=open&status=done``).

    Without DISTINCT, which django-filter adds by default for the sake of fields
    across to-many relations: over every column of a row it doubled the time of
    a filtered province-wide page of cadres.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)


def _reader_level(request: Request, view: Any) -> Level | None:
    """The level the reader sees across a resource's list; None for a view with no resource."""
    resource = getattr(view, "resource", None)
    if not resource or not request.user.is_authenticated:
        return None
    return scoping.listing_level(request.user, resource)


def _used(params: Any, name: str) -> bool:
    """Whether the query string uses filter ``name`` (range filters add suffixes: ``name_min``)."""
    return any(key == name or key.startswith(f"{name}_") for key in params)


class ScopedFilterBackend(DjangoFilterBackend):
    """django-filter's backend, by what the reader may know:

    - only filters on fields the reader sees unmasked (from the models'
      ``Privacy`` classes, ``privacy.filter_level``) are offered, and a request
      using another is refused (400): a reader shown ``***`` cannot find the
      value by filtering either;
    - the HTML form (the browsable API's filters) offers only the records the
      reader may name (``scoping.nameable``) for a model choice (``?cadre=``,
      ``?unit=``, ``?owner=``). Filtering by an id is unchanged: it narrows a
      list that is already scoped, so an id outside scope finds no rows.
    """

    def get_filterset(self, request: Request, queryset: QuerySet, view: Any) -> Any:
        filterset = super().get_filterset(request, queryset, view)
        level = _reader_level(request, view)
        if filterset is None or level is None:
            return filterset
        hidden = [
            name for name, item in filterset.filters.items() if filter_level(queryset.model, item.field_name) > level
        ]
        refused = [name for name in hidden if _used(request.query_params, name)]
        if refused:
            raise ValidationError({name: _("您无权查看该字段，不能按它筛选。") for name in refused})
        for name in hidden:
            del filterset.filters[name]
        return filterset

    def to_html(self, request: Request, queryset: QuerySet, view: Any) -> str | None:
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return None
        for field in filterset.form.fields.values():
            if isinstance(field, ModelChoiceField) and field.queryset is not None:
                field.queryset = scoping.nameable(field.queryset, request.user, getattr(view, "resource", ""))
        return loader.get_template(self.template).render({"filter": filterset}, request)


class PrivacyOrderingFilter(OrderingFilter):
    """DRF's ordering, by the fields the reader sees unmasked only; asking
    for another is refused (400)."""

    def get_valid_fields(
        self, queryset: QuerySet, view: Any, context: Mapping[str, Any] | None = None
    ) -> list[tuple[str, str]]:
        fields = super().get_valid_fields(queryset, view, context or {})
        request = (context or {}).get("request")
        level = _reader_level(request, view) if request is not None else None
        if level is None:
            return fields
        return [(name, label) for name, label in fields if filter_level(queryset.model, name) <= level]

    def remove_invalid_fields(
        self, queryset: QuerySet, fields: Iterable[str], view: Any, request: Request
    ) -> list[str]:
        declared = {name for name, _label in super().get_valid_fields(queryset, view, {"request": request})}
        allowed = {name for name, _label in self.get_valid_fields(queryset, view, {"request": request})}
        refused = [term.lstrip("-") for term in fields if term.lstrip("-") in declared - allowed]
        if refused:
            raise ValidationError(
                {
                    self.ordering_param: _("您无权查看该字段，不能按它排序：%(fields)s。")
                    % {"fields": _("、").join(refused)}
                }
            )
        return super().remove_invalid_fields(queryset, fields, view, request)
