"""One FilterSet per self-service list. Filters narrow inside what the
selector already allows."""

from __future__ import annotations

import django_filters as filters

from cadrecare.core.filters import ChoicesFilter
from cadrecare.org.filtersets import SubtreeFilter
from cadrecare.selfservice.choices import Addressee, ChangeAction, Decision, MessageStatus, ReportKind
from cadrecare.selfservice.models import FamilyMemberChange, HeartMessage, SelfReport


class SelfReportFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="cadre__unit")
    kind = ChoicesFilter(choices=ReportKind.choices)
    status = ChoicesFilter(choices=Decision.choices)

    class Meta:
        model = SelfReport
        fields: list[str] = []


class FamilyMemberChangeFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="cadre__unit")
    action = ChoicesFilter(choices=ChangeAction.choices)
    status = ChoicesFilter(choices=Decision.choices)

    class Meta:
        model = FamilyMemberChange
        fields: list[str] = []


class HeartMessageFilterSet(filters.FilterSet):
    addressee = ChoicesFilter(choices=Addressee.choices)
    status = ChoicesFilter(choices=MessageStatus.choices)

    class Meta:
        model = HeartMessage
        fields: list[str] = []
