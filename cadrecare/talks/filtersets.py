"""One FilterSet per must-talk list: unit subtree, kind, status, talker,
overdue and date ranges. They narrow inside the scope, never widen it."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q, QuerySet

from cadrecare.core import clock
from cadrecare.core.filters import ChoicesFilter, YearFilter
from cadrecare.org.filtersets import SubtreeFilter
from cadrecare.org.models import Cadre
from cadrecare.talks.choices import (
    CommendationKind,
    CommendationLevel,
    CommendationStatus,
    PetitionSeriousness,
    TalkForm,
    TriggerKind,
    TriggerSource,
    TriggerStatus,
)
from cadrecare.talks.models import (
    Commendation,
    InterviewRound,
    Petition,
    Talk,
    TalkPolicy,
    TalkRoute,
    TalkTrigger,
    TeamFlag,
)


class TalkRouteFilterSet(filters.FilterSet):
    county = SubtreeFilter(path="county")

    class Meta:
        model = TalkRoute
        fields = ["talkee_group"]


class TalkPolicyFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="unit")
    kind = ChoicesFilter(choices=TriggerKind.choices)

    class Meta:
        model = TalkPolicy
        fields: list[str] = []


class TalkTriggerFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="cadre__unit")
    kind = ChoicesFilter(choices=TriggerKind.choices)
    source = ChoicesFilter(choices=TriggerSource.choices)
    status = ChoicesFilter(choices=TriggerStatus.choices)
    # The talker today (talks.selectors.trigger_queryset annotates it: cadrecare.org.posts).
    talker = filters.NumberFilter(field_name="owner_now_cadre_id", label="谈话人（干部编号）")
    unassigned = filters.BooleanFilter(field_name="owner_now_id", lookup_expr="isnull", label="未落实谈话人")
    overdue = filters.BooleanFilter(method="filter_overdue", label="已逾期")
    event_from = filters.DateFilter(field_name="event_date", lookup_expr="gte")
    event_to = filters.DateFilter(field_name="event_date", lookup_expr="lte")
    due_from = filters.DateFilter(field_name="due_date", lookup_expr="gte")
    due_to = filters.DateFilter(field_name="due_date", lookup_expr="lte")

    class Meta:
        model = TalkTrigger
        fields = ["cadre", "kind", "source", "status", "confidential"]

    def filter_overdue(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        late = Q(status=TriggerStatus.OPEN, due_date__lt=clock.today())
        return qs.filter(late) if value else qs.exclude(late)


class TalkFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="talkee__unit")
    talker = filters.NumberFilter(method="filter_talker", label="谈话人（干部编号）")
    form = ChoicesFilter(choices=TalkForm.choices)
    date_from = filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Talk
        fields = ["talkee", "form"]

    def filter_talker(self, qs: QuerySet, name: str, value: float) -> QuerySet:
        return qs.filter(pk__in=Talk.talkers.through.objects.filter(user__cadre=int(value)).values("talk_id"))


class CommendationFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="cadre__unit")
    level = ChoicesFilter(choices=CommendationLevel.choices)
    kind = ChoicesFilter(choices=CommendationKind.choices)
    status = ChoicesFilter(choices=CommendationStatus.choices)
    date_from = filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte")
    year = YearFilter(field_name="date")

    class Meta:
        model = Commendation
        fields = ["cadre", "level", "recommended"]


class PetitionFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="cadre__unit")
    seriousness = ChoicesFilter(choices=PetitionSeriousness.choices)
    date_from = filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Petition
        fields = ["cadre", "important", "seriousness"]


class TeamFlagFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="unit")
    date_from = filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = TeamFlag
        fields: list[str] = []


class InterviewRoundFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="unit")
    date_from = filters.DateFilter(field_name="end_date", lookup_expr="gte", label="结束日期不早于")
    date_to = filters.DateFilter(field_name="start_date", lookup_expr="lte", label="开始日期不晚于")

    class Meta:
        model = InterviewRound
        fields: list[str] = []


class RegularTalkFilterSet(filters.FilterSet):
    """On cadres annotated with their regular-talk clock."""

    unit = SubtreeFilter(path="unit")
    overdue = filters.BooleanFilter(method="filter_overdue", label="已逾期")
    due_to = filters.DateFilter(field_name="next_regular_talk_due", lookup_expr="lte", label="应谈日期不晚于")

    class Meta:
        model = Cadre
        fields = ["leader_post"]

    def filter_overdue(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        late = Q(next_regular_talk_due__lt=clock.today())
        return qs.filter(late) if value else qs.exclude(late)


class TalkSummaryFilterSet(filters.FilterSet):
    unit = SubtreeFilter(path="cadre__unit")
    kind = ChoicesFilter(choices=TriggerKind.choices)
    event_from = filters.DateFilter(field_name="event_date", lookup_expr="gte")
    event_to = filters.DateFilter(field_name="event_date", lookup_expr="lte")

    class Meta:
        model = TalkTrigger
        fields = ["kind"]
