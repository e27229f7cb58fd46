"""Rest-rotation endpoints, one module per concern: the holiday calendar and
policies, records about a cadre (absences, rest requests, recalls), rosters
and their generation, and the rest they give (swaps, missed rest,
confirmations, compliance). Import the viewsets from here."""

from cadrecare.rotation.api.views.policies import HolidayYearViewSet, RotationPolicyViewSet
from cadrecare.rotation.api.views.records import AbsenceViewSet, RecallViewSet, RestRequestViewSet
from cadrecare.rotation.api.views.rest import (
    MissedRestViewSet,
    RestComplianceViewSet,
    RestConfirmationViewSet,
    SwapRequestViewSet,
)
from cadrecare.rotation.api.views.rosters import GenerationRunViewSet, RosterDayViewSet, RosterViewSet

__all__ = [
    "AbsenceViewSet",
    "GenerationRunViewSet",
    "HolidayYearViewSet",
    "MissedRestViewSet",
    "RecallViewSet",
    "RestComplianceViewSet",
    "RestConfirmationViewSet",
    "RestRequestViewSet",
    "RosterDayViewSet",
    "RosterViewSet",
    "RotationPolicyViewSet",
    "SwapRequestViewSet",
]
