"""Filters the FilterSets share."""

from typing import Any

import django_filters as filters
from django.db.models import QuerySet
from django.forms import ModelChoiceField
from django.template import loader
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.request import Request

from cadrecare.org.scoping import nameable


class ChoicesFilter(filters.MultipleChoiceFilter):
    """One or more values of a choice column of the listed model (``?status=open&status=done``).

    Without DISTINCT, which django-filter adds by default for the sake of fields
    across to-many relations: over every column of a row it doubled the time of
    a filtered province-wide page of cadres.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)


class ScopedFilterBackend(DjangoFilterBackend):
    """django-filter's backend whose HTML form (the browsable API's filters)
    offers only the records the reader may name (``scoping.nameable``) for a
    model choice (``?cadre=``, ``?unit=``, ``?owner=``). Filtering itself is
    unchanged: it narrows a list that is already scoped, so an id outside
    scope finds no rows."""

    def to_html(self, request: Request, queryset: QuerySet, view: Any) -> str | None:
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return None
        for field in filterset.form.fields.values():
            if isinstance(field, ModelChoiceField):
                field.queryset = nameable(field.queryset, request.user, getattr(view, "resource", ""))
        return loader.get_template(self.template).render({"filter": filterset}, request)
