"""Must-talk endpoints, one module per concern: talk routes and deadlines, the
must-talks and the talks that answer them, the source events that raise them,
and the overviews. Declarative viewsets on the scoped base; every write goes
through one service. Import from here."""

from cadrecare.talks.api.views.events import (
    CommendationViewSet,
    InterviewRoundViewSet,
    PetitionViewSet,
    TeamFlagViewSet,
)
from cadrecare.talks.api.views.overviews import RegularTalkViewSet, TalkSummaryViewSet
from cadrecare.talks.api.views.routes import TalkPolicyViewSet, TalkRouteViewSet
from cadrecare.talks.api.views.talks import TalkTriggerViewSet, TalkViewSet

__all__ = [
    "CommendationViewSet",
    "InterviewRoundViewSet",
    "PetitionViewSet",
    "RegularTalkViewSet",
    "TalkPolicyViewSet",
    "TalkRouteViewSet",
    "TalkSummaryViewSet",
    "TalkTriggerViewSet",
    "TalkViewSet",
    "TeamFlagViewSet",
]
