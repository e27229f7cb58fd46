"""One FilterSet per list of the establishment."""

from __future__ import annotations

import django_filters as filters

from cadrecare.core.filters import ChoicesFilter
from cadrecare.establishment.choices import BorrowingState
from cadrecare.establishment.models import Borrowing, EstablishmentSlot
from cadrecare.org.filtersets import SubtreeFilter


class EstablishmentSlotFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="township")

    class Meta:
        model = EstablishmentSlot
        fields: list[str] = []


class BorrowingFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="township")
    state = ChoicesFilter(choices=BorrowingState.choices, label="状态")

    class Meta:
        model = Borrowing
        fields: list[str] = []
